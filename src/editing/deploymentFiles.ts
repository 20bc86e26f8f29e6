// Deployments as files: a FileSystemProvider for the `qoder` scheme.
//   qoder:/deployments/<id>/<name>.deployment.json  the edit document of one deployment
//   qoder:/new/<name>.deployment.json                a new deployment (create on save)
//   qoder:/server/<id>/<name>.deployment.json        the server's current copy (read-only, for Compare)
// Save (writeFile) validates, then sends one request. A thrown error keeps the editor dirty
// with the user's text, and VS Code shows the reason.

import * as vscode from 'vscode';
import type { Deployment } from '../api';
import { isApiError } from '../api/errors';
import {
  conflictDecision,
  createBody,
  diffDocument,
  documentOf,
  documentText,
  parseDocumentText,
  validateDocument,
  type DeploymentDocument,
} from './model/deploymentDocument';
import { DEPLOYMENT_SCHEME } from '../platform/constants';
import type { Services } from '../platform/commandKit';
import { displayName, quote, titleSafe } from '../common/display';

/** What the editor chunk takes from the main bundle (one copy of each, shared). */
export interface EditorDeps {
  /** errorText.ts failureText. */
  failureText: (what: string, e: unknown) => string;
  /** describe.ts cronWords (the tree's wording). */
  cronWords: (expression: string, locale?: string) => string | null;
  /** display.ts displayText: server text for one line of UI (redacted, no controls, no links). */
  displayText: (text: string) => string;
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
  content: Uint8Array;
  mtime: number;
}

interface ServerEntry {
  kind: 'server';
  content: Uint8Array;
  mtime: number;
}

type Entry = EditEntry | NewEntry | ServerEntry;

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
    return e !== undefined && e.kind !== 'server' && e.draft === true;
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
    const entry = this.entries.get(uri.toString()) ?? (idOfUri(uri) ? await this.load(uri) : undefined);
    if (!entry) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Only deployment documents can be saved here.'));
    if (entry.kind === 'server') throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('This is the server’s copy, for comparing; it cannot be saved.'));
    const reason = this.saveReasons.get(uri.toString());
    this.saveReasons.delete(uri.toString());
    if (reason !== undefined && reason !== vscode.TextDocumentSaveReason.Manual) {
      // Auto-save (on by default in VS Code for the Web): keep the text, send nothing.
      if (entry.kind === 'edit' && entry.archivedAt !== null) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('This deployment is archived; archived deployments cannot be changed.'));
      entry.content = content;
      entry.draft = true;
      entry.mtime = Math.max(Date.now(), entry.mtime + 1);
      return;
    }
    const edited = this.checked(content);
    if (entry.kind === 'new') return this.create(uri, entry, edited);
    return this.update(uri, entry, edited, content);
  }

  /** Parsed and valid, or an error listing the reasons (nothing is sent). */
  private checked(content: Uint8Array): Record<string, unknown> {
    const parsed = parseDocumentText(decoder.decode(content));
    if (!parsed.ok) throw new Error(vscode.l10n.t('Not saved, nothing was sent: {0}', parsed.message));
    const problems = validateDocument(parsed.value);
    if (problems.length) {
      const reasons = problems.slice(0, 3).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join(' ');
      const more = problems.length > 3 ? ` ${vscode.l10n.t('(and {0} more)', problems.length - 3)}` : '';
      throw new Error(vscode.l10n.t('Not saved, nothing was sent: {0}', reasons + more));
    }
    return parsed.value as Record<string, unknown>;
  }

  private async create(uri: vscode.Uri, entry: NewEntry, edited: Record<string, unknown>): Promise<void> {
    let created: Deployment;
    try {
      created = await this.s.connection.requireClient().createDeployment(createBody(edited));
    } catch (e) {
      throw this.refused(vscode.l10n.t('Creating the deployment'), e);
    }
    this.s.store.replace(created);
    entry.content = encoder.encode(documentText(documentOf(created)));
    entry.draft = false;
    entry.mtime = Date.now();
    const target = editUri(created);
    this.entries.set(target.toString(), this.editEntry(created));
    this.s.ui.announce(vscode.l10n.t('Created {0}.', quote(this.deps.displayText(created.name))));
    this.created.set(uri.toString(), created);
  }

  private async update(uri: vscode.Uri, entry: EditEntry, edited: Record<string, unknown>, content: Uint8Array): Promise<void> {
    if (entry.archivedAt !== null) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('This deployment is archived; archived deployments cannot be changed.'));
    const client = this.s.connection.requireClient();
    let base = entry.base;
    let patch = diffDocument(base, edited);
    if (Object.keys(patch).length === 0) {
      // nothing changed: nothing to send
      entry.draft = false;
      entry.content = content;
      return;
    }
    let current: Deployment | undefined;
    try {
      current = await client.getDeployment(entry.id);
    } catch (e) {
      if (!isApiError(e, 404)) throw this.refused(vscode.l10n.t('Checking the deployment before saving'), e);
    }
    const decision = conflictDecision(entry.openedUpdatedAt, current);
    if (decision === 'gone') throw new Error(vscode.l10n.t('Not saved: this deployment no longer exists on the server.'));
    if (decision === 'archived') throw new Error(vscode.l10n.t('Not saved: this deployment was archived on the server; archived deployments cannot be changed.'));
    if (decision === 'conflict' && current) {
      const compare = vscode.l10n.t('Compare');
      const overwrite = vscode.l10n.t('Overwrite');
      const answer = await this.s.ui.showWarningMessage(
        vscode.l10n.t('{0} was changed on the server after you opened it. Saving would overwrite that change.', quote(this.deps.displayText(current.name))),
        { modal: true, detail: vscode.l10n.t('Compare shows the server’s current version beside your text. Overwrite replaces it with your text.') },
        compare,
        overwrite,
      );
      if (answer === compare) {
        await this.compare(uri, current);
        throw new Error(vscode.l10n.t('Not saved: compare your text with the server’s version, then save again.'));
      }
      if (answer !== overwrite) throw new Error(vscode.l10n.t('Not saved: cancelled because the deployment changed on the server.'));
      base = documentOf(current);
      patch = diffDocument(base, edited);
      if (Object.keys(patch).length === 0) {
        this.reloadFrom(uri, entry, current);
        return;
      }
    }
    if (!this.s.store.beginAction(entry.id, vscode.l10n.t('Saving…'))) throw new Error(vscode.l10n.t('Not saved: another action on this deployment is still running. Try again in a moment.'));
    let updated: Deployment;
    try {
      updated = await client.updateDeployment(entry.id, patch);
    } catch (e) {
      throw this.refused(vscode.l10n.t('Saving the deployment'), e);
    } finally {
      this.s.store.endAction(entry.id);
    }
    this.s.store.replace(updated);
    this.reloadFrom(uri, entry, updated);
    this.s.ui.announce(vscode.l10n.t('Saved {0}.', quote(this.deps.displayText(updated.name))));
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
      return new Error(this.s.log.clean(text));
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
  }
}
