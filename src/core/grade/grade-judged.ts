import type { CompletionRequest } from '../ports.js';
import { alpacaJudgeRequest, alpacaJudgeRetry, parseAlpacaVerdict } from './alpaca-judge.js';
import { arenaJudgeRequest, arenaJudgeRetry, parseArenaVerdict, type ArenaVerdict } from './arena-judge.js';
import type { ArenaGame } from './arena-score.js';
import type { PairwiseJudgement } from './lc-win-rate.js';
import { itemCoin } from './seeded-random.js';
import type { AlpacaEvalItem, ArenaHardItem, ItemResult, JudgeComplete } from './types.js';

export interface AlpacaJudged {
  readonly result: ItemResult;
  /** Undefined when the judge's answer stayed unparseable after one retry. */
  readonly judgement?: PairwiseJudgement;
}

/**
 * One AlpacaEval comparison. The seat of the student's output (`m` or `M`) is a coin seeded by
 * (seed, item id), so reruns put every item in the same order whatever the concurrency.
 * Identical outputs are a tie without a judge call, as in AlpacaEval.
 */
export async function judgeAlpacaItem(item: AlpacaEvalItem, output: string, judge: JudgeComplete, seed: number): Promise<AlpacaJudged> {
  const lengths = { modelLength: output.length, baselineLength: item.referenceOutput.length };
  if (output.trim() === item.referenceOutput.trim()) {
    return { result: { id: item.id, score: 0.5, detail: 'identical to the reference' }, judgement: { preference: 0.5, ...lengths } };
  }
  const studentFirst = itemCoin(seed, item.id);
  const [o1, o2] = studentFirst ? [output, item.referenceOutput] : [item.referenceOutput, output];
  const req = alpacaJudgeRequest(item.instruction, o1, o2);
  let reply = (await judge(req)).text;
  let verdict = parseAlpacaVerdict(reply);
  if (verdict === undefined) {
    reply = (await judge(alpacaJudgeRetry(req, reply))).text;
    verdict = parseAlpacaVerdict(reply);
  }
  const seat = studentFirst ? 'student=m' : 'student=M';
  if (verdict === undefined) return { result: { id: item.id, extracted: reply.slice(0, 100), detail: `unparseable verdict (${seat})` } };
  const preference = (verdict === 1) === studentFirst ? 1 : 0;
  return { result: { id: item.id, score: preference, extracted: verdict === 1 ? 'm' : 'M', detail: seat }, judgement: { preference, ...lengths } };
}

async function judgeGame(req: CompletionRequest, judge: JudgeComplete): Promise<{ verdict?: ArenaVerdict; note?: string }> {
  let reply = (await judge(req)).text;
  let parsed = parseArenaVerdict(reply);
  if (parsed.kind === 'none') {
    reply = (await judge(arenaJudgeRetry(req, reply))).text;
    parsed = parseArenaVerdict(reply);
  }
  if (parsed.kind === 'verdict') return { verdict: parsed.verdict };
  return { note: parsed.kind === 'none' ? 'no verdict label after a retry' : `conflicting labels ${parsed.labels.join(' ')}` };
}

export interface ArenaJudged {
  readonly result: ItemResult;
  readonly games: readonly [ArenaGame, ArenaGame];
}

/** Arena-Hard's two games per question: baseline as A then the student as A. */
export async function judgeArenaItem(item: ArenaHardItem, output: string, judge: JudgeComplete): Promise<ArenaJudged> {
  const [g1, g2] = await Promise.all([
    judgeGame(arenaJudgeRequest(item.question, item.baselineAnswer, output), judge),
    judgeGame(arenaJudgeRequest(item.question, output, item.baselineAnswer), judge),
  ]);
  const games: [ArenaGame, ArenaGame] = [
    { verdict: g1.verdict, studentIs: 'B' },
    { verdict: g2.verdict, studentIs: 'A' },
  ];
  const notes = [g1.note && `game 1: ${g1.note}`, g2.note && `game 2: ${g2.note}`].filter(Boolean).join('; ');
  return {
    result: {
      id: item.id,
      extracted: `${g1.verdict ?? '?'} | ${g2.verdict ?? '?'}`,
      ...(notes ? { detail: notes } : { detail: 'game 1: student is B; game 2: student is A' }),
    },
    games,
  };
}
