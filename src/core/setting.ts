export const DOMAINS = ['math', 'code', 'inst'] as const;
export const METHODS = ['instance', 'response', 'quality'] as const;

export type Domain = (typeof DOMAINS)[number];
export type Method = (typeof METHODS)[number];
export type SettingId = `${Domain}/${Method}`;

export interface Setting {
  readonly id: SettingId;
  readonly domain: Domain;
  readonly method: Method;
  /** The meta-prompt variant of an ablation cell (`math/instance@json`); absent for the sweep's main variant. */
  readonly variant?: string;
}

/** The paper's nine settings, ordered by method then domain as in its Table 2. */
export const ALL_SETTINGS: readonly SettingId[] = METHODS.flatMap((m) => DOMAINS.map((d) => `${d}/${m}` as SettingId));

export const BENCHMARK_IDS = ['gsm8k', 'math', 'mbpp', 'humaneval', 'alpaca_eval', 'arena_hard'] as const;
export type BenchmarkId = (typeof BENCHMARK_IDS)[number];

export const BENCHMARK_LABEL: Readonly<Record<BenchmarkId, string>> = {
  gsm8k: 'GSM8K',
  math: 'MATH',
  mbpp: 'MBPP',
  humaneval: 'HumanEval',
  alpaca_eval: 'AlpacaEval 2.0',
  arena_hard: 'Arena-Hard',
};

/** Each domain is evaluated on two benchmarks (DESIGN.md). */
export const DOMAIN_BENCHMARKS: Readonly<Record<Domain, readonly [BenchmarkId, BenchmarkId]>> = {
  math: ['gsm8k', 'math'],
  code: ['mbpp', 'humaneval'],
  inst: ['alpaca_eval', 'arena_hard'],
};

export function isSettingId(s: string): s is SettingId {
  const [d, m, ...rest] = s.split('/');
  return rest.length === 0 && (DOMAINS as readonly string[]).includes(d ?? '') && (METHODS as readonly string[]).includes(m ?? '');
}

/**
 * A cell's setting. A cell of the meta-prompt ablation (metaPrompt given as a list) carries its
 * variant after `@` (`math/instance@json`): the cell is its own row in the store, with its own
 * folder, while everything keyed by domain or method (seeds, benchmarks, PGR) reads the setting
 * before the `@`. The first variant of the list is the main sweep's and has no suffix.
 */
export function parseSetting(id: string): Setting {
  const at = id.indexOf('@');
  const base = (at < 0 ? id : id.slice(0, at)) as SettingId;
  const [domain, method] = base.split('/') as [Domain, Method];
  return { id: base, domain, method, ...(at >= 0 && { variant: id.slice(at + 1) }) };
}

/** The cell setting of `setting` in `variant`, or the plain setting for the main variant. */
export function variantSetting(setting: SettingId, variant: string | undefined): string {
  return variant === undefined ? setting : `${setting}@${variant}`;
}

export const METHOD_LABEL: Readonly<Record<Method, string>> = {
  instance: 'Instance Generation',
  response: 'Response Generation',
  quality: 'Quality Enhancement',
};

export const DOMAIN_LABEL: Readonly<Record<Domain, string>> = {
  math: 'Math',
  code: 'Code',
  inst: 'Inst. Follow',
};
