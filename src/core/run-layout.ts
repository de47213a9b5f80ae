import path from 'node:path';
import type { Stage } from './cell-state.js';

/**
 * The run folder's layout, in one place (path arithmetic only, no I/O):
 *
 *   <run>/agora.db                         the store
 *   <run>/conductor.log                    the conductor's log
 *   <run>/baselines/<subject>/server.log   a baseline model's server
 *   <run>/<generator>/<domain>/<method>/   one cell:
 *     generate.log, train.log, evaluate.log (the score stage logs to evaluate.log)
 *     train.jsonl                          the training set
 *     checkpoint/                          the trainer's output (resumed from)
 *     train-progress.jsonl                 the trainer's progress events
 *     evaluate-server.log                  the student's server
 */

export interface CellRef {
  readonly generator: string;
  readonly setting: string;
}

export function storeFile(runDir: string): string {
  return path.join(runDir, 'agora.db');
}

export function conductorLogFile(runDir: string): string {
  return path.join(runDir, 'conductor.log');
}

export function baselineServerLogFile(runDir: string, subject: string): string {
  return path.join(runDir, 'baselines', subject, 'server.log');
}

export function cellDir(runDir: string, generator: string, setting: string): string {
  return path.join(runDir, generator, ...setting.split('/'));
}

/** Every file of one cell, from its folder. */
export function cellFilesIn(dir: string) {
  return {
    dir,
    trainData: path.join(dir, 'train.jsonl'),
    checkpointDir: path.join(dir, 'checkpoint'),
    trainProgress: path.join(dir, 'train-progress.jsonl'),
    serverLog: path.join(dir, 'evaluate-server.log'),
    /** The stage's log; score jobs run the evaluation worker and share its log. */
    stageLog: (stage: Stage) => path.join(dir, `${stage === 'score' ? 'evaluate' : stage}.log`),
  };
}

export function cellFiles(runDir: string, cell: CellRef) {
  return cellFilesIn(cellDir(runDir, cell.generator, cell.setting));
}
