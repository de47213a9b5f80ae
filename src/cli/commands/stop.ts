import { STAGES } from '../../core/cell-state.js';
import { Conductor } from '../../engine/conductor.js';
import { ConductorLock } from '../../engine/conductor-lock.js';
import { buildDrivers } from '../../engine/drivers.js';
import { getCell, listCells } from '../../store/cell-repo.js';
import { requestCancel, runningJobs, type JobRow } from '../../store/job-repo.js';
import { writeStopMark } from '../../store/run-repo.js';
import { flagString, parseArgs, UsageError, type Io, CONFIG_OPTION, type CommandSpec } from '../args.js';
import { locateRun, openExistingRun } from '../open-run.js';
import { pause } from '../../adapters/pause.js';

const STOP_SPEC: CommandSpec = {
  usage: 'agora stop [--config FILE] [--wait-seconds N]',
  summary: 'Stop the sweep: its background jobs end and nothing new starts until it is started again.',
  options: { config: CONFIG_OPTION, 'wait-seconds': { type: 'string', value: 'N', help: 'how long to wait for the jobs to end (default 30)' } },
};

/**
 * `agora stop`: stops the run. Nothing new starts (a conductor that is open, the dashboard,
 * sees the mark and launches nothing) until the run is started again (`agora`, `agora run`,
 * or `s` in the dashboard); every running job is asked to stop, and its cell ends cancelled.
 * With no conductor open, this command watches the jobs end itself, so that what it reports
 * is what `agora status` then shows.
 */
export async function stopCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, STOP_SPEC);
  const waitSeconds = Number(flagString(args, 'wait-seconds') ?? 30);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
    throw new UsageError(`--wait-seconds: expected a number of seconds, got "${flagString(args, 'wait-seconds')}"`);
  const run = locateRun(io, flagString(args, 'config'));
  const db = openExistingRun(run);
  const lock = new ConductorLock(db);
  const holder = lock.holder();
  // With no conductor open, this process conducts for as long as it takes the jobs to end:
  // it is then the one that notices a job's end (a trainer's exit, a vanished worker).
  const own = !holder && lock.tryAcquire().ok;
  const drivers = await buildDrivers(db, run, io.env);
  const conductor = own ? new Conductor(db, { stages: [...STAGES], drivers }) : undefined;
  const byStage = new Map(drivers.map((d) => [d.stage, d]));
  try {
    writeStopMark(db, 'agora stop');
    // A job being started as the mark was written appears a moment later: each round stops
    // the jobs it has not stopped yet, until no cell is running.
    const jobs: JobRow[] = [];
    const stopNew = async () => {
      for (const job of runningJobs(db)) {
        if (jobs.some((j) => j.id === job.id)) continue;
        jobs.push(job);
        requestCancel(db, job.id);
        await byStage.get(job.stage)?.cancel(job);
      }
    };
    const until = Date.now() + waitSeconds * 1000;
    for (;;) {
      await stopNew();
      if (!listCells(db).some((c) => c.state === 'running') || Date.now() >= until) break;
      await conductor?.tick();
      await pause(250);
    }
    const left = runningJobs(db);
    const states = jobs.map((j) => getCell(db, j.cell_id).state);
    const cancelled = states.filter((s) => s === 'cancelled').length;
    const ended = jobs.length - left.length;
    const lines = [
      jobs.length === 0
        ? 'no jobs were running'
        : `stopped ${ended} of ${jobs.length} job${jobs.length === 1 ? '' : 's'}; ${cancelled} cell${cancelled === 1 ? ' is' : 's are'} cancelled`,
      ...(left.length > 0 ? [`${left.length} job${left.length === 1 ? ' is' : 's are'} still stopping; \`agora status\` shows when they end`] : []),
      `the run is stopped: nothing new starts until you start it again (\`agora\`, \`agora run\`${holder ? `, or \`s\` in the open dashboard (pid ${holder.pid})` : ''})`,
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await conductor?.shutdown();
    if (own) lock.release();
    db.close();
  }
}
