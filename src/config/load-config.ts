import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { sweepConfigSchema, type SweepConfig } from './schema.js';

/** A config problem: the file, the field's path, and where it is when the file says so. */
export interface ConfigProblem {
  readonly file: string;
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line ? `${p.file}:${p.line}${p.column ? `:${p.column}` : ''}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** `generators[1].price.output`, the way a person reads a path. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${String(s)}` : String(s);
  }
  return out;
}

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

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const article = /^[aeiou]/.test(issue.expected) ? 'an' : 'a';
    return `expected ${article} ${issue.expected}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
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
        return { file, path: '', line: pos?.line, column: pos?.col, message: `${isJson ? 'JSON' : 'YAML'} syntax: ${e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}` };
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
