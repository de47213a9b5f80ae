import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../datasets/paths.js';
import type { SymbolicChecker, SymbolicVerdict } from '../../core/grade/types.js';

export const MATH_EQUIV_SCRIPT = path.join(projectRoot(), 'python/math_equiv.py');

/** Pythons tried in order: the one on PATH, then the system one (where apt's python3-sympy goes). */
export const PYTHON_CANDIDATES: readonly string[] = ['python3', '/usr/bin/python3'];

export interface SympyCheckerOptions {
  readonly pythons?: readonly string[];
  /** Per-check limit inside the Python process. */
  readonly timeoutMs?: number;
  readonly script?: string;
}

interface Pending {
  readonly id: number;
  readonly resolve: (v: SymbolicVerdict) => void;
  readonly timer: NodeJS.Timeout;
}

const VERDICTS = ['equal', 'different', 'unparseable', 'timeout', 'error'] as const satisfies readonly SymbolicVerdict[];

// The lines python/math_equiv.py writes: a greeting, then one reply per check.
const greetingSchema = z.discriminatedUnion('ready', [
  z.object({ ready: z.literal(true), sympy: z.string() }),
  z.object({ ready: z.literal(false), error: z.string() }),
]);
// id null: the script could not read the request (its detail says why).
const replySchema = z.object({ id: z.number().int().nullable(), result: z.enum(VERDICTS), detail: z.string().nullish() });

/** A line parsed with `schema`, or what is wrong with it. */
function parseLine<S extends z.ZodType>(schema: S, line: string): { value: z.output<S> } | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { problem: `not JSON: ${line.slice(0, 200)}` };
  }
  const r = schema.safeParse(raw);
  return r.success ? { value: r.data } : { problem: r.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ') };
}

/**
 * One long-lived `python3 math_equiv.py` fed JSON lines (start-up costs about a second of
 * sympy import; a check costs milliseconds). Checks run one at a time; a process that stops
 * answering within the per-check limit plus a grace period is killed and replaced.
 */
export class SympyChecker implements SymbolicChecker {
  private child: ChildProcessWithoutNullStreams | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private python: string | undefined;
  /** sympy's version, or why there is no symbolic check. */
  status: { readonly available: true; readonly python: string; readonly version: string } | { readonly available: false; readonly reason: string } = {
    available: false,
    reason: 'not started',
  };
  /** Why the last check was an error without sympy saying so (a line from the script that was not a reply). */
  lastProblem: string | undefined;

  private constructor(private readonly opts: Required<SympyCheckerOptions>) {}

  static async start(options: SympyCheckerOptions = {}): Promise<SympyChecker> {
    const checker = new SympyChecker({
      pythons: options.pythons ?? PYTHON_CANDIDATES,
      timeoutMs: options.timeoutMs ?? 3000,
      script: options.script ?? MATH_EQUIV_SCRIPT,
    });
    const reasons: string[] = [];
    for (const python of checker.opts.pythons) {
      const hello = await checker.launch(python);
      if (hello.ok) {
        checker.python = python;
        checker.status = { available: true, python, version: hello.version };
        return checker;
      }
      reasons.push(`${python}: ${hello.reason}`);
    }
    checker.status = { available: false, reason: `no python with sympy (${reasons.join('; ')})` };
    return checker;
  }

  private launch(python: string): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
    return new Promise((resolve) => {
      let child: ChildProcessWithoutNullStreams;
      try {
        child = spawn(python, ['-u', this.opts.script], { stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (err) {
        resolve({ ok: false, reason: (err as Error).message });
        return;
      }
      let stderr = '';
      let greeted = false;
      // Importing sympy takes a second or two; a minute means something is wrong.
      const startup = setTimeout(() => child.kill('SIGKILL'), 60_000);
      // A dead process surfaces through 'exit'; a write into its closed pipe must not throw.
      child.stdin.on('error', () => undefined);
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      child.on('error', (err) => {
        if (!greeted) resolve({ ok: false, reason: err.message });
      });
      child.on('exit', (code) => {
        clearTimeout(startup);
        if (!greeted) resolve({ ok: false, reason: `exited with ${code}${stderr ? `: ${stderr.trim()}` : ''}` });
        if (this.child === child) this.child = undefined;
        this.failPending('error');
      });
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        if (!greeted) {
          greeted = true;
          clearTimeout(startup);
          const hello = parseLine(greetingSchema, line);
          const greeting = 'value' in hello ? hello.value : { ready: false as const, error: `unexpected greeting from ${this.opts.script}: ${hello.problem}` };
          if (greeting.ready) {
            this.child = child;
            resolve({ ok: true, version: greeting.sympy });
          } else {
            resolve({ ok: false, reason: greeting.error });
            child.kill('SIGKILL');
          }
          return;
        }
        this.onReply(line);
      });
    });
  }

  private onReply(line: string): void {
    const reply = parseLine(replySchema, line);
    if (!('value' in reply)) {
      // Not a reply: the process and agora no longer agree on what it says. The check is an
      // error now (not a timeout seconds later), and the next one gets a fresh process.
      this.lastProblem = `${this.opts.script} answered a line that is not a reply (${reply.problem})`;
      const child = this.child;
      this.failPending('error');
      child?.kill('SIGKILL');
      if (this.child === child) this.child = undefined;
      return;
    }
    if (reply.value.id === null) {
      this.lastProblem = `${this.opts.script} could not read a request: ${reply.value.detail ?? 'no detail'}`;
      this.failPending('error');
      return;
    }
    const p = this.pending;
    if (!p || reply.value.id !== p.id) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve(reply.value.result);
  }

  private failPending(v: SymbolicVerdict): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve(v);
  }

  equivalent(a: string, b: string): Promise<SymbolicVerdict> {
    const run = this.queue.then(() => this.check(a, b));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async check(a: string, b: string): Promise<SymbolicVerdict> {
    if (!this.status.available || !this.python) return 'unavailable';
    if (!this.child) {
      const again = await this.launch(this.python);
      if (!again.ok) return 'error';
    }
    const child = this.child;
    if (!child) return 'error';
    const id = this.nextId++;
    return new Promise<SymbolicVerdict>((resolve) => {
      const timer = setTimeout(() => {
        // The in-process alarm did not fire (a long C-level computation): replace the process.
        this.failPending('timeout');
        child.kill('SIGKILL');
        if (this.child === child) this.child = undefined;
      }, this.opts.timeoutMs + 3000);
      this.pending = { id, resolve, timer };
      child.stdin.write(`${JSON.stringify({ id, a, b, timeout: this.opts.timeoutMs / 1000 })}\n`);
    });
  }

  async close(): Promise<void> {
    await this.queue;
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(kill);
    }
  }
}
