export { parseGeneration } from './parse-generation.js';
export { validateInstance, type ValidateOptions } from './validate.js';
export { instructionKey, isTruncated } from './instruction-key.js';
export { checkResultTag, extractResult, lastBoxedAnswer, gsm8kFinalAnswer } from './math-answer.js';
export { checkCodeResponse, findCodeBlocks, notPythonBecause, CODE_LANGUAGES, type CodeBlock } from './code-block.js';
export { normalizeSeedItem, normalizeSeedResponse } from './seed-normalize.js';
export * from './types.js';
