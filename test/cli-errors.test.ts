import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgora } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const GOOD = `name: cli
instancesPerCell: 3
budget: { usd: 1 }
generators:
  - { id: local, provider: openai-compatible, model: m, baseURL: "http://127.0.0.1:9/v1", price: { input: 1, output: 1 } }
settings: [math/response]
`;

describe('bad input gets a clear error, exit 2, and writes nothing', () => {
  it('config check lists each problem with file, line and path', async () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'bad.yaml'), GOOD.replace('output: 1 }', 'output: "x" }').replace('math/response', 'math/answers'));
    const r = await runAgora(['config', 'check', 'bad.yaml'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:5:\d+: generators\[0\]\.price\.output: expected a number/);
    expect(r.stderr).toMatch(/bad\.yaml:6:\d+: settings\[0\]: expected <domain>\/<method>/);
    expect(r.stderr).toMatch(/2 problems in bad\.yaml/);
    const ok = await runAgora(['config', 'check', path.join(d, 'good.yaml')], { cwd: d });
    expect(ok.code).toBe(2);
    fs.writeFileSync(path.join(d, 'good.yaml'), GOOD);
    expect((await runAgora(['config', 'check', 'good.yaml'], { cwd: d })).code).toBe(0);
  });

  it('run with a broken seed file names the file and line and creates no run folder', async () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'seeds.jsonl'), '{"q": "What is 1+1?", "a": "2"}\n{"q": "broken\n');
    fs.writeFileSync(path.join(d, 'sweep.yaml'), GOOD + 'seeds:\n  math/response: { path: seeds.jsonl, instruction: q, response: a }\n');
    const r = await runAgora(['run', '--no-tui', '--config', 'sweep.yaml'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/seeds\.jsonl:2/);
    expect(fs.existsSync(path.join(d, 'runs'))).toBe(false);
  });

  it('run with a malformed config exits 2 and creates no run folder', async () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'sweep.yaml'), GOOD.replace('instancesPerCell: 3', 'instancesPerCell: -3'));
    const r = await runAgora(['run', '--no-tui', '--config', 'sweep.yaml'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/instancesPerCell/);
    expect(fs.existsSync(path.join(d, 'runs'))).toBe(false);
  });

  it('usage errors: unknown command, unknown flag, status before any run', async () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'agora.config.yaml'), GOOD);
    expect(await runAgora(['frobnicate'], { cwd: d })).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command "frobnicate"/) });
    expect(await runAgora(['status', '--jsn'], { cwd: d })).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown option --jsn/) });
    expect(await runAgora(['status'], { cwd: d })).toMatchObject({ code: 2, stderr: expect.stringMatching(/no run has started/) });
    expect(await runAgora(['run', '--no-tui', '--stages', 'generate,bake'], { cwd: d })).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown stage "bake"/),
    });
  });

  it('every command answers --help with its own options, exit 0, touching nothing', async () => {
    const d = dir();
    const commands = ['run', 'status', 'plan', 'stop', 'config', 'seeds', 'prompts', 'benchmarks', 'reset', 'grade', 'report'];
    const results = await Promise.all(commands.map((c) => runAgora([c, '--help'], { cwd: d })));
    results.forEach((r, i) => {
      expect(r, commands[i]).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout, commands[i]).toMatch(new RegExp(`^usage: agora ${commands[i]}[^\\n]*\\n[\\s\\S]*-h, --help`));
    });
    // The dashboard's options, without a TTY: `agora --help` stays the overview of commands.
    expect((await runAgora(['plan', '--json', '-h'], { cwd: d })).stdout).toMatch(/--json +print the plan as JSON/);
    expect((await runAgora(['--help'], { cwd: d })).stdout).toMatch(/agora COMMAND --help describes a command's options/);
    expect(fs.readdirSync(d)).toEqual([]);
  });

  it('plan estimates cost without calling any API', async () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'agora.config.yaml'), GOOD);
    const r = await runAgora(['plan', '--json'], { cwd: d });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { budgetUsd: number; total: { low: number; expected: number; high: number }; cells: Array<{ target: number }> };
    expect(plan.budgetUsd).toBe(1);
    expect(plan.cells).toEqual([expect.objectContaining({ generator: 'local', setting: 'math/response', target: 3 })]);
    expect(plan.total.low).toBeGreaterThan(0);
    expect(plan.total.low).toBeLessThanOrEqual(plan.total.expected);
    expect(plan.total.expected).toBeLessThanOrEqual(plan.total.high);
  });
});
