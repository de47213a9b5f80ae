export * from './types.js';
export { mulberry32, deriveSeed, randomInt, randomChoice, sampleIndices, shuffle, type Rng } from './rng.js';
export { pickDemos, pickTopic, DEMOS_FROM_SEEDS, DEMOS_TOTAL } from './pick.js';
export { TOPICS } from './topics.js';
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
