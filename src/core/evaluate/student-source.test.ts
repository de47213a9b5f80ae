import { describe, expect, it } from 'vitest';
import { resolveEvaluateConfig } from '../../config/evaluate-schema.js';
import { cellCheckpoint, cellStudentSource } from './student-source.js';

// The checkpoint of a cell from a store written before the `checkpoint` column is read from its
// progress JSON: what cannot be read there is said, not taken for "nothing trained".

const evaluate = { ...resolveEvaluateConfig({}), endpoint: undefined };
const serveCommand = evaluate.serveCommand;

describe('a cell student source', () => {
  it('reads the column first, then the checkpoint in the stored progress', () => {
    expect(cellCheckpoint({ progress_json: '{"checkpoint":"/old"}', checkpoint: '/col' })).toBe('/col');
    expect(cellStudentSource({ progress_json: '{"stage":"train","step":9,"totalSteps":9,"checkpoint":"/ck"}' }, evaluate)).toEqual({
      kind: 'checkpoint',
      checkpoint: '/ck',
      serveCommand,
    });
  });

  it('progress without a checkpoint is plainly nothing trained', () => {
    expect(cellStudentSource({ progress_json: '{"stage":"train","step":3,"totalSteps":9}' }, evaluate)).toEqual({
      missing: 'no trained checkpoint recorded for this cell and no evaluate.endpoint to evaluate instead',
    });
  });

  it.each([
    ['{"stage":"train", "checkpo', /\(its stored progress \(cells\.progress_json\) is not JSON\)/],
    ['["/ck"]', /\(its stored progress \(cells\.progress_json\) is not a JSON object\)/],
    ['{"checkpoint": {"path": "/ck"}}', /\(the checkpoint in its stored progress is not a path: \{"path":"\/ck"\}\)/],
  ])('progress %s says what is wrong with it', (progress, why) => {
    const r = cellStudentSource({ progress_json: progress }, evaluate);
    expect('missing' in r && r.missing).toMatch(why);
  });
});
