/**
 * Which GPUs a local training job gets. Jobs on one machine must not share devices: two
 * 1-GPU jobs left to themselves both start on GPU 0. Each job is given the lowest-numbered
 * devices no running job holds, and the devices it got are kept with its handle, so a
 * conductor started later (re-attaching to running jobs) knows what is taken (the store reads
 * them back: store/job-handle-json.ts).
 */

/** The lowest `perJob` device ordinals in 0..total-1 not in `held`; undefined when too few are free. */
export function freeDevices(total: number, perJob: number, held: ReadonlyArray<readonly number[]>): number[] | undefined {
  const taken = new Set(held.flat());
  const free: number[] = [];
  for (let d = 0; d < total && free.length < perJob; d++) if (!taken.has(d)) free.push(d);
  return free.length === perJob && perJob > 0 ? free : undefined;
}

/**
 * CUDA_VISIBLE_DEVICES for the job. When agora itself was started with CUDA_VISIBLE_DEVICES
 * (e.g. `2,3,5,7`), ordinal i means the i-th of those, as nvidia-smi's count is read through
 * the same list.
 */
export function cudaVisibleDevices(ordinals: readonly number[], parentVisible: string | undefined): string {
  const parent = (parentVisible ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  return ordinals.map((i) => (parent.length > 0 ? (parent[i] ?? String(i)) : String(i))).join(',');
}
