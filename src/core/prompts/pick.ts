import type { Domain } from '../setting.js';
import { randomChoice, randomInt, sampleIndices, shuffle, type Rng } from './rng.js';
import { FIRST_WORDS } from './openers.js';
import { TOPICS } from './topics.js';
import type { Demo, SeedItem } from './types.js';

/** The reference implementation's split of the three demos: two seeds and one generated item. */
export const DEMOS_FROM_SEEDS = 2;
export const DEMOS_TOTAL = 3;

/**
 * Three demos: two distinct seed items plus one already accepted item, or a third distinct
 * seed while nothing is accepted yet; shuffled so the generated one has no fixed slot.
 * Seeds must have responses (instance-generation seed sets always do).
 */
export function pickDemos(seeds: readonly SeedItem[], accepted: readonly SeedItem[], rng: Rng): Demo[] {
  const fromSeeds = accepted.length > 0 ? DEMOS_FROM_SEEDS : DEMOS_TOTAL;
  if (seeds.length < DEMOS_FROM_SEEDS) {
    throw new Error(`instance generation needs at least ${DEMOS_FROM_SEEDS} seed items, got ${seeds.length}`);
  }
  const take = Math.min(fromSeeds, seeds.length);
  const picked: SeedItem[] = sampleIndices(rng, seeds.length, take).map((i) => seeds[i] as SeedItem);
  if (accepted.length > 0) picked.push(accepted[randomInt(rng, accepted.length)] as SeedItem);
  return shuffle(rng, picked).map(toDemo);
}

export function pickTopic(domain: Domain, rng: Rng): string {
  return randomChoice(rng, TOPICS[domain]);
}

/** The opener an instruction-following instance should start with (templates without {{first_word}} ignore it). */
export function pickFirstWord(rng: Rng): string {
  return randomChoice(rng, FIRST_WORDS);
}

function toDemo(item: SeedItem): Demo {
  if (typeof item.response !== 'string' || item.response.trim() === '') {
    throw new Error(`seed item has no response, so it cannot be a demo: "${item.instruction.slice(0, 60)}"`);
  }
  return { instruction: item.instruction, response: item.response };
}
