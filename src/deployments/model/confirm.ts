// Texts of the confirmations (archive, run now) and the typed-confirmation rules. Pure: no
// vscode import, strings through @vscode/l10n, so they are unit-tested under plain Node.

import * as l10n from '@vscode/l10n';
import type { Deployment } from '../../api/types';
import { runTimeText, type TextOptions } from '../../common/timeText';
import { displayName, displayText, quote } from '../../common/display';

const MAX_LISTED = 10;
/** Upcoming runs listed in the modal; the rest are counted ("and N more"). */
const MAX_RUNS_LISTED = 5;

/** What archiving stops, by the deployment's state. */
export type ArchiveCase = 'scheduled' | 'paused' | 'manual';

export function archiveCase(d: Deployment): ArchiveCase {
  if (!d.schedule) return 'manual';
  return d.status === 'paused' ? 'paused' : 'scheduled';
}

/**
 * Keeps a time and its zone together ("08:30 Asia/Shanghai" must not wrap at the space): the
 * modal wraps lines at spaces, so the time in the zone uses a no-break space.
 */
function runLine(iso: string, zone: string, o: TextOptions): string {
  return runTimeText(iso, zone, o).replace(/\((\S+) (\S+)\)$/u, '($1\u00a0$2)');
}

/** The name with no-break hyphens (U+2011), so a dialog does not wrap it at a hyphen. */
export function unbreakable(name: string): string {
  return name.replace(/-/g, '\u2011');
}

export interface ArchiveConfirmation {
  /** The modal's title line. */
  message: string;
  /** The modal's body. */
  detail: string;
  /** One line for a typed confirmation's prompt. */
  summary: string;
}

function singleCaseLines(d: Deployment, o: TextOptions): string[] {
  const lines: string[] = [];
  switch (archiveCase(d)) {
    case 'manual':
      lines.push(l10n.t('It is a manual-only deployment: it has no scheduled runs, and it can no longer be run.'));
      break;
    case 'paused':
      lines.push(l10n.t('It is paused, so no runs are scheduled; it can no longer be resumed or run.'));
      break;
    case 'scheduled': {
      const next = d.schedule?.upcoming_runs_at ?? [];
      if (next.length) {
        lines.push(l10n.t('Its scheduled runs stop. These will not happen:'));
        for (const x of next.slice(0, MAX_RUNS_LISTED)) lines.push(`  • ${displayText(runLine(x, d.schedule?.timezone ?? '', o))}`);
        if (next.length > MAX_RUNS_LISTED) lines.push(`  • ${l10n.t('and {0} more', next.length - MAX_RUNS_LISTED)}`);
      } else lines.push(l10n.t('Its scheduled runs stop.'));
      break;
    }
  }
  return lines;
}

export function archiveConfirmation(targets: readonly Deployment[], o: TextOptions = {}): ArchiveConfirmation {
  const lines: string[] = [];
  let summary: string;
  if (targets.length === 1) {
    const d = targets[0];
    lines.push(...singleCaseLines(d, o));
    lines.push('');
    // The new name on a line of its own, with no-break hyphens: it wrapped at its hyphens
    // (`k8s-manifest-lint-` / `2_archived_…`), which read as two names.
    lines.push(l10n.t('It will be renamed (which frees the name {0} for reuse):', quote(d.name)));
    const name = displayName(d.name);
    lines.push(`  ${unbreakable(name)}_archived_<timestamp>`);
    summary = archiveCase(d) === 'scheduled'
      ? l10n.t('Its scheduled runs stop and it is renamed {0}.', `${name}_archived_<timestamp>`)
      : archiveCase(d) === 'paused'
        ? l10n.t('It is paused; it is renamed {0} and can no longer be resumed.', `${name}_archived_<timestamp>`)
        : l10n.t('It is manual-only; it is renamed {0} and can no longer be run.', `${name}_archived_<timestamp>`);
  } else {
    const groups: [ArchiveCase, string][] = [
      ['scheduled', l10n.t('Active: their scheduled runs stop:')],
      ['paused', l10n.t('Paused: no runs are scheduled; they can no longer be resumed:')],
      ['manual', l10n.t('Manual only: no scheduled runs; they can no longer be run:')],
    ];
    let listed = 0;
    for (const [kind, heading] of groups) {
      const members = targets.filter((d) => archiveCase(d) === kind);
      if (!members.length) continue;
      if (lines.length) lines.push('');
      lines.push(heading);
      for (const d of members) {
        if (listed >= MAX_LISTED) break;
        lines.push(`  • ${displayName(d.name)}`);
        listed++;
      }
    }
    if (targets.length > listed) lines.push(`  • ${l10n.t('and {0} more', targets.length - listed)}`);
    lines.push('');
    lines.push(l10n.t('Each will be renamed <name>_archived_<timestamp>, which frees its name for reuse.'));
    summary = l10n.t('Their scheduled runs stop and each is renamed <name>_archived_<timestamp>.');
  }
  lines.push(l10n.t('Archived deployments leave the default list.'));
  lines.push('');
  lines.push(l10n.t('This cannot be undone: the Qoder API has no way to unarchive a deployment.'));
  const message = targets.length === 1
    ? l10n.t('Archive deployment {0}?', quote(targets[0].name))
    : l10n.t('Archive {0} deployments?', targets.length);
  return { message, detail: lines.join('\n'), summary };
}

/** What the user must type to archive: the name of one deployment, or the number of several. */
export function typedConfirmation(targets: readonly Deployment[]): { expected: string; prompt: string; placeHolder: string } {
  if (targets.length === 1) {
    // The whole name, without control characters (they cannot be typed).
    const name = displayText(targets[0].name);
    return {
      expected: name,
      prompt: l10n.t('Type the name {0} to archive it. This cannot be undone.', quote(name)),
      placeHolder: displayName(name),
    };
  }
  const count = String(targets.length);
  return {
    expected: count,
    prompt: l10n.t('Type {0}, the number of deployments, to archive them all. This cannot be undone.', count),
    placeHolder: count,
  };
}

/** The input box's validation: nothing is accepted (nothing sent) until the text matches. */
export function typedMismatch(typed: string, expected: string): string | undefined {
  if (typed.trim() === expected) return undefined;
  return typed.trim()
    ? l10n.t('That does not match {0}. Nothing has been archived.', quote(expected))
    : l10n.t('Type {0} to confirm.', quote(expected));
}

/** The Run Now modal. */
export function runConfirmation(d: Deployment): { message: string; detail: string } {
  return {
    message: l10n.t('Run {0} now?', quote(d.name)),
    detail: l10n.t('This starts a new agent session now, outside its schedule. Its scheduled runs are not affected.'),
  };
}

