// The evaluation worker: one OS process per job, started by the conductor. For an `evaluate`
// job it evaluates the cell's trained student; for a `score` job it evaluates the baselines
// (base, reference) that the cell's PGR still needs, writes the cell's scores, then evaluates
// the generators' own scores on the domain when the config asks for them and they are missing.
import { resolveEvaluateConfig } from '../../config/evaluate-schema.js';
import { DOMAIN_BENCHMARKS, parseSetting } from '../../core/setting.js';
import { BudgetLedger } from '../../store/budget-ledger.js';
import { setJobHandle } from '../../store/job-repo.js';
import { runWorker, workerBaseDir } from '../worker-runtime.js';
import { baselineNeeds, writeCellScores } from '../../store/score-repo.js';
import { cellSubject } from '../../store/eval-repo.js';
import { EvalProgress } from './eval-progress.js';
import { GradingTools } from './grading-tools.js';
import { evaluateSubjects, resultOf, waitForEarlierBaselineJobs } from './run-evaluation.js';
import { baselineServerLog, cellCheckpoint, cellServerLog, cellStudentSource } from '../../core/evaluate/student-source.js';
import type { EvalRun, SubjectSpec } from './subject-evaluation.js';
import { generatorSpecs } from './generator-specs.js';

const argv = process.argv.slice(2);
const baseDir = workerBaseDir(argv);

await runWorker(argv, async (w) => {
  const evaluate = resolveEvaluateConfig(w.config);
  const { domain } = parseSetting(w.cell.setting);
  const ledger = new BudgetLedger(w.db);
  const tools = new GradingTools({ config: w.config, evaluate, ledger, jobId: w.job.id, signal: w.signal, env: process.env, log: w.log });
  const progress = new EvalProgress(w.db, w.cell.id, w.job.stage, cellCheckpoint(w.cell));
  const run: EvalRun = {
    db: w.db,
    evaluate,
    baseDir,
    env: process.env,
    signal: w.signal,
    log: w.log,
    progress,
    tools,
    ledger,
    jobId: w.job.id,
    onServer: (server) => setJobHandle(w.db, w.job.id, { server: server ?? null }),
  };
  try {
    const specs: SubjectSpec[] = [];
    if (w.job.stage === 'evaluate') {
      const source = cellStudentSource(w.cell, evaluate);
      if ('missing' in source) return { kind: 'failed', error: source.missing };
      specs.push({
        subject: cellSubject(w.cell.id),
        cellId: w.cell.id,
        benchmarks: DOMAIN_BENCHMARKS[domain],
        source,
        serverLog: cellServerLog(w.runDir, w.cell),
      });
    } else if (w.job.stage === 'score') {
      if (baselineNeeds(w.db, evaluate, domain).length > 0) await waitForEarlierBaselineJobs(w.db, w.job.id, domain, w.signal, w.log);
      for (const need of baselineNeeds(w.db, evaluate, domain)) {
        w.log(`evaluating the ${need.subject} model on ${need.benchmarks.join(', ')}`);
        specs.push({
          subject: need.subject,
          cellId: null,
          benchmarks: need.benchmarks,
          source: need.source,
          serverLog: baselineServerLog(w.runDir, need.subject),
        });
      }
    } else {
      return { kind: 'failed', error: `the evaluation worker cannot run a ${w.job.stage} job` };
    }
    if ((await evaluateSubjects(run, specs)) === 'aborted') return { kind: 'cancelled' };
    if (w.job.stage === 'score') {
      // PGR first: the generators' own scores (below) never hold a cell's PGR back.
      const scores = writeCellScores(w.db, w.config, w.cell);
      w.log(`PGR ${'value' in scores.pgr ? scores.pgr.value.toFixed(1) : `missing: ${scores.pgr.reason}`}`);
      const generators = generatorSpecs(w.db, w.config, domain, w.job.id, process.env, w.log);
      if ((await evaluateSubjects(run, generators)) === 'aborted') return { kind: 'cancelled' };
    }
    progress.setPhase('done');
    return { kind: 'done' };
  } catch (e) {
    return resultOf(e, w.signal);
  } finally {
    progress.flush();
    await tools.close();
  }
});
