import { buildDrivers } from '../../engine/drivers.js';
import { runningJobs } from '../../store/job-repo.js';
import { flagString, parseArgs, type Io } from '../args.js';
import { locateRun, openExistingRun } from '../open-run.js';

/** `agora stop`: the explicit way to stop background jobs (quitting the dashboard only detaches). */
export async function stopCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { values: ['config'] });
  const run = locateRun(io, flagString(args, 'config'));
  const db = openExistingRun(run);
  try {
    const drivers = new Map((await buildDrivers(db, run, io.env)).map((d) => [d.stage, d]));
    const jobs = runningJobs(db);
    for (const job of jobs) await drivers.get(job.stage)?.cancel(job);
    io.stdout.write(jobs.length === 0 ? 'no jobs are running\n' : `asked ${jobs.length} job${jobs.length === 1 ? '' : 's'} to stop; their cells will show cancelled\n`);
    return 0;
  } finally {
    db.close();
  }
}
