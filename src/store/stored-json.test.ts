import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, testConfig } from '../../test/support/temp-run.js';
import { readReportInput } from '../cli/commands/report.js';
import { listCells, setCellProgress, setCellScores } from './cell-repo.js';
import { benchmarkScores, cellSubject, saveBenchmarkScore, saveOutput, storedItems } from './eval-repo.js';
import type { Db } from './open-store.js';
import { readConductorClaim, readStopMark, writeConductorClaim, writeMeta } from './run-repo.js';
import { SnapshotQuery } from './snapshot-query.js';

// JSON kept in the store's TEXT columns, written by one version and read by another (or edited
// by hand): each reader parses it with a schema and names the row and field that are wrong.

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function store(): { db: Db; dir: string; cellId: number } {
  const { db, dir, cleanup } = tempStore();
  cleanups.push(cleanup);
  return { db, dir, cellId: listCells(db)[0]!.id };
}

const snapshot = (db: Db, dir: string) => new SnapshotQuery(db).take({ runDir: dir, readOnly: true });

describe('the snapshot reads cells JSON through schemas', () => {
  it('a scores value of another shape is not shown as scores: the cell says what is wrong with it', () => {
    const { db, dir, cellId } = store();
    setCellScores(db, cellId, { pgr: 'high' });
    const cell = snapshot(db, dir).cells.find((c) => c.id === cellId)!;
    expect(cell.scores).toBeUndefined();
    expect(cell.error).toMatch(new RegExp(`cells\\.scores_json of cell ${cellId} is malformed: benchmarks: .*pgr: `));
  });

  it('progress that is not JSON is said, and the poll still answers', () => {
    const { db, dir, cellId } = store();
    db.prepare(`UPDATE cells SET stage = 'train', progress_json = '{"stage":"train","step":' WHERE id = ?`).run(cellId);
    const cell = snapshot(db, dir).cells.find((c) => c.id === cellId)!;
    expect(cell.progress).toBeUndefined();
    expect(cell.error).toMatch(new RegExp(`cells\\.progress_json of cell ${cellId} is not JSON`));
  });

  it('well-formed progress and scores come through whole, with the fields the evaluate worker adds', () => {
    const { db, dir, cellId } = store();
    db.prepare(`UPDATE cells SET stage = 'evaluate' WHERE id = ?`).run(cellId);
    setCellProgress(db, cellId, { stage: 'evaluate', graded: 3, total: 8, phase: 'judging' });
    const scores = {
      benchmarks: { gsm8k: 61.5 },
      pgrByBenchmark: { gsm8k: { value: 40 }, math: { reason: 'no baseline' } },
      pgr: { value: 40, flag: 'one benchmark' },
    };
    setCellScores(db, cellId, scores);
    const cell = snapshot(db, dir).cells.find((c) => c.id === cellId)!;
    expect(cell.progress).toEqual({ stage: 'evaluate', graded: 3, total: 8, phase: 'judging' });
    expect(cell.scores).toEqual(scores);
    expect(cell.error).toBeUndefined();
  });

  it('a stored config the snapshot cannot read is the run notice, not an empty matrix without a word', () => {
    const { db, dir } = store();
    writeMeta(db, 'config_json', JSON.stringify({ generators: [{ id: 'g' }], settings: ['math/instance'] }));
    const s = snapshot(db, dir);
    expect(s.notice).toMatch(/run_meta config_json is malformed: generators\.0\.model: .*generators\.0\.price:/);
  });
});

describe('agora report reads scores through the same schema', () => {
  it('a cell whose scores do not parse is reported with the problem, not with the foreign value', () => {
    const { db, cellId } = store();
    setCellScores(db, cellId, { benchmarks: {}, pgrByBenchmark: {}, pgr: 55.8 });
    const input = readReportInput(db, testConfig());
    const cell = input.cells.find((c) => c.generator === listCells(db)[0]!.generator && c.setting === listCells(db)[0]!.setting)!;
    expect(cell.scores).toBeUndefined();
    expect(cell.error).toMatch(new RegExp(`cells\\.scores_json of cell ${cellId} is malformed: pgr: `));
  });
});

describe('run marks', () => {
  it('a stop mark that does not parse still stops the run, and says it is unreadable', () => {
    const { db, dir } = store();
    writeMeta(db, 'stopped', 'yes');
    expect(readStopMark(db)?.by).toMatch(/unreadable mark \(run_meta 'stopped' is not JSON/);
    expect(snapshot(db, dir).stopped).toMatch(/^stopped \(run_meta 'stopped' is not JSON/);
  });

  it('a conductor claim of another shape holds nothing (a string pid is no process)', () => {
    const { db } = store();
    writeMeta(db, 'conductor', JSON.stringify({ pid: '123', at: Date.now() }));
    expect(readConductorClaim(db)).toBeUndefined();
    writeConductorClaim(db, { pid: 123, at: 5 });
    expect(readConductorClaim(db)).toEqual({ pid: 123, at: 5 });
  });
});

describe('evaluation rows', () => {
  it('a verdict that is not JSON names its subject, benchmark and item', () => {
    const { db, cellId } = store();
    const subject = cellSubject(cellId);
    saveOutput(db, subject, cellId, 'gsm8k', 'q17', 'the answer is 4');
    db.prepare(`UPDATE eval_items SET verdict_json = '{oops' WHERE item_id = 'q17'`).run();
    expect(() => storedItems(db, subject, 'gsm8k')).toThrow(new RegExp(`eval_items\\.verdict_json of ${subject} gsm8k item q17 is not JSON`));
  });

  it('score details that are not an object name their subject and benchmark', () => {
    const { db } = store();
    saveBenchmarkScore(db, { subject: 'base', benchmark: 'math', score: 19.8, n: 5000, ciLow: null, ciHigh: null, source: 'evaluated', details: {} });
    db.prepare(`UPDATE benchmark_scores SET details_json = '[1,2]' WHERE subject = 'base'`).run();
    expect(() => benchmarkScores(db, 'base')).toThrow(/benchmark_scores\.details_json of base math is malformed/);
  });
});
