import { z } from 'zod';
import { BENCHMARK_IDS } from '../core/setting.js';
import type { CellScores, StageProgress } from '../core/snapshot.js';

/**
 * JSON the store keeps in TEXT columns, read back through a zod schema: a value written by
 * another version, or edited by hand, is named (which row, which field) where it is read
 * instead of flowing on under a cast and failing far away.
 */
export class StoredJsonError extends Error {
  override readonly name = 'StoredJsonError';
}

function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(value)'}: ${i.message}`).join('; ');
}

/** Parses `text` with `schema`; throws a StoredJsonError starting with `where` (e.g. `jobs.handle_json of job 7`). */
export function parseStored<S extends z.ZodType>(schema: S, text: string, where: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new StoredJsonError(`${where} is not JSON: ${(e as Error).message}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new StoredJsonError(`${where} is malformed: ${describe(r.error.issues)}`);
  return r.data;
}

/** For readers that must not throw (the polled snapshot): the value, or the problem as text. */
export function tryParseStored<S extends z.ZodType>(schema: S, text: string, where: string): { value: z.output<S> } | { problem: string } {
  try {
    return { value: parseStored(schema, text, where) };
  } catch (e) {
    if (e instanceof StoredJsonError) return { problem: e.message };
    throw e;
  }
}

const count = z.number().int().nonnegative();
const finite = z.number().finite();

// Loose: the evaluate worker adds fields of its own (answered, phase, subject) that `agora status --json` passes on.
export const stageProgressSchema: z.ZodType<StageProgress> = z.discriminatedUnion('stage', [
  z.looseObject({ stage: z.literal('generate'), accepted: count, target: count }),
  z.looseObject({
    stage: z.literal('train'),
    step: count,
    totalSteps: count,
    loss: finite.optional(),
    etaSeconds: finite.optional(),
    checkpoint: z.string().optional(),
  }),
  z.looseObject({ stage: z.literal('evaluate'), graded: count, total: count }),
  z.looseObject({ stage: z.literal('score') }),
  z.looseObject({ stage: z.literal('metrics'), done: count, total: count }),
]);

const pgrValue = z.union([z.object({ value: finite, flag: z.string().optional() }), z.object({ reason: z.string() })]);
const baselineOrigin = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('evaluated'), model: z.string() }),
  z.object({ kind: z.literal('paper') }),
  z.object({ kind: z.literal('config') }),
  z.object({ kind: z.literal('none') }),
]);
const benchmarkId = z.enum(BENCHMARK_IDS);

export const cellScoresSchema: z.ZodType<CellScores> = z.object({
  benchmarks: z.partialRecord(benchmarkId, finite),
  pgrByBenchmark: z.partialRecord(benchmarkId, pgrValue),
  pgr: pgrValue,
  baselines: z.object({ base: baselineOrigin, reference: baselineOrigin }).optional(),
});

/** run_meta 'stopped' (store/run-repo.ts StopMark). */
export const stopMarkSchema = z.object({ at: finite, by: z.string() });
/** run_meta 'conductor' (store/run-repo.ts ConductorClaim). */
export const conductorClaimSchema = z.object({ pid: z.number().int().positive(), at: finite });
/** benchmark_scores.details_json: free-form per grader, but an object. */
export const scoreDetailsSchema = z.record(z.string(), z.unknown());
