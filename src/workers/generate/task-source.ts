import type { Domain, Method } from '../../core/setting.js';
import { deriveSeed, mulberry32, shuffle, type Rng } from '../../core/prompts/rng.js';
import type { PromptTemplates, RenderedPrompt, SeedItem, MetaPromptVariant } from '../../core/prompts/types.js';
import { pickDemos, pickFirstWord, pickTopic, renderInstancePrompt, renderQualityPrompt, renderResponsePrompt } from '../../core/prompts/render.js';

/** One request to make: its prompt, and for response/quality the seed item it is for. */
export interface WorkItem {
  readonly seedIndex: number | null;
  readonly prompt: RenderedPrompt;
  /** What the parser compares the reply with: the given instruction, or the demos shown. */
  readonly source: { readonly instruction?: string; readonly response?: string; readonly demos?: readonly SeedItem[] };
}

/** What became of a rejected item: asked again, or dropped (its attempts are spent). */
export type RejectVerdict = 'retry' | 'dropped' | 'none';

export interface TaskSource {
  /** The next request, or undefined when none is due now. */
  next(): WorkItem | undefined;
  /** A response/quality item whose answer was rejected: retried until its attempts run out. */
  rejected(item: WorkItem): RejectVerdict;
  /** Attempts spent on a seed item so far (stored ones included). */
  attemptsOf(seedIndex: number): number;
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

/** Draws one accepted instance of the cell uniformly with the given randomness, if there is one. */
export type AcceptedSampler = (rng: Rng) => SeedItem | undefined;

/**
 * Instance generation: every request is a fresh prompt with 3 demos (2 seeds and, once there
 * are any, 1 instance drawn uniformly from everything the cell accepted so far, as the paper
 * describes), a random theme and, for templates that ask for one, a first word.
 */
export function instanceSource(ctx: SourceContext, sampleAccepted: AcceptedSampler, startCounter: number): TaskSource {
  let counter = startCounter;
  return {
    next() {
      const rng = mulberry32(deriveSeed(ctx.seed, counter++));
      const generated = sampleAccepted(rng);
      const demos = pickDemos(ctx.seeds, generated ? [generated] : [], rng);
      const topic = pickTopic(ctx.domain, rng);
      const firstWord = pickFirstWord(rng);
      const prompt = renderInstancePrompt({ domain: ctx.domain, variant: ctx.variant, demos, topic, firstWord }, ctx.templates);
      return { seedIndex: null, prompt, source: { demos } };
    },
    rejected: () => 'none',
    attemptsOf: () => 0,
    exhausted: () => false,
  };
}

/** What a response/quality cell already settled: items answered, items dropped, attempts spent. */
export interface SeededProgress {
  readonly done: ReadonlySet<number>;
  readonly dropped: ReadonlySet<number>;
  readonly priorAttempts: ReadonlyMap<number, number>;
}

/**
 * Response generation and quality enhancement: one instance per seed item, in a seeded
 * shuffled order so a cell capped below the seed set's size takes a random subset. An item
 * whose answers are rejected `attemptsPerItem` times is dropped, as in the official code, and
 * the next unused item takes its place while there is one. Items answered or dropped before
 * (a resumed or retried cell) are never asked again.
 */
export function seededSource(ctx: SourceContext, progress: SeededProgress, attemptsPerItem: number): TaskSource {
  const order = shuffle(
    mulberry32(deriveSeed(ctx.seed, 'order')),
    ctx.seeds.map((_, i) => i),
  ).filter((i) => !progress.done.has(i) && !progress.dropped.has(i));
  const attempts = new Map(progress.priorAttempts);
  const retry: number[] = [];
  let pos = 0;
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
      if (item.seedIndex === null) return 'none';
      const n = (attempts.get(item.seedIndex) ?? 0) + 1;
      attempts.set(item.seedIndex, n);
      if (n >= attemptsPerItem) return 'dropped';
      retry.push(item.seedIndex);
      return 'retry';
    },
    attemptsOf: (i) => attempts.get(i) ?? 0,
    exhausted: () => retry.length === 0 && pos >= order.length,
    unnext(item) {
      if (item.seedIndex !== null) retry.unshift(item.seedIndex);
    },
  };
}
