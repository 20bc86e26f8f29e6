// Small helpers shared by the API layer.

export type Obj = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `x` when it is a string, else `fallback`. */
export function str(x: unknown, fallback = ''): string {
  return typeof x === 'string' ? x : fallback;
}

/** `x` when it is a string, else null. */
export function strOrNull(x: unknown): string | null {
  return typeof x === 'string' ? x : null;
}

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function excerpt(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `s` with every RegExp metacharacter escaped. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The `host[:port]` of a URL, or undefined when it is not one. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** `text` without trailing slashes. */
export function withoutTrailingSlash(text: string): string {
  return text.replace(/\/+$/, '');
}
