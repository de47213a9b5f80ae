import type { RunSnapshot } from '../snapshot.js';
import type { SettingId } from '../setting.js';
import { projectCosts, type SweepProjection } from './cost-projection.js';
import { affordableCells, affordableText } from './affordable-cells.js';
import { capWarnings } from './cap-warnings.js';
import { isJudged } from './evaluation-outlook.js';
import { formatPrice, formatUsd } from './format.js';
import type { TextColumn } from './text-table.js';

export const BUDGET_COLUMNS: readonly TextColumn[] = [
  { header: 'generator', align: 'left' },
  { header: 'spent', align: 'right' },
  { header: 'reserved', align: 'right' },
  { header: 'cap', align: 'right' },
  { header: 'projected', align: 'right' },
  { header: '$/1k inst', align: 'right' },
  { header: '$/1M in/out', align: 'right' },
  { header: 'GPU', align: 'right' },
];

export type BudgetRowKind = 'generator' | 'judge' | 'baselines' | 'other';

export interface BudgetView {
  /** Generators first (in run order), then the judge, the baselines, and what no row explains: their spent and reserved add up to `total`. */
  readonly rows: readonly (readonly string[])[];
  readonly rowKinds: readonly BudgetRowKind[];
  readonly total: readonly string[];
  readonly projection: SweepProjection;
  /** Generators whose projected cost passes their cap. */
  readonly overCap: readonly string[];
  readonly exhausted: readonly { readonly generatorId: string; readonly settings: readonly SettingId[] }[];
  readonly blocked: readonly { readonly generatorId: string; readonly reason: string }[];
  /** Part of spent charged at worst case for cut-off requests; undefined when there is none. */
  readonly orphaned?: string;
  /** What judging each generator's students cost (in the judge's row, not the generator's). */
  readonly evaluationSplit?: string;
  /** Who the judge is, and which cap holds its calls. */
  readonly judgeNote?: string;
  /** Cap warnings (80%, 95%, reached; projected past a cap), most severe first. */
  readonly warnings: readonly string[];
  /** Which cells the money left pays for. */
  readonly affordable?: string;
}

/**
 * `of which $1.75 charged at worst case (...): gpt-4o $1.25, claude $0.50`: spending that is
 * an upper bound, not a measurement; the caps count it all the same.
 */
export function orphanedLine(run: RunSnapshot): string | undefined {
  if (!(run.orphanedUsd > 0)) return undefined;
  const who = run.generators.filter((g) => g.orphanedUsd > 0).map((g) => `${g.id} ${formatUsd(g.orphanedUsd)}`);
  return `of which ${formatUsd(run.orphanedUsd)} charged at worst case (requests cut off by a crash or cancel)${who.length ? `: ${who.join(', ')}` : ''}`;
}

function money(usd: number | undefined): string {
  return usd === undefined ? '?' : formatUsd(usd);
}

/** `judge: claude, model claude-3-5-sonnet · * its cap holds its generation and judging · ...`. */
function judgeLine(run: RunSnapshot): string | undefined {
  const j = run.evaluation?.judge;
  if (!j) return undefined;
  const capped = j.isGenerator && run.generators.find((g) => g.id === j.id)?.capUsd !== undefined;
  const cap = capped ? '* its cap holds its generation and judging' : 'only the run budget caps its judging';
  return `judge: ${j.id}, model ${j.model} · ${cap} · baselines: judging S_0 and S_ref`;
}

/** Below half a nano-dollar a difference is rounding, not money. */
const NOTHING = 5e-10;

/** The judge's, the baselines' and the unexplained rows, when the snapshot splits evaluation from generation. */
function evaluationRows(run: RunSnapshot, p: SweepProjection, genSpent: number, genReserved: number): { rows: string[][]; kinds: BudgetRowKind[] } {
  const ev = run.evaluation;
  if (!ev) return { rows: [], kinds: [] };
  const rows: string[][] = [];
  const kinds: BudgetRowKind[] = [];
  const projected = (o: { spentUsd: number; remainingUsd?: number }) => (o.remainingUsd === undefined ? '?' : formatUsd(o.spentUsd + o.remainingUsd));
  const judge = ev.judge;
  if (judge || p.judge.spentUsd > 0) {
    const cap = judge?.isGenerator ? run.generators.find((g) => g.id === judge.id)?.capUsd : undefined;
    const price = judge ? `${formatPrice(judge.price.input)}/${formatPrice(judge.price.output)}` : '';
    rows.push([
      'judge',
      formatUsd(p.judge.spentUsd),
      formatUsd(ev.reserved.judgeCellsUsd),
      cap !== undefined ? `${formatUsd(cap)}*` : '—',
      projected(p.judge),
      '—',
      price,
      '—',
    ]);
    kinds.push('judge');
  }
  if (run.cells.some(isJudged) || p.baselines.spentUsd > 0) {
    rows.push(['baselines', formatUsd(p.baselines.spentUsd), formatUsd(ev.reserved.baselinesUsd), '—', projected(p.baselines), '—', '', '—']);
    kinds.push('baselines');
  }
  const spentLeft = run.spentUsd - genSpent - p.judge.spentUsd - p.baselines.spentUsd;
  const reservedLeft = run.reservedUsd - genReserved - ev.reserved.judgeCellsUsd - ev.reserved.baselinesUsd;
  if (Math.abs(spentLeft) > NOTHING || Math.abs(reservedLeft) > NOTHING) {
    rows.push(['other', formatUsd(spentLeft), formatUsd(reservedLeft), '—', '', '—', '', '—']);
    kinds.push('other');
  }
  return { rows, kinds };
}

