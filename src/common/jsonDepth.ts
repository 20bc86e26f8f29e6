// How deep a parsed JSON value nests, checked without recursion: JSON.stringify and
// structuredClone overflow the stack on values a few thousand levels deep. No vscode import.

/** The deepest nesting a deployment document may have (Show Details cuts at the same depth). */
export const MAX_DOCUMENT_DEPTH = 64;

/** Whether `value` nests objects or arrays more than `max` levels deep. */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
