// The top of a session document: the title and a short report (the outcome, what went wrong
// and where, with links to anchors in the body, then the facts). Pure (no vscode).

import * as l10n from '@vscode/l10n';
import { errorTypeText } from '../../common/errorTypes';
import { codeSpan, escapeMarkdownText, oneLine } from './safeMarkdown';
import { stepTitle, type TranscriptEvents } from './transcriptEvents';

export type LiveState = 'live' | 'reconnecting' | 'cancelling' | undefined;

export interface TranscriptHeader {
  title: string;
  /** Session status in words (already localised). */
  status: string;
  live: LiveState;
  agent: string;
  environment: string;
  started: string;
  duration: string;
  credits: string;
  /** Outcome verdicts in words ("✓ satisfied — All criteria met"). */
  outcomes?: string[];
  sessionId: string;
}

/** The title line and the summary rows, from the header and what the events said. */
export function summaryMarkdown(h: TranscriptHeader, events: Pick<TranscriptEvents, 'lastError' | 'lastFailedStep' | 'failed'>): string {
  const rows: string[] = [];
  const row = (label: string, value: string): void => {
    rows.push(`**${label}:** ${value}  `);
  };
  const live = h.live === 'reconnecting' ? l10n.t('reconnecting…') : h.live === 'cancelling' ? l10n.t('cancelling…') : h.live === 'live' ? l10n.t('live') : undefined;
  row(l10n.t('Status'), escapeMarkdownText(h.status) + (live ? ` · *${live}*` : ''));
  const error = events.lastError;
  if (error) row(l10n.t('Error'), `[${escapeMarkdownText(oneLine(errorTypeText(error.type)))}](#${error.anchor})${error.message ? `: ${escapeMarkdownText(error.message)}` : ''}`);
  const step = events.lastFailedStep;
  if (step) row(l10n.t('Failed step'), `[${stepTitle(step.step, step.name)}](#step-${step.step})${step.line ? `: ${escapeMarkdownText(step.line)}` : ''}`);
  row(l10n.t('Tool errors'), String(events.failed.filter((f) => f.kind === 'tool').length));
  // Our own figures are plain; names come from the server and are escaped.
  row(l10n.t('Duration'), plainFigure(h.duration));
  row(l10n.t('Credits'), plainFigure(h.credits));
  row(l10n.t('Agent'), escapeMarkdownText(h.agent));
  row(l10n.t('Environment'), escapeMarkdownText(h.environment));
  row(l10n.t('Started'), plainFigure(h.started));
  for (const o of h.outcomes ?? []) row(l10n.t('Outcome'), escapeMarkdownText(o));
  row(l10n.t('Session'), codeSpan(h.sessionId));
  return `# ${escapeMarkdownText(h.title)}\n\n${rows.join('\n')}`;
}

/** A figure the extension formatted (a time, a duration, credits): shown as is unless it holds Markdown. */
function plainFigure(text: string): string {
  return /^[\p{L}\p{N}\s.,:;/()+\u2013\u2014\u00a0\u202f-]*$/u.test(text) ? text : escapeMarkdownText(text);
}
