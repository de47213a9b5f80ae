import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './temp-run.js';

/** Strips ANSI escapes so a test can read the screen's text. */
export function stripAnsi(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r/g, '');
}

/**
 * The real `agora` in a real pseudo-terminal (util-linux `script`), fed keys on stdin: the
 * same path a person in tmux or ssh takes, Ink's raw mode included.
 */
export class TtySession {
  readonly child: ChildProcess;
  private raw = '';
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; cols?: number; rows?: number; nodeArgs?: readonly string[] }) {
    const cmd = `stty cols ${opts.cols ?? 120} rows ${opts.rows ?? 40}; exec node ${(opts.nodeArgs ?? []).join(' ')} ${path.join(REPO_ROOT, 'bin/agora.js')} ${args.join(' ')}`;
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...opts.env };
    delete env.CI;
    this.child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => (this.raw += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.raw += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  get text(): string {
    return stripAnsi(this.raw);
  }

  /** The output since the last `mark()`, so a wait sees only frames drawn after an action. */
  private from = 0;
  mark(): void {
    this.from = this.raw.length;
  }
  get recent(): string {
    return stripAnsi(this.raw.slice(this.from));
  }

  press(keys: string): void {
    this.child.stdin!.write(keys);
  }

  async waitForText(re: RegExp, what: string, timeoutMs = 90_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!re.test(this.recent)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen ended with:\n${this.recent.slice(-2000)}`);
      if (this.child.exitCode !== null) throw new Error(`agora exited before ${what}:\n${this.text.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
