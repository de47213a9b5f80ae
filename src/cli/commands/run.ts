import { STAGES, type Stage } from '../../core/cell-state.js';
import { SnapshotQuery } from '../../store/snapshot-query.js';
import { createLineReporter } from '../../ui/line-reporter.js';
import { flagString, parseArgs, UsageError, type Io, CONFIG_OPTION, type CommandSpec } from '../args.js';
import { startConductor, type ConductorSession } from '../start-conductor.js';
import { ConductorLock } from '../../engine/conductor-lock.js';
import { headlessVerdict } from '../headless-verdict.js';
import { pause } from '../../adapters/pause.js';

const RUN_SPEC: CommandSpec = {
  usage: 'agora run [--no-tui] [--config FILE] [--stages generate,train,evaluate,score,metrics] [--retry-failed]',
  summary: 'Conduct the sweep: the live dashboard in a terminal, lines with --no-tui (or without a TTY).',
  options: {
    'no-tui': { type: 'boolean', help: 'print progress lines instead of the dashboard' },
    config: CONFIG_OPTION,
    stages: { type: 'string', value: 'LIST', help: 'run only these stages (comma-separated)' },
    'retry-failed': { type: 'boolean', help: 'retry failed and cancelled cells' },
    watch: { type: 'boolean', help: 'when another process conducts, follow it read-only' },
    'tick-ms': { type: 'string', value: 'MS', help: 'milliseconds between progress lines (default 500)' },
  },
};

export function parseStages(value: string | undefined): Stage[] {
  if (value === undefined) return [...STAGES];
  const stages = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of stages) {
    if (!(STAGES as readonly string[]).includes(s)) throw new UsageError(`unknown stage "${s}" in --stages: expected some of ${STAGES.join(', ')}`);
  }
  return stages as Stage[];
}

/**
 * `agora run --no-tui`: the conductor without the dashboard, for batch jobs and CI. Prints one
 * line per state change and a periodic summary; returns when nothing more can run. Ctrl-C
 * detaches: the workers go on in the background.
 */
export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, RUN_SPEC);
  const stages = parseStages(flagString(args, 'stages'));
  let lostLock: string | undefined;
  const session = await startConductor(io, {
    configArg: flagString(args, 'config'),
    stages,
    retryFailed: args.flags.has('retry-failed'),
    echoLog: true,
    onLostLock: (why) => (lostLock = why),
  });
  if (!session.conductor) {
    if (args.flags.has('watch')) return watchReadOnly(session, io, Number(flagString(args, 'tick-ms') ?? 1000));
    io.stderr.write(
      `another agora (pid ${session.holderPid}) is already conducting ${session.run.runDir}; not starting a second conductor. Watch it with \`agora\` or \`agora status\`.\n`,
    );
    await session.close();
    return 1;
  }
  const conductor = session.conductor;
  const query = new SnapshotQuery(session.db);
  const reporter = createLineReporter(io.stdout, { summaryEveryMs: 30_000 });
  const tickMs = Number(flagString(args, 'tick-ms') ?? 500);
  let detached = false;
  const onSignal = () => (detached = true);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (;;) {
      await conductor.tick();
      if (lostLock) {
        io.stderr.write(`${lostLock}; exiting (its jobs go on under the new conductor)\n`);
        return 1;
      }
      // The last stage is the last one that runs: without a `metrics:` section, score (drivers can change on a retry's reload).
      const active = conductor.activeStages();
      const { snap, verdict } = headlessVerdict(
        conductor,
        () => query.take({ runDir: session.run.runDir, readOnly: false }),
        active.length > 0 ? active : stages,
      );
      reporter.update(snap);
      if (detached) {
        const running = snap.cells.filter((c) => c.state === 'running').length;
        io.stdout.write(`detached: ${running} job${running === 1 ? '' : 's'} go on in the background; \`agora\` re-attaches, \`agora stop\` stops them\n`);
        return 130;
      }
      if (verdict) {
        io.stdout.write(`${verdict.line}\n`);
        return verdict.code;
      }
      await pause(tickMs);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    reporter.close();
    await session.close();
  }
}

/**
 * A second `agora` without a TTY while another conducts: the same lines, read-only, until
 * that conductor is gone and nothing runs.
 */
async function watchReadOnly(session: ConductorSession, io: Io, tickMs: number): Promise<number> {
  io.stdout.write(`read-only: agora (pid ${session.holderPid}) is conducting this sweep; printing its progress\n`);
  const query = new SnapshotQuery(session.db);
  const reporter = createLineReporter(io.stdout, { summaryEveryMs: 30_000 });
  const lock = new ConductorLock(session.db);
  let stop = false;
  const onSignal = () => (stop = true);
  process.once('SIGINT', onSignal);
  try {
    while (!stop) {
      const snap = query.take({ runDir: session.run.runDir, readOnly: true });
      reporter.update(snap);
      if (!lock.holder() && !snap.cells.some((c) => c.state === 'running')) break;
      await pause(tickMs);
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    reporter.close();
    await session.close();
  }
}
