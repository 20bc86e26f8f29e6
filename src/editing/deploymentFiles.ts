// Deployments as files: a FileSystemProvider for the `qoder` scheme.
//   qoder:/deployments/<id>/<name>.deployment.json  the edit document of one deployment
//   qoder:/new/<name>.deployment.json                a new deployment (create on save)
//   qoder:/server/<id>/<name>.deployment.json        the server's current copy (read-only, for Compare)
//   …/<name>.prompt.md, …/<name>.env                 the prompt and the environment variables of the
//                                                    document beside them, as text of their own: saving
//                                                    one writes it into that document and saves it
// Save (writeFile) validates, then goes through the write path (services.mutations): Create
// with an Idempotency-Key; an edit as a three-way merge of the opened copy, the server's copy
// now and the user's text, sending only the user's changes and asking only about a field
// changed on both sides. A refusal of ours (invalid JSON, a bad value) or the server's 400 is
// not thrown, which VS Code would show as "Unable to write file" with Revert: our own message
// is shown, the field is marked in the editor and the document stays dirty. Other failures are
// thrown (the editor stays dirty, VS Code offers Retry). A Cancel or Compare in the question is
// not an error either: the document stays dirty (unsent) without one.

import * as vscode from 'vscode';
import type { Deployment } from '../api';
import { isApiError } from '../api/errors';
import type { DeploymentCreateBody, DeploymentPatch } from '../api/editTypes';
import {
  documentOf,
  documentText,
  parseDocumentText,
  validateDocument,
  type DeploymentDocument,
} from './model/deploymentDocument';
import { applyPatch, contestedText, createBody, diffDocument, mergeForSave, withoutContested } from './model/savePatch';
import type { WriteOutcome } from '../deployments/model/mutations';
import { DEPLOYMENT_SCHEME } from '../platform/constants';
import type { Services } from '../platform/commandKit';
import type { NameCache } from '../agentSessions/model/sessionCache';
import { displayName, quote, titleSafe } from '../common/display';
import { fieldSpot } from './model/fieldSpot';
import { envText, parseEnvText, promptOf, withPrompt } from './model/nameRefs';

/** A save refused before or by the server (400): shown as our message, marked on `paths`, never thrown to VS Code. */
class SaveRefusal extends Error {
  constructor(
    message: string,
    readonly paths: string[],
  ) {
    super(message);
  }
}

/** What the editor chunk takes from the main bundle (one copy of each, shared). */
export interface EditorDeps {
  /**
   * Keeps an open document dirty after a save that sent nothing (the user cancelled or chose
   * Compare), replacing its text with `text` when given. Absent under tests without documents.
   */
  keepDirty?: (uri: vscode.Uri, text?: string) => Promise<void>;
  /** errorText.ts failureText. */
  failureText: (what: string, e: unknown) => string;
  /** describe.ts cronWords (the tree's wording). */
  cronWords: (expression: string, locale?: string) => string | null;
  /** display.ts displayText: server text for one line of UI (redacted, no controls, no links). */
  displayText: (text: string) => string;
  /** Agent and environment names (the one cache the tree and sessions use). */
  names: NameCache;
}


interface EditEntry {
  kind: 'edit';
  /** Auto-saved text that was kept but not sent (only an explicit Save sends). */
  draft?: boolean;
  id: string;
  /** The copy the document was opened from (or last saved to). */
  base: DeploymentDocument;
  openedUpdatedAt: string;
  archivedAt: string | null;
  content: Uint8Array;
  mtime: number;
}

interface NewEntry {
  kind: 'new';
  draft?: boolean;
  /** The body of a create whose outcome was unsure: sent again first (same key, replayed). */
  unsureBody?: DeploymentCreateBody;
  content: Uint8Array;
  mtime: number;
}

interface ServerEntry {
  kind: 'server';
  content: Uint8Array;
  mtime: number;
}

/** The prompt or the environment variables of a deployment document (`owner`), edited on their own. */
interface PartEntry {
  kind: 'part';
  part: Part;
  owner: vscode.Uri;
  content: Uint8Array;
  mtime: number;
}

export type Part = 'prompt' | 'env';
const PART_SUFFIX: Record<Part, string> = { prompt: '.prompt.md', env: '.env' };

type Entry = EditEntry | NewEntry | ServerEntry | PartEntry;

/** The URI of a deployment document's prompt or environment variables (beside it). */
export function partUri(owner: vscode.Uri, part: Part): vscode.Uri {
  return owner.with({ path: owner.path.replace(/\.deployment\.json$/, PART_SUFFIX[part]) });
}

