// The save flow of deployment documents (the file system itself is deploymentFiles.ts).
// Save validates, then goes through the write path (services.mutations): Create with an
// Idempotency-Key; an edit as a three-way merge of the opened copy, the server's copy now and
// the user's text, sending only the user's changes and asking only about a field changed on both
// sides. A refusal of ours (invalid JSON, a bad value) or the server's 400 (saveRefusals.ts) is not thrown, which
// VS Code would show as "Unable to write file" with Revert: our own message is shown, the field
// is marked in the editor and the document stays dirty. Other failures are thrown (the editor
// stays dirty, VS Code offers Retry). A Cancel or Compare in the question is not an error
// either: the document stays dirty (unsent) without one.

import * as vscode from 'vscode';
import type { Deployment } from '../api';
import { isApiError } from '../api/errors';
import type { DeploymentPatch } from '../api/editTypes';
import { documentOf, documentText, parseDocumentText } from './model/deploymentDocument';
import { applyPatch, contestedText, createBody, diffDocument, mergeForSave, withoutContested } from './model/savePatch';
import type { Services } from '../platform/commandKit';
import { quote } from '../common/display';
import { parseEnvText, withPrompt } from './model/nameRefs';
import { untouchedPrompt } from './model/newDeployment';
import type { EditEntry, EditorDeps, NewEntry, PartEntry } from './deploymentFiles';
import { checkedDocument, notSavedError, refusalMarks, refusedError, SaveRefusal, type RefusalTexts } from './saveRefusals';

/** What the save flow needs of the file system it saves for (DeploymentFiles). */
export interface SaveHost {
  /** The new document `uri` was saved as `d`: its edit document holds `d` from now on. */
  noteCreated(uri: vscode.Uri, d: Deployment): void;
  noteSaveReason(uri: vscode.Uri, reason: vscode.TextDocumentSaveReason): void;
  /** Opens a diff: the server's current version against the user's text. */
  compare(uri: vscode.Uri, current: Deployment): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SaveFlow {
  constructor(
    private readonly s: Services,
    private readonly deps: EditorDeps,
    private readonly changed: vscode.EventEmitter<vscode.FileChangeEvent[]>,
    private readonly host: SaveHost,
    /** The fields a refused save named, marked until the next save of that document. */
    private readonly diagnostics: vscode.DiagnosticCollection,
  ) {}

  private get texts(): RefusalTexts {
    return { log: this.s.log, displayText: this.deps.displayText, failureText: this.deps.failureText };
  }

  /** An explicit Save of a deployment document: checked, then created or sent as an update; a refusal is shown and marked, not thrown. */
  async save(uri: vscode.Uri, entry: EditEntry | NewEntry, content: Uint8Array): Promise<void> {
    this.diagnostics.delete(uri);
    try {
      const edited = checkedDocument(content);
      if (entry.kind === 'new') {
        const untouched = untouchedPrompt(edited);
        if (untouched) throw new SaveRefusal(vscode.l10n.t('Not saved, nothing was sent: {0}', untouched.message), [untouched.path]);
        return await this.create(uri, entry, edited);
      }
      return await this.update(uri, entry, edited, content);
    } catch (e) {
      if (!(e instanceof SaveRefusal)) throw e;
      await this.refuse(uri, entry, e, decoder.decode(content));
    }
  }

  /**
   * Save of a prompt or environment variables document: its text goes into the deployment
   * document, which is then saved through the usual path (validation, three-way merge, one
   * merge-patch). Anything that keeps the deployment document unsent keeps this one dirty too.
   */
  async savePart(uri: vscode.Uri, entry: PartEntry, content: Uint8Array): Promise<void> {
    const text = decoder.decode(content);
    const refuse = async (message: string): Promise<void> => {
      void this.s.ui.showErrorMessage(message, {});
      await this.deps.keepDirty?.(uri);
    };
    let env = '';
    if (entry.part === 'env') {
      const parsed = parseEnvText(text);
      if (!parsed.ok) return refuse(vscode.l10n.t('Not saved, nothing was sent: {0}', parsed.problems.map((p) => p.message).join(' ')));
      env = parsed.value;
    }
    const owner = await vscode.workspace.openTextDocument(entry.owner);
    const parsed = parseDocumentText(owner.getText());
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return refuse(vscode.l10n.t('Not saved, nothing was sent: the deployment document is not valid JSON. Fix it first.'));
    const value = parsed.value as Record<string, unknown>;
    const next = entry.part === 'prompt' ? withPrompt(value, text) : { ...value, environment_variables: env };
    const nextText = `${JSON.stringify(next, null, 2)}\n`;
    if (nextText !== owner.getText()) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(entry.owner, new vscode.Range(0, 0, owner.lineCount, 0), nextText);
      await vscode.workspace.applyEdit(edit);
    }
    if (owner.isDirty) {
      this.host.noteSaveReason(entry.owner, vscode.TextDocumentSaveReason.Manual);
      await owner.save();
    }
    if (owner.isDirty) {
      await this.keepUnsentPart(uri, vscode.l10n.t('Not sent yet: the deployment document was not saved (see its message). Your text is kept here.'));
      return;
    }
    entry.content = content;
    entry.mtime = Math.max(Date.now(), entry.mtime + 1);
  }

