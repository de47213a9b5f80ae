import { alpacaEvalPrompt, arenaHardPrompt, gsm8kPrompt, humanEvalPrompt, mathPrompt, mbppPrompt } from '../../core/grade/benchmark-prompts.js';
import { parseGsm8kGold } from '../../core/grade/gsm8k-answer.js';
import { mathGold } from '../../core/grade/math-extract.js';
import type { AlpacaEvalItem, ArenaHardItem, Gsm8kItem, HumanEvalItem, MathItem, MbppItem } from '../../core/grade/types.js';
import { DataFileError, str, strList, type SourcedRecord } from './record-reader.js';

/** MBPP's test split by task id (Austin et al.): 1-10 prompt, 11-510 test, 511-600 validation, 601-974 train. */
export const MBPP_TEST_IDS = { first: 11, last: 510 } as const;

export function gsm8kItems(records: readonly SourcedRecord[]): Gsm8kItem[] {
  return records.map((r) => {
    const question = str(r, 'question');
    const solution = str(r, 'answer');
    const gold = parseGsm8kGold(solution);
    if (gold === undefined) throw new DataFileError(`${r.where}: field "answer" has no "#### <number>" at its end`);
    return { benchmark: 'gsm8k', id: String(r.index), prompt: gsm8kPrompt(question), question, solution, gold };
  });
}

export function mathItems(records: readonly SourcedRecord[]): MathItem[] {
  return records.map((r) => {
    const problem = str(r, 'problem');
    const solution = str(r, 'solution');
    const answer = str(r, 'answer', { optional: true });
    const gold = mathGold({ answer, solution });
    if (gold === undefined) throw new DataFileError(`${r.where}: no "answer" field and no \\boxed{} in "solution"`);
    const subject = str(r, 'subject', { optional: true }) || str(r, 'type', { optional: true });
    const level = str(r, 'level', { optional: true });
    return {
      benchmark: 'math',
      id: str(r, 'unique_id'),
      prompt: mathPrompt(problem),
      problem,
      solution,
      gold,
      ...(subject ? { subject } : {}),
      ...(level ? { level } : {}),
    };
  });
}

/** MBPP items; with `testSplitOnly` (the default) a full 974-task file is cut to task ids 11-510. */
export function mbppItems(records: readonly SourcedRecord[], testSplitOnly = true): MbppItem[] {
  const items = records.map((r): MbppItem => {
    const text = str(r, 'text');
    const testList = strList(r, 'test_list');
    return {
      benchmark: 'mbpp',
      id: str(r, 'task_id'),
      prompt: mbppPrompt(text, testList),
      text,
      code: str(r, 'code'),
      testList,
      testSetupCode: str(r, 'test_setup_code', { optional: true }),
    };
  });
  if (!testSplitOnly) return items;
  return items.filter((i) => Number(i.id) >= MBPP_TEST_IDS.first && Number(i.id) <= MBPP_TEST_IDS.last);
}

export function humanEvalItems(records: readonly SourcedRecord[]): HumanEvalItem[] {
  return records.map((r) => {
    const functionPrompt = str(r, 'prompt');
    return {
      benchmark: 'humaneval',
      id: str(r, 'task_id'),
      prompt: humanEvalPrompt(functionPrompt),
      functionPrompt,
      entryPoint: str(r, 'entry_point'),
      canonicalSolution: str(r, 'canonical_solution'),
      test: str(r, 'test'),
    };
  });
}

export function alpacaEvalItems(records: readonly SourcedRecord[]): AlpacaEvalItem[] {
  return records.map((r) => {
    const instruction = str(r, 'instruction');
    const dataset = str(r, 'dataset', { optional: true });
    return {
      benchmark: 'alpaca_eval',
      id: String(r.index),
      prompt: alpacaEvalPrompt(instruction),
      instruction,
      referenceOutput: str(r, 'output'),
      ...(dataset ? { dataset } : {}),
    };
  });
}

function firstTurn(r: SourcedRecord, value: unknown, field: string): string {
  const turns = Array.isArray(value) ? (value[0] as { content?: unknown } | undefined) : undefined;
  if (typeof turns?.content !== 'string') throw new DataFileError(`${r.where}: ${field}[0].content must be a string`);
  return turns.content;
}

/** Arena-Hard questions joined with the gpt-4-0314 baseline answers by `question_id`. */
export function arenaHardItems(questions: readonly SourcedRecord[], baseline: readonly SourcedRecord[], baselineFile: string): ArenaHardItem[] {
  const answers = new Map<string, string>();
  for (const r of baseline) {
    const choices = r.value.choices;
    const choice = Array.isArray(choices) ? (choices[0] as Record<string, unknown> | undefined) : undefined;
    answers.set(str(r, 'question_id'), firstTurn(r, choice?.turns, 'choices[0].turns'));
  }
  return questions.map((r) => {
    const id = str(r, 'question_id');
    const question = firstTurn(r, r.value.turns, 'turns');
    const baselineAnswer = answers.get(id);
    if (baselineAnswer === undefined) throw new DataFileError(`${baselineFile}: no baseline answer for question_id ${id} (${r.where})`);
    const category = str(r, 'category', { optional: true });
    const cluster = str(r, 'cluster', { optional: true });
    return {
      benchmark: 'arena_hard',
      id,
      prompt: arenaHardPrompt(question),
      question,
      baselineAnswer,
      ...(category ? { category } : {}),
      ...(cluster ? { cluster } : {}),
    };
  });
}
