import type { ColorName } from '../core/views/cell-style.js';

/** The colour to pass to `<Text color>`, or none under NO_COLOR. */
export function paint(noColor: boolean | undefined, color: ColorName | undefined): ColorName | undefined {
  return noColor ? undefined : color;
}
