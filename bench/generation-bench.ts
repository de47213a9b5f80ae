import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { createProvider } from '../src/adapters/llm/provider-factory.js';
import { loadPromptTemplates } from '../src/adapters/datasets/prompt-files.js';
import { resolveSeeds } from '../src/adapters/datasets/seed-resolver.js';
import { sweepConfigSchema, type SweepConfig } from '../src/config/schema.js';
import { instructionKey } from '../src/core/parse/index.js';
import { BudgetLedger } from '../src/store/budget-ledger.js';
import { findCell } from '../src/store/cell-repo.js';
import { InstanceRepo } from '../src/store/instance-repo.js';
import { createJob } from '../src/store/job-repo.js';
import { openStore } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import { runGenerationLoop } from '../src/workers/generate/generation-loop.js';
import { instanceSource } from '../src/workers/generate/task-source.js';
import { spawnFakeLlmServer } from '../test/support/fake-llm-server-process.js';
import { runAgora } from '../test/support/run-cli.js';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const RESPONDER = path.join(REPO, 'bench/bench-responder.ts');

function benchConfig(baseURL: string, n: number, concurrency: number): SweepConfig {
  return sweepConfigSchema.parse({
    name: 'bench',
    instancesPerCell: n,
    budget: { usd: 1e6 },
    generators: [{ id: 'bench', provider: 'openai-compatible', model: 'fake-model', baseURL, price: { input: 1, output: 1 }, concurrency }],
    settings: ['math/instance'],
  });
}

/** The full engine in one process: prompts, budget reservations, parsing, SQLite persistence. */
export async function engineRun(baseURL: string, n: number, concurrency: number): Promise<{ seconds: number; requests: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-bench-'));
  try {
    const config = benchConfig(baseURL, n, concurrency);
    const db = openStore(path.join(dir, 'agora.db'));
    syncRunFromConfig(db, config);
    const cell = findCell(db, 'bench', 'math/instance')!;
    const job = createJob(db, cell.id, 'generate', 'bench', concurrency);
    const gen = config.generators[0]!;
    const seeds = await resolveSeeds('math/instance', undefined, { repoRoot: REPO });
    const templates = loadPromptTemplates(path.join(REPO, 'prompts'));
    const instances = new InstanceRepo(db);
    const provider = createProvider(gen, {});
    const t0 = performance.now();
    const out = await runGenerationLoop({
      db,
      ledger: new BudgetLedger(db),
      instances,
      provider,
      generator: gen,
      cellId: cell.id,
      jobId: job.id,
      domain: 'math',
      method: 'instance',
      variant: 'default',
      source: instanceSource(
        { domain: 'math', method: 'instance', variant: 'default', seeds, templates, seed: 1, maxTokens: 512 },
        (rng) => instances.sampleAccepted(cell.id, rng),
        0,
      ),
      maxTokens: 512,
      temperature: 1,
      topP: 0.9,
      forbiddenKeys: new Set(seeds.map((s) => instructionKey(s.instruction))),
      signal: quietSignal(),
      log: () => {},
    });
    const seconds = (performance.now() - t0) / 1000;
    if (out.kind !== 'done') throw new Error(`engine run ended ${out.kind}`);
    const requests = (db.prepare(`SELECT COUNT(*) AS n FROM api_calls`).get() as { n: number }).n;
    db.close();
    return { seconds, requests };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The same requests with nothing around them: the SDK alone at the same concurrency. */
export async function bareRun(baseURL: string, n: number, concurrency: number): Promise<{ seconds: number }> {
  const client = new OpenAI({ baseURL, apiKey: 'EMPTY', maxRetries: 0 });
  // The same size of prompt as the engine sends: a rendered instance-generation prompt.
  const seeds = await resolveSeeds('math/instance', undefined, { repoRoot: REPO });
  const templates = loadPromptTemplates(path.join(REPO, 'prompts'));
  const source = instanceSource({ domain: 'math', method: 'instance', variant: 'default', seeds, templates, seed: 1, maxTokens: 512 }, () => undefined, 0);
  const prompt = source.next()!.prompt.messages[0]!.content;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) {
        const r = await client.chat.completions.create({
          model: 'fake-model',
          messages: [{ role: 'user', content: prompt }],
          max_tokens: 512,
          stop: ['[END]'],
        });
        if (!r.choices[0]?.message.content) throw new Error('empty reply');
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000 };
}

/** One signal shared by every request in flight, as in a worker: dozens of listeners is normal. */
function quietSignal(): AbortSignal {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c.signal;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchGeneration(opts: { quick?: boolean } = {}): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  const n = opts.quick ? 500 : 2000;
  const fast = await spawnFakeLlmServer({ responderModule: RESPONDER });
  try {
    const engine: number[] = [];
    const bare: number[] = [];
    // A warm-up round first (module loading, JIT), not counted; then interleaved rounds, so
    // drift in the shared machine's speed hits both sides alike.
    await engineRun(fast.openaiBaseURL, Math.min(n, 500), 16);
    await bareRun(fast.openaiBaseURL, Math.min(n, 500), 16);
    for (let i = 0; i < 3; i++) {
      const e = await engineRun(fast.openaiBaseURL, n, 16);
      engine.push(n / e.seconds);
      bare.push(n / (await bareRun(fast.openaiBaseURL, n, 16)).seconds);
    }
    out['engine instances/s (c=16, 0 ms)'] = Math.round(median(engine));
    out['bare SDK requests/s (c=16, 0 ms)'] = Math.round(median(bare));
    out['(a) engine / bare SDK'] = Number((median(engine) / median(bare)).toFixed(3));
  } finally {
    await fast.stop();
  }
  const slow = await spawnFakeLlmServer({ responderModule: RESPONDER, latencyMs: 200 });
  try {
    const m = opts.quick ? 640 : 3200;
    const e = await engineRun(slow.openaiBaseURL, m, 64);
    const rate = e.requests / e.seconds;
    out['requests/s at c=64, 200 ms'] = Number(rate.toFixed(1));
    out['(b) fraction of 64/0.2 s'] = Number((rate / 320).toFixed(3));
  } finally {
    await slow.stop();
  }
  out['(c) worker peak RSS, MB'] = await workerPeakRss(opts.quick ? 5000 : 50_000);
  return out;
}

/** A real worker process, started by `agora run`, generating `n` instances; its own maxRSS. */
export async function workerPeakRss(n: number): Promise<number> {
  const server = await spawnFakeLlmServer({ responderModule: RESPONDER });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-bench-rss-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'sweep.yaml'),
      `name: rss\ninstancesPerCell: ${n}\nbudget: { usd: 1000000 }\ngenerators:\n  - { id: bench, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 1, output: 1 }, concurrency: 32 }\nsettings: [math/instance]\n`,
    );
    const r = await runAgora(['run', '--no-tui', '--stages', 'generate', '--config', 'sweep.yaml'], { cwd: dir });
    if (r.code !== 0) throw new Error(`agora run failed: ${r.stderr}`);
    const log = fs.readFileSync(path.join(dir, 'runs/rss/bench/math/instance/generate.log'), 'utf8');
    const m = /peak RSS ([\d.]+) MB/.exec(log);
    if (!m) throw new Error('the worker did not log its peak RSS');
    return Number(m[1]);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
