import { describe, expect, it } from 'vitest';
import { parseProgressLines } from './progress-protocol.js';
import { EMPTY_TRAIN_PROGRESS, foldProgress, lossCurve, toStageProgress } from './train-progress.js';
import { trainOutcome } from './train-outcome.js';

const step = (s: number, loss: number, total = 100) =>
  JSON.stringify({ step: s, total_steps: total, epoch: s / total, loss, learning_rate: 1e-5, tokens_per_second: 5400, eta_seconds: total - s });

describe('parseProgressLines', () => {
  it('reads step, done and failed records', () => {
    const text = `${step(10, 1.5)}\n{"status": "done", "checkpoint": "/ck"}\n{"status":"failed","error":"OOM"}\n`;
    const { events, ignored, partial } = parseProgressLines(text);
    expect(ignored).toBe(0);
    expect(partial).toBe('');
    expect(events).toEqual([
      { kind: 'step', step: 10, totalSteps: 100, epoch: 0.1, loss: 1.5, learningRate: 1e-5, tokensPerSecond: 5400, etaSeconds: 90 },
      { kind: 'done', checkpoint: '/ck' },
      { kind: 'failed', error: 'OOM' },
    ]);
  });

  it('counts garbage and never throws on it', () => {
    const garbage = [
      'not json',
      '{"step": "ten", "total_steps": 5}',
      '{"step": -1, "total_steps": 5}',
      '[1]',
      'null',
      '{"status": "done"}',
      '{"status":"paused"}',
      '{"step": 1.5, "total_steps": 3}',
      '\u0000\u00ff',
    ];
    const { events, ignored } = parseProgressLines(`${garbage.join('\n')}\n\n   \n${step(1, 2)}\n`);
    expect(events).toHaveLength(1);
    expect(ignored).toBe(garbage.length);
  });

  it('keeps an unfinished last line for the next read, unless the trainer has exited', () => {
    const first = parseProgressLines(`${step(1, 2)}\n{"step": 2, "tot`);
    expect(first.events).toHaveLength(1);
    expect(first.partial).toBe('{"step": 2, "tot');
    const second = parseProgressLines(`${first.partial}al_steps": 100}`, true);
    expect(second.events).toEqual([{ kind: 'step', step: 2, totalSteps: 100 }]);
    expect(second.partial).toBe('');
  });

  it('drops non-finite numbers and clamps a negative eta', () => {
    const { events } = parseProgressLines('{"step": 3, "total_steps": 9, "loss": null, "eta_seconds": -4}\n');
    expect(events).toEqual([{ kind: 'step', step: 3, totalSteps: 9, etaSeconds: 0 }]);
  });
});

describe('foldProgress and toStageProgress', () => {
  it('folds steps into the train StageProgress and the loss curve', () => {
    let s = foldProgress(EMPTY_TRAIN_PROGRESS, parseProgressLines(`${step(10, 2)}\n${step(20, 1.5)}\n`));
    expect(toStageProgress(s)).toEqual({ stage: 'train', step: 20, totalSteps: 100, loss: 1.5, etaSeconds: 80 });
    s = foldProgress(s, parseProgressLines('garbage\n{"status": "done", "checkpoint": "/ck"}\n'));
    expect(toStageProgress(s)).toEqual({ stage: 'train', step: 100, totalSteps: 100, loss: 1.5, etaSeconds: 0, checkpoint: '/ck' });
    expect(s.ignored).toBe(1);
    expect(s.records).toBe(3);
  });

  it('cuts the loss curve back when a resumed trainer logs earlier steps again', () => {
    const events = parseProgressLines([step(10, 3), step(20, 2), step(30, 1.8), step(20, 1.9), step(30, 1.7), step(40, 1.2), ''].join('\n')).events;
    expect(lossCurve(events)).toEqual([3, 1.9, 1.7, 1.2]);
  });

  it('a step after a failed line means a restart: the failure no longer stands', () => {
    const s = foldProgress(EMPTY_TRAIN_PROGRESS, parseProgressLines(`${step(5, 2)}\n{"status":"failed","error":"x"}\n${step(6, 2)}\n`));
    expect(s.result).toBeUndefined();
  });
});

describe('trainOutcome', () => {
  const done = foldProgress(EMPTY_TRAIN_PROGRESS, parseProgressLines(`${step(100, 1)}\n{"status":"done","checkpoint":"/ck"}\n`));
  const noDone = foldProgress(EMPTY_TRAIN_PROGRESS, parseProgressLines(`${step(50, 1)}\n`));

  it('is done only with exit 0 and a done line', () => {
    expect(trainOutcome({ state: 'done', exitCode: 0 }, done)).toEqual({ state: 'done', checkpoint: '/ck' });
    expect(trainOutcome({ state: 'done', exitCode: 0 }, noDone)).toEqual({
      state: 'failed',
      error: 'trainer exited 0 without its done line (last step 50/100)',
    });
    expect(trainOutcome({ state: 'done', exitCode: 0 }, EMPTY_TRAIN_PROGRESS).state).toBe('failed');
    expect(trainOutcome({ state: 'failed', exitCode: 1, reason: 'exited with code 1' }, done)).toEqual({
      state: 'failed',
      error: 'trainer wrote its done line but then exited with code 1',
    });
  });

  it('passes running, pending and cancelled through with their reasons', () => {
    expect(trainOutcome({ state: 'pending', reason: 'Resources' }, EMPTY_TRAIN_PROGRESS)).toEqual({ state: 'pending', reason: 'Resources' });
    expect(trainOutcome({ state: 'running' }, noDone)).toEqual({ state: 'running' });
    expect(trainOutcome({ state: 'cancelled', reason: 'cancelled' }, noDone)).toEqual({ state: 'cancelled', reason: 'cancelled' });
  });

  it('explains a runner failure without a failed line', () => {
    expect(trainOutcome({ state: 'failed', reason: 'hit its time limit (TIMEOUT)', native: 'TIMEOUT' }, noDone)).toEqual({
      state: 'failed',
      error: 'trainer hit its time limit (TIMEOUT)',
    });
    expect(trainOutcome({ state: 'failed', exitCode: 2 }, noDone)).toEqual({ state: 'failed', error: 'trainer exited with code 2' });
  });
});