  private async keepUnsentPart(uri: vscode.Uri, message: string): Promise<void> {
    this.s.ui.setStatusBarMessage(message, 10_000);
    await this.deps.keepDirty?.(uri);
  }

  /** Our message, the named fields marked, the user's text kept and the document left dirty (unsent). */
  private async refuse(uri: vscode.Uri, entry: EditEntry | NewEntry, refusal: SaveRefusal, text: string): Promise<void> {
    entry.draft = true;
    void this.s.ui.showErrorMessage(refusal.message, {});
    await this.deps.keepDirty?.(uri);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const marks = refusalMarks(refusal, doc?.getText() ?? text, doc);
    this.diagnostics.set(uri, marks);
  }

  private async create(uri: vscode.Uri, entry: NewEntry, edited: Record<string, unknown>): Promise<void> {
    const body = createBody(edited);
    // A copy created paused is sent without its schedule (a deployment without one never
    // fires), paused, and only then given its schedule: it never runs in between.
    if (entry.paused) delete body.schedule;
    // After an unsure create, the first body goes again with the same key (the server replays
    // it instead of making a second deployment); the edits since then follow as an update.
    const first = entry.unsureBody ?? body;
    const outcome = await this.s.mutations.write({
      verb: 'create',
      key: uri.toString(),
      idempotencyScope: `create ${uri.toString()}`,
      send: (client, idempotencyKey) => client.createDeployment(first, { idempotencyKey }),
      updated: (d) => d,
    });
    if (outcome.kind === 'failed' && outcome.unsure) entry.unsureBody = first;
    if (outcome.kind !== 'done') throw notSavedError(this.texts, vscode.l10n.t('Creating the deployment'), outcome);
    entry.unsureBody = undefined;
    let created = outcome.result;
    const name = quote(this.deps.displayText(created.name));
    try {
      if (entry.paused && created.status === 'active') created = await this.pauseCreated(created);
      const now = documentOf(created);
      // An agent given by id alone was created at its latest version: not a change to send again.
      const rest = diffDocument(now, edited.agent === created.agent.id ? { ...edited, agent: now.agent } : edited);
      if (Object.keys(rest).length) created = await this.sendPatch(created.id, rest);
    } catch (e) {
      // The deployment exists: its document becomes it (saving the new one again would create a second).
      const reason = e instanceof Error ? e.message : String(e);
      void this.s.ui.showErrorMessage(
        entry.paused
          ? vscode.l10n.t('Created {0} without its schedule, so it runs only when started by hand; the rest could not be applied: {1}', name, reason)
          : vscode.l10n.t('Created {0}, but the rest of the document could not be applied: {1} The document now shows the deployment as the server has it.', name, reason),
        {},
      );
    }
    entry.content = encoder.encode(documentText(documentOf(created)));
    entry.draft = false;
    entry.mtime = Date.now();
    this.host.noteCreated(uri, created);
    this.s.ui.announce(created.status === 'paused' ? vscode.l10n.t('Created {0}, paused: its schedule fires only after you resume it.', name) : vscode.l10n.t('Created {0}.', name));
  }

