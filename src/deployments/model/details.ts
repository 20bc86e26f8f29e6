// The read-only JSON documents of a deployment or a run: a title that names the deployment,
// and the keys a reader looks for first. Pure (no vscode import).

import * as l10n from '@vscode/l10n';
import { titleSafe } from '../../common/display';

const FIRST_KEYS = ['id', 'name', 'status', 'schedule'];

/** The object with `id`, `name`, `status`, `schedule` first, then the rest in the server's order. */
export function withKeysFirst(raw: Record<string, unknown>, first: readonly string[] = FIRST_KEYS): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of first) if (Object.prototype.hasOwnProperty.call(raw, k)) out[k] = raw[k];
  for (const [k, v] of Object.entries(raw)) if (!(k in out)) out[k] = v;
  return out;
}

/** `nightly-audit · details` */
export function detailsTitle(name: string): string {
  return l10n.t('{0} · details', titleSafe(name));
}

/** `nightly-audit · run run_01…`: the run id keeps two runs apart. */
export function runTitle(name: string, runId: string): string {
  return l10n.t('{0} · run {1}', titleSafe(name), runId);
}
