import { DOMAIN_BENCHMARKS, DOMAINS, type BenchmarkId, type Domain } from '../../core/setting.js';

/** The domain a benchmark belongs to (its inference temperature is the domain's). */
export function domainOf(benchmark: BenchmarkId): Domain {
  return DOMAINS.find((d) => DOMAIN_BENCHMARKS[d].includes(benchmark)) ?? 'inst';
}
