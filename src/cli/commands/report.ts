import path from 'node:path';
import { PAPER_REFERENCE_SCORES, resolveEvaluateConfig, type BaselineSubject } from '../../config/evaluate-schema.js';
import type { SweepConfig } from '../../config/schema.js';
import { nanoToUsd } from '../../core/cost.js';
import { BENCHMARK_ORDER } from '../../core/report/labels.js';
import { renderHtml } from '../../core/report/html-report.js';
import { buildReport, renderReport, type ReportFormat } from '../../core/report/render.js';
import type { ReportBaselineScore, ReportCell, ReportInput } from '../../core/report/report-model.js';
import { DOMAIN_BENCHMARKS, parseSetting, type BenchmarkId, type SettingId } from '../../core/setting.js';
import { baselineJudgeCostNano, cellCallCostsNano } from '../../store/api-call-repo.js';
import { listCells } from '../../store/cell-repo.js';
import { listGenerators } from '../../store/run-repo.js';
import { readCellDetail } from '../../store/snapshot-query.js';
import { readCellScores } from '../../store/snapshot-json.js';
import { InstanceRepo } from '../../store/instance-repo.js';
import type { Db } from '../../store/open-store.js';
import { BASELINE_SUBJECTS, metaPromptVariants } from '../../core/run-config.js';
import { baselineOrigin, baselineScore } from '../../store/score-repo.js';
import { benchmarkScores, cellSubject, storedItems } from '../../store/eval-repo.js';
import { flagString, parseArgs, UsageError, type Io, CONFIG_OPTION, type CommandSpec } from '../args.js';
import { locateRun, openExistingRun } from '../open-run.js';
import { writeFileAtomicSync } from '../../adapters/write-atomic.js';
import { mlLinearAlgebra } from '../../adapters/analysis/ml-linear-algebra.js';
import { buildAnalysis, type AnalysisModel } from '../../core/analysis/run-analysis.js';
import { cellMetricSummaries, type DiversityCache } from '../../store/metric-summary-repo.js';
import { generatorProblemSolving } from '../../store/generator-scores.js';

const REPORT_SPEC: CommandSpec = {
  usage: 'agora report [--format md|csv|json|html] [--out FILE] [--config FILE]',
  summary: "The sweep's results: scores, PGR and cost per cell and generator, and the analyses of the intrinsic metrics (PCA, regressions).",
  options: {
    format: { type: 'string', value: 'md|csv|json|html', help: 'default md; html is one self-contained page with charts' },
    out: { type: 'string', value: 'FILE', help: 'write to FILE instead of stdout' },
    config: CONFIG_OPTION,
  },
};

type OutputFormat = ReportFormat | 'html';
const FORMATS: readonly OutputFormat[] = ['md', 'csv', 'json', 'html'];

/** Calls, retries, tokens, rejections by reason and the latest errors of one cell: the html drill-down. */
function cellActivity(db: Db, cellId: number): ReportCell['activity'] {
  const d = readCellDetail(db, cellId);
  if (!d) return undefined;
  return {
    calls: d.calls,
    retries: d.retries,
    tokensIn: d.tokensIn,
    tokensOut: d.tokensOut,
    rejectionsByReason: d.rejectionsByReason,
    lastErrors: d.lastErrors,
  };
}

/** Instances and student answers per cell in the html drill-down: enough to see what the data and the student look like. */
const SAMPLES = 3;

function cellSamples(db: Db, instances: InstanceRepo, cellId: number, setting: SettingId): ReportCell['samples'] {
  const answers = DOMAIN_BENCHMARKS[parseSetting(setting).domain].flatMap((benchmark) =>
    [...storedItems(db, cellSubject(cellId), benchmark).values()]
      .sort((a, b) => a.itemId.localeCompare(b.itemId, 'en', { numeric: true }))
      .slice(0, SAMPLES)
      .map((i) => ({ benchmark, itemId: i.itemId, output: i.output, score: i.score, ...(i.verdict !== undefined && { verdict: i.verdict }) })),
  );
  return { instances: instances.recent(cellId, SAMPLES).map((r) => ({ seq: r.seq, instruction: r.instruction, response: r.response })), answers };
}

/** Per cell in USD: generation cost and judge cost (store/api-call-repo.ts says which call is which). */
function cellCosts(db: Db): Map<number, { generation: number; judge: number }> {
  return new Map([...cellCallCostsNano(db)].map(([id, c]) => [id, { generation: nanoToUsd(c.generation), judge: nanoToUsd(c.judge) }]));
}

