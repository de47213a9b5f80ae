export * from './types.js';
export { mulberry32, deriveSeed, randomInt, randomChoice, sampleIndices, shuffle, type Rng } from './rng.js';
export { pickDemos, pickFirstWord, pickTopic, DEMOS_FROM_SEEDS, DEMOS_TOTAL } from './pick.js';
export { TOPICS, CODE_PROMPT_LANGUAGES } from './topics.js';
export { FIRST_WORDS } from './openers.js';
export { GENERATION_SYSTEM_MESSAGE, withSystemMessage } from './system-message.js';
export {
  renderInstancePrompt,
  renderResponsePrompt,
  renderQualityPrompt,
  formatDemos,
  stopSequences,
  type InstancePromptInput,
  type ResponsePromptInput,
  type QualityPromptInput,
} from './render.js';
export { checkTemplate, fillTemplate, toMessages, templatePlaceholders, TEMPLATE_PLACEHOLDERS, PROMPT_ENDING } from './template.js';
