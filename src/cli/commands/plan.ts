import path from 'node:path';
import { formatUsd } from '../../core/views/format.js';
import { addRanges, ZERO_RANGE, type UsdRange } from '../../core/plan-breakdown.js';
import { apiSpend, generatorSpend } from '../../core/plan-sweep.js';
import { flagString, parseArgs, type Io, CONFIG_OPTION, type CommandSpec } from '../args.js';
import { locateRun } from '../open-run.js';
import { planSweep } from '../plan-store.js';

const PLAN_SPEC: CommandSpec = {
  usage: 'agora plan [--json] [--config FILE]',
  summary: 'Every cost the sweep will incur (generation, judge, GPU hours, baselines), low / expected / high, against the budget and each cap; calls no API.',
  options: { json: { type: 'boolean', help: 'print the plan as JSON' }, config: CONFIG_OPTION },
};

const fmtTokens = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : String(n));
const fmtRange = (r: UsdRange) => `${formatUsd(r.low)} / ${formatUsd(r.expected)} / ${formatUsd(r.high)}`;
const fmtHours = (r: UsdRange) => `${r.low.toFixed(1)} / ${r.expected.toFixed(1)} / ${r.high.toFixed(1)} GPU h`;
const over = (r: UsdRange, cap: number, what: string) =>
  r.expected > cap ? ` (expected cost is over ${what})` : r.high > cap ? ` (the high estimate is over ${what})` : '';

/**
 * `agora plan`: each cell's estimated cost (its generation, judge and each job's GPU hours)
 * and every cost component (low / expected / high) against the budget and the caps.
 */
