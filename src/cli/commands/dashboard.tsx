import { render } from 'ink';
import { loadCellDetail } from '../../engine/cell-detail.js';
import { readLossCurve } from '../../engine/train-driver.js';
import { PollingSnapshotSource } from '../../engine/polling-snapshot-source.js';
import { SnapshotQuery } from '../../store/snapshot-query.js';
import { runningJobs } from '../../store/job-repo.js';
import { Dashboard } from '../../ui/dashboard.js';
import { holdEarlyKeys } from '../../ui/early-keys.js';
import { warnIfInkUnpatched } from '../../ui/ink-self-check.js';
import type { DashboardActions } from '../../ui/dashboard-props.js';
import { CONFIG_OPTION, flagString, parseArgs, type CommandSpec, type Io } from '../args.js';

const DASHBOARD_SPEC: CommandSpec = {
  usage: 'agora [run] [--config FILE] [--stages generate,train,evaluate,score,metrics] [--retry-failed]',
  summary: 'The live dashboard, which also conducts the sweep (or watches, read-only, the process that does). Keys: ? in the dashboard.',
  options: {
    config: CONFIG_OPTION,
    stages: { type: 'string', value: 'LIST', help: 'run only these stages (comma-separated)' },
    'retry-failed': { type: 'boolean', help: 'retry failed and cancelled cells' },
  },
};
import { startConductor } from '../start-conductor.js';
import { parseStages, runCommand } from './run.js';
import { firstRunHint } from '../first-run-hint.js';
import { getCell } from '../../store/cell-repo.js';
import { resetCell } from './reset.js';
import { throttled } from '../analysis-cache.js';
import type { AnalysisModel } from '../../core/analysis/run-analysis.js';
import type { DiversityCache } from '../../store/metric-summary-repo.js';

function isInteractive(io: Io): boolean {
  return Boolean(process.stdout.isTTY && process.stdin.isTTY && !io.env.CI);
}

/**
 * `agora` / `agora run`: the live dashboard, which is also the sweep's conductor (or a
 * read-only viewer when another process conducts). Without a TTY, or under CI, it prints
 * lines instead, from the same snapshots.
 */
export async function dashboardCommand(argv: readonly string[], io: Io): Promise<number> {
  const filtered = argv.filter((a) => a !== 'dashboard' && a !== 'run');
  if (!isInteractive(io)) return runCommand(['--no-tui', '--watch', ...filtered], io);
  const args = parseArgs(filtered, DASHBOARD_SPEC);
  const stages = parseStages(flagString(args, 'stages'));
  warnIfInkUnpatched(io.stderr); // one line, before Ink takes the screen
  // Keys typed during the seconds start-up takes are kept for the dashboard (ui/early-keys.ts).
  const early = holdEarlyKeys(process.stdin, () => process.kill(process.pid, 'SIGINT'));
  let onLostLock = () => {};
  const session = await startConductor(io, {
    configArg: flagString(args, 'config'),
    stages,
    retryFailed: args.flags.has('retry-failed'),
    onLostLock: () => onLostLock(),
  }).catch((e: unknown) => {
    early.abandon();
    throw e;
  });
  const readOnly = !session.conductor;
  const source = new PollingSnapshotSource(new SnapshotQuery(session.db), { runDir: session.run.runDir, readOnly });
  source.start();
  const conductor = session.conductor;
  const ticker = conductor ? setInterval(() => void conductor.tick().then(() => source.refresh()), 500) : undefined;
  // Taken over by another agora (this one had stalled): stop conducting, go on watching.
  onLostLock = () => {
    if (ticker) clearInterval(ticker);
    source.setReadOnly();
  };
  let quit: () => void = () => {};
  const quitting = new Promise<void>((r) => (quit = r));
  const after = (f: () => unknown) => () => {
    void Promise.resolve(f()).then(() => source.refresh());
  };
  const diversity: DiversityCache = new Map();
  let readAnalyses: Promise<() => AnalysisModel> | undefined;
  const actions: DashboardActions = {
    retry: (id) => conductor && after(() => conductor.retry(id))(),
    retryAllFailed: () => conductor && after(() => conductor.retryAllFailed())(),
    cancel: (id) => conductor && after(() => conductor.cancel(id))(),
    reset: (id, stage) => conductor && !conductor.steppedDown && after(() => resetCell(session.db, session.run.runDir, getCell(session.db, id), stage))(),
    togglePause: () => conductor && after(() => conductor.setPaused(!conductor.paused))(),
    quit: () => quit(),
    loadDetail: (id) => loadCellDetail(session.db, session.run.runDir, id, { lossCurve: readLossCurve }),
    // Only while the analyses view is open, at most every 5 s (cli/analysis-cache.ts), reading
    // again only the embeddings of cells whose rows changed (the diversity cache). The linear
    // algebra (ml-pca, ml-matrix, jstat: a few hundred ms to load) comes with the first ask.
    loadAnalyses: () => {
      readAnalyses ??= import('./report.js').then((m) => throttled(() => m.readAnalysis(session.db, session.run.config, diversity), 5000));
      return readAnalyses.then((read) => read());
    },
  };
  const hint = firstRunHint(session.run.config, io.env, readOnly ? session.holderPid : undefined);
  early.release();
  const app = render(<Dashboard source={source} actions={actions} noColor={Boolean(io.env.NO_COLOR)} {...(hint ? { hint } : {})} />, {
    exitOnCtrlC: false,
    patchConsole: true,
    // About 10 frames a second is smooth to watch and keeps the dashboard light.
    maxFps: 10,
  });
  await quitting;
  if (ticker) clearInterval(ticker);
  source.stop();
  app.unmount();
  await app.waitUntilExit().catch(() => undefined);
  const running = runningJobs(session.db).length;
  // Waits for the tick in flight (a training job's poll may be between its runner and the
  // store), then closes the store: quitting mid-training exits cleanly.
  await session.close();
  io.stdout.write(
    readOnly
      ? 'closed the viewer; the conductor goes on\n'
      : `detached: ${running} job${running === 1 ? '' : 's'} go on in the background; \`agora\` re-attaches, \`agora stop\` stops them\n`,
  );
  return 0;
}
