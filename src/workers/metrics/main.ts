// The metrics worker: one OS process per job, started by the conductor. It measures a sample of
// the cell's accepted instances with every model of the `metrics:` section (paper's Table 8),
// storing one row per instance and metric as each is computed: a resumed job computes only the
// rows still missing.
import path from 'node:path';
import { BudgetLedger } from '../../store/budget-ledger.js';
import { setJobHandle } from '../../store/job-repo.js';
import { MetricRepo } from '../../store/metric-repo.js';
import { metricSample } from '../../core/metrics/sample.js';
import { parseSetting } from '../../core/setting.js';
import { cellFiles } from '../../core/run-layout.js';
import { runWorker, workerBaseDir } from '../worker-runtime.js';
import { resultOf } from '../evaluate/run-evaluation.js';
import { configuredMetrics, configuredModels } from '../../config/metric-models.js';
import type { MeasureContext, Todo } from './measures.js';
import { MetricsProgress } from './metrics-progress.js';
import { measureWith } from './measure-with.js';

const argv = process.argv.slice(2);
const baseDir = workerBaseDir(argv);

await runWorker(argv, async (w) => {
  const m = w.config.metrics;
  if (!m) return { kind: 'failed', error: 'the config has no metrics: section' };
  if (w.job.stage !== 'metrics') return { kind: 'failed', error: `the metrics worker cannot run a ${w.job.stage} job` };
  const repo = new MetricRepo(w.db);
  const ids = metricSample(repo.instanceIds(w.cell.id), m.sampleSize, { seed: w.config.generation.seed, generator: w.cell.generator, setting: w.cell.setting });
  const instances = repo.instances(w.cell.id, ids);
  const todo: Todo = (metric) => {
    const stored = repo.stored(w.cell.id, metric);
    return instances.filter((i) => !stored.has(i.id));
  };
  const metrics = configuredMetrics(m);
  const progress = new MetricsProgress(w.db, w.cell.id);
  progress.start(
    instances.length * metrics.length,
    metrics.reduce((n, id) => n + instances.length - todo(id).length, 0),
  );
  w.log(`sample: ${instances.length} of the cell's ${repo.instanceIds(w.cell.id).length} instances; metrics: ${metrics.join(', ')}`);
  const ctx: MeasureContext = {
    repo,
    cellId: w.cell.id,
    domain: parseSetting(w.cell.setting).domain,
    concurrency: m.concurrency,
    signal: w.signal,
    onStored: (n) => progress.onStored(n),
  };
  try {
    for (const model of configuredModels(m)) {
      if (w.signal.aborted) return { kind: 'cancelled' };
      const left = model.metrics.reduce((n, id) => n + todo(id).length, 0);
      if (left === 0) continue;
      w.log(`${model.name}: ${left} rows of ${model.metrics.join(', ')} to compute`);
      progress.setModel(model.name);
      await measureWith(model.name, ctx, todo, {
        config: w.config,
        ledger: new BudgetLedger(w.db),
        jobId: w.job.id,
        env: process.env,
        baseDir,
        serverLog: path.join(cellFiles(w.runDir, w.cell).dir, `metrics-${model.name}-server.log`),
        onServer: (server) => setJobHandle(w.db, w.job.id, { server: server ?? null }),
        log: w.log,
      });
    }
    if (w.signal.aborted) return { kind: 'cancelled' };
    progress.setModel(undefined);
    return { kind: 'done' };
  } catch (e) {
    return resultOf(e, w.signal);
  } finally {
    progress.flush();
  }
});
