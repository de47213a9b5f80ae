import { open } from 'node:fs/promises';
import { parseProgressLines } from '../../core/train/progress-protocol.js';
import { EMPTY_TRAIN_PROGRESS, foldProgress, type TrainProgressSummary } from '../../core/train/train-progress.js';

/**
 * Follows a trainer's progress file: each `read()` parses only the bytes appended since the
 * last one, so polling a multi-day job stays cheap. A file that shrank (the trainer was
 * restarted and truncated it) is read again from the start.
 */
export class ProgressFileReader {
  private offset = 0;
  /** Complete lines parsed so far: the file's line number of the next one is this plus 1. */
  private lines = 0;
  private pending: Buffer = Buffer.alloc(0);
  private summary: TrainProgressSummary = EMPTY_TRAIN_PROGRESS;

  constructor(readonly path: string) {}

  get current(): TrainProgressSummary {
    return this.summary;
  }

  /** `final`: the trainer has exited, so a last line without its newline counts too. */
  async read(final = false): Promise<TrainProgressSummary> {
    let fh;
    try {
      fh = await open(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.summary;
      throw e;
    }
    try {
      const size = (await fh.stat()).size;
      if (size < this.offset) this.reset();
      const fresh = Buffer.alloc(size - this.offset);
      let got = 0;
      while (got < fresh.length) {
        const { bytesRead } = await fh.read(fresh, got, fresh.length - got, this.offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      this.offset += got;
      this.consume(Buffer.concat([this.pending, fresh.subarray(0, got)]), final);
      return this.summary;
    } finally {
      await fh.close();
    }
  }

  private consume(bytes: Buffer, final: boolean): void {
    // Cut at the last newline byte so a multi-byte character split across reads stays whole.
    const cut = final ? bytes.length - 1 : bytes.lastIndexOf(0x0a);
    if (cut < 0) {
      this.pending = bytes;
      return;
    }
    const parsed = parseProgressLines(bytes.subarray(0, cut + 1).toString('utf8'), final, this.lines + 1);
    this.lines += parsed.lines;
    this.pending = Buffer.from(bytes.subarray(cut + 1));
    this.summary = foldProgress(this.summary, parsed);
  }

  private reset(): void {
    this.offset = 0;
    this.lines = 0;
    this.pending = Buffer.alloc(0);
    this.summary = EMPTY_TRAIN_PROGRESS;
  }
}
