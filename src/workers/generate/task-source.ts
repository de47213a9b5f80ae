import type { Domain, Method } from '../../core/setting.js';
import { deriveSeed, mulberry32, shuffle } from '../../core/prompts/rng.js';
import type { PromptTemplates, RenderedPrompt, SeedItem, MetaPromptVariant } from '../../core/prompts/types.js';
import { pickDemos, pickTopic, renderInstancePrompt, renderQualityPrompt, renderResponsePrompt } from '../../core/prompts/render.js';

/** One request to make: its prompt, and for response/quality the seed item it is for. */
export interface WorkItem {
  readonly seedIndex: number | null;
  readonly prompt: RenderedPrompt;
  /** What the parser compares the reply with: the given instruction, or the demos shown. */
  readonly source: { readonly instruction?: string; readonly response?: string; readonly demos?: readonly SeedItem[] };
}

export interface TaskSource {
  /** The next request, or undefined when none is due now. */
  next(): WorkItem | undefined;
  /** A response/quality item whose answer was rejected: retried until its attempts run out. */
  rejected(item: WorkItem): void;
  /** Items given up on (all attempts rejected), for the failure message. */
  readonly givenUp: number;
  /** True when no further item can ever come (response/quality: the seed set is used up). */
  exhausted(): boolean;
  /** Hands back an item that could not be sent (no budget room yet); it comes next again. */
  unnext?(item: WorkItem): void;
}

export interface SourceContext {
  readonly domain: Domain;
  readonly method: Method;
  readonly variant: MetaPromptVariant;
  readonly seeds: readonly SeedItem[];
  readonly templates: PromptTemplates;
  readonly seed: number;
  readonly maxTokens: number;
}

/**
 * Instance generation: every request is a fresh prompt with 3 demos (2 seeds and, once there
 * are any, 1 already-accepted instance) and a random topic, as in the reference implementation.
 */
export function instanceSource(ctx: SourceContext, recentAccepted: () => readonly SeedItem[], startCounter: number): TaskSource {
  let counter = startCounter;
  return {
    next() {
      const rng = mulberry32(deriveSeed(ctx.seed, counter++));
      const demos = pickDemos(ctx.seeds, recentAccepted(), rng);
      const topic = pickTopic(ctx.domain, rng);
      return { seedIndex: null, prompt: renderInstancePrompt({ domain: ctx.domain, variant: ctx.variant, demos, topic }, ctx.templates), source: { demos } };
    },
    rejected() {},
    givenUp: 0,
    exhausted: () => false,
  };
}

/**
 * Response generation and quality enhancement: one instance per seed item, in a seeded
 * shuffled order so a cell capped below the seed set's size takes a random subset. An item
 * whose answers are all rejected is given up and the next unused item takes its place.
 */
export function seededSource(
  ctx: SourceContext,
  done: ReadonlySet<number>,
  priorAttempts: ReadonlyMap<number, number>,
  attemptsPerItem: number,
): TaskSource {
  const order = shuffle(mulberry32(deriveSeed(ctx.seed, 'order')), ctx.seeds.map((_, i) => i)).filter(
    (i) => !done.has(i) && (priorAttempts.get(i) ?? 0) < attemptsPerItem,
  );
  const attempts = new Map(priorAttempts);
  const retry: number[] = [];
  let pos = 0;
  let givenUp = 0;
  const render = (i: number): WorkItem => {
    const item = ctx.seeds[i]!;
    const prompt =
      ctx.method === 'response'
        ? renderResponsePrompt({ domain: ctx.domain, variant: ctx.variant, instruction: item.instruction }, ctx.templates)
        : renderQualityPrompt({ domain: ctx.domain, variant: ctx.variant, item }, ctx.templates);
    return { seedIndex: i, prompt, source: item };
  };
  return {
    next() {
      const i = retry.shift() ?? order[pos++];
      return i === undefined ? undefined : render(i);
    },
    rejected(item) {
      if (item.seedIndex === null) return;
      const n = (attempts.get(item.seedIndex) ?? 0) + 1;
      attempts.set(item.seedIndex, n);
      if (n < attemptsPerItem) retry.push(item.seedIndex);
      else givenUp++;
    },
    get givenUp() {
      return givenUp;
    },
    exhausted: () => retry.length === 0 && pos >= order.length,
    unnext(item) {
      if (item.seedIndex !== null) retry.unshift(item.seedIndex);
    },
  };
}

/**
 * The accepted pool that instance generation draws its third demo from, re-read every `every`
 * prompts rather than for each one: a slightly stale pool changes nothing about the demos'
 * distribution and saves a query per request.
 */
export function throttledRecent(read: () => readonly SeedItem[], every = 32): () => readonly SeedItem[] {
  let cache: readonly SeedItem[] = [];
  let calls = 0;
  return () => {
    if (calls++ % every === 0 || cache.length === 0) cache = read();
    return cache;
  };
}