const isPartPath = (uri: vscode.Uri): boolean => uri.path.endsWith(PART_SUFFIX.prompt) || uri.path.endsWith(PART_SUFFIX.env);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function editUri(d: { id: string; name: string }): vscode.Uri {
  return vscode.Uri.from({ scheme: DEPLOYMENT_SCHEME, path: `/deployments/${d.id}/${titleSafe(d.name)}.deployment.json` });
}

export function newUri(name = 'untitled'): vscode.Uri {
  return vscode.Uri.from({ scheme: DEPLOYMENT_SCHEME, path: `/new/${titleSafe(name)}.deployment.json` });
}

/** The deployment id of an edit URI, if it is one. */
export function idOfUri(uri: vscode.Uri): string | undefined {
  return /^\/deployments\/(dep_[A-Za-z0-9]+)\//.exec(uri.path)?.[1];
}


/** Opens a new deployment document with `doc` typed in (dirty, so closing it asks first). */
export async function openNewDocument(files: DeploymentFiles, uri: vscode.Uri, doc: DeploymentDocument): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) {
    await vscode.window.showTextDocument(open);
    return;
  }
  files.setNew(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  await editor.edit((b) => b.replace(new vscode.Range(0, 0, document.lineCount, 0), documentText(doc)));
}

export class DeploymentFiles implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** Why each pending save happens (from onWillSaveTextDocument): auto-saves only keep a draft. */
  private readonly saveReasons = new Map<string, vscode.TextDocumentSaveReason>();
  readonly scheme = DEPLOYMENT_SCHEME;
  readonly onDidChangeFile: vscode.Event<vscode.FileChangeEvent[]>;
  /** New documents that were saved as a deployment, until their editor is swapped for the edit document. */
  private readonly created = new Map<string, Deployment>();
  /** The fields a refused save named, marked until the next save of that document. */
  private readonly saveDiagnostics = vscode.languages.createDiagnosticCollection('qoder-save');

  /** `changed` is the event the main bundle registered the file system provider with. */
  constructor(
    private readonly s: Services,
    private readonly deps: EditorDeps,
    private readonly changed: vscode.EventEmitter<vscode.FileChangeEvent[]>,
  ) {
    this.onDidChangeFile = changed.event;
  }

  /**
   * A new document starts empty on "disk"; the caller types the template in as an edit, so the
   * editor is dirty and closing it asks whether to discard it, like any untitled file.
   */
  setNew(uri: vscode.Uri): void {
    this.entries.set(uri.toString(), { kind: 'new', content: new Uint8Array(), mtime: Date.now() });
  }

  /** The deployment a new document was just saved as (once). */
  takeCreated(uri: vscode.Uri): Deployment | undefined {
    const d = this.created.get(uri.toString());
    this.created.delete(uri.toString());
    return d;
  }

  hasEntry(uri: vscode.Uri): boolean {
    return this.entries.has(uri.toString());
  }

  noteSaveReason(uri: vscode.Uri, reason: vscode.TextDocumentSaveReason): void {
    this.saveReasons.set(uri.toString(), reason);
  }

  /** Whether the document holds auto-saved text that was not sent. */
  hasDraft(uri: vscode.Uri): boolean {
    const e = this.entries.get(uri.toString());
    return (e?.kind === 'edit' || e?.kind === 'new') && e.draft === true;
  }

  /** The archived-at time of an open edit document (it is read-only). */
  archivedAt(uri: vscode.Uri): string | null {
    const e = this.entries.get(uri.toString());
    return e?.kind === 'edit' ? e.archivedAt : null;
  }

  watch(_uri?: vscode.Uri, _options?: unknown): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat | Thenable<vscode.FileStat> {
    const known = this.entries.get(uri.toString());
    if (known) return this.statOf(known);
    if (isPartPath(uri)) throw vscode.FileSystemError.FileNotFound(uri);
    if (idOfUri(uri)) return this.load(uri).then((e) => this.statOf(e));
    if (uri.path === '/' || uri.path === '/new' || uri.path === '/deployments' || /^\/deployments\/dep_[A-Za-z0-9]+$/.test(uri.path)) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  private statOf(e: Entry): vscode.FileStat {
    const readonly = e.kind === 'server' || (e.kind === 'edit' && e.archivedAt !== null);
    return { type: vscode.FileType.File, ctime: 0, mtime: e.mtime, size: e.content.byteLength, permissions: readonly ? vscode.FilePermission.Readonly : undefined };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const known = this.entries.get(uri.toString());
    if (known) return known.content;
    if (isPartPath(uri)) throw vscode.FileSystemError.FileNotFound(uri);
    if (idOfUri(uri)) return (await this.load(uri)).content;
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  /** Fetches the server's current copy into an edit entry. */
  private async load(uri: vscode.Uri): Promise<EditEntry> {
    const id = idOfUri(uri) as string;
    let d: Deployment;
    try {
      d = await this.s.connection.requireClient().getDeployment(id);
    } catch (e) {
      if (isApiError(e, 404)) throw vscode.FileSystemError.FileNotFound(uri);
      throw new Error(this.s.log.clean(this.deps.failureText(vscode.l10n.t('Opening the deployment'), e)));
    }
    const entry = this.editEntry(d);
    this.entries.set(uri.toString(), entry);
    return entry;
  }

  private editEntry(d: Deployment): EditEntry {
    const base = documentOf(d);
    return { kind: 'edit', id: d.id, base, openedUpdatedAt: d.updated_at, archivedAt: d.archived_at, content: encoder.encode(documentText(base)), mtime: Date.now() };
  }

  /** Save. Throws (and so keeps the document dirty) on anything that did not land. */
  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const entry = this.entries.get(uri.toString()) ?? (idOfUri(uri) && !isPartPath(uri) ? await this.load(uri) : undefined);
    if (!entry) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Only deployment documents can be saved here.'));
    if (entry.kind === 'server') throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('This is the server’s copy, for comparing; it cannot be saved.'));
    const reason = this.saveReasons.get(uri.toString());
    this.saveReasons.delete(uri.toString());
    if (entry.kind === 'part') {
      // An auto-save keeps the text here; only an explicit Save writes it into the document.
      if (reason === undefined || reason === vscode.TextDocumentSaveReason.Manual) await this.savePart(uri, entry, content);
      return;
    }
    if (reason !== undefined && reason !== vscode.TextDocumentSaveReason.Manual) {
      // Auto-save (on by default in VS Code for the Web): keep the text, send nothing.
      if (entry.kind === 'edit' && entry.archivedAt !== null) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('This deployment is archived; archived deployments cannot be changed.'));
      entry.content = content;
      entry.draft = true;
      entry.mtime = Math.max(Date.now(), entry.mtime + 1);
      return;
    }
    this.saveDiagnostics.delete(uri);
    try {
      const edited = this.checked(content);
      if (entry.kind === 'new') return await this.create(uri, entry, edited);
      return await this.update(uri, entry, edited, content);
    } catch (e) {
      if (!(e instanceof SaveRefusal)) throw e;
      await this.refuse(uri, entry, e, decoder.decode(content));
    }
  }

  /**
   * Opens the prompt (Markdown) or the environment variables (NAME=value lines) of the
   * deployment document `owner` in an editor of their own, from the document's current text.
   */
  async openPart(owner: vscode.Uri, part: Part): Promise<void> {
    const uri = partUri(owner, part);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!open?.isDirty) {
      const doc = await vscode.workspace.openTextDocument(owner);
      const parsed = parseDocumentText(doc.getText());
      if (!parsed.ok) {
        void this.s.ui.showErrorMessage(vscode.l10n.t('The deployment document is not valid JSON, so its parts cannot be opened on their own: {0}', parsed.message), {});
        return;
      }
      const value = parsed.value as Record<string, unknown>;
      const text = part === 'prompt' ? (promptOf(value) ?? '') : envText(typeof value.environment_variables === 'string' ? value.environment_variables : '');
      this.entries.set(uri.toString(), { kind: 'part', part, owner, content: encoder.encode(text), mtime: Date.now() });
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    }
    await vscode.window.showTextDocument(open ?? (await vscode.workspace.openTextDocument(uri)), { preview: false });
  }

  /**
   * Save of a prompt or environment variables document: its text goes into the deployment
   * document, which is then saved through the usual path (validation, three-way merge, one
   * merge-patch). Anything that keeps the deployment document unsent keeps this one dirty too.
   */
  private async savePart(uri: vscode.Uri, entry: PartEntry, content: Uint8Array): Promise<void> {
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
      this.noteSaveReason(entry.owner, vscode.TextDocumentSaveReason.Manual);
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
    const at = (offset: number): vscode.Position => (doc ? doc.positionAt(offset) : positionIn(text, offset));
    const marks = refusal.paths.map((path) => {
      const spot = fieldSpot(doc?.getText() ?? text, path);
      const range = spot ? new vscode.Range(at(spot.offset), at(spot.offset + spot.length)) : new vscode.Range(0, 0, 0, 1);
      const d = new vscode.Diagnostic(range, refusal.message, vscode.DiagnosticSeverity.Error);
      d.source = 'Qoder';
      return d;
    });
    this.saveDiagnostics.set(uri, marks);
  }

  /** Parsed and valid, or an error listing the reasons (nothing is sent). */
  private checked(content: Uint8Array): Record<string, unknown> {
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

  private async create(uri: vscode.Uri, entry: NewEntry, edited: Record<string, unknown>): Promise<void> {
    const body = createBody(edited);
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
    if (outcome.kind !== 'done') throw this.notSaved(vscode.l10n.t('Creating the deployment'), outcome);
    entry.unsureBody = undefined;
    let created = outcome.result;
    const rest = diffDocument(documentOf(created), edited);
    if (Object.keys(rest).length) created = await this.sendPatch(created.id, rest);
    entry.content = encoder.encode(documentText(documentOf(created)));
    entry.draft = false;
    entry.mtime = Date.now();
    const target = editUri(created);
    this.entries.set(target.toString(), this.editEntry(created));
    this.s.ui.announce(vscode.l10n.t('Created {0}.', quote(this.deps.displayText(created.name))));
    this.created.set(uri.toString(), created);
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
    if (outcome.kind !== 'done') throw this.notSaved(vscode.l10n.t('Saving the deployment'), outcome);
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
            stop = { why: 'error', error: isApiError(e, 404) ? new Error(vscode.l10n.t('Not saved: this deployment no longer exists on the server.')) : this.refused(vscode.l10n.t('Checking the deployment before saving'), e) };
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
    if (outcome.kind !== 'stopped' || !stop) throw this.notSaved(vscode.l10n.t('Saving the deployment'), outcome);
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
        await this.compare(uri, stopped.server);
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

  /** The error a write outcome other than done becomes (nothing of it was applied). */
  private notSaved<T>(what: string, outcome: WriteOutcome<T>): Error {
    switch (outcome.kind) {
      case 'busy':
        return new Error(vscode.l10n.t('Not saved: another action on this deployment is still running. Try again in a moment.'));
      case 'dropped':
        return new Error(vscode.l10n.t('Not saved: the connection changed while saving. Nothing was applied to the new connection.'));
      case 'gone':
        return new Error(vscode.l10n.t('Not saved: this deployment no longer exists on the server.'));
      case 'invalid':
      case 'failed':
        return this.refused(what, outcome.error);
      default:
        return new Error(vscode.l10n.t('Not saved: the server refused the change in the deployment’s current state. The list has been refreshed.'));
    }
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

  /** Opens a diff: the server's current version (left, read-only) against the user's text. */
  async compare(uri: vscode.Uri, current: Deployment): Promise<void> {
    const left = vscode.Uri.from({ scheme: DEPLOYMENT_SCHEME, path: `/server/${current.id}/${titleSafe(current.name)}.deployment.json` });
    this.entries.set(left.toString(), { kind: 'server', content: encoder.encode(documentText(documentOf(current))), mtime: Date.now() });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri: left }]);
    await vscode.commands.executeCommand('vscode.diff', left, uri, vscode.l10n.t('{0}: server ↔ yours', displayName(current.name)));
  }

  /** The error a failed request becomes: the server's 400 message naming the field, else the usual failure text. */
  private refused(what: string, e: unknown): Error {
    if (isApiError(e, 400)) {
      const message = this.deps.displayText(e.message).slice(0, 300);
      const text = e.param
        ? vscode.l10n.t('Not saved: the server refused the value of “{0}”: {1}', this.deps.displayText(e.param).slice(0, 120), message)
        : vscode.l10n.t('Not saved: the server refused the change: {0}', message);
      this.s.log.warn(text);
      return new SaveRefusal(this.s.log.clean(text), e.param ? [e.param] : []);
    }
    const text = this.s.log.clean(this.deps.failureText(what, e));
    this.s.log.error(text);
    return new Error(text);
  }

  /** A new token or region: nothing read with the old one may be saved with the new one. */
  clear(): void {
    this.entries.clear();
    this.created.clear();
  }

  /** Forget a closed document (a later open reads the server again). */
  forget(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
    this.saveDiagnostics.delete(uri);
  }

  readDirectory(_uri?: vscode.Uri): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(oldUri: vscode.Uri, _newUri?: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(oldUri);
  }

  dispose(): void {
    this.entries.clear();
    this.saveDiagnostics.dispose();
  }
}

/** A position in `text` (when the document is not open, as under tests). */
function positionIn(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset).split('\n');
  return new vscode.Position(before.length - 1, (before[before.length - 1] ?? '').length);
}
