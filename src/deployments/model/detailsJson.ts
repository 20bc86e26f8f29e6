// The text of a Show Details document: the server's JSON, pretty-printed and redacted. JSON
// nested thousands of levels deep makes JSON.stringify throw RangeError; then the output is
// cut at a fixed depth and says so where it was cut. No vscode import.

import * as l10n from '@vscode/l10n';
import { redactSecrets } from '../../common/display';

export const DETAILS_MAX_DEPTH = 64;

function cutAt(value: unknown, depth: number, marker: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= DETAILS_MAX_DEPTH) return marker;
  if (Array.isArray(value)) return value.map((x) => cutAt(x, depth + 1, marker));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = cutAt(v, depth + 1, marker);
  return out;
}

/** Pretty JSON of `value`, redacted; depth-limited (with a note at each cut) when too deep to print whole. */
export function detailsJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? 'null';
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const marker = l10n.t('[cut: the server sent JSON nested more than {0} levels deep; deeper levels are not shown]', DETAILS_MAX_DEPTH);
    text = JSON.stringify(cutAt(value, 0, marker), null, 2);
  }
  return `${redactSecrets(text)}\n`;
}
