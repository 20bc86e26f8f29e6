// Differences between the VS Code versions the extension supports (engines.vscode ^1.104.0,
// the base of the oldest forks) that need a fallback at run time. Each is listed in the README
// ("Supported editors"). No vscode import: callers pass vscode.version.

/** True when `version` ("1.104.0", "1.106.3-insider") is `min` or newer; an unreadable version counts as new. */
export function versionAtLeast(version: string | undefined, min: string): boolean {
  const parse = (v: string) => /^(\d+)\.(\d+)\.(\d+)/.exec(v)?.slice(1).map(Number);
  const have = version === undefined ? undefined : parse(version);
  const want = parse(min);
  if (!have || !want) return true;
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

/**
 * Redrawing one expanded tree row whose children changed (onDidChangeTreeData fired with that
 * row) leaves it with no child rows in VS Code 1.104 (seen in code-server 4.104.0 after "Load
 * more runs…"); 1.139 shows the new children. Older versions get a whole-list redraw instead,
 * which every version handles. 1.139 is the oldest version where the row redraw was seen to work.
 */
export const ROW_REDRAW_SHOWS_NEW_CHILDREN_SINCE = '1.139.0';

export function rowRedrawShowsNewChildren(vscodeVersion: string | undefined): boolean {
  return versionAtLeast(vscodeVersion, ROW_REDRAW_SHOWS_NEW_CHILDREN_SINCE);
}
