/**
 * Short forms of generator ids for the matrix's name column, unique across the run. Model ids
 * share long prefixes (`llama-3.1-405b-instruct`, `llama-3.1-70b-instruct`): cutting their
 * ends makes them all read `llama-3.1…`, so the parts that tell them apart are kept instead.
 */

/** Words that say little once a model id is on screen: a provider prefix, `-instruct`, `-chat`, a date. */
function stripNoise(id: string): string {
  return id
    .replace(/^[^/]*\//, '')
    .replace(/[-_](instruct|chat|hf|it|preview|latest)\b/gi, '')
    .replace(/[-_](20\d{2}-?\d{2}-?\d{2})$/, '');
}

/** `llama-3.1-405b` -> `l3.1-405b`, `claude-3.5-sonnet` -> `c3.5-sonnet`: a family name to its initial. */
function initialFamily(id: string): string {
  return id.replace(/^([A-Za-z])[A-Za-z]+[-_]?(?=\d)/, '$1');
}

/** `llama-3.1-405b-instruct` at 10: `lla…5b-ins`; keeps the tail, where sizes and variants are. */
export function middleEllipsis(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  if (width <= 1) return '…'.slice(0, width);
  const head = Math.max(1, Math.floor((width - 1) / 3));
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

function levels(id: string): string[] {
  const stripped = stripNoise(id) || id;
  return [id, stripped, initialFamily(stripped)];
}

function commonPrefix(ids: readonly string[]): number {
  let n = 0;
  while (ids.every((id) => id[n] !== undefined && id[n] === ids[0]![n])) n++;
  return n;
}

const fits = (s: string, width: number) => [...s].length <= width;

/** `llama`, `gpt`, `claude`: ids of one family are shortened alike, so they read as a set. */
function family(id: string): string {
  return /^[A-Za-z]+/.exec(stripNoise(id) || id)?.[0]?.toLowerCase() ?? id;
}

function candidates(id: string, width: number, fromLevel: number): string[] {
  const l = levels(id);
  const shortest = l[l.length - 1]!;
  return [...l.slice(fromLevel).filter((f) => fits(f, width)), middleEllipsis(shortest, width), middleEllipsis(id, width)];
}

/**
 * A label of at most `width` characters per id, distinct whenever the ids are: each id takes
 * its first short form that fits, then ids whose forms collide move on to their next forms;
 * what still collides gets a numbered suffix.
 */
export function shortGeneratorLabels(ids: readonly string[], width: number): Map<string, string> {
  const w = Math.max(1, width);
  const level = (id: string) => {
    const i = levels(id).findIndex((f) => fits(f, w));
    return i < 0 ? 2 : i;
  };
  const familyLevel = new Map<string, number>();
  for (const id of ids) familyLevel.set(family(id), Math.max(familyLevel.get(family(id)) ?? 0, level(id)));
  const options = new Map(ids.map((id) => [id, candidates(id, w, familyLevel.get(family(id))!)]));
  const pick = new Map(ids.map((id) => [id, 0]));
  const label = (id: string) => options.get(id)![Math.min(pick.get(id)!, options.get(id)!.length - 1)]!;
  for (let round = 0; round < 8; round++) {
    const byLabel = new Map<string, string[]>();
    for (const id of ids) byLabel.set(label(id), [...(byLabel.get(label(id)) ?? []), id]);
    const clashes = [...byLabel.values()].filter((group) => group.length > 1);
    if (clashes.length === 0) break;
    for (const group of clashes) for (const id of group) pick.set(id, pick.get(id)! + 1);
  }
  // Ids that differ only in the middle: show where they start to differ.
  const byLabel = new Map<string, string[]>();
  for (const id of ids) byLabel.set(label(id), [...(byLabel.get(label(id)) ?? []), id]);
  const differing = new Map<string, string>();
  for (const group of byLabel.values()) {
    if (group.length < 2) continue;
    const common = commonPrefix(group);
    for (const id of group) differing.set(id, `${[...id].slice(0, 1).join('')}…${[...id].slice(Math.max(1, common)).join('')}`);
  }
  const out = new Map<string, string>();
  const used = new Set<string>();
  ids.forEach((id, i) => {
    let l = differing.has(id) ? [...differing.get(id)!].slice(0, w).join('') : label(id);
    if (used.has(l)) {
      const n = `~${i + 1}`;
      l = `${[...l].slice(0, Math.max(0, width - n.length)).join('')}${n}`;
    }
    used.add(l);
    out.set(id, l);
  });
  return out;
}
