import fs from 'node:fs';
import { cellFiles } from '../core/run-layout.js';
import type { CellDetail } from '../core/snapshot.js';
import type { Db } from '../store/open-store.js';
import { readCellDetail } from '../store/snapshot-query.js';

/** The last lines of a file, reading only its end (logs of week-long jobs get large). */
export function tailLines(file: string, n: number, maxBytes = 64 * 1024): string[] {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, maxBytes);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n');
    if (len < size) lines.shift();
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-n);
  } finally {
    fs.closeSync(fd);
  }
}

export interface DetailExtras {
  /** Loss per logged step of the cell's training, oldest first. */
  lossCurve?(cellDirPath: string): number[];
}

/** A cell's detail: the store's part, plus the log tail of the stage it is in. */
export function loadCellDetail(db: Db, runDir: string, cellId: number, extras: DetailExtras = {}): CellDetail | undefined {
  const base = readCellDetail(db, cellId);
  if (!base) return undefined;
  const files = cellFiles(runDir, base.cell);
  const logFile = files.stageLog(base.cell.stage);
  return { ...base, logTail: tailLines(logFile, 8), lossCurve: extras.lossCurve?.(files.dir) ?? [] };
}
