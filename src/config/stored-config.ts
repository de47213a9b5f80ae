import { ConfigError, describeIssue, formatPath } from './config-problem.js';
import { sweepConfigSchema, type SweepConfig } from './schema.js';

/**
 * The config a run stored at its start (run_meta.config_json), validated again on the way in:
 * a store written by another version, or edited by hand, fails here naming the field rather
 * than deep inside a worker. `where` names the place for the message.
 */
export function parseStoredConfig(json: string, where: string): SweepConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new ConfigError([{ file: where, path: '', message: `not JSON: ${(e as Error).message}` }]);
  }
  const result = sweepConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => ({ file: where, path: formatPath(issue.path), message: describeIssue(issue) })));
}
