/**
 * How a background job records its own start and end, for GPU billing that does not depend on
 * when a conductor looks: the job's wrapper (local) or batch script (Slurm) writes the epoch
 * milliseconds into a file beside the exit file when the command starts, and after the exit
 * code in the exit file when it ends. Shell text and parsing only; the files are the runners'.
 */

/** The file holding the start time, next to the exit file. */
export function startedFileFor(exitFile: string): string {
  return `${exitFile}.started`;
}

/**
 * POSIX sh that sets `variable` to the epoch ms. GNU date knows `%3N`; where it does not, the
 * output has letters in it and whole seconds are used instead.
 */
export function shellEpochMs(variable: string): string {
  return `${variable}=$(date +%s%3N 2>/dev/null); case "$${variable}" in ''|*[!0-9]*) ${variable}=$(( $(date +%s) * 1000 ));; esac`;
}

/** A line written by `shellEpochMs`; undefined for anything else (an old or torn file). */
export function parseEpochMs(text: string | undefined): number | undefined {
  const t = text?.trim() ?? '';
  if (!/^\d{10,16}$/.test(t)) return undefined;
  return Number(t);
}
