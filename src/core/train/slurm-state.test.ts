import { describe, expect, it } from 'vitest';
import { mapSlurmState, parseExitCode, parseSacct, parseSbatchOutput, parseScontrolJob, parseSqueue } from './slurm-state.js';

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
