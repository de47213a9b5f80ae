import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import { ConfigError, describeIssue, formatPath } from './config-problem.js';
import { sweepConfigSchema, type SweepConfig } from './schema.js';

export { ConfigError, formatProblem } from './config-problem.js';

function nodeAt(doc: YamlNode | null | undefined, segments: readonly PropertyKey[]): YamlNode | undefined {
  let node: YamlNode | null | undefined = doc;
  let last: YamlNode | undefined = node ?? undefined;
  for (const s of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === s);
      node = (pair?.value as YamlNode | null | undefined) ?? (pair?.key as YamlNode | undefined);
    } else if (isSeq(node) && typeof s === 'number') {
      node = node.items[s] as YamlNode | undefined;
    } else break;
    if (node) last = node;
  }
  return last;
}

/** Parses and validates config text. Throws ConfigError listing every problem found. */
export function parseConfigText(text: string, file: string): SweepConfig {
  const lineCounter = new LineCounter();
  const isJson = file.endsWith('.json');
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          file,
          path: '',
          line: pos?.line,
          column: pos?.col,
          message: `${isJson ? 'JSON' : 'YAML'} syntax: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
        };
      }),
    );
  }
  const raw: unknown = doc.toJS();
  const result = sweepConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const node = nodeAt(doc.contents as YamlNode | null, issue.path);
      const offset = node?.range?.[0];
      const pos = offset === undefined ? undefined : lineCounter.linePos(offset);
      return { file, path: formatPath(issue.path), line: pos?.line, column: pos?.col, message: describeIssue(issue) };
    }),
  );
}

export function loadConfigFile(file: string): SweepConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError([{ file, path: '', message: code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}` }]);
  }
  return parseConfigText(text, file);
}

/** Where a sweep's database, exports and logs live. Relative paths are from the config's folder. */
export function resolveRunDir(config: SweepConfig, configFile: string): string {
  const base = path.dirname(path.resolve(configFile));
  return path.resolve(base, config.runDir ?? path.join('runs', config.name));
}
