import type { BenchmarkId } from '../core/setting.js';
import { z } from 'zod';
import type { Db } from './open-store.js';
import { parseStored, scoreDetailsSchema } from './stored-json.js';
import { readMeta, writeMeta } from './run-repo.js';

/**
 * `cell:<id>` for a trained student, `base` for S_0, `reference` for S_ref, `generator:<id>` for
 * a generator answering through its own API (its problem-solving score), as in eval_items.
 */
export type Subject = `cell:${number}` | 'base' | 'reference' | `generator:${string}`;

export function cellSubject(cellId: number): Subject {
  return `cell:${cellId}`;
}

export function generatorSubject(generatorId: string): Subject {
  return `generator:${generatorId}`;
}

export interface StoredItem {
  readonly itemId: string;
  readonly output: string | null;
  readonly score: number | null;
  readonly verdict: unknown;
}

export interface BenchmarkScoreRow {
  readonly subject: string;
  readonly benchmark: BenchmarkId;
  readonly score: number;
  readonly n: number;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly source: string;
  readonly details: Record<string, unknown>;
  readonly updatedAt: number;
}

interface ScoreSqlRow {
  subject: string;
  benchmark: BenchmarkId;
  score: number;
  n: number;
  ci_low: number | null;
  ci_high: number | null;
  source: string;
  details_json: string | null;
  updated_at: number;
}

/** Every stored item of one subject on one benchmark, by item id. */
export function storedItems(db: Db, subject: Subject, benchmark: BenchmarkId): Map<string, StoredItem> {
  const rows = db
    .prepare<[string, string], { item_id: string; output: string | null; score: number | null; verdict_json: string | null }>(
      `SELECT item_id, output, score, verdict_json FROM eval_items WHERE subject = ? AND benchmark = ?`,
    )
    .all(subject, benchmark);
  // A verdict is the judge's own shape (the grader checks it); here it must at least be JSON, and
  // one that is not names its row rather than surfacing as a bare SyntaxError.
  const verdict = (r: { item_id: string; verdict_json: string | null }): unknown =>
    r.verdict_json === null ? undefined : parseStored(z.unknown(), r.verdict_json, `eval_items.verdict_json of ${subject} ${benchmark} item ${r.item_id}`);
  return new Map(rows.map((r) => [r.item_id, { itemId: r.item_id, output: r.output, score: r.score, verdict: verdict(r) }]));
}

/** Stores a student's answer; a new answer clears the old verdict, which judged another text. */
export function saveOutput(db: Db, subject: Subject, cellId: number | null, benchmark: BenchmarkId, itemId: string, output: string): void {
  db.prepare(
    `INSERT INTO eval_items (subject, cell_id, benchmark, item_id, output, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(subject, benchmark, item_id) DO UPDATE SET output = excluded.output, score = NULL, verdict_json = NULL`,
  ).run(subject, cellId, benchmark, itemId, output, Date.now());
}

export function saveVerdict(db: Db, subject: Subject, benchmark: BenchmarkId, itemId: string, score: number | undefined, verdict: unknown): void {
  db.prepare(`UPDATE eval_items SET score = ?, verdict_json = ? WHERE subject = ? AND benchmark = ? AND item_id = ?`).run(
    score ?? null,
    JSON.stringify(verdict),
    subject,
    benchmark,
    itemId,
  );
}

export function saveBenchmarkScore(db: Db, row: Omit<BenchmarkScoreRow, 'updatedAt'>): void {
  db.prepare(
    `INSERT INTO benchmark_scores (subject, benchmark, score, n, ci_low, ci_high, source, details_json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(subject, benchmark) DO UPDATE SET score = excluded.score, n = excluded.n, ci_low = excluded.ci_low, ci_high = excluded.ci_high,
       source = excluded.source, details_json = excluded.details_json, updated_at = excluded.updated_at`,
  ).run(row.subject, row.benchmark, row.score, row.n, row.ciLow, row.ciHigh, row.source, JSON.stringify(row.details), Date.now());
}

function toScoreRow(r: ScoreSqlRow): BenchmarkScoreRow {
  return {
    subject: r.subject,
    benchmark: r.benchmark,
    score: r.score,
    n: r.n,
    ciLow: r.ci_low,
    ciHigh: r.ci_high,
    source: r.source,
    details: r.details_json ? parseStored(scoreDetailsSchema, r.details_json, `benchmark_scores.details_json of ${r.subject} ${r.benchmark}`) : {},
    updatedAt: r.updated_at,
  };
}

export function benchmarkScores(db: Db, subject: string): Map<BenchmarkId, BenchmarkScoreRow> {
  const rows = db.prepare<[string], ScoreSqlRow>(`SELECT * FROM benchmark_scores WHERE subject = ?`).all(subject);
  return new Map(rows.map((r) => [r.benchmark, toScoreRow(r)]));
}

/**
 * Outputs belong to the model that wrote them: when a subject's model changes (another
 * checkpoint or endpoint for a baseline), its stored items and scores are dropped first.
 */
export function resetIfModelChanged(db: Db, subject: Subject, identity: string): boolean {
  const key = `eval_identity:${subject}`;
  return db
    .transaction(() => {
      const prev = readMeta(db, key);
      if (prev === identity) return false;
      if (prev !== undefined) {
        db.prepare(`DELETE FROM eval_items WHERE subject = ?`).run(subject);
        db.prepare(`DELETE FROM benchmark_scores WHERE subject = ?`).run(subject);
      }
      writeMeta(db, key, identity);
      return prev !== undefined;
    })
    .immediate();
}
