import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerHub, commitFor, type FakeHubState, type FakeLayout, type FakeSplit } from './fake-hub.js';

export interface FakeDatasetsServer {
  readonly url: string;
  /** Every request path with query, in order. */
  readonly requests: string[];
  readonly authHeaders: (string | undefined)[];
  /** The next `count` requests answer `status` (with Retry-After when given). */
  failNext(status: number, count?: number, retryAfterSeconds?: number): void;
  /** The next `count` file downloads drop the connection half way. */
  truncateNext(count?: number): void;
  /** A new commit on main with the dataset's rows as the callback gives them now; its sha. */
  commit(dataset: string): string;
  /** The dataset's main commit and its parquet conversion's commit. */
  shas(dataset: string): { readonly main: string; readonly conversion: string };
  close(): Promise<void>;
}

/**
 * A local stand-in for https://datasets-server.huggingface.co speaking its /splits and /rows
 * JSON: pages of at most 100 rows with num_rows_total, 404 {"error"} for unknown datasets,
 * 422 for a page too long, and rows listed in `truncatedRows` served with truncated_cells
 * when fetched as part of a larger page (whole when fetched alone). The same server is the
 * Hub (see fake-hub.ts): revisions, file listings and parquet downloads of the same rows,
 * laid out as `layout` says (default: datasets-server's conversion only).
 */
export async function startFakeDatasetsServer(
  datasets: (dataset: string) => readonly FakeSplit[] | undefined,
  opts: { readonly truncatedRows?: readonly number[]; readonly layout?: (dataset: string) => FakeLayout } = {},
): Promise<FakeDatasetsServer> {
  const hub: FakeHubState = { commits: new Map(), truncate: 0 };
  const lookup = (d: string) => {
    const splits = datasets(d);
    return splits && { splits, layout: opts.layout?.(d) ?? 'conversion' };
  };
  const requests: string[] = [];
  const authHeaders: (string | undefined)[] = [];
  const failures: { status: number; retryAfter?: number }[] = [];
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '');
    authHeaders.push(req.headers['authorization']);
    const failure = failures.shift();
    if (failure)
      return send(
        res,
        failure.status,
        { error: `injected ${failure.status}` },
        failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {},
      );
    if (answerHub(req, res, hub, lookup, send)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    const dataset = url.searchParams.get('dataset') ?? '';
    const splits = datasets(dataset);
    if (!splits)
      return send(res, 404, {
        error:
          'The dataset does not exist, or is not accessible without authentication (private or gated). Please check the spelling of the dataset name or retry with authentication.',
      });
    if (url.pathname === '/splits')
      return send(res, 200, { splits: splits.map((s) => ({ dataset, config: s.config, split: s.split })), pending: [], failed: [] });
    if (url.pathname !== '/rows') return send(res, 404, { error: 'Not found' });
    const split = splits.find((s) => s.config === url.searchParams.get('config') && s.split === url.searchParams.get('split'));
    if (!split) return send(res, 404, { error: 'The config or the split does not exist in the dataset' });
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const length = Number(url.searchParams.get('length') ?? 100);
    if (length > 100) return send(res, 422, { error: 'Parameter length must be less than or equal to 100' });
    const rows = split.rows.slice(offset, offset + length).map((row, i) => {
      const idx = offset + i;
      const cut = length > 1 && opts.truncatedRows?.includes(idx);
      return { row_idx: idx, row: cut ? { ...(row as object), text: 'cut…' } : row, truncated_cells: cut ? ['text'] : [] };
    });
    send(res, 200, { features: [], rows, num_rows_total: split.rows.length, num_rows_per_page: 100, partial: false });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    authHeaders,
    failNext(status, count = 1, retryAfter) {
      for (let i = 0; i < count; i++) failures.push({ status, retryAfter });
    },
    truncateNext(count = 1) {
      hub.truncate += count;
    },
    commit(dataset) {
      return commitFor(hub, dataset, datasets(dataset) ?? []).sha;
    },
    shas(dataset) {
      const c = hub.commits.get(dataset)?.at(-1) ?? commitFor(hub, dataset, datasets(dataset) ?? []);
      return { main: c.sha, conversion: c.convertSha };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
