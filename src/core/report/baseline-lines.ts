import { BASELINE_SUBJECTS } from '../run-config.js';
import type { BaselineOrigin } from '../snapshot.js';
import type { ReportInput } from './report-model.js';

type Subject = 'base' | 'reference';

const CONFIG_FIELD: Readonly<Record<Subject, string>> = { base: 'evaluate.baselines.base', reference: 'evaluate.baselines.reference' };

/** Where one baseline's scores come from, in words: what the report and the results view print. */
export function describeOrigin(subject: Subject, o: BaselineOrigin): string {
  switch (o.kind) {
    case 'evaluated':
      return `${o.model}, evaluated in agora's harness`;
    case 'paper':
      return `the paper's published Llama-3.1-8B-Instruct scores (${CONFIG_FIELD[subject]}.scores: paper), not evaluated here`;
    case 'config':
      return `scores given in ${CONFIG_FIELD[subject]}.scores, not evaluated here`;
    case 'none':
      return `not configured (${CONFIG_FIELD[subject]})`;
  }
}

/** A few words for a narrow screen: `evaluated here`, `paper's numbers`, ... */
export function shortOrigin(o: BaselineOrigin): string {
  switch (o.kind) {
    case 'evaluated':
      return 'evaluated here';
    case 'paper':
      return "paper's numbers";
    case 'config':
      return 'numbers from the config';
    case 'none':
      return 'not configured';
  }
}

const same = (a: BaselineOrigin, b: BaselineOrigin) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The lines above Table 2 that say which S_0 and S_ref PGR used, whether they come from the
 * same harness as the students, and which scored cells used other baselines than the config
 * names now (their PGR is what they were scored with until they are scored again).
 */
export function baselineLines(input: Pick<ReportInput, 'baselineOrigins' | 'cells'>): string[] {
  const { base, reference } = input.baselineOrigins;
  const lines = [
    'PGR = 100 x (S_DG - S_0) / (S_ref - S_0), per benchmark.',
    `- S_0 (base): ${describeOrigin('base', base)}.`,
    `- S_ref (reference): ${describeOrigin('reference', reference)}.`,
  ];
  if (base.kind === 'evaluated' && reference.kind === 'evaluated') lines.push('- S_0, S_ref and the students are evaluated in the same harness.');
  else lines.push("- S_0 and S_ref are not both evaluated in agora's harness, as the students are: harness differences go into PGR.");
  for (const subject of BASELINE_SUBJECTS) {
    const now = input.baselineOrigins[subject];
    const other = input.cells.flatMap((c) => {
      const used = c.scores?.baselines?.[subject];
      return used && !same(used, now) ? [used] : [];
    });
    if (other.length === 0) continue;
    const label = subject === 'base' ? 'S_0' : 'S_ref';
    const kinds = [...new Set(other.map((o) => describeOrigin(subject, o).split(',')[0]!))];
    lines.push(
      `- ${other.length} scored cell${other.length === 1 ? '' : 's'} used another ${label} than this config names (${kinds.join('; ')}); ${other.length === 1 ? 'its' : 'their'} PGR stays as scored until scored again.`,
    );
  }
  return lines;
}