function baselineRows(db: Db, config: SweepConfig, subject: BaselineSubject): Partial<Record<BenchmarkId, ReportBaselineScore>> {
  const evaluate = resolveEvaluateConfig(config);
  const origin = baselineOrigin(evaluate, subject);
  const stored = benchmarkScores(db, subject);
  const out: Partial<Record<BenchmarkId, ReportBaselineScore>> = {};
  for (const b of BENCHMARK_ORDER) {
    const score = baselineScore(db, evaluate, subject, b);
    const n = origin.kind === 'evaluated' && 'value' in score ? stored.get(b)?.n : undefined;
    const source = 'value' in score && origin.kind !== 'none' ? origin.kind : undefined;
    out[b] = { score, ...(source && { source }), ...(n !== undefined && { n }) };
  }
  return out;
}

/**
 * The analyses of the run's intrinsic metrics (issue 13): O(sampled instances), so the report
 * calls it once and the dashboard only while its analyses view is open (cli/analysis-cache.ts).
 */
export function readAnalysis(db: Db, config: SweepConfig, diversity?: DiversityCache): AnalysisModel {
  // Over the main sweep's cells: an ablation cell (another meta-prompt) or a fixed-budget one (a
  // prefix of a main cell's data) is a controlled variation of its main cell, not another data point.
  const cells = listCells(db)
    .filter((c) => parseSetting(c.setting).variant === undefined)
    .map((c) => {
      const { scores } = readCellScores(c);
      return { cellId: c.id, generator: c.generator, setting: c.setting, ...(scores && { pgr: scores.pgr }) };
    });
  // Evaluated through the generators' own APIs where the run has them, else the config's typed numbers.
  const problemSolving = new Map([...generatorProblemSolving(db, config)].map(([id, s]) => [id, s.score]));
  return buildAnalysis({ cells, summaries: cellMetricSummaries(db, diversity), problemSolving }, mlLinearAlgebra);
}

/** Everything the report shows, read from the run's store and its config (`activity`: per cell, for the html drill-down). */
export function readReportInput(db: Db, config: SweepConfig, opts: { activity?: boolean } = {}): ReportInput {
  const evaluate = resolveEvaluateConfig(config);
  const costs = cellCosts(db);
  const instances = opts.activity ? new InstanceRepo(db) : undefined;
  const cells: ReportCell[] = listCells(db).map((c) => ({
    generator: c.generator,
    setting: c.setting,
    stage: c.stage,
    state: c.state,
    ...readCellScores(c),
    generationCostUsd: costs.get(c.id)?.generation ?? 0,
    judgeCostUsd: costs.get(c.id)?.judge ?? 0,
    generated: { accepted: c.accepted, target: c.target, dropped: c.dropped },
    ...(opts.activity && { activity: cellActivity(db, c.id) }),
    ...(instances && { samples: cellSamples(db, instances, c.id, c.setting) }),
  }));
  const generators = listGenerators(db);
  const problemSolving = generatorProblemSolving(db, config);
  const baselineJudge = baselineJudgeCostNano(db);
  return {
    name: config.name,
    generators: generators.map((g) => ({ ...g, ...(problemSolving.has(g.id) && { problemSolving: problemSolving.get(g.id)!.score }) })),
    settings: config.settings,
    cells,
    baselines: Object.fromEntries(BASELINE_SUBJECTS.map((s) => [s, baselineRows(db, config, s)])) as ReportInput['baselines'],
    baselineJudgeCostUsd: nanoToUsd(baselineJudge),
    baselineOrigins: { base: baselineOrigin(evaluate, 'base'), reference: baselineOrigin(evaluate, 'reference') },
    paperReference: PAPER_REFERENCE_SCORES,
    analysis: readAnalysis(db, config),
    metaPrompts: metaPromptVariants(config.metaPrompt),
    fixedBudgetUsd: config.fixedBudget?.usd ?? [],
  };
}

/**
 * `agora report [--format md|csv|json|html] [--out FILE] [--config FILE]`: the paper's Tables 2
 * and 3 and the scores behind them; html adds the matrix as a heatmap, cost against PGR and each
 * cell's drill-down, in one self-contained file.
 */
export async function reportCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, REPORT_SPEC);
  if (args.positional.length > 0) throw new UsageError(`agora report takes no arguments, got ${args.positional.join(' ')}`);
  const format = (flagString(args, 'format') ?? 'md') as OutputFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const run = locateRun(io, flagString(args, 'config'));
  const db = openExistingRun(run, { readonly: true });
  let text: string;
  try {
    const report = buildReport(readReportInput(db, run.config, { activity: format === 'html' }));
    text = format === 'html' ? renderHtml(report) : renderReport(report, format);
  } finally {
    db.close();
  }
  const out = flagString(args, 'out');
  if (out) {
    const file = path.resolve(io.cwd, out);
    writeFileAtomicSync(file, text);
    io.stderr.write(`wrote ${file}\n`);
  } else io.stdout.write(text);
  return 0;
}
