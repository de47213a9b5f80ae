import { judgeBlockedReason } from '../../adapters/llm/judge-target.js';
import { missingKeyReason } from '../../adapters/llm/provider-factory.js';
import type { SweepConfig } from '../../config/schema.js';
import type { Domain } from '../../core/setting.js';
import { generatorNeeds, type GeneratorNeed } from '../../store/generator-scores.js';
import { earlierRunningScoreJobs } from '../../store/job-repo.js';
import type { Db } from '../../store/open-store.js';
import type { SubjectSpec } from './subject-evaluation.js';

/** Why a generator's own evaluation on this domain cannot run now (its key, or the judge for instruction following), or undefined. */
export function generatorNeedBlocked(need: GeneratorNeed, config: SweepConfig, domain: Domain, env: NodeJS.ProcessEnv): string | undefined {
  const key = missingKeyReason(need.generator, env);
  if (key) return `generator ${need.generator.id}: ${key}`;
  return domain === 'inst' ? judgeBlockedReason(config, env) : undefined;
}

/**
 * The generators' own evaluations this score job takes on: those still missing on the domain
 * that can run now, unless an earlier score job of the domain is running (it takes them on, and
 * one evaluation per run is the point). What is skipped is said in the log, never an error: the
 * cell's PGR does not depend on it.
 */
export function generatorSpecs(db: Db, config: SweepConfig, domain: Domain, jobId: number, env: NodeJS.ProcessEnv, log: (l: string) => void): SubjectSpec[] {
  const needs = generatorNeeds(db, config, domain);
  if (needs.length === 0) return [];
  const earlier = earlierRunningScoreJobs(db, jobId).find((r) => r.setting.startsWith(`${domain}/`));
  if (earlier) {
    log(`the generators' own ${domain} scores are left to score job ${earlier.id}`);
    return [];
  }
  return needs.flatMap((need) => {
    const blocked = generatorNeedBlocked(need, config, domain, env);
    if (blocked) {
      log(`not evaluating ${need.subject} on ${need.benchmarks.join(', ')}: ${blocked}`);
      return [];
    }
    log(`evaluating ${need.subject} through its API on ${need.benchmarks.join(', ')}`);
    return [{ subject: need.subject, cellId: null, benchmarks: need.benchmarks, source: need.source, serverLog: '' }];
  });
}
