import { z } from 'zod';
import { RUNNER_KINDS, type JobHandle } from '../core/job-runner-port.js';
import { parseStored, tryParseStored } from './stored-json.js';

/**
 * jobs.handle_json, written by the runners (train: the runner's JobHandle plus the GPUs it was
 * given) and by the evaluate worker (the student server it started), read back by the engine.
 */

const nonEmpty = z.string().min(1);

/** A train job's handle: core's JobHandle, and `devices` for local GPU jobs (core/train/gpu-slots.ts). */
const trainHandleSchema = z.object({
  runner: z.enum(RUNNER_KINDS),
  id: nonEmpty,
  startedAt: z.number().finite(),
  logFile: nonEmpty,
  progressFile: nonEmpty,
  exitFile: nonEmpty,
  devices: z.array(z.number().int().nonnegative()).optional(),
});

export type TrainHandle = JobHandle & { readonly devices?: readonly number[] };

/** Throws a StoredJsonError naming the job and the field. */
export function parseTrainHandle(json: string, jobId: number): TrainHandle {
  return parseStored(trainHandleSchema, json, `jobs.handle_json of job ${jobId}`);
}

/** The devices held by running train jobs; a handle that does not parse holds none (its job fails on its next poll). */
export function devicesOfTrainHandle(json: string | null): number[] {
  if (!json) return [];
  const r = tryParseStored(trainHandleSchema, json, 'jobs.handle_json');
  return 'value' in r ? [...(r.value.devices ?? [])] : [];
}

/** An evaluation job's handle: the student server's process group, and its port (a marker to check the group is still ours). */
const evaluateHandleSchema = z.object({
  server: z
    .object({ pgid: z.number().int().gt(1), port: z.number().int().positive().optional() })
    .nullable()
    .optional(),
});

export interface EvaluateServerRecord {
  readonly pgid: number;
  readonly port?: number;
}

/** Throws a StoredJsonError naming the job and the field. */
export function parseEvaluateServer(json: string, jobId: number): EvaluateServerRecord | undefined {
  return parseStored(evaluateHandleSchema, json, `jobs.handle_json of job ${jobId}`).server ?? undefined;
}