export async function planCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, PLAN_SPEC);
  const run = locateRun(io, flagString(args, 'config'));
  const plan = await planSweep(run.config, path.dirname(run.configFile));
  const { cells, unavailable, seedNotes, breakdown: b } = plan;
  const budget = run.config.budget;
  if (args.flags.has('json')) {
    const byCell = new Map(b.cells.map((c) => [`${c.generator} ${c.setting}`, c]));
    io.stdout.write(
      JSON.stringify(
        {
          budgetUsd: budget.usd,
          total: b.total,
          breakdown: b,
          apiUsd: apiSpend(b),
          cells: cells.map((c) => ({ ...c, cost: byCell.get(`${c.generator} ${c.setting}`) })),
          unavailableSeeds: Object.fromEntries(unavailable),
          seedNotes: Object.fromEntries(seedNotes),
          ...(plan.judgeMissing && { judgeMissing: plan.judgeMissing }),
          judgedDefaults: plan.judgedDefaults,
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const out: string[] = [
    `plan for ${run.config.name}: ${cells.length} cells; no API is called. Tokens are estimated at 4 characters each from the seed sets and benchmarks; figures are low / expected / high.`,
    `${'generator'.padEnd(20)} ${'setting'.padEnd(14)} ${'target'.padStart(7)} ${'requests'.padStart(9)} ${'tok in'.padStart(8)} ${'tok out'.padStart(8)} ${'low'.padStart(10)} ${'expected'.padStart(10)} ${'high'.padStart(10)} ${'judge'.padStart(10)} ${'train h'.padStart(8)} ${'eval h'.padStart(7)}`,
  ];
  cells.forEach((c, i) => {
    const e = c.plan.expected;
    const cost = b.cells[i];
    out.push(
      `${c.generator.padEnd(20)} ${c.setting.padEnd(14)} ${String(c.target).padStart(7)} ${String(e.requests).padStart(9)} ${fmtTokens(e.tokensIn).padStart(8)} ${fmtTokens(e.tokensOut).padStart(8)} ${formatUsd(c.plan.low.usd).padStart(10)} ${formatUsd(e.usd).padStart(10)} ${formatUsd(c.plan.high.usd).padStart(10)} ${(cost && cost.judge.expected > 0 ? formatUsd(cost.judge.expected) : '—').padStart(10)} ${(cost?.gpuHours?.train.expected ?? 0).toFixed(1).padStart(8)} ${(cost?.gpuHours?.evaluate.expected ?? 0).toFixed(1).padStart(7)}`,
    );
  });
  const batch = run.config.generators.filter((g) => g.batch).map((g) => g.id);
  out.push(`generation: ${fmtRange(b.generation)}${batch.length > 0 ? ` (batch API at half price: ${batch.join(', ')})` : ''}`);
  const judgeCalls = b.cells.reduce((n, c) => n + (c.judgeCalls ?? 0), 0);
  if (b.judgeGenerator !== undefined) {
    const judgedCells = b.cells.filter((c) => (c.judgeCalls ?? 0) > 0).length;
    out.push(
      `judge (${b.judgeGenerator}): ${fmtRange(b.judge)}; ${judgeCalls} calls for ${judgedCells} instruction-following cells (AlpacaEval 2.0 once, Arena-Hard in both orders)`,
    );
  } else if (plan.judgeMissing) {
    out.push(`judge: not planned: ${plan.judgeMissing}`);
  }
  const gh = b.gpuHours;
  const gpuUsd = b.gpuByStage;
  if (gh && gpuUsd) {
    const priced = b.gpuHourUsd !== undefined ? ` at ${formatUsd(b.gpuHourUsd)}/GPU h` : ' (no train.gpuHourUsd: hours only)';
    out.push(`GPU train: ${fmtHours(gh.train)}${b.gpuHourUsd !== undefined ? ` = ${fmtRange(gpuUsd.train)}` : ''}${priced}`);
    out.push(`GPU evaluate: ${fmtHours(gh.evaluate)}${b.gpuHourUsd !== undefined ? ` = ${fmtRange(gpuUsd.evaluate)}` : ''}`);
  }
  if (b.baselineSubjects.length > 0) {
    const parts = b.baselineSubjects.map((s) => `${s.subject}: judge ${formatUsd(s.judge.expected)}, ${(s.gpuHours?.expected ?? 0).toFixed(1)} GPU h`);
    out.push(`baselines: ${fmtRange(b.baselines)} (${parts.join('; ')})`);
  }
  if (b.metrics) {
    const calls = b.cells.reduce((n, c) => n + (c.metricsCalls ?? 0), 0);
    const judged =
      b.metricsJudgeGenerator !== undefined
        ? `; its LLM judge (${b.metricsJudgeGenerator}) ${fmtRange(addRanges(...b.cells.map((c) => c.metricsJudge ?? ZERO_RANGE)))}`
        : '';
    out.push(`intrinsic metrics: ${fmtRange(b.metrics)}; ${calls} paid calls over the cells' samples${judged} (served models' GPU time not planned)`);
  }
  if (b.generatorSubjects && b.generatorScores) {
    const parts = b.generatorSubjects.map(
      (s) =>
        `${s.generator}: ${s.solveCalls} answers ${formatUsd(s.solve.expected)}${s.judgeCalls > 0 ? ` + ${s.judgeCalls} judge calls ${formatUsd(s.judge.expected)}` : ''}`,
    );
    out.push(`generators' own scores: ${fmtRange(b.generatorScores)} (${parts.join('; ')}; high: every answer at max tokens)`);
  }
  for (const g of run.config.generators) {
    const s = generatorSpend(b, g.id);
    const cap = budget.perGenerator?.[g.id];
    const judgePart =
      s.judge.expected > 0 || s.solve.expected > 0
        ? ` (generation ${formatUsd(s.generation.expected)}${s.judge.expected > 0 ? ` + judge ${formatUsd(s.judge.expected)}` : ''}${s.solve.expected > 0 ? ` + own score ${formatUsd(s.solve.expected)}` : ''})`
        : '';
    out.push(`${g.id}: ${fmtRange(s.total)}${judgePart}${cap !== undefined ? ` against its cap ${formatUsd(cap)}${over(s.total, cap, 'the cap')}` : ''}`);
  }
  const api = apiSpend(b);
  out.push(`API calls: ${fmtRange(api)} against the budget ${formatUsd(budget.usd)}${over(api, budget.usd, 'the budget')}`);
  const gpuTotal = b.total.high - api.high;
  out.push(`total: ${fmtRange(b.total)}${gpuTotal > 0 ? ' (API calls and GPU time; the budget caps API calls only)' : ''}`);
  for (const bench of plan.judgedDefaults) out.push(`${bench}: not at hand; judge cost planned from the public file's item lengths`);
  for (const [setting, why] of unavailable) out.push(`${setting}: planned from the bundled seeds; ${why}`);
  for (const [setting, note] of seedNotes) out.push(`${setting}: ${note}`);
  io.stdout.write(out.join('\n') + '\n');
  return 0;
}
