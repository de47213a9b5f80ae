import fs from 'node:fs';
import path from 'node:path';
import type { SeedItem } from '../../core/prompts/types.js';
import type { InstanceRepo } from '../../store/instance-repo.js';

function line(instruction: string, response: string): string {
  return (
    JSON.stringify({
      messages: [
        { role: 'user', content: instruction },
        { role: 'assistant', content: response },
      ],
    }) + '\n'
  );
}

/**
 * Writes the cell's training set in chat `messages` format (what TRL, axolotl and
 * LLaMA-Factory read). For instance generation the seed set is part of the training data, as
 * in the paper. `limit`: only the cell's first instances (a fixed-budget cell's prefix). Written to a temp file and renamed, so a reader never sees half a file.
 */
export function writeTrainFile(file: string, instances: InstanceRepo, cellId: number, seedsToInclude: readonly SeedItem[], limit?: number): number {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  let n = 0;
  try {
    let buf = '';
    const flush = () => {
      fs.writeSync(fd, buf);
      buf = '';
    };
    for (const s of seedsToInclude) {
      if (s.response === undefined) continue;
      buf += line(s.instruction, s.response);
      n++;
      if (buf.length > 1 << 20) flush();
    }
    for (const i of instances.iterate(cellId, limit)) {
      buf += line(i.instruction, i.response);
      n++;
      if (buf.length > 1 << 20) flush();
    }
    flush();
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return n;
}
