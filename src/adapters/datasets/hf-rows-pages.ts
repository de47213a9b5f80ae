import { getJson, HfError, type HttpOptions } from './hf-http.js';

/** datasets-server's maximum page length. */
const PAGE = 100;

export interface RowsPageRef {
  readonly dataset: string;
  /** Looked up with /splits when absent. */
  readonly config?: string;
  readonly split: string;
}

interface RowsPage {
  rows: { row_idx: number; row: unknown; truncated_cells?: string[] }[];
  num_rows_total?: number;
}

export type PagesProgress = { readonly offset: number; readonly total: number | undefined };

/**
 * The fallback for a dataset the Hub has no parquet of: datasets-server's /rows, 100 rows a
 * request, each page handed to `visit` until it answers false. A row served with truncated
 * cells is asked again on its own (one row alone usually comes whole), else left out.
 */
export async function readRowsPages(
  http: HttpOptions,
  ref: RowsPageRef,
  visit: (rows: unknown[]) => boolean,
  onProgress?: (p: PagesProgress) => void,
): Promise<{ skippedTruncated: number }> {
  const config = ref.config ?? (await findConfig(http, ref));
  let skippedTruncated = 0;
  let total: number | undefined;
  for (let offset = 0; total === undefined || offset < total;) {
    const page = await getRows(http, ref.dataset, config, ref.split, offset, PAGE);
    total = page.num_rows_total ?? (page.rows.length < PAGE ? offset + page.rows.length : undefined);
    if (page.rows.length === 0) break;
    const rows: unknown[] = [];
    for (const r of page.rows) {
      if (!r.truncated_cells?.length) {
        rows.push(r.row);
        continue;
      }
      const whole = (await getRows(http, ref.dataset, config, ref.split, r.row_idx, 1)).rows[0];
      if (!whole || whole.truncated_cells?.length) skippedTruncated++;
      else rows.push(whole.row);
    }
    offset += page.rows.length;
    onProgress?.({ offset, total });
    if (!visit(rows)) break;
  }
  return { skippedTruncated };
}

async function getRows(http: HttpOptions, dataset: string, config: string, split: string, offset: number, length: number): Promise<RowsPage> {
  const query = new URLSearchParams({ dataset, config, split, offset: String(offset), length: String(length) });
  const body = await getJson(http, `${http.endpoint}/rows?${query}`, 'datasets-server');
  const rows = (body as { rows?: unknown }).rows;
  if (!Array.isArray(rows) || rows.some((r) => typeof r !== 'object' || r === null || !('row' in r))) {
    throw new HfError('format', `datasets-server: /rows for ${dataset} (${config}/${split}) at offset ${offset} returned no "rows" list`);
  }
  const total = (body as { num_rows_total?: unknown }).num_rows_total;
  return { rows: rows as RowsPage['rows'], num_rows_total: typeof total === 'number' ? total : undefined };
}

async function findConfig(http: HttpOptions, ref: RowsPageRef): Promise<string> {
  const body = await getJson(http, `${http.endpoint}/splits?${new URLSearchParams({ dataset: ref.dataset })}`, 'datasets-server');
  const splits = ((body as { splits?: unknown }).splits ?? []) as { config?: string; split?: string }[];
  const configs = [...new Set(splits.filter((s) => s.split === ref.split).map((s) => s.config ?? ''))].filter(Boolean);
  if (configs.length === 1) return configs[0] as string;
  if (configs.includes('default')) return 'default';
  throw new HfError(
    'format',
    configs.length === 0
      ? `datasets-server: ${ref.dataset} has no split "${ref.split}"`
      : `datasets-server: ${ref.dataset} has several configs with split "${ref.split}" (${configs.join(', ')}); name one`,
  );
}
