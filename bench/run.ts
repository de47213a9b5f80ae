// `npm run bench`: every figure is measured here, side by side in one run, as ratios where it
// compares (the machine is shared and noisy). `npm run bench -- --quick` for a short pass;
// `--only NAME` for one group (startup, generation, dashboard, dashboard-cpu, ui, grading).
import { benchDashboardPoll } from './dashboard-poll-bench.js';
import { benchGeneration } from './generation-bench.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;

type Bench = () => Promise<Record<string, number | string>>;
const groups: Record<string, Bench> = {
  startup: async () => (await import('./startup-bench.js')).benchStartup({ quick }),
  generation: () => benchGeneration({ quick }),
  dashboard: () => benchDashboardPoll({ quick }),
  'dashboard-cpu': async () => (await import('./dashboard-cpu-bench.js')).benchDashboardCpu({ seconds: quick ? 8 : 20 }),
  ui: async () => (await import('./ui-frame.js')).benchUiFrame({ frames: quick ? 100 : 500 }),
  grading: async () => (await import('./grade-bench.js')).benchGrading(),
};

console.log(`agora bench${quick ? ' (quick)' : ''} on ${process.platform} ${process.arch}, node ${process.version}, ${new Date().toISOString()}`);
let failed = false;
for (const [name, run] of Object.entries(groups)) {
  if (only && only !== name) continue;
  try {
    const figures = await run();
    console.log(`\n## ${name}`);
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`);
  } catch (e) {
    failed = true;
    console.log(`\n## ${name}: failed: ${(e as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
