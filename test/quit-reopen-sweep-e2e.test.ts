import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agoraResponder } from './support/agora-responder.js';
import { startFakeLlmServer } from './support/fake-llm-server.js';
import { runAgora } from './support/run-cli.js';
import { judgeResponder, writeTinyBenchmarks } from './support/student-responder.js';
import { REPO_ROOT, tempDir } from './support/temp-run.js';
import { TtySession } from './support/tty-session.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const SETTINGS = ['math', 'code', 'inst'].flatMap((d) => ['instance', 'response', 'quality'].map((m) => `${d}/${m}`));
const GENERATORS = ['llama-3.1-405b', 'llama-3.1-70b', 'llama-3.1-8b'];

interface StatusCell {
  generator: string;
  setting: string;
  stage: string;
  state: string;
  error?: string;
}

/**
 * What a researcher does over a week: starts the sweep in the dashboard, quits while cells
 * train and evaluate, reopens, quits again, reopens. Every cell must end done, every quit must
 * exit 0, and no stack trace may ever reach the screen.
 */
describe('a sweep quit and reopened twice mid-run', () => {
  it('3 generators x 9 settings through generate, train and evaluate end with no failed cell', async () => {
    const generator = await startFakeLlmServer({ responder: agoraResponder(), latencyMs: 10 });
    cleanups.push(() => generator.close());
    const judge = await startFakeLlmServer({ responder: judgeResponder() });
    cleanups.push(() => judge.close());
    const t = tempDir();
    cleanups.push(t.cleanup);
    const tiny = writeTinyBenchmarks(path.join(t.dir, 'bench'));
    const responder = path.join(t.dir, 'student.ts');
    fs.writeFileSync(
      responder,
      `import { studentResponder } from ${JSON.stringify(path.join(REPO_ROOT, 'test/support/student-responder.ts'))};\nexport default studentResponder(${JSON.stringify(tiny.answers)});\n`,
    );
    const serve = `cd ${REPO_ROOT} && exec node --import tsx test/support/fake-llm-server-main.ts --port {port} --responder-module ${responder}`;
    const gens = GENERATORS.map(
      (id) =>
        `  - { id: ${id}, provider: openai-compatible, model: fake-model, baseURL: "${generator.openaiBaseURL}", price: { input: 1, output: 2 }, concurrency: 2 }`,
    ).join('\n');
    fs.writeFileSync(
      path.join(t.dir, 'sweep.yaml'),
      `name: week
instancesPerCell: 3
seedSets: bundled
budget: { usd: 50 }
generators:
${gens}
settings: [${SETTINGS.join(', ')}]
generation: { maxWorkers: 6 }
train: { runner: local, gpus: 3, gpusPerJob: 1, command: "node test/fixtures/fake-trainer.mjs --progress-file {progress_file} --checkpoint {output_dir} --steps 8 --interval-ms 150" }
evaluate:
  serveCommand: ${JSON.stringify(serve)}
  readinessTimeoutSeconds: 60
  maxJobs: 2
  benchmarks: ${JSON.stringify(tiny.benchmarks)}
  judge: { generator: { id: judge, provider: openai-compatible, model: judge-model, baseURL: "${judge.openaiBaseURL}", price: { input: 1, output: 2 }, concurrency: 2 } }
  sandbox: { timeoutSeconds: 10, concurrency: 2 }
`,
    );
    const open = () => {
      const s = new TtySession(['--config', 'sweep.yaml', '--stages', 'generate,train,evaluate'], { cwd: t.dir, cols: 160, rows: 50 });
      cleanups.push(async () => {
        if (s.child.exitCode === null) {
          s.press('q');
          await Promise.race([s.exited, new Promise((r) => setTimeout(r, 5000))]);
          s.child.kill('SIGKILL');
        }
      });
      return s;
    };
    const status = async () =>
      (JSON.parse((await runAgora(['status', '--json', '--config', 'sweep.yaml'], { cwd: t.dir })).stdout) as { cells: StatusCell[] }).cells;
    cleanups.push(async () => void (await runAgora(['stop', '--config', 'sweep.yaml'], { cwd: t.dir })));
    const screens: string[] = [];

    // Quit while cells train (the poll of a training job awaits its runner and progress file).
    const first = open();
    await first.waitForText(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏▸]T/, 'a cell training');
    first.press('q');
    expect(await first.exited).toBe(0);
    screens.push(first.text);

    // Quit while cells evaluate.
    const second = open();
    await second.waitForText(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏▸]E/, 'a cell evaluating', 240_000);
    second.press('q');
    expect(await second.exited).toBe(0);
    screens.push(second.text);

    const third = open();
    await third.waitForText(/27 done/, 'every cell to finish', 400_000);
    third.press('q');
    expect(await third.exited).toBe(0);
    screens.push(third.text);

    for (const s of screens) {
      expect(s).toMatch(/detached: \d+ jobs? go on in the background/);
      expect(s).not.toMatch(/TypeError|Error: |\n\s+at .+:\d+:\d+/);
    }
    const cells = await status();
    expect(cells).toHaveLength(27);
    expect(cells.filter((c) => !(c.stage === 'evaluate' && c.state === 'done'))).toEqual([]);
  }, 720_000);
});
