import type { BaselineSubject, EvaluateConfig } from '../config/evaluate-schema.js';
import { PAPER_REFERENCE_SCORES, resolveEvaluateConfig } from '../config/evaluate-schema.js';
import type { SweepConfig } from '../config/schema.js';
import { BASELINE_SUBJECTS } from '../core/run-config.js';
import { computeCellScores, type ScoreOrReason } from '../core/report/cell-scores.js';
import { BENCHMARK_LABEL } from '../core/report/labels.js';
import type { BaselineOrigin, CellScores } from '../core/snapshot.js';
import { DOMAIN_BENCHMARKS, parseSetting, type BenchmarkId, type Domain } from '../core/setting.js';
import { itemSetKey } from '../core/evaluate/item-set.js';
import { baselineSource, describeSource, sourceIdentity, type StudentSource } from '../core/evaluate/student-source.js';
import { setCellScores, type CellRow } from './cell-repo.js';
import { benchmarkScores, cellSubject, type BenchmarkScoreRow } from './eval-repo.js';
import type { Db } from './open-store.js';

const LABEL: Readonly<Record<BaselineSubject, string>> = { base: 'base', reference: 'reference' };

/** An evaluated score counts only when it is over the configured items and by the configured model. */
export function isFresh(row: BenchmarkScoreRow | undefined, b: BenchmarkId, source: StudentSource, e: EvaluateConfig): row is BenchmarkScoreRow {
  return row !== undefined && row.details.itemSet === itemSetKey(b, e) && row.details.model === sourceIdentity(source, e.model);
}

export interface BaselineNeed {
  readonly subject: BaselineSubject;
  readonly source: StudentSource;
  readonly benchmarks: readonly BenchmarkId[];
}

/** The baselines that are to be evaluated (a checkpoint or endpoint is configured) and lack a current score on the domain's benchmarks. */
export function baselineNeeds(db: Db, evaluate: EvaluateConfig, domain: Domain): BaselineNeed[] {
  const out: BaselineNeed[] = [];
  for (const subject of BASELINE_SUBJECTS) {
    const source = baselineSource(subject, evaluate);
    if (!source) continue;
    const have = benchmarkScores(db, subject);
    const benchmarks = DOMAIN_BENCHMARKS[domain].filter((b) => !isFresh(have.get(b), b, source, evaluate));
    if (benchmarks.length > 0) out.push({ subject, source, benchmarks });
  }
  return out;
}

/** The configured numbers of a baseline that is not evaluated; `paper` stands for the paper's table. */
function configuredScores(evaluate: EvaluateConfig, subject: BaselineSubject): Partial<Record<BenchmarkId, number>> | undefined {
  const scores = evaluate.baselines[subject].scores;
  return scores === 'paper' ? PAPER_REFERENCE_SCORES : scores;
}

/** Where S_0's or S_ref's scores come from under this config: the report and the results view say it. */
export function baselineOrigin(evaluate: EvaluateConfig, subject: BaselineSubject): BaselineOrigin {
  const source = baselineSource(subject, evaluate);
  if (source) return { kind: 'evaluated', model: describeSource(source) };
  const scores = evaluate.baselines[subject].scores;
  if (scores === 'paper') return { kind: 'paper' };
  return scores === undefined ? { kind: 'none' } : { kind: 'config' };
}

/** S_0's or S_ref's score on a benchmark: evaluated when a model is configured, else from `scores`. */
export function baselineScore(db: Db, evaluate: EvaluateConfig, subject: BaselineSubject, b: BenchmarkId): ScoreOrReason {
  const source = baselineSource(subject, evaluate);
  if (source) {
    const row = benchmarkScores(db, subject).get(b);
    return isFresh(row, b, source, evaluate)
      ? { value: row.score }
      : { reason: `the ${LABEL[subject]} model has not been evaluated on ${BENCHMARK_LABEL[b]} yet` };
  }
  const v = configuredScores(evaluate, subject)?.[b];
  if (v !== undefined) return { value: v };
  return {
    reason:
      subject === 'base'
        ? `no base-model score on ${BENCHMARK_LABEL[b]}: set evaluate.baselines.base (a checkpoint, an endpoint or scores)`
        : `no reference-model score on ${BENCHMARK_LABEL[b]}: evaluate.baselines.reference.scores has none (or give it a checkpoint)`,
  };
}

export function cellScoresFor(db: Db, config: SweepConfig, cell: Pick<CellRow, 'id' | 'setting'>): CellScores {
  const evaluate = resolveEvaluateConfig(config);
  const { domain } = parseSetting(cell.setting);
  const rows = benchmarkScores(db, cellSubject(cell.id));
  const student: Partial<Record<BenchmarkId, number>> = {};
  for (const b of DOMAIN_BENCHMARKS[domain]) {
    const r = rows.get(b);
    if (r) student[b] = r.score;
  }
  const scores = computeCellScores(
    domain,
    student,
    (b) => baselineScore(db, evaluate, 'base', b),
    (b) => baselineScore(db, evaluate, 'reference', b),
  );
  return { ...scores, baselines: { base: baselineOrigin(evaluate, 'base'), reference: baselineOrigin(evaluate, 'reference') } };
}

/** Computes the cell's scores and stores them in cells.scores_json. */
export function writeCellScores(db: Db, config: SweepConfig, cell: Pick<CellRow, 'id' | 'setting'>): CellScores {
  const scores = cellScoresFor(db, config, cell);
  setCellScores(db, cell.id, scores);
  return scores;
}
