import { describe, expect, it } from 'vitest';
import { parseStored, StoredJsonError, stageProgressSchema } from './stored-json.js';

describe('stored progress of the metrics stage', () => {
  it('reads rows measured of rows needed, with the model the worker adds', () => {
    expect(parseStored(stageProgressSchema, '{"stage":"metrics","done":12,"total":80,"model":"judge"}', 'cells.progress_json')).toEqual({
      stage: 'metrics',
      done: 12,
      total: 80,
      model: 'judge',
    });
  });

  it('names what is wrong with one that is not counts', () => {
    expect(() => parseStored(stageProgressSchema, '{"stage":"metrics","done":-1,"total":80}', 'cells.progress_json')).toThrow(StoredJsonError);
    expect(() => parseStored(stageProgressSchema, '{"stage":"metrics","total":80}', 'cells.progress_json')).toThrow(/done/);
  });
});
