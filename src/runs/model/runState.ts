// One vocabulary for the state of a run and of its session, used by the run row, its
// accessibility label, its tooltip, the session document's header, notifications and the status
// bar: running, done, failed (and why), cancelled, waiting for your decision, could not start (and
// why). Words only: the icon is the picture, so nothing here is read aloud as "ballot x".
// Pure; strings through @vscode/l10n.

import * as l10n from '@vscode/l10n';
import type { DeploymentRun } from '../../api/types';
import type { SessionEvent } from '../../api/sessions';
import { errorTypeText, shortErrorTypeText } from '../../common/errorTypes';

export type RunStateKind =
  /** The run started a session whose state is not known yet. */
  | 'started'
  | 'running'
  /** A cancel was asked for and the turn has not stopped yet. */
  | 'stopping'
  /** Paused on a tool call the user must allow or deny (`requires_action`). */
  | 'waiting'
  | 'done'
  | 'failed'
  | 'cancelled'
  /** The run failed before a session existed (`run.error`). */
  | 'notStarted'
  /** A status or stop reason the docs do not name: shown verbatim. */
  | 'unknown';

export interface RunState {
  kind: RunStateKind;
  /** The error type (failed, could not start), the stop reason, or the unknown status. */
  cause?: string;
  /** The server's message for a run that could not start (server text: show it escaped). */
  message?: string;
  /** Running, but the runtime is being rescheduled. */
  rescheduling?: boolean;
}

/** What the extension knows about a session: its status and how its last turn ended. */
export interface SessionFacts {
  status: string;
  /** `stop_reason.type` of the session's last `session.status_idle`, when known. */
  stopReason?: string;
  /** `error.type` of the session's last `session.error`, when known (why it terminated). */
  errorType?: string;
  /**
   * Set by whoever sees from the events that the session waits on a tool confirmation (a pending
   * `agent.tool_use` with `evaluated_permission: "ask"`), before or without a stop reason.
   */
  waitingForDecision?: boolean;
}

const STOP_REASON_FAILURES = new Set(['retries_exhausted', 'budget_reached']);

/** The state of a session from its status (§4.2) and the last stop reason (§5.4). */
export function sessionState(s: SessionFacts): RunState {
  if (s.waitingForDecision) return { kind: 'waiting' };
  switch (s.status) {
    case 'running':
    case 'processing':
      return { kind: 'running' };
    case 'rescheduling':
      return { kind: 'running', rescheduling: true };
    case 'canceling':
      return { kind: 'stopping' };
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'terminated':
      return { kind: 'failed', cause: s.errorType ?? 'terminated' };
    case 'idle':
      return idleState(s.stopReason);
    default:
      return { kind: 'unknown', cause: s.status };
  }
}

function idleState(stopReason: string | undefined): RunState {
  if (stopReason === undefined || stopReason === 'end_turn') return { kind: 'done' };
  if (stopReason === 'cancelled') return { kind: 'cancelled' };
  if (stopReason === 'requires_action') return { kind: 'waiting' };
  if (STOP_REASON_FAILURES.has(stopReason)) return { kind: 'failed', cause: stopReason };
  return { kind: 'unknown', cause: stopReason };
}

/**
 * The state of a run: could not start when it carries an error; otherwise its session's state
 * ('started' while that is unknown). Runs of the old API shape carry their own status.
 */
export function runState(run: DeploymentRun, session: SessionFacts | undefined): RunState {
  if (run.error) return { kind: 'notStarted', cause: run.error.type, message: run.error.message || undefined };
  if (run.session_id) return session ? sessionState(session) : { kind: 'started' };
  switch (run.status) {
    case 'failed': return { kind: 'failed' };
    case 'completed': return { kind: 'done' };
    case 'pending':
    case 'running': return { kind: 'running' };
    case 'skipped': return { kind: 'notStarted', cause: 'skipped' };
    case undefined: return { kind: 'unknown' };
    default: return { kind: 'unknown', cause: run.status };
  }
}

/** Nothing more will happen to the run (waiting and stopping are not over). */
export function isOver(state: RunState): boolean {
  return state.kind === 'done' || state.kind === 'failed' || state.kind === 'cancelled' || state.kind === 'notStarted';
}

/** A run that counts against the deployment: it failed, or could not start. */
export function isFailure(state: RunState): boolean {
  return state.kind === 'failed' || state.kind === 'notStarted';
}

/** The user can act on it: stop it, or answer it. */
export function isLive(state: RunState): boolean {
  return state.kind === 'running' || state.kind === 'waiting' || state.kind === 'stopping' || state.kind === 'started';
}

function causeWords(cause: string, short: boolean): string {
  switch (cause) {
    case 'terminated': return short ? l10n.t('ended by an error') : l10n.t('the session ended after an unrecoverable error');
    case 'retries_exhausted': return short ? l10n.t('retries exhausted') : l10n.t('it stopped after repeated errors');
    case 'budget_reached': return short ? l10n.t('budget reached') : l10n.t('the credit budget was reached');
    case 'skipped': return short ? l10n.t('skipped') : l10n.t('the schedule skipped it');
    default: return short ? shortErrorTypeText(cause) : errorTypeText(cause);
  }
}

/**
 * The state in a few words, for a row, a header, the status bar: "done", "cancelled",
 * "failed: retries exhausted", "could not start: environment not found", "waiting for your decision".
 * `long` says why in a sentence's words ("could not start: the environment was not found").
 */
export function stateText(state: RunState, long = false): string {
  switch (state.kind) {
    case 'started': return l10n.t('started');
    case 'running': return state.rescheduling ? l10n.t('running (rescheduling)') : l10n.t('running');
    case 'stopping': return l10n.t('stopping');
    case 'waiting': return l10n.t('waiting for your decision');
    case 'done': return l10n.t('done');
    case 'cancelled': return l10n.t('cancelled');
    case 'failed': return state.cause ? l10n.t('failed: {0}', causeWords(state.cause, !long)) : l10n.t('failed');
    case 'notStarted': return state.cause ? l10n.t('could not start: {0}', causeWords(state.cause, !long)) : l10n.t('could not start');
    case 'unknown': return state.cause ?? l10n.t('unknown');
  }
}

/** The codicon and theme colour that picture a state (the row's icon; words carry the meaning). */
export function stateIcon(state: RunState): { id: string; color?: string } {
  switch (state.kind) {
    case 'started': return { id: 'circle-large-outline' };
    case 'running': return { id: 'sync~spin', color: 'charts.blue' };
    case 'stopping': return { id: 'loading~spin' };
    case 'waiting': return { id: 'question', color: 'charts.yellow' };
    case 'done': return { id: 'pass', color: 'testing.iconPassed' };
    case 'cancelled': return { id: 'circle-slash', color: 'disabledForeground' };
    case 'failed':
    case 'notStarted': return { id: 'error', color: 'testing.iconFailed' };
    case 'unknown': return { id: 'history' };
  }
}

/** What an open document (or the interaction model) learned from the events. */
export type EventFacts = Pick<SessionFacts, 'stopReason' | 'errorType' | 'waitingForDecision'>;

/** The facts the newest `session.status_idle` / `session.error` event gives. */
export function factsOfEvent(ev: SessionEvent | undefined): EventFacts {
  if (ev?.type === 'session.status_idle') {
    const reason = (ev.stop_reason as { type?: unknown } | undefined)?.type;
    return typeof reason === 'string' ? { stopReason: reason } : {};
  }
  if (ev?.type === 'session.error') {
    const type = (ev.error as { type?: unknown } | undefined)?.type;
    return typeof type === 'string' ? { errorType: type } : {};
  }
  return {};
}
