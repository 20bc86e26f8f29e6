// Where a field named by a path (`schedule.expression`, `initial_events[0].content`,
// `metadata.team`, as our validation and the server's 400 `param` name it) sits in a JSON
// document's text, so a save error can be marked on it. Pure: no vscode.

export interface Spot {
  offset: number;
  length: number;
}

/** `a.b[0].c` → ['a', 'b', 0, 'c']. */
export function pathParts(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}

/**
 * The text range of the value at `path` (the deepest part of the path that exists: a field the
 * server names inside a value we do not split is marked on that value). Undefined when the text
 * is not JSON or not even the first part exists.
 */
export function fieldSpot(text: string, path: string): Spot | undefined {
  const want = pathParts(path);
  let i = 0;
  let best: Spot | undefined;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  // Parses one value; `depth` parts of the path matched so far (-1: off the path).
  const value = (depth: number): void => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      let index = 0;
      for (;;) {
        ws();
        if (text[i] === '}' || text[i] === ']') break;
        let key: string | number = index++;
        if (c === '{') {
          key = str();
          ws();
          if (text[i] !== ':') throw new Error('colon');
          i++;
        }
        value(depth >= 0 && want[depth] === key ? depth + 1 : -1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}' && text[i] !== ']') throw new Error('comma');
      }
      i++;
    } else if (c === '"') str();
    else {
      while (i < text.length && /[^,\]}\s]/.test(text[i] as string)) i++;
      if (i === start) throw new Error('value');
    }
    if (depth > 0 && (!best || depth >= bestDepth)) {
      best = { offset: start, length: i - start };
      bestDepth = depth;
    }
  };
  let bestDepth = 0;
  try {
    value(0);
  } catch {
    return undefined;
  }
  return best;
}
