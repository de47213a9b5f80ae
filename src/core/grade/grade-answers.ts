import { humanEvalProgram, mbppProgram } from './code-program.js';
import { extractGsm8kAnswer, gsm8kAnswersMatch } from './gsm8k-answer.js';
import { mathAnswersMatch } from './math-equiv.js';
import { extractMathAnswer } from './math-extract.js';
import type { CodeRunner, Gsm8kItem, HumanEvalItem, ItemResult, MathItem, MbppItem, SymbolicChecker } from './types.js';

export function gradeGsm8kItem(item: Gsm8kItem, output: string): ItemResult {
  const extracted = extractGsm8kAnswer(output);
  const correct = gsm8kAnswersMatch(extracted, item.gold);
  return { id: item.id, score: correct ? 1 : 0, gold: item.gold, ...(extracted === undefined ? { detail: 'no number in output' } : { extracted }) };
}

export async function gradeMathItem(item: MathItem, output: string, symbolic?: SymbolicChecker): Promise<ItemResult> {
  const extracted = extractMathAnswer(output);
  if (extracted === undefined) return { id: item.id, score: 0, gold: item.gold, detail: 'no answer found' };
  const m = await mathAnswersMatch(extracted, item.gold, symbolic);
  return { id: item.id, score: m.equal ? 1 : 0, gold: item.gold, extracted, detail: m.symbolic ? `${m.by}; symbolic check ${m.symbolic}` : m.by };
}

function lastLine(text: string): string {
  return (text.trim().split('\n').at(-1) ?? '').slice(0, 200);
}

export async function gradeCodeItem(item: MbppItem | HumanEvalItem, output: string, run: CodeRunner): Promise<ItemResult> {
  const program = item.benchmark === 'mbpp' ? mbppProgram(item, output) : humanEvalProgram(item, output);
  const r = await run(program);
  const why = r.status === 'passed' ? 'passed' : `${r.status}${r.stderr ? `: ${lastLine(r.stderr)}` : ''}`;
  return { id: item.id, score: r.status === 'passed' ? 1 : 0, detail: why };
}
