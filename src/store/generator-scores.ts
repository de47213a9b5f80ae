import { resolveEvaluateConfig } from '../config/evaluate-schema.js';
import type { GeneratorConfig, SweepConfig } from '../config/schema.js';
import type { StudentSource } from '../core/evaluate/student-source.js';
import { DOMAIN_BENCHMARKS, parseSetting, type BenchmarkId, type Domain } from '../core/setting.js';
import { benchmarkScores, generatorSubject, type Subject } from './eval-repo.js';
import type { Db } from './open-store.js';
import { isFresh } from './score-repo.js';

// The generators' own problem-solving scores (the paper's Table 7): each configured generator
// answers the benchmarks of the sweep's domains through its own API, in the students' harness,
// as the subject `generator:<id>`. This file says which are still to be evaluated and what the
// report reads: the evaluated scores where there are some, else the config's typed numbers.

/** The generators whose own scores this config asks to evaluate (`evaluate.generatorScores`). */
export function scoredGenerators(config: SweepConfig): GeneratorConfig[] {
  const which = resolveEvaluateConfig(config).generatorScores;
  if (which === false) return [];
  return which === true ? [...config.generators] : config.generators.filter((g) => which.includes(g.id));
}

export function generatorSource(g: GeneratorConfig): StudentSource {
  return { kind: 'api', generator: g };
}

export interface GeneratorNeed {
  readonly subject: Subject;
  readonly generator: GeneratorConfig;
  readonly source: StudentSource;
  readonly benchmarks: readonly BenchmarkId[];
}

/** The configured generators that lack a current score on the domain's benchmarks (by this model, over these items). */
export function generatorNeeds(db: Db, config: SweepConfig, domain: Domain): GeneratorNeed[] {
  const evaluate = resolveEvaluateConfig(config);
  return scoredGenerators(config).flatMap((generator) => {
    const subject = generatorSubject(generator.id);
    const source = generatorSource(generator);
    const have = benchmarkScores(db, subject);
    const benchmarks = DOMAIN_BENCHMARKS[domain].filter((b) => !isFresh(have.get(b), b, source, evaluate));
    return benchmarks.length > 0 ? [{ subject, generator, source, benchmarks }] : [];
  });
}

/**
 * A cell of the domain, other than this one, whose score job stopped at a cap while evaluating
 * the generators: it holds that evaluation until the cap is raised and it is retried, so the
 * domain's other cells are scored without starting it again (each would stop at the same cap).
 */
export function generatorScoresStoppedAt(db: Db, domain: Domain, exceptCellId: number): number | undefined {
  return db
    .prepare<[string, number], { id: number }>(
      `SELECT id FROM cells WHERE stage = 'score' AND state = 'budget-exhausted' AND setting LIKE ? AND id <> ? LIMIT 1`,
    )
    .get(`${domain}/%`, exceptCellId)?.id;
}

export interface GeneratorProblemSolving {
  /** Mean over `perBenchmark` (0-100), or the config's number. */
  readonly score: number;
  /** `evaluated`: from its own answers in this run; `config`: `evaluate.problemSolving`'s typed number. */
  readonly source: 'evaluated' | 'config';
  readonly perBenchmark: Partial<Record<BenchmarkId, number>>;
}

/**
 * Each generator's problem-solving score, by generator id: the mean of its current evaluated
 * scores on the benchmarks of the sweep's domains, else `evaluate.problemSolving`'s number;
 * a generator with neither is absent.
 */
export function generatorProblemSolving(db: Db, config: SweepConfig): Map<string, GeneratorProblemSolving> {
  const evaluate = resolveEvaluateConfig(config);
  const benchmarks = [...new Set(config.settings.flatMap((s) => DOMAIN_BENCHMARKS[parseSetting(s).domain]))];
  const out = new Map<string, GeneratorProblemSolving>();
  for (const g of config.generators) {
    const have = benchmarkScores(db, generatorSubject(g.id));
    const source = generatorSource(g);
    const perBenchmark: Partial<Record<BenchmarkId, number>> = {};
    for (const b of benchmarks) {
      const row = have.get(b);
      if (isFresh(row, b, source, evaluate)) perBenchmark[b] = row.score;
    }
    const values = Object.values(perBenchmark);
    const typed = evaluate.problemSolving?.[g.id];
    if (values.length > 0) out.set(g.id, { score: values.reduce((a, v) => a + v, 0) / values.length, source: 'evaluated', perBenchmark });
    else if (typed !== undefined) out.set(g.id, { score: typed, source: 'config', perBenchmark: {} });
  }
  return out;
}
