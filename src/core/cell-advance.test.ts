import { describe, expect, it } from 'vitest';
import { advanceTarget, transition, type Stage } from './cell-state.js';

const runs =
  (...stages: Stage[]) =>
  (s: Stage) =>
    stages.includes(s);

describe('advanceTarget', () => {
  it('goes to the next stage when it runs, and nowhere when none after runs', () => {
    expect(advanceTarget('generate', runs('generate', 'train', 'evaluate', 'score', 'metrics'))).toBe('train');
    expect(advanceTarget('score', runs('generate', 'train', 'evaluate', 'score', 'metrics'))).toBe('metrics');
    // No `metrics:` section (no driver): score is the end, as before the stage existed.
    expect(advanceTarget('score', runs('generate', 'train', 'evaluate', 'score'))).toBeUndefined();
    expect(advanceTarget('generate', runs('generate'))).toBeUndefined();
    expect(advanceTarget('metrics', runs('generate', 'metrics'))).toBeUndefined();
  });

  it('skips the stages not run into metrics, which reads only the generated data', () => {
    expect(advanceTarget('generate', runs('generate', 'metrics'))).toBe('metrics');
    expect(advanceTarget('train', runs('train', 'metrics'))).toBe('metrics');
  });

  it('never skips into a stage that needs the ones before it', () => {
    // score needs a trained, evaluated student: `--stages generate,score` does not jump there.
    expect(advanceTarget('generate', runs('generate', 'score'))).toBeUndefined();
    expect(advanceTarget('generate', runs('generate', 'score', 'metrics'))).toBeUndefined();
  });

  it('an advance to a named stage goes there; never back', () => {
    expect(transition({ stage: 'generate', state: 'done' }, { type: 'advance', to: 'metrics' })).toEqual({ stage: 'metrics', state: 'pending' });
    expect(() => transition({ stage: 'score', state: 'done' }, { type: 'advance', to: 'train' })).toThrow(/back/);
  });
});
