import path from 'node:path';
import { formatUsd } from '../../core/views/format.js';
import { sumPlans } from '../../core/plan.js';
import { flagString, parseArgs, type Io } from '../args.js';
import { locateRun } from '../open-run.js';
import { planSweep } from '../plan-store.js';

const fmtTokens = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : String(n));

/** `agora plan`: each cell's estimated tokens and cost (low / expected / high) against the budget. */
export async function planCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { booleans: ['json'], values: ['config'] });
  const run = locateRun(io, flagString(args, 'config'));
  const { cells, unavailable, seedNotes } = await planSweep(run.config, path.dirname(run.configFile));
  const total = sumPlans(cells.map((c) => c.plan));
  if (args.flags.has('json')) {
    io.stdout.write(JSON.stringify({ budgetUsd: run.config.budget.usd, total, cells, unavailableSeeds: Object.fromEntries(unavailable), seedNotes: Object.fromEntries(seedNotes) }, null, 2) + '\n');
    return 0;
  }
  const out: string[] = [
    `plan for ${run.config.name}: ${cells.length} cells; no API is called. Tokens are estimated at 4 characters each from the seed sets.`,
    `${'generator'.padEnd(20)} ${'setting'.padEnd(14)} ${'target'.padStart(7)} ${'requests'.padStart(9)} ${'tok in'.padStart(8)} ${'tok out'.padStart(8)} ${'low'.padStart(10)} ${'expected'.padStart(10)} ${'high'.padStart(10)}`,
  ];
  for (const c of cells) {
    const e = c.plan.expected;
    out.push(
      `${c.generator.padEnd(20)} ${c.setting.padEnd(14)} ${String(c.target).padStart(7)} ${String(e.requests).padStart(9)} ${fmtTokens(e.tokensIn).padStart(8)} ${fmtTokens(e.tokensOut).padStart(8)} ${formatUsd(c.plan.low.usd).padStart(10)} ${formatUsd(e.usd).padStart(10)} ${formatUsd(c.plan.high.usd).padStart(10)}`,
    );
  }
  for (const g of run.config.generators) {
    const mine = cells.filter((c) => c.generator === g.id);
    const t = sumPlans(mine.map((c) => c.plan));
    const cap = run.config.budget.perGenerator?.[g.id];
    out.push(`${g.id}: ${formatUsd(t.low)} / ${formatUsd(t.expected)} / ${formatUsd(t.high)}${cap !== undefined ? ` against its cap ${formatUsd(cap)}${t.expected > cap ? ' (expected cost is over the cap)' : ''}` : ''}`);
  }
  out.push(
    `total: ${formatUsd(total.low)} / ${formatUsd(total.expected)} / ${formatUsd(total.high)} against the budget ${formatUsd(run.config.budget.usd)}${total.expected > run.config.budget.usd ? ' (expected cost is over the budget)' : ''}`,
  );
  for (const [setting, why] of unavailable) out.push(`${setting}: planned from the bundled seeds; ${why}`);
  for (const [setting, note] of seedNotes) out.push(`${setting}: ${note}`);
  io.stdout.write(out.join('\n') + '\n');
  return 0;
}
