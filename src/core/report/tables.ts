import { DOMAIN_BENCHMARKS, DOMAINS, METHODS, parseSetting, type BenchmarkId, type Domain, type Method, type SettingId } from '../setting.js';
import { BENCHMARK_ORDER } from './labels.js';
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

function cellValue(c: ReportCell | undefined): ReportValue {
  if (!c) return { kind: 'empty', status: 'not in this sweep' };
  if (!c.scores) return { kind: 'empty', status: cellStatus(c) };
  return fromScore(c.scores.pgr);
}

/** Mean of the values when every one is a number; else the reason naming what is missing (or empty when nothing is in yet). */
export function averageOf(values: readonly ReportValue[], names: readonly string[]): ReportValue {
  const nums = values.flatMap((v) => (v.kind === 'value' ? [v.value] : []));
  if (values.length > 0 && nums.length === values.length) return { kind: 'value', value: nums.reduce((a, b) => a + b, 0) / nums.length };
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
      problemSolving: g.problemSolving === undefined ? { kind: 'empty', status: 'not given (evaluate.problemSolving)' } : { kind: 'value', value: g.problemSolving },
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
}

/** The per-benchmark scores behind the tables: the baselines', then every cell's with its PGR. */
export function buildBenchmarkRows(input: ReportInput): BenchmarkRow[] {
  const rows: BenchmarkRow[] = [];
  const domains = new Set<Domain>(input.settings.map((s) => parseSetting(s).domain));
  const used = BENCHMARK_ORDER.filter((b) => [...domains].some((d) => DOMAIN_BENCHMARKS[d].includes(b)));
  for (const subject of ['base', 'reference'] as const) {
    for (const b of used) {
      const s = input.baselines[subject][b];
      rows.push({ subject, benchmark: b, score: s ? fromScore(s.score) : EMPTY, ...(s?.source && { source: s.source }), ...(s?.n !== undefined && { n: s.n }) });
    }
  }
  for (const c of input.cells) {
    for (const b of DOMAIN_BENCHMARKS[parseSetting(c.setting).domain]) {
      const raw = c.scores?.benchmarks[b];
      const p = c.scores?.pgrByBenchmark[b];
      rows.push({
        subject: `${c.generator} ${c.setting}`,
        generator: c.generator,
        setting: c.setting,
        benchmark: b,
        score: raw !== undefined ? { kind: 'value', value: raw } : { kind: 'empty', status: c.scores ? 'not scored' : cellStatus(c) },
        pgr: p ? fromScore(p) : { kind: 'empty', status: cellStatus(c) },
      });
    }
  }
  return rows;
}
