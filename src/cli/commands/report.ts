import fs from 'node:fs';
import path from 'node:path';
import { PAPER_REFERENCE_SCORES, resolveEvaluateConfig, type BaselineSubject } from '../../config/evaluate-schema.js';
import type { SweepConfig } from '../../config/schema.js';
import { nanoToUsd } from '../../core/cost.js';
import { BENCHMARK_ORDER } from '../../core/report/labels.js';
import { buildReport, renderReport, type ReportFormat } from '../../core/report/render.js';
import type { ReportBaselineScore, ReportCell, ReportInput } from '../../core/report/report-model.js';
import type { CellScores } from '../../core/snapshot.js';
import type { BenchmarkId } from '../../core/setting.js';
import { listCells } from '../../store/cell-repo.js';
import type { Db } from '../../store/open-store.js';
import { baselineOrigin, baselineScore, BASELINE_SUBJECTS } from '../../workers/evaluate/cell-scoring.js';
import { benchmarkScores } from '../../workers/evaluate/eval-store.js';
import { flagString, parseArgs, UsageError, type Io } from '../args.js';
import { locateRun, openExistingRun } from '../open-run.js';

const FORMATS: readonly ReportFormat[] = ['md', 'csv', 'json'];

/**
 * Per cell: generation cost (the generator's own calls) and judge cost. A call is the judge's
 * when its purpose says so, or when it went to another generator than the cell's (an orphaned
 * judge call keeps its generator but loses its purpose).
 */
function cellCosts(db: Db): Map<number, { generation: number; judge: number }> {
  const rows = db
    .prepare<[], { cell_id: number; generation: number | null; judge: number | null }>(
      `SELECT a.cell_id,
              SUM(CASE WHEN a.purpose <> 'judge' AND a.generator = c.generator THEN a.cost_nano ELSE 0 END) AS generation,
              SUM(CASE WHEN a.purpose = 'judge' OR a.generator <> c.generator THEN a.cost_nano ELSE 0 END) AS judge
       FROM api_calls a JOIN cells c ON c.id = a.cell_id GROUP BY a.cell_id`,
    )
    .all();
  return new Map(rows.map((r) => [r.cell_id, { generation: nanoToUsd(r.generation ?? 0), judge: nanoToUsd(r.judge ?? 0) }]));
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

/** Everything the report shows, read from the run's store and its config. */
export function readReportInput(db: Db, config: SweepConfig): ReportInput {
  const evaluate = resolveEvaluateConfig(config);
  const costs = cellCosts(db);
  const cells: ReportCell[] = listCells(db).map((c) => ({
    generator: c.generator,
    setting: c.setting,
    stage: c.stage,
    state: c.state,
    ...(c.error && { error: c.error }),
    ...(c.scores_json && { scores: JSON.parse(c.scores_json) as CellScores }),
    generationCostUsd: costs.get(c.id)?.generation ?? 0,
    judgeCostUsd: costs.get(c.id)?.judge ?? 0,
    generated: { accepted: c.accepted, target: c.target, dropped: c.dropped },
  }));
  const generators = db.prepare<[], { id: string; model: string }>(`SELECT id, model FROM generators ORDER BY rowid`).all();
  const problemSolving = evaluate.problemSolving ?? {};
  const baselineJudge = db.prepare<[], { s: number | null }>(`SELECT SUM(cost_nano) AS s FROM api_calls WHERE cell_id IS NULL AND purpose = 'judge'`).get()?.s ?? 0;
  return {
    name: config.name,
    generators: generators.map((g) => ({ ...g, ...(problemSolving[g.id] !== undefined && { problemSolving: problemSolving[g.id] }) })),
    settings: config.settings,
    cells,
    baselines: Object.fromEntries(BASELINE_SUBJECTS.map((s) => [s, baselineRows(db, config, s)])) as ReportInput['baselines'],
    baselineJudgeCostUsd: nanoToUsd(baselineJudge),
    baselineOrigins: { base: baselineOrigin(evaluate, 'base'), reference: baselineOrigin(evaluate, 'reference') },
    paperReference: PAPER_REFERENCE_SCORES,
  };
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** `agora report [--format md|csv|json] [--out FILE] [--config FILE]`: the paper's Tables 2 and 3 and the scores behind them. */
export async function reportCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'config', 'out'] });
  if (args.positional.length > 0) throw new UsageError(`agora report takes no arguments, got ${args.positional.join(' ')}`);
  const format = (flagString(args, 'format') ?? 'md') as ReportFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const run = locateRun(io, flagString(args, 'config'));
  const db = openExistingRun(run, { readonly: true });
  let text: string;
  try {
    text = renderReport(buildReport(readReportInput(db, run.config)), format);
  } finally {
    db.close();
  }
  const out = flagString(args, 'out');
  if (out) {
    const file = path.resolve(io.cwd, out);
    writeAtomic(file, text);
    io.stderr.write(`wrote ${file}\n`);
  } else io.stdout.write(text);
  return 0;
}
