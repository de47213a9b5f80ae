/** Money, counts, durations and clock times, formatted the same way in every view. */

/**
 * A formatter built on first use: the first Intl.NumberFormat in a process loads ICU data
 * (about 30 ms measured at start-up), which a worker that logs no money should not pay before
 * its first request.
 */
function lazyFormat(options: Intl.NumberFormatOptions): (n: number) => string {
  let formatter: Intl.NumberFormat | undefined;
  return (n) => (formatter ??= new Intl.NumberFormat('en-US', options)).format(n);
}

const usdGrouped = lazyFormat({ minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Full precision for tables: `$1,234.56`; sub-cent amounts keep four decimals so cheap models do not read as free. */
export function formatUsd(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  if (abs > 0 && abs < 0.01) return `${sign}$${abs.toFixed(4)}`;
  return `${sign}$${usdGrouped(abs)}`;
}

/** At most `maxLen` characters (>= 5), for matrix cells: `$1.23`, `$12.3`, `$123`, `$1.2k`, `$12k`. */
export function formatUsdShort(usd: number, maxLen = 6): string {
  const abs = Math.abs(usd);
  const sign = usd < 0 ? '-' : '';
  // A sub-cent cost is still a cost: "$0.00" would read as nothing charged.
  if (abs > 0 && abs < 0.005) {
    const s = `${sign}$${abs.toPrecision(2).replace(/^0/, '')}`;
    return s.length <= maxLen ? s : `${sign}<$.01`;
  }
  const candidates =
    abs < 1000
      ? [abs.toFixed(2), abs.toFixed(1), abs.toFixed(0)]
      : abs < 1_000_000
        ? [`${(abs / 1000).toFixed(1)}k`, `${(abs / 1000).toFixed(0)}k`]
        : [`${(abs / 1_000_000).toFixed(1)}M`, `${(abs / 1_000_000).toFixed(0)}M`];
  for (const c of candidates) {
    const s = `${sign}$${c}`;
    if (s.length <= maxLen) return s;
  }
  return `${sign}$${candidates[candidates.length - 1] ?? '0'}`;
}

/** `950`, `1.2k`, `10k`, `1.5M`. */
export function formatCount(n: number): string {
  const scaled = (v: number, suffix: string) => `${Math.abs(v) < 10 ? Math.round(v * 10) / 10 : Math.round(v)}${suffix}`;
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  if (abs < 1_000_000) return scaled(n / 1000, 'k');
  return scaled(n / 1_000_000, 'M');
}

const countGrouped = lazyFormat({ maximumFractionDigits: 0 });

export function formatInt(n: number): string {
  return countGrouped(n);
}

/** `1 cell`, `3 cells`, `1,000 instances`: a count with its noun in the right number. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${formatInt(n)} ${n === 1 ? noun : nouns}`;
}

/** `45s`, `3m 05s`, `2h 03m`, `3d 04h`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/** Local wall-clock time `HH:MM:SS` of an epoch-milliseconds timestamp. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatPgr(value: number, decimals = 1): string {
  const s = value.toFixed(decimals);
  // -0.0 reads as a regression that did not happen.
  return s === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : s;
}

export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '?%';
  return `${Math.floor(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}

/** Pads or cuts `s` to exactly `width` characters (cut text ends with an ellipsis). */
export function fit(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const chars = [...s];
  if (chars.length > width) return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
  const pad = ' '.repeat(width - chars.length);
  return align === 'left' ? s + pad : pad + s;
}

/**
 * Lines of at most `width` characters, broken between words (a word longer than a line is
 * cut across lines): for messages that must be read whole, such as how to set an API key.
 */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(/ +/)) {
      while ([...word].length > w) {
        if (line) out.push(line);
        line = '';
        out.push([...word].slice(0, w).join(''));
        word = [...word].slice(w).join('');
      }
      if (!line) line = word;
      else if ([...line].length + 1 + [...word].length <= w) line += ` ${word}`;
      else {
        out.push(line);
        line = word;
      }
    }
    out.push(line);
  }
  return out;
}

/** A price per 1M tokens: cents, or more digits when cents would round it ($0.055, not $0.06). */
export function formatPrice(usdPerMillion: number): string {
  const cents = usdPerMillion.toFixed(2);
  return Number(cents) === usdPerMillion ? cents : String(Number(usdPerMillion.toFixed(4)));
}
