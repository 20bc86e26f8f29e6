// Credits and outcome verdicts in words (interaction-and-files.md §5), for the run tooltip, the
// deployment tooltip and the transcript header. Pure (no vscode); small, so the main bundle
// can carry it.

import * as l10n from '@vscode/l10n';


/** "1.84 credits" (at most two decimals, as the API floors them). */
export function creditsText(credits: number): string {
  const n = Math.floor(credits * 100 + 1e-6) / 100;
  return n === 1 ? l10n.t('1 credit') : l10n.t('{0} credits', n);
}

/** "12.5 credits over the last 8 runs with a session" — the deployment tooltip's sum. */
export function creditsOverRunsText(total: number, runs: number): string {
  const n = Math.floor(total * 100 + 1e-6) / 100;
  return runs === 1 ? l10n.t('{0} credits over the last run', n) : l10n.t('{0} credits over the last {1} runs', n, runs);
}

export function verdictText(result: string | null): string {
  switch (result) {
    case 'satisfied': return l10n.t('✓ satisfied');
    case 'needs_revision': return l10n.t('↻ needs revision');
    case 'failed': return l10n.t('✗ failed');
    case 'max_iterations_reached': return l10n.t('✗ max iterations reached');
    case 'interrupted': return l10n.t('■ interrupted');
    case null: return l10n.t('… evaluating');
    default: return result;
  }
}

/** The session's outcome evaluations as header lines: "✓ satisfied — All criteria met". */
export function outcomeLines(raw: Record<string, unknown> | undefined): string[] {
  const list = Array.isArray(raw?.outcome_evaluations) ? raw.outcome_evaluations : [];
  return list.flatMap((o: unknown) => {
    if (typeof o !== 'object' || o === null) return [];
    const x = o as { result?: unknown; explanation?: unknown };
    const verdict = verdictText(typeof x.result === 'string' ? x.result : null);
    return [typeof x.explanation === 'string' && x.explanation !== '' ? `${verdict} — ${x.explanation}` : verdict];
  });
}
