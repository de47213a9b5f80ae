import { mbppPrompt } from '../../core/grade/benchmark-prompts.js';
import type { HumanEvalItem, MbppItem } from '../../core/grade/types.js';
import { DataFileError, str, strList, type SourcedRecord } from './record-reader.js';

/**
 * EvalPlus' extra tests for a code item, graded beside the base tests: the paper's numbers
 * are the base-test pass@1 (HumanEval 164, MBPP+ 378 tasks), the plus pass@1 is reported next
 * to them.
 */
export interface PlusTests {
  /** HumanEval+: a `check(candidate)` over the base and plus inputs. MBPP+: a script that calls the function. */
  readonly plusTest?: string;
}

export type MbppPlusItem = MbppItem & PlusTests;
export type HumanEvalPlusItem = HumanEvalItem & PlusTests;

/** `Mbpp/11` (EvalPlus' own files) and `11` (the Hub's evalplus/mbppplus) are the same task. */
function mbppId(r: SourcedRecord): string {
  const v = r.value.task_id;
  if (typeof v === 'number') return String(v);
  return str(r, 'task_id').replace(/^Mbpp\//, '');
}

/** EvalPlus' prompt is the task text and one example assert inside triple quotes. */
function taskText(prompt: string): string {
  return prompt
    .replace(/"""/g, '')
    .split('\n')
    .filter((l) => !l.trim().startsWith('assert '))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** MBPP+ (evalplus/mbppplus): its base asserts are `test_list`, its plus script is `test`. */
export function mbppPlusItems(records: readonly SourcedRecord[]): MbppPlusItem[] {
  return records.map((r) => {
    const text = taskText(str(r, 'prompt'));
    if (!text) throw new DataFileError(`${r.where}: field "prompt" holds no task text`);
    const testList = strList(r, 'test_list');
    const imports = Array.isArray(r.value.test_imports) ? (r.value.test_imports as unknown[]).filter((x): x is string => typeof x === 'string').join('\n') : '';
    const plus = str(r, 'test', { optional: true });
    return {
      benchmark: 'mbpp',
      id: mbppId(r),
      prompt: mbppPrompt(text, testList),
      text,
      code: str(r, 'code'),
      testList,
      testSetupCode: imports,
      ...(plus ? { plusTest: plus } : {}),
    };
  });
}

/** HumanEval items with HumanEval+'s tests (evalplus/humanevalplus `test`) joined by task id. */
export function attachHumanEvalPlus(items: readonly HumanEvalItem[], plus: readonly SourcedRecord[]): HumanEvalPlusItem[] {
  const tests = new Map(plus.map((r) => [str(r, 'task_id'), str(r, 'test')]));
  return items.map((i) => {
    const t = tests.get(i.id);
    return t ? { ...i, plusTest: t } : i;
  });
}

/** The item as its plus tests grade it, or undefined when it has none. */
export function plusVariant(item: MbppPlusItem | HumanEvalPlusItem): MbppItem | HumanEvalItem | undefined {
  if (!item.plusTest) return undefined;
  if (item.benchmark === 'humaneval') return { ...item, test: item.plusTest };
  return { ...item, testList: [item.plusTest] };
}
