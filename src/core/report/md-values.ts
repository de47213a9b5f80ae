import type { Method } from '../setting.js';
import type { ReportValue } from './report-model.js';

/** The report's small formatting parts, shared by md, html and the extra tables. */

export const METHOD_SHORT: Readonly<Record<Method, string>> = { instance: 'IG', response: 'RG', quality: 'QE' };

/** Markdown reasons become numbered notes under the table, so the table stays narrow. */
export class Notes {
  private readonly list: string[] = [];
  ref(reason: string): string {
    return `n/a ${this.mark(reason)}`;
  }
  /** `[n]` for the note holding `text`, added once. */
  mark(text: string): string {
    let i = this.list.indexOf(text);
    if (i < 0) i = this.list.push(text) - 1;
    return `[${i + 1}]`;
  }
  render(): string[] {
    return this.list.map((r, i) => `[${i + 1}] ${r}`);
  }
}

export function mdValue(v: ReportValue, notes: Notes, digits = 1): string {
  // A flagged PGR keeps its number, marked `!`, with the reason as a note (issue 9).
  if (v.kind === 'value') return v.flag === undefined ? v.value.toFixed(digits) : `${v.value.toFixed(digits)}! ${notes.mark(`! ${v.flag}`)}`;
  if (v.kind === 'reason') return notes.ref(v.reason);
  return '';
}

export function usd(n: number): string {
  return n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 4 : 2);
}
