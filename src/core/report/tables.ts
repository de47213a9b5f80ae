import { DOMAIN_BENCHMARKS, DOMAINS, METHODS, parseSetting, type BenchmarkId, type Domain, type Method, type SettingId } from '../setting.js';
import { pgr } from '../grade/pgr.js';
import { BASELINE_SUBJECTS } from '../run-config.js';
import { BENCHMARK_ORDER } from './labels.js';
import { averageFlag } from './pgr-flags.js';
import { cellStatus, EMPTY, fromScore, type ReportCell, type ReportInput, type ReportValue } from './report-model.js';

export interface Table2Column {
  readonly method: Method;
  /** Undefined for the method's average over its three domains. */
  readonly domain?: Domain;
}

export interface Table2Row {
  readonly generator: string;
  readonly values: readonly ReportValue[];
}

export interface Table2 {
  readonly columns: readonly Table2Column[];
  readonly rows: readonly Table2Row[];
}

export const TABLE2_COLUMNS: readonly Table2Column[] = METHODS.flatMap((method) => [...DOMAINS.map((domain) => ({ method, domain })), { method }]);

/** A cell's PGR for a table: its number, the reason there is none, or where the cell stands. */
export function cellValue(c: ReportCell | undefined): ReportValue {
  if (!c) return { kind: 'empty', status: 'not in this sweep' };
  if (!c.scores) return { kind: 'empty', status: cellStatus(c) };
  return fromScore(c.scores.pgr);
}

/** Mean of the values when every one is a number; else the reason naming what is missing (or empty when nothing is in yet). */
export function averageOf(values: readonly ReportValue[], names: readonly string[]): ReportValue {
  const nums = values.flatMap((v) => (v.kind === 'value' ? [v.value] : []));
  if (values.length > 0 && nums.length === values.length) {
    const value = nums.reduce((a, b) => a + b, 0) / nums.length;
    const flag = averageFlag(
      values.map((v) => (v.kind === 'value' ? v.flag : undefined)),
      names,
    );
    return flag === undefined ? { kind: 'value', value } : { kind: 'value', value, flag };
  }
  if (nums.length === 0 && values.every((v) => v.kind === 'empty')) return EMPTY;
  const missing = names.filter((_, i) => values[i]?.kind !== 'value');
  return { kind: 'reason', reason: `needs all ${values.length}; missing ${missing.join(', ')}` };
}

function cellIndex(cells: readonly ReportCell[]): Map<string, ReportCell> {
  return new Map(cells.map((c) => [`${c.generator}\t${c.setting}`, c]));
}

/** The paper's Table 2: PGR per generator, per method its three domains and their average. */
export function buildTable2(input: ReportInput): Table2 {
  const byKey = cellIndex(input.cells);
  const rows = input.generators.map((g): Table2Row => {
    const values: ReportValue[] = [];
    for (const method of METHODS) {
      const domainValues = DOMAINS.map((d) => cellValue(byKey.get(`${g.id}\t${d}/${method}`)));
      values.push(...domainValues, averageOf(domainValues, [...DOMAINS]));
    }
    return { generator: g.id, values };
  });
  return { columns: TABLE2_COLUMNS, rows };
}

export interface Table3Row {
  readonly generator: string;
  readonly model: string;
  readonly generationCostUsd: number;
  readonly judgeCostUsd: number;
  readonly problemSolving: ReportValue;
  /** Mean PGR over the sweep's settings for this generator. */
  readonly averagePgr: ReportValue;
}

/** The paper's Table 3: per generator, what its data cost, how well it solves problems, and how well its data teaches. */
export function buildTable3(input: ReportInput): Table3Row[] {
  const byKey = cellIndex(input.cells);
  return input.generators.map((g) => {
    const cells = input.cells.filter((c) => c.generator === g.id);
    const values = input.settings.map((s) => cellValue(byKey.get(`${g.id}\t${s}`)));
    return {
      generator: g.id,
      model: g.model,
      generationCostUsd: cells.reduce((a, c) => a + c.generationCostUsd, 0),
      judgeCostUsd: cells.reduce((a, c) => a + c.judgeCostUsd, 0),
      problemSolving:
        g.problemSolving === undefined ? { kind: 'empty', status: 'not given (evaluate.problemSolving)' } : { kind: 'value', value: g.problemSolving },
      averagePgr: averageOf(values, input.settings),
    };
  });
}

export interface BenchmarkRow {
  /** `base`, `reference`, or the cell as `<generator> <setting>`. */
  readonly subject: string;
  readonly generator?: string;
  readonly setting?: SettingId;
  readonly benchmark: BenchmarkId;
  readonly score: ReportValue;
  readonly source?: string;
  readonly n?: number;
  /** For a cell: its PGR on this benchmark. */
  readonly pgr?: ReportValue;
  /** For the reference: the paper's score, a comparison column ("paper S_ref"). */
  readonly paperReference?: number;
  /** For a cell: its PGR had S_ref been the paper's number (comparison only, never the table's PGR). */
  readonly pgrPaperReference?: ReportValue;
}

/** A cell's PGR against the paper's S_ref, from its raw score and the base's (flags are the table PGR's business). */
function pgrAgainstPaper(input: ReportInput, b: BenchmarkId, raw: number | undefined): ReportValue | undefined {
  const ref = input.paperReference[b];
  const base = input.baselines.base[b]?.score;
  if (raw === undefined || ref === undefined || !base || !('value' in base)) return undefined;
  const v = pgr(raw, base.value, ref);
  return 'value' in v ? { kind: 'value', value: v.value } : undefined;
}

/** The per-benchmark scores behind the tables: the baselines', then every cell's with its PGR. */
export function buildBenchmarkRows(input: ReportInput): BenchmarkRow[] {
  const rows: BenchmarkRow[] = [];
  const domains = new Set<Domain>(input.settings.map((s) => parseSetting(s).domain));
  const used = BENCHMARK_ORDER.filter((b) => [...domains].some((d) => DOMAIN_BENCHMARKS[d].includes(b)));
  for (const subject of BASELINE_SUBJECTS) {
    for (const b of used) {
      const s = input.baselines[subject][b];
      const paper = subject === 'reference' ? input.paperReference[b] : undefined;
      rows.push({
        subject,
        benchmark: b,
        score: s ? fromScore(s.score) : EMPTY,
        ...(s?.source && { source: s.source }),
        ...(s?.n !== undefined && { n: s.n }),
        ...(paper !== undefined && { paperReference: paper }),
      });
    }
  }
  for (const c of input.cells) {
    for (const b of DOMAIN_BENCHMARKS[parseSetting(c.setting).domain]) {
      const raw = c.scores?.benchmarks[b];
      const p = c.scores?.pgrByBenchmark[b];
      const vsPaper = pgrAgainstPaper(input, b, raw);
      rows.push({
        subject: `${c.generator} ${c.setting}`,
        generator: c.generator,
        setting: c.setting,
        benchmark: b,
        score: raw !== undefined ? { kind: 'value', value: raw } : { kind: 'empty', status: c.scores ? 'not scored' : cellStatus(c) },
        pgr: p ? fromScore(p) : { kind: 'empty', status: cellStatus(c) },
        ...(vsPaper && { pgrPaperReference: vsPaper }),
      });
    }
  }
  return rows;
}
