import type { RunSnapshot } from '../snapshot.js';
import type { SettingId } from '../setting.js';
import { projectCosts, type SweepProjection } from './cost-projection.js';
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

export interface BudgetView {
  readonly rows: readonly (readonly string[])[];
  readonly total: readonly string[];
  readonly projection: SweepProjection;
  /** Generators whose projected cost passes their cap. */
  readonly overCap: readonly string[];
  readonly exhausted: readonly { readonly generatorId: string; readonly settings: readonly SettingId[] }[];
  readonly blocked: readonly { readonly generatorId: string; readonly reason: string }[];
  /** Part of spent charged at worst case for cut-off requests; undefined when there is none. */
  readonly orphaned?: string;
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

/** The budget view's numbers: per generator, then the run against its cap. */
export function buildBudgetView(run: RunSnapshot): BudgetView {
  const projection = projectCosts(run);
  const overCap: string[] = [];
  const rows = run.generators.map((g, i) => {
    const p = projection.byGenerator[i];
    const projected = p?.projectedUsd;
    const over = g.capUsd !== undefined && projected !== undefined && projected > g.capUsd;
    if (over) overCap.push(g.id);
    // `~` marks a rate borrowed from other generators by token price, not measured.
    const approx = p?.basis === 'price-scaled' ? '~' : '';
    const gpu = (p?.gpuUsd ?? 0) + (p?.remainingGpuUsd ?? 0);
    return [
      g.id,
      formatUsd(g.spentUsd),
      formatUsd(g.reservedUsd),
      g.capUsd !== undefined ? formatUsd(g.capUsd) : '—',
      projected !== undefined ? `${approx}${formatUsd(projected)}${over ? '!' : ''}` : '?',
      p?.costPerInstance !== undefined ? `${approx}${formatUsd(p.costPerInstance * 1000)}` : '—',
      `${formatPrice(g.price.input)}/${formatPrice(g.price.output)}`,
      gpu > 0 ? formatUsd(p?.gpuUsd ?? 0) : '—',
    ];
  });
  const total = [
    'total',
    formatUsd(run.spentUsd),
    formatUsd(run.reservedUsd),
    formatUsd(run.budgetUsd),
    projection.projectedUsd !== undefined ? `${projection.basis === 'planned' ? 'plan ' : ''}${money(projection.projectedUsd)}` : '?',
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
  return { rows, total, projection, overCap, exhausted, blocked, ...(orphaned ? { orphaned } : {}) };
}
