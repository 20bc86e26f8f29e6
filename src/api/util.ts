// Small helpers shared by the API layer.

export type Obj = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function excerpt(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `text` without trailing slashes. */
export function withoutTrailingSlash(text: string): string {
  return text.replace(/\/+$/, '');
}
