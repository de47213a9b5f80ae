import type { ChatMessage, CompletionRequest } from '../ports.js';

/**
 * AlpacaEval 2.0's annotator prompt (`alpaca_eval_clf_gpt4_turbo`, used by
 * `weighted_alpaca_eval_gpt4_turbo`): two unordered outputs named `m` and `M`, the judge names
 * the better one. AlpacaEval reads the judge's log-probabilities of `m`/`M`; through a plain
 * completion port we read the token it writes, i.e. the discrete preference.
 */
const SYSTEM =
  'You are a highly efficient assistant, who evaluates and selects the best large language model (LLMs) based on the quality of their responses to a given instruction. This process will be used to create a leaderboard reflecting the most accurate and human-preferred answers.';

function userPrompt(instruction: string, output1: string, output2: string): string {
  return `I require a leaderboard for various large language models. I'll provide you with prompts given to these models and their corresponding outputs. Your task is to assess these responses, and select the model that produces the best output from a human perspective.

## Instruction

{
    "instruction": """${instruction}""",
}

## Model Outputs

Here are the unordered outputs from the models. Each output is associated with a specific model, identified by a unique model identifier.

{
    {
        "model_identifier": "m",
        "output": """${output1}"""
    },
    {
        "model_identifier": "M",
        "output": """${output2}"""
    }
}

## Task

Evaluate the models based on the quality and relevance of their outputs, and select the model that generated the best output. Answer by providing the model identifier of the best model. We will use your output as the name of the best model, so make sure your output only contains one of the following model identifiers and nothing else (no quotes, no spaces, no new lines, ...): m or M.

## Best Model Identifier`;
}

export function alpacaJudgeMessages(instruction: string, output1: string, output2: string): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: userPrompt(instruction, output1, output2) },
  ];
}

export function alpacaJudgeRequest(instruction: string, output1: string, output2: string): CompletionRequest {
  // A few tokens rather than AlpacaEval's one: judges that are not GPT-4 may open with a quote.
  return { messages: alpacaJudgeMessages(instruction, output1, output2), maxTokens: 8, temperature: 0 };
}

/** The follow-up when the first answer named neither identifier. */
export function alpacaJudgeRetry(first: CompletionRequest, reply: string): CompletionRequest {
  return {
    ...first,
    messages: [
      ...first.messages,
      { role: 'assistant', content: reply },
      { role: 'user', content: 'Answer with only the model identifier of the best model: m or M.' },
    ],
  };
}

/** 1 when output 1 (`m`) is preferred, 2 for output 2 (`M`), undefined when the reply names neither. */
export function parseAlpacaVerdict(reply: string): 1 | 2 | undefined {
  const token = reply.trim().replace(/^["'`*\s]+|["'`*.\s]+$/g, '');
  if (token === 'm') return 1;
  if (token === 'M') return 2;
  const first = /^["'`*\s]*([mM])\b/.exec(reply.trim());
  if (first?.[1] === 'm') return 1;
  if (first?.[1] === 'M') return 2;
  return undefined;
}
