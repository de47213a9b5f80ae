import fs from 'node:fs';
import path from 'node:path';
import { agoraResponder, promptText } from './agora-responder.js';
import { startFakeLlmServer, type FakeLlmServer } from './fake-llm-server.js';
import type { FakeLlmRequest } from './fake-llm-server-types.js';
import { REPO_ROOT, tempDir } from './temp-run.js';

/**
 * A stand-in sweep for the metrics stage: three generators at the fake server, whose chat route
 * answers generation prompts as a cooperative generator and the metrics' judge prompts with the
 * scores below, and whose metric routes (fake-llm-server-metrics.ts) give logprobs, embeddings
 * and rewards by their documented formulas, recomputed here.
 */

const between = (text: string, start: string, end: string) => {
  const i = text.indexOf(start);
  const j = text.indexOf(end, i + start.length);
  return i < 0 || j < 0 ? undefined : text.slice(i + start.length, j);
};
const words = (t: string) => (t.match(/\S+/g) ?? []).length;
const codeSum = (t: string) => [...t].reduce((n, c) => n + c.charCodeAt(0), 0);

/** The LLM judge (model judge-model) and the open judge (open-model); undefined: no score given. */
export function judgeScore(model: string, kind: 'difficulty' | 'quality', instruction: string, response: string): number | undefined {
  const text = kind === 'difficulty' ? instruction : response;
  // Some verdicts come without a score line: the stage stores them as failures, never as a number.
  if (model === 'judge-model' && codeSum(text) % 3 === 0) return undefined;
  return model === 'judge-model' ? (codeSum(text) % 5) + 1 : (words(text) % 5) + 1;
}

/** The metrics judges' answers (judge-model, open-model) by judgeScore; undefined for any other prompt. */
export function judgeReply(req: FakeLlmRequest): string | undefined {
  const prompt = promptText(req);
  const kind = prompt.includes('Rate the difficulty') ? 'difficulty' : prompt.includes('Rate the quality') ? 'quality' : undefined;
  if (!kind) return undefined;
  const instruction = between(prompt, '### Instruction\n', '\n### End of instruction') ?? '';
  const response = between(prompt, '### Response\n', '\n### End of response') ?? '';
  const score = judgeScore(req.model, kind, instruction, response);
  return score === undefined ? 'I cannot decide on this one.' : `Reasoning in brief.\n[SCORE] ${score}`;
}

/** exp(-mean logprob) over the prompt's tokens after the first, as the stand-in gives them. */
export function expectedPerplexity(text: string): number | undefined {
  const tokens = [...text.matchAll(/\s*\S+/g)].map((m) => m[0]);
  const lps = tokens.slice(1).map((t) => -((t.trim().length % 4) + 1) / 4);
  return lps.length === 0 ? undefined : Math.exp(-lps.reduce((a, b) => a + b, 0) / lps.length);
}

export function expectedEmbedding(text: string): number[] {
  const v: number[] = new Array<number>(8).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let sum = 0;
    for (let i = 0; i < word.length; i++) sum += word.charCodeAt(i);
    v[sum % 8]! += 1;
  }
  const norm = Math.hypot(...v);
  return norm === 0 ? [1, 0, 0, 0, 0, 0, 0, 0] : v.map((x) => x / norm);
}

export const expectedReward = (instruction: string, response: string) => words(response) / 4 - words(instruction) / 8;

/** Tokens the stand-in counts for a text (its usage.prompt_tokens for embeddings). */
export const standInTokens = (text: string) => [...text.matchAll(/\s*\S+/g)].length;

export interface MetricsSweep {
  readonly server: FakeLlmServer;
  readonly dir: string;
  readonly configFile: string;
  readonly dbFile: string;
  /** servedLatencyMs: how long the served perplexity model takes to answer (a kill test needs it busy). */
  writeConfig(opts?: { budgetUsd?: number; maxJobs?: number; concurrency?: number; servedPerplexity?: boolean; servedLatencyMs?: number }): void;
  cleanup(): Promise<void>;
}

export const SAMPLE_SIZE = 4;
export const INSTANCES = 6;

export async function metricsSweep(): Promise<MetricsSweep> {
  const generate = agoraResponder({});
  const server = await startFakeLlmServer({ responder: (req) => judgeReply(req) ?? generate(req) });
  const t = tempDir('agora-metrics-');
  const configFile = path.join(t.dir, 'sweep.yaml');
  const gen = (id: string) =>
    `  - { id: ${id}, provider: openai-compatible, model: fake-model, baseURL: "${server.openaiBaseURL}", price: { input: 0.1, output: 0.1 }, concurrency: 4 }`;
  const writeConfig: MetricsSweep['writeConfig'] = (o = {}) =>
    fs.writeFileSync(
      configFile,
      [
        'name: metrics',
        `instancesPerCell: ${INSTANCES}`,
        `budget: { usd: ${o.budgetUsd ?? 100} }`,
        'generators:',
        gen('gen-a'),
        gen('gen-b'),
        gen('gen-c'),
        'settings: [math/instance]',
        'metrics:',
        `  sampleSize: ${SAMPLE_SIZE}`,
        `  maxJobs: ${o.maxJobs ?? 2}`,
        `  concurrency: ${o.concurrency ?? 4}`,
        '  judge: { generator: gen-a, model: judge-model, price: { input: 1, output: 2 } }',
        `  openJudge: { endpoint: "${server.openaiBaseURL}", model: open-model }`,
        o.servedPerplexity
          ? // Served by agora from a command, as evaluation serves students: a fake server of its own on the port agora picks.
            `  perplexity: { checkpoint: ppl-model, serveCommand: "cd ${REPO_ROOT} && exec node --import tsx test/support/fake-llm-server-main.ts --port {port} --latency-ms ${o.servedLatencyMs ?? 0} # {checkpoint}" }`
          : `  perplexity: { endpoint: "${server.openaiBaseURL}", model: ppl-model }`,
        `  reward: { endpoint: "${server.openaiBaseURL}", model: reward-model }`,
        `  embeddings: { provider: openai-compatible, baseURL: "${server.openaiBaseURL}", model: embed-model, price: { input: 0.5 } }`,
        '',
      ].join('\n'),
    );
  writeConfig();
  return {
    server,
    dir: t.dir,
    configFile,
    dbFile: path.join(t.dir, 'runs/metrics/agora.db'),
    writeConfig,
    cleanup: async () => {
      await server.close();
      t.cleanup();
    },
  };
}
