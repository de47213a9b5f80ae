import { z } from 'zod';
import { ALL_SETTINGS, type SettingId } from '../core/setting.js';
import { META_PROMPT_CHOICES } from '../core/run-config.js';
import type { CellScores, StageProgress } from '../core/snapshot.js';
import type { CellRow } from './cell-repo.js';
import { cellScoresSchema, stageProgressSchema, stopMarkSchema, tryParseStored } from './stored-json.js';

/**
 * The JSON columns the dashboard's poll reads. The poll must not throw (it would take the
 * dashboard down over one row), so a value that does not parse is left out and said: it joins
 * the cell's error, where the matrix and `agora status` show it, rather than passing for
 * "not scored yet".
 */
export interface CellJson {
  readonly progress?: StageProgress;
  readonly scores?: CellScores;
  readonly problems: readonly string[];
}

export function readCellJson(row: CellRow): CellJson {
  const problems: string[] = [];
  const read = <T>(r: { value: T } | { problem: string }): T | undefined => {
    if ('value' in r) return r.value;
    problems.push(r.problem);
    return undefined;
  };
  const progress =
    row.stage !== 'generate' && row.progress_json
      ? read(tryParseStored(stageProgressSchema, row.progress_json, `cells.progress_json of cell ${row.id}`))
      : undefined;
  const scores = row.scores_json ? read(tryParseStored(cellScoresSchema, row.scores_json, `cells.scores_json of cell ${row.id}`)) : undefined;
  return { ...(progress && { progress }), ...(scores && { scores }), problems };
}

/** The cell's own error and what could not be read of it, as one line. */
export function cellErrorLine(row: CellRow, problems: readonly string[]): string | undefined {
  const all = [...(row.error ? [row.error] : []), ...problems];
  return all.length > 0 ? all.join('; ') : undefined;
}

/** run_meta 'stopped', shown as a line; a mark that does not parse still says the run is stopped. */
export function stoppedLine(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const r = tryParseStored(stopMarkSchema, raw, "run_meta 'stopped'");
  if (!('value' in r)) return `stopped (${r.problem})`;
  return `stopped by ${r.value.by} at ${new Date(r.value.at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const price = z.object({ input: z.number().finite(), output: z.number().finite() });
const generator = z.object({ id: z.string(), model: z.string(), price });

/** The parts of the stored config (run_meta config_json) the snapshot reads; the rest is not its business. */
const storedConfigPartSchema = z.object({
  generators: z.array(generator),
  settings: z.array(z.custom<SettingId>((v) => typeof v === 'string' && (ALL_SETTINGS as readonly string[]).includes(v), 'not a setting id')),
  /** One choice, or the ablation's list (the first is the main sweep's); configs stored before lists existed have one. */
  metaPrompt: z.union([z.enum(META_PROMPT_CHOICES), z.array(z.enum(META_PROMPT_CHOICES))]).default('default'),
  fixedBudget: z.object({ usd: z.array(z.number()) }).optional(),
  evaluate: z
    .object({ judge: z.object({ generator: z.union([z.string(), generator]), model: z.string().optional(), price: price.optional() }).optional() })
    .optional(),
  train: z.object({ runner: z.string().optional(), device: z.string().optional(), gpus: z.number().optional(), gpusPerJob: z.number().optional() }).optional(),
});
export type StoredConfigPart = z.output<typeof storedConfigPartSchema>;

// The poll runs about ten times a second and the config rarely changes: parse each text once.
let lastConfig: { text: string; read: { value?: StoredConfigPart; problem?: string } } | undefined;

/** The config part, or the problem with it (shown as the run's notice: the matrix would be empty without it). */
export function readConfigPart(text: string | undefined): { value?: StoredConfigPart; problem?: string } {
  if (!text) return {};
  if (lastConfig?.text !== text) {
    const r = tryParseStored(storedConfigPartSchema, text, 'run_meta config_json');
    lastConfig = { text, read: 'value' in r ? { value: r.value } : { problem: r.problem } };
  }
  return lastConfig.read;
}

/** A cell's scores as `agora report` shows them: what does not parse joins its error instead. */
export function readCellScores(row: CellRow): { scores?: CellScores; error?: string } {
  const { scores, problems } = readCellJson({ ...row, progress_json: null });
  const error = cellErrorLine(row, problems);
  return { ...(scores && { scores }), ...(error && { error }) };
}
