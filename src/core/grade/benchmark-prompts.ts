/**
 * What the student is asked for each benchmark. The paper fine-tunes on plain
 * instruction/response pairs, so the math and instruction-following benchmarks hand the
 * student the problem as it is (its math responses end in `[RESULT] ... [/RESULT]`, which the
 * graders read first). The code benchmarks use their established chat-style formats.
 */

export function gsm8kPrompt(question: string): string {
  return question.trim();
}

export function mathPrompt(problem: string): string {
  return problem.trim();
}

/** MBPP's prompt from the original paper (Austin et al.) and lm-eval-harness, without the shots. */
export function mbppPrompt(text: string, testList: readonly string[]): string {
  return `You are an expert Python programmer, and here is your task: ${text.trim()} Your code should pass these tests:\n\n${testList.join('\n')}`;
}

/** evalplus' instruction prefix for chat models, around the original HumanEval prompt. */
export function humanEvalPrompt(functionPrompt: string): string {
  return `Please provide a self-contained Python script that solves the following problem in a markdown code block:\n\`\`\`\n${functionPrompt.trim()}\n\`\`\``;
}

export function alpacaEvalPrompt(instruction: string): string {
  return instruction;
}

export function arenaHardPrompt(question: string): string {
  return question;
}
