import { describe, expect, it } from 'vitest';
import { mapSlurmState, parseExitCode, parseSacct, parseSbatchOutput, parseScontrolJob, parseSlurmTime, parseSqueue } from './slurm-state.js';

describe('mapSlurmState', () => {
  it.each([
    ['PENDING', 'Resources', '0:0', { state: 'pending', native: 'PENDING', reason: 'Resources' }],
    ['PENDING', 'None', '0:0', { state: 'pending', native: 'PENDING' }],
    ['RUNNING', 'None', '0:0', { state: 'running', native: 'RUNNING' }],
    ['COMPLETING', 'None', '0:0', { state: 'running', native: 'COMPLETING' }],
    ['COMPLETED', 'None', '0:0', { state: 'done', native: 'COMPLETED', exitCode: 0 }],
    ['FAILED', 'NonZeroExitCode', '3:0', { state: 'failed', native: 'FAILED', exitCode: 3, reason: 'exited with code 3' }],
    ['FAILED', 'None', '0:9', { state: 'failed', native: 'FAILED', exitCode: 0, reason: 'killed by signal 9' }],
    ['TIMEOUT', 'TimeLimit', '0:15', { state: 'failed', native: 'TIMEOUT', exitCode: 0, reason: 'hit its time limit (TIMEOUT)' }],
    ['OUT_OF_MEMORY', 'OutOfMemory', '0:125', { state: 'failed', native: 'OUT_OF_MEMORY', exitCode: 0, reason: 'ran out of memory (OUT_OF_MEMORY)' }],
    ['CANCELLED by 0', 'None', '0:15', { state: 'cancelled', native: 'CANCELLED', exitCode: 0, reason: 'cancelled (scancel)' }],
    ['NODE_FAIL', 'NodeDown', '0:0', { state: 'failed', native: 'NODE_FAIL', exitCode: 0, reason: 'its node failed (NODE_FAIL)' }],
    ['PREEMPTED', 'None', '0:0', { state: 'failed', native: 'PREEMPTED', exitCode: 0, reason: 'preempted by another job (PREEMPTED)' }],
    ['SUSPENDED', 'None', '0:0', { state: 'pending', native: 'SUSPENDED', reason: 'suspended by Slurm' }],
    ['REQUEUED', 'BeginTime', '0:0', { state: 'pending', native: 'REQUEUED', reason: 'requeued: BeginTime' }],
  ])('%s (%s, %s)', (state, reason, exit, expected) => {
    expect(mapSlurmState(state, reason, exit)).toEqual(expected);
  });

  it('fails on a state it does not know, naming it', () => {
    expect(mapSlurmState('WEIRD')).toEqual({ state: 'failed', native: 'WEIRD', reason: 'unknown Slurm state "WEIRD"' });
  });

  it('parses exit codes', () => {
    expect(parseExitCode('137:0')).toEqual({ code: 137, signal: 0 });
    expect(parseExitCode('')).toBeUndefined();
  });
});

describe('parsers', () => {
  it('sacct: takes the allocation row, not the steps', () => {
    const text = '4242|FAILED|2:0|NonZeroExitCode\n4242.batch|FAILED|2:0|\n4242.extern|COMPLETED|0:0|\n';
    expect(parseSacct(text, '4242')).toMatchObject({ state: 'failed', exitCode: 2 });
    expect(parseSacct(text, '99')).toBeUndefined();
    expect(parseSacct('', '4242')).toBeUndefined();
  });

  it('scontrol show job -o', () => {
    const line =
      'JobId=7 JobName=agora UserId=root(0) JobState=TIMEOUT Reason=TimeLimit Dependency=(null) ExitCode=0:15 RunTime=00:01:04 Command=/tmp/a b.sbatch WorkDir=/tmp';
    expect(parseScontrolJob(line)).toEqual({ state: 'failed', native: 'TIMEOUT', exitCode: 0, reason: 'hit its time limit (TIMEOUT)' });
    expect(parseScontrolJob('slurm_load_jobs error: Invalid job id specified')).toBeUndefined();
  });

  it("sacct Start/End: the job's own run time, not its time in the queue", () => {
    // Slurm prints local time without a zone.
    const noon = new Date(2024, 4, 1, 12, 0, 0).getTime();
    const halfPast2 = new Date(2024, 4, 1, 14, 30, 0).getTime();
    const done = '4242|COMPLETED|0:0|None|2024-05-01T12:00:00|2024-05-01T14:30:00\n4242.batch|COMPLETED|0:0||2024-05-01T12:00:00|2024-05-01T14:30:00\n';
    expect(parseSacct(done, '4242')).toMatchObject({ state: 'done', startedAt: noon, endedAt: halfPast2 });
    expect(parseSacct('4242|RUNNING|0:0|None|2024-05-01T12:00:00|Unknown\n', '4242')).toEqual({ state: 'running', native: 'RUNNING', startedAt: noon });
    // A pending job's Start is Slurm's guess (or Unknown): it has not started.
    expect(parseSacct('4242|PENDING|0:0|Priority|2024-05-01T12:00:00|Unknown\n', '4242')).toEqual({ state: 'pending', native: 'PENDING', reason: 'Priority' });
    // The old four-field form still parses.
    expect(parseSacct('4242|FAILED|2:0|NonZeroExitCode\n', '4242')).toEqual({ state: 'failed', native: 'FAILED', exitCode: 2, reason: 'exited with code 2' });
  });

  it('scontrol StartTime/EndTime: EndTime counts only once the job has ended (before, it is the time limit)', () => {
    const noon = new Date(2024, 4, 1, 12, 0, 0).getTime();
    const base = 'JobId=7 JobName=agora Reason=None ExitCode=0:0 StartTime=2024-05-01T12:00:00 EndTime=2024-05-01T13:00:00 WorkDir=/tmp';
    expect(parseScontrolJob(`${base} JobState=COMPLETED`)).toMatchObject({ state: 'done', startedAt: noon, endedAt: new Date(2024, 4, 1, 13).getTime() });
    expect(parseScontrolJob(`${base} JobState=RUNNING`)).toEqual({ state: 'running', native: 'RUNNING', startedAt: noon });
    expect(parseScontrolJob(`${base} JobState=PENDING`)).toEqual({ state: 'pending', native: 'PENDING' });
  });

  it('Slurm times: local ISO without zone; Unknown, None and N/A are no time', () => {
    expect(parseSlurmTime('2024-12-31T23:59:58')).toBe(new Date(2024, 11, 31, 23, 59, 58).getTime());
    for (const t of ['Unknown', 'None', 'N/A', '', undefined, '2024-13-01T00:00:00x']) expect(parseSlurmTime(t)).toBeUndefined();
  });

  it('squeue -o %T|%r', () => {
    expect(parseSqueue('PENDING|Priority\n')).toEqual({ state: 'pending', native: 'PENDING', reason: 'Priority' });
    expect(parseSqueue('\n')).toBeUndefined();
  });

  it('sbatch --parsable', () => {
    expect(parseSbatchOutput('12345\n')).toBe('12345');
    expect(parseSbatchOutput('12345;cluster-a\n')).toBe('12345');
    expect(() => parseSbatchOutput('sbatch: error: invalid partition\n')).toThrow(/no job id/);
  });
});
