/** Eighth blocks, so each text row gives a column eight levels of height. */
const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** Averages consecutive values so the curve fits `width` columns. */
export function resample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / width));
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j] ?? 0;
    out.push(sum / (to - from));
  }
  return out;
}

/** One-line sparkline. */
export function sparkline(values: readonly number[], width: number): string {
  return renderLossChart(values, width, 1)[0] ?? '';
}

/**
 * A block-character chart of a loss curve: `height` rows, top row first, each at most
 * `width` columns. Non-finite values (a diverged run logs NaN) are drawn as gaps.
 */
export function renderLossChart(values: readonly number[], width: number, height: number): string[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0 || width <= 0 || height <= 0) return [];
  const points = resample(values, width);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min;
  const levels = height * 8;
  const heights = points.map((v) => {
    if (!Number.isFinite(v)) return 0;
    // A flat curve still shows as a line rather than an empty chart.
    if (span === 0) return Math.max(1, Math.round(levels / 2));
    // The minimum keeps one level so the lowest point stays visible; the maximum fills the chart.
    return 1 + Math.round(((v - min) / span) * (levels - 1));
  });
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    const base = r * 8;
    rows.push(heights.map((h) => BLOCKS[Math.max(0, Math.min(8, h - base))] ?? ' ').join(''));
  }
  return rows;
}