/**
 * The budget view's numbers: a row per generator (its own generation only), the judge's row
 * (judging the students), the baselines' row and the run against its budget; the rows'
 * spent and reserved add up to the total's.
 */
export function buildBudgetView(run: RunSnapshot): BudgetView {
  const projection = projectCosts(run);
  const split = run.evaluation !== undefined;
  const judgeId = run.evaluation?.judge?.isGenerator ? run.evaluation.judge.id : undefined;
  const overCap: string[] = [];
  let genSpent = 0;
  let genReserved = 0;
  const rows = run.generators.map((g, i) => {
    const p = projection.byGenerator[i];
    const over = g.capUsd !== undefined && p?.projectedUsd !== undefined && p.projectedUsd > g.capUsd;
    if (over) overCap.push(g.id);
    const spent = split ? (p?.generationSpentUsd ?? 0) : g.spentUsd;
    const reserved = split ? (run.evaluation?.reserved.generationByGenerator[g.id] ?? 0) : g.reservedUsd;
    genSpent += spent;
    genReserved += reserved;
    const projected = split ? p?.generationProjectedUsd : p?.projectedUsd;
    // `~` marks a rate not measured on this generator: scaled from others by price, or the plan's.
    const approx = p?.basis === 'price-scaled' || p?.basis === 'planned' ? '~' : '';
    const gpu = (p?.gpuUsd ?? 0) + (p?.remainingGpuUsd ?? 0);
    return [
      g.id,
      formatUsd(spent),
      formatUsd(reserved),
      g.capUsd !== undefined ? `${formatUsd(g.capUsd)}${g.id === judgeId ? '*' : ''}` : '—',
      projected !== undefined ? `${approx}${formatUsd(projected)}${over ? '!' : ''}` : '?',
      p?.costPerInstance !== undefined ? `${p.accepted > 0 && p.generationSpentUsd > 0 ? '' : approx}${formatUsd(p.costPerInstance * 1000)}` : '—',
      `${formatPrice(g.price.input)}/${formatPrice(g.price.output)}`,
      gpu > 0 ? formatUsd(p?.gpuUsd ?? 0) : '—',
    ];
  });
  const evaluation = evaluationRows(run, projection, genSpent, genReserved);
  const lowerBound = projection.basis === 'measured' && projection.missing.length > 0 ? '≥' : '';
  const total = [
    'total',
    formatUsd(run.spentUsd),
    formatUsd(run.reservedUsd),
    formatUsd(run.budgetUsd),
    projection.projectedUsd !== undefined ? `${projection.basis === 'planned' ? 'plan ' : lowerBound}${money(projection.projectedUsd)}` : '?',
    projection.costPerInstance !== undefined ? formatUsd(projection.costPerInstance * 1000) : '—',
    '',
    projection.gpuUsd > 0 ? formatUsd(projection.gpuUsd) : '—',
  ];

  const exhaustedBy = new Map<string, SettingId[]>();
  for (const c of run.cells) {
    if (c.state !== 'budget-exhausted') continue;
    const list = exhaustedBy.get(c.generator) ?? [];
    list.push(c.setting);
    exhaustedBy.set(c.generator, list);
  }
  const exhausted = [...exhaustedBy].map(([generatorId, settings]) => ({ generatorId, settings }));
  const blocked = run.generators.flatMap((g) => (g.blockedReason ? [{ generatorId: g.id, reason: g.blockedReason }] : []));
  const orphaned = orphanedLine(run);
  const judged = projection.byGenerator.filter((p) => p.judgeSpentUsd > 0).map((p) => `${p.generatorId} ${formatUsd(p.judgeSpentUsd)}`);
  const evaluationSplit = judged.length ? `judging each generator\u2019s students: ${judged.join(', ')}` : undefined;
  const judgeNote = judgeLine(run);
  const affordable = affordableText(affordableCells(run, projection));
  return {
    rows: [...rows, ...evaluation.rows],
    rowKinds: [...rows.map((): BudgetRowKind => 'generator'), ...evaluation.kinds],
    total,
    projection,
    overCap,
    exhausted,
    blocked,
    ...(orphaned ? { orphaned } : {}),
    ...(evaluationSplit ? { evaluationSplit } : {}),
    ...(judgeNote ? { judgeNote } : {}),
    warnings: capWarnings(run, projection).map((w) => w.text),
    ...(affordable ? { affordable } : {}),
  };
}
