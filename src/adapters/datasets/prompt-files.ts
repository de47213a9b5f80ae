import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkTemplate } from '../../core/prompts/template.js';
import { META_PROMPT_VARIANTS, type MetaPromptVariant, type PromptTemplates, type VariantTemplates } from '../../core/prompts/types.js';
import { DOMAINS, METHODS, type Domain, type Method } from '../../core/setting.js';
import { defaultPromptsDir, displayPath } from './paths.js';

export function promptFile(promptsDir: string, variant: MetaPromptVariant, method: Method, domain: Domain): string {
  return path.join(promptsDir, variant, `${method}-${domain}.txt`);
}

/**
 * Reads `<dir>/<variant>/<method>-<domain>.txt` for every method and domain of the asked
 * variants (all three by default) and checks each; one error lists every missing file or
 * broken template, so a customised prompts folder is fixed in one go. Synchronous: 27 small
 * files, read once at start-up.
 */
export function loadPromptTemplates(
  promptsDir: string = defaultPromptsDir(),
  opts: { readonly variants?: readonly MetaPromptVariant[] } = {},
): PromptTemplates {
  const variants = opts.variants ?? META_PROMPT_VARIANTS;
  const problems: string[] = [];
  const out: Partial<Record<MetaPromptVariant, VariantTemplates>> = {};
  for (const variant of variants) {
    const byMethod = {} as Record<Method, Record<Domain, string>>;
    for (const method of METHODS) {
      byMethod[method] = {} as Record<Domain, string>;
      for (const domain of DOMAINS) {
        const file = promptFile(promptsDir, variant, method, domain);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          problems.push(`${displayPath(file)}: ${code === 'ENOENT' ? 'missing' : (err as Error).message}`);
          continue;
        }
        for (const p of checkTemplate(method, variant, text)) problems.push(`${displayPath(file)}: ${p}`);
        byMethod[method][domain] = text;
      }
    }
    out[variant] = byMethod;
  }
  if (problems.length > 0) throw new Error(`meta-prompt templates in ${displayPath(promptsDir)} are not usable:\n  ${problems.join('\n  ')}`);
  return out;
}
