// What a save that sent nothing, or failed, tells the user. A refusal of ours (invalid JSON, a
// bad value) or the server's 400 is a SaveRefusal: the save flow shows its message and marks the
// fields it names instead of throwing it to VS Code (which would say "Unable to write file" with
// Revert). Any other failure becomes an Error with the usual failure text.

import * as vscode from 'vscode';
import { isApiError } from '../api/errors';
import type { WriteOutcome } from '../deployments/model/mutations';
import type { Log } from '../platform/log';
import { parseDocumentText, validateDocument } from './model/deploymentDocument';
import { fieldSpot } from './model/fieldSpot';
import type { EditorDeps } from './deploymentFiles';

/** A save refused before or by the server (400): shown as our message, marked on `paths`, never thrown to VS Code. */
export class SaveRefusal extends Error {
  constructor(
    message: string,
    readonly paths: string[],
  ) {
    super(message);
  }
}

/** What the error texts need: the log (which also cleans them) and the main bundle's text helpers. */
export interface RefusalTexts {
  log: Pick<Log, 'warn' | 'error' | 'clean'>;
  displayText: EditorDeps['displayText'];
  failureText: EditorDeps['failureText'];
}

const decoder = new TextDecoder();

/** Parsed and valid, or a SaveRefusal listing the reasons (nothing is sent). */
export function checkedDocument(content: Uint8Array): Record<string, unknown> {
  const parsed = parseDocumentText(decoder.decode(content));
  if (!parsed.ok) throw new SaveRefusal(vscode.l10n.t('Not saved, nothing was sent: {0}', parsed.message), []);
  const problems = validateDocument(parsed.value);
  if (problems.length) {
    const reasons = problems.slice(0, 3).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join(' ');
    const more = problems.length > 3 ? ` ${vscode.l10n.t('(and {0} more)', problems.length - 3)}` : '';
    throw new SaveRefusal(vscode.l10n.t('Not saved, nothing was sent: {0}', reasons + more), problems.map((p) => p.path).filter((p) => p !== ''));
  }
  return parsed.value as Record<string, unknown>;
}

/** One error mark per field the refusal names, in `text` (the open document's, when there is one). */
export function refusalMarks(refusal: SaveRefusal, text: string, doc: vscode.TextDocument | undefined): vscode.Diagnostic[] {
  const at = (offset: number): vscode.Position => (doc ? doc.positionAt(offset) : positionIn(text, offset));
  return refusal.paths.map((path) => {
    const spot = fieldSpot(text, path);
    const range = spot ? new vscode.Range(at(spot.offset), at(spot.offset + spot.length)) : new vscode.Range(0, 0, 0, 1);
    const d = new vscode.Diagnostic(range, refusal.message, vscode.DiagnosticSeverity.Error);
    d.source = 'Qoder';
    return d;
  });
}

/** The error a write outcome other than done becomes (nothing of it was applied). */
export function notSavedError<T>(texts: RefusalTexts, what: string, outcome: WriteOutcome<T>): Error {
  switch (outcome.kind) {
    case 'busy':
      return new Error(vscode.l10n.t('Not saved: another action on this deployment is still running. Try again in a moment.'));
    case 'dropped':
      return new Error(vscode.l10n.t('Not saved: the connection changed while saving. Nothing was applied to the new connection.'));
    case 'gone':
      return new Error(vscode.l10n.t('Not saved: this deployment no longer exists on the server.'));
    case 'invalid':
    case 'failed':
      return refusedError(texts, what, outcome.error);
    default:
      return new Error(vscode.l10n.t('Not saved: the server refused the change in the deployment’s current state. The list has been refreshed.'));
  }
}

/** The error a failed request becomes: the server's 400 message naming the field, else the usual failure text. */
export function refusedError(texts: RefusalTexts, what: string, e: unknown): Error {
  if (isApiError(e, 400)) {
    const message = texts.displayText(e.message).slice(0, 300);
    const text = e.param
      ? vscode.l10n.t('Not saved: the server refused the value of “{0}”: {1}', texts.displayText(e.param).slice(0, 120), message)
      : vscode.l10n.t('Not saved: the server refused the change: {0}', message);
    texts.log.warn(text);
    return new SaveRefusal(texts.log.clean(text), e.param ? [e.param] : []);
  }
  const text = texts.log.clean(texts.failureText(what, e));
  texts.log.error(text);
  return new Error(text);
}

/** A position in `text` (when the document is not open, as under tests). */
function positionIn(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset).split('\n');
  return new vscode.Position(before.length - 1, (before[before.length - 1] ?? '').length);
}