  /** Pauses a deployment just created; the deployment as the server has it after. */
  private async pauseCreated(d: Deployment): Promise<Deployment> {
    const outcome = await this.s.mutations.write({
      verb: 'pause',
      row: { id: d.id, busyLabel: vscode.l10n.t('Pausing…') },
      send: (client) => client.pauseDeployment(d.id),
      updated: (x) => x,
      reconcile: d.id,
    });
    if (outcome.kind !== 'done') throw notSavedError(this.texts, vscode.l10n.t('Pausing the deployment'), outcome);
    return outcome.result;
  }

  /** One update through the write path; the deployment as the server has it after. */
  private async sendPatch(id: string, patch: DeploymentPatch): Promise<Deployment> {
    const outcome = await this.s.mutations.write({
      verb: 'save',
      row: { id, busyLabel: vscode.l10n.t('Saving…') },
      send: (client) => client.updateDeployment(id, patch),
      updated: (d) => d,
      reconcile: id,
    });
    if (outcome.kind !== 'done') throw notSavedError(this.texts, vscode.l10n.t('Saving the deployment'), outcome);
    return outcome.result;
  }

  private async update(uri: vscode.Uri, entry: EditEntry, edited: Record<string, unknown>, content: Uint8Array): Promise<void> {
    if (entry.archivedAt !== null) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('This deployment is archived; archived deployments cannot be changed.'));
    if (Object.keys(diffDocument(entry.base, edited)).length === 0) {
      // nothing changed: nothing to send
      entry.draft = false;
      entry.content = content;
      return;
    }
    let patch: DeploymentPatch = {};
    let stop: { why: 'cancel' } | { why: 'compare'; server: Deployment } | { why: 'nothing'; server: Deployment } | { why: 'error'; error: Error } | undefined;
    const outcome = await this.s.mutations.write({
      verb: 'save',
      row: { id: entry.id, busyLabel: vscode.l10n.t('Saving…') },
      // The conflict check: the server's copy now, field by field against the opened copy and
      // the user's text. After the user chose, it is read again, so the choice meets the
      // server as it is when the update goes.
      precheck: async (client) => {
        let choice: 'mine' | 'theirs' | undefined;
        for (;;) {
          let server: Deployment;
          try {
            server = await client.getDeployment(entry.id);
          } catch (e) {
            stop = { why: 'error', error: isApiError(e, 404) ? new Error(vscode.l10n.t('Not saved: this deployment no longer exists on the server.')) : refusedError(this.texts, vscode.l10n.t('Checking the deployment before saving'), e) };
            return false;
          }
          if (server.archived_at !== null) {
            stop = { why: 'error', error: new Error(vscode.l10n.t('Not saved: this deployment was archived on the server; archived deployments cannot be changed.')) };
            return false;
          }
          const merge = mergeForSave(entry.base, documentOf(server), edited);
          if (merge.contested.length && !choice) {
            const answer = await this.ask(server, merge.contested.map((c) => contestedText(c, this.deps.displayText)));
            if (answer === undefined) {
              stop = { why: 'cancel' };
              return false;
            }
            if (answer === 'compare') {
              stop = { why: 'compare', server };
              return false;
            }
            choice = answer;
            continue; // read again: the server may have moved while the question was open
          }
          patch = choice === 'theirs' ? withoutContested(merge.mine, merge.contested) : merge.mine;
          if (Object.keys(patch).length) return true;
          stop = { why: 'nothing', server };
          return false;
        }
      },
      send: (client) => client.updateDeployment(entry.id, patch),
      updated: (d) => d,
      reconcile: entry.id,
    });
    if (outcome.kind === 'done') {
      this.reloadFrom(uri, entry, outcome.result);
      this.s.ui.announce(vscode.l10n.t('Saved {0}.', quote(this.deps.displayText(outcome.result.name))));
      return;
    }
    if (outcome.kind !== 'stopped' || !stop) throw notSavedError(this.texts, vscode.l10n.t('Saving the deployment'), outcome);
    const stopped = stop as NonNullable<typeof stop>;
    switch (stopped.why) {
      case 'error':
        throw stopped.error;
      case 'nothing':
        // The server already holds every change of the user's (or the user took the server's).
        this.reloadFrom(uri, entry, stopped.server);
        return;
      case 'cancel':
        await this.keepUnsent(uri, entry, vscode.l10n.t('Not saved: you cancelled. Your text is kept; save again to send it.'));
        return;
      case 'compare': {
        // From now on the user's text is merged against this server copy, so saving the
        // merged text asks again only if the server changes once more.
        const theirs = documentOf(stopped.server);
        const merged = applyPatch(theirs, mergeForSave(entry.base, theirs, edited).mine);
        entry.base = theirs;
        entry.openedUpdatedAt = stopped.server.updated_at;
        await this.host.compare(uri, stopped.server);
        await this.keepUnsent(uri, entry, vscode.l10n.t('Not saved yet: your text now has the server’s other changes merged in, so every difference in the comparison is yours. Save to send them.'), documentText(merged));
        return;
      }
    }
  }

  /** The question about fields changed on both sides. */
  private async ask(server: Deployment, fields: string[]): Promise<'mine' | 'theirs' | 'compare' | undefined> {
    const keepMine = vscode.l10n.t('Keep Mine');
    const takeTheirs = vscode.l10n.t('Take Theirs');
    const compare = vscode.l10n.t('Compare');
    const shown = fields.slice(0, 5).join('\n') + (fields.length > 5 ? `\n${vscode.l10n.t('(and {0} more)', fields.length - 5)}` : '');
    const answer = await this.s.ui.showWarningMessage(
      vscode.l10n.t('{0} was changed on the server after you opened it, in the same fields as your edit:', quote(this.deps.displayText(server.name))),
      { modal: true, detail: `${shown}\n\n${vscode.l10n.t('Keep Mine saves your values of these fields; Take Theirs keeps the server’s. Your other changes are saved either way, and the server’s other changes stay. Compare shows the server’s copy beside your text first.')}` },
      keepMine,
      takeTheirs,
      compare,
    );
    if (answer === keepMine) return 'mine';
    if (answer === takeTheirs) return 'theirs';
    if (answer === compare) return 'compare';
    return undefined;
  }

  /**
   * Nothing was sent, and that is no error: the document keeps the user's text (or `text`,
   * the merged one) and stays dirty, so it still shows as unsaved.
   */
  private async keepUnsent(uri: vscode.Uri, entry: EditEntry, message: string, text?: string): Promise<void> {
    entry.draft = true;
    this.s.ui.setStatusBarMessage(message, 10_000);
    this.s.log.info(message);
    await this.deps.keepDirty?.(uri, text);
  }

  /** The document becomes the server's answer; the editor re-reads it (it is not dirty after a save). */
  private reloadFrom(uri: vscode.Uri, entry: EditEntry, d: Deployment): void {
    entry.base = documentOf(d);
    entry.draft = false;
    entry.openedUpdatedAt = d.updated_at;
    entry.archivedAt = d.archived_at;
    entry.content = encoder.encode(documentText(entry.base));
    entry.mtime = Math.max(Date.now(), entry.mtime + 1);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }
}
