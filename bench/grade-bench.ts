import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { humanEvalItems, mathItems } from '../src/adapters/benchmarks/benchmark-records.js';
import { readRecords } from '../src/adapters/benchmarks/record-reader.js';
import { createSandboxRunner, runPythonSandboxed } from '../src/adapters/sandbox/python-sandbox.js';
import { SympyChecker } from '../src/adapters/sandbox/sympy-checker.js';
import { gradeMathItem } from '../src/core/grade/grade-answers.js';
import { gradeBenchmark } from '../src/core/grade/grade-benchmark.js';

const dataDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data');

/**
 * Grading throughput: MATH-500 gold answers graded per second (string rules; the symbolic
 * path measured separately on answers that need sympy), HumanEval's 164 canonical solutions
 * through the sandbox, and the sandbox's cost for a program that does nothing.
 */
export async function benchGrading(): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  const sympy = await SympyChecker.start();
  out.sympy = sympy.status.available ? sympy.status.version : `unavailable: ${sympy.status.reason}`;
  try {
    const mathFile = resolve(dataDir, 'math', 'math500_test.jsonl');
    if (existsSync(mathFile)) {
      const items = mathItems(await readRecords(mathFile));
      const t0 = performance.now();
      let graded = 0;
      for (const item of items) {
        for (const output of [`[RESULT] ${item.gold} [/RESULT]`, `Thus $\\boxed{${item.gold}}$.`, item.solution]) {
          await gradeMathItem(item, output, sympy);
          graded++;
        }
      }
      out.math500_gold_graded_per_s = Math.round(graded / ((performance.now() - t0) / 1000));
    } else out.math500_gold_graded_per_s = 'skipped: no ../shared/data/math/math500_test.jsonl';

    if (sympy.status.available) {
      // Distinct pairs (the checker caches repeats): k*sqrt(m) against sqrt(k^2 m).
      const pairs: [string, string][] = [];
      for (let k = 2; k < 10; k++) for (const m of [2, 3, 5, 6, 7]) pairs.push([`${k}\\sqrt{${m}}`, `\\sqrt{${k * k * m}}`]);
      const t1 = performance.now();
      for (const [a, b] of pairs) await sympy.equivalent(a, b);
      out.math_symbolic_checks_per_s = Math.round((pairs.length / (performance.now() - t1)) * 1000 * 10) / 10;
    }
  } finally {
    await sympy.close();
  }

  const trivial: number[] = [];
  for (let i = 0; i < 10; i++) trivial.push((await runPythonSandboxed('pass')).durationMs);
  trivial.sort((a, b) => a - b);
  out.sandbox_trivial_run_ms_median = trivial[5] ?? Number.NaN;

  const heFile = resolve(dataDir, 'humaneval', 'HumanEval.jsonl');
  if (existsSync(heFile)) {
    const items = humanEvalItems(await readRecords(heFile));
    const preds = new Map(items.map((i) => [i.id, `\`\`\`python\n${i.functionPrompt}${i.canonicalSolution}\`\`\``]));
    const t2 = performance.now();
    const report = await gradeBenchmark('humaneval', items, preds, { runCode: createSandboxRunner({ timeoutMs: 20_000 }) });
    out.humaneval_164_canonical_wall_ms = Math.round(performance.now() - t2);
    out.humaneval_canonical_pass_at_1 = report.score;
  } else out.humaneval_164_canonical_wall_ms = 'skipped: no ../shared/data/humaneval/HumanEval.jsonl';
  return out;
}
