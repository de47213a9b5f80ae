import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, testConfig } from '../../test/support/temp-run.js';
import { listCells } from '../store/cell-repo.js';
import { devicesOfTrainHandle, parseTrainHandle } from '../store/job-handle-json.js';
import { createJob, getJob, setJobHandle } from '../store/job-repo.js';
import type { Db } from '../store/open-store.js';
import { pollEvaluationWorker } from './evaluate-driver.js';
import { TrainDriver } from './train-driver.js';

// jobs.handle_json is written by one process and read by another, maybe of another version:
// what does not parse is named (job, field) where it is read, and its job ends saying so.

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function store(): { db: Db; dir: string; cellId: number } {
  const { db, dir, cleanup } = tempStore();
  cleanups.push(cleanup);
  return { db, dir, cellId: listCells(db)[0]!.id };
}

const good = { runner: 'local', id: '4242', startedAt: 1_700_000_000_000, logFile: '/l', progressFile: '/p', exitFile: '/l.exit' };

describe('train job handles', () => {
  it('round-trip with the devices a local GPU job was given', () => {
    expect(parseTrainHandle(JSON.stringify({ ...good, devices: [1, 3] }), 7)).toEqual({ ...good, devices: [1, 3] });
    expect(devicesOfTrainHandle(JSON.stringify({ ...good, devices: [1, 3] }))).toEqual([1, 3]);
    expect(devicesOfTrainHandle(null)).toEqual([]);
  });

  it('name the job and the field that is wrong', () => {
    expect(() => parseTrainHandle('{', 7)).toThrow(/jobs\.handle_json of job 7 is not JSON/);
    expect(() => parseTrainHandle(JSON.stringify({ ...good, runner: 'k8s' }), 7)).toThrow(/job 7 is malformed: runner:/);
    expect(() => parseTrainHandle(JSON.stringify({ ...good, exitFile: '' }), 7)).toThrow(/exitFile:/);
    expect(() => parseTrainHandle(JSON.stringify({ ...good, startedAt: 'yesterday' }), 7)).toThrow(/startedAt:/);
    expect(() => parseTrainHandle(JSON.stringify({ ...good, devices: ['0'] }), 7)).toThrow(/devices\.0:/);
  });

  it('a running train job whose stored handle does not parse ends failed with the reason, instead of throwing out of the poll', async () => {
    const { db, dir, cellId } = store();
    const job = createJob(db, cellId, 'train', 'local', null);
    setJobHandle(db, job.id, { ...good, progressFile: 42 });
    const driver = await TrainDriver.create(db, dir, testConfig());
    const r = await driver.poll(getJob(db, job.id));
    expect(r).toEqual({
      orphaned: expect.stringMatching(new RegExp(`jobs\\.handle_json of job ${job.id} is malformed: progressFile: .*cannot be followed`)) as unknown,
    });
    // Cancelling it does not throw either (the next poll ends it).
    await expect(driver.cancel(getJob(db, job.id))).resolves.toBeUndefined();
  });
});

describe('evaluate job handles', () => {
  it('an orphaned evaluation whose server record does not parse says so, rather than that it had no server', async () => {
    const { db, cellId } = store();
    const job = createJob(db, cellId, 'evaluate', 'process', null);
    setJobHandle(db, job.id, { server: { pgid: 'abc', port: 8000 } });
    const r = await pollEvaluationWorker(getJob(db, job.id));
    expect(r).not.toBe('running');
    const why = (r as { orphaned: string }).orphaned;
    expect(why).toMatch(new RegExp(`student server, if any, was not stopped: jobs\\.handle_json of job ${job.id} is malformed: server\\.pgid:`));
  });

  it('an orphaned evaluation with no server recorded is orphaned plainly', async () => {
    const { db, cellId } = store();
    const job = createJob(db, cellId, 'evaluate', 'process', null);
    setJobHandle(db, job.id, { server: null });
    const r = await pollEvaluationWorker(getJob(db, job.id));
    expect((r as { orphaned: string }).orphaned).toMatch(/vanished \(orphaned\)$/);
  });
});
