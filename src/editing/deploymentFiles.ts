// Deployments as files: a FileSystemProvider for the `qoder` scheme.
//   qoder:/deployments/<id>/<name>.deployment.json  the edit document of one deployment
//   qoder:/new/<name>.deployment.json                a new deployment (create on save)
//   qoder:/server/<id>/<name>.deployment.json        the server's current copy (read-only, for Compare)
//   …/<name>.prompt.md, …/<name>.env                 the prompt and the environment variables of the
//                                                    document beside them, as text of their own: saving
//                                                    one writes it into that document and saves it
// An auto-save keeps the text as a draft and sends nothing; an explicit Save goes through the
// save flow (saveFlow.ts: validation, the write path, the conflict question, refusals marked).

import * as vscode from 'vscode';
import type { Deployment } from '../api';
import { isApiError } from '../api/errors';
import type { DeploymentCreateBody } from '../api/editTypes';
import { documentOf, documentText, parseDocumentText, type DeploymentDocument } from './model/deploymentDocument';
import { DEPLOYMENT_SCHEME } from '../platform/constants';
import type { Services } from '../platform/commandKit';
import type { NameCache } from '../agentSessions/model/sessionCache';
import { displayName, titleSafe } from '../common/display';
import { isPartPath, partEntry, partOf, partUri, type Part, type PartEntry } from './documentParts';
import type { SaveFlow, SaveHost } from './saveFlow';

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


export interface EditEntry {
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

export interface NewEntry {
  kind: 'new';
  draft?: boolean;
  /** Created paused (Duplicate's "Create Paused"): it never fires before the user resumes it. */
  paused?: boolean;
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

export { partUri, type Part, type PartEntry } from './documentParts';

type Entry = EditEntry | NewEntry | ServerEntry | PartEntry;

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


export class DeploymentFiles implements vscode.FileSystemProvider, vscode.Disposable, SaveHost {
  private readonly entries = new Map<string, Entry>();
  /** Why each pending save happens (from onWillSaveTextDocument): auto-saves only keep a draft. */
  private readonly saveReasons = new Map<string, vscode.TextDocumentSaveReason>();
  readonly scheme = DEPLOYMENT_SCHEME;
  readonly onDidChangeFile: vscode.Event<vscode.FileChangeEvent[]>;
  /** New documents that were saved as a deployment, until their editor is swapped for the edit document. */
  private readonly created = new Map<string, Deployment>();
  /** The fields a refused save named, marked until the next save of that document. */
  private readonly saveDiagnostics = vscode.languages.createDiagnosticCollection('qoder-save');
  private saves: SaveFlow | undefined;

  /** `changed` is the event the main bundle registered the file system provider with. */
  constructor(
    private readonly s: Services,
    private readonly deps: EditorDeps,
    private readonly changed: vscode.EventEmitter<vscode.FileChangeEvent[]>,
  ) {
    this.onDidChangeFile = changed.event;
  }

  /** The save flow, loaded on the first Save (the bundle maps this require to ./save.js). */
  private saveFlow(): SaveFlow {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.saves ??= new (require('./save.chunk') as typeof import('./save.chunk')).SaveFlow(this.s, this.deps, this.changed, this, this.saveDiagnostics);
    return this.saves;
  }

  /**
   * A new document starts empty on "disk"; the caller types the template in as an edit, so the
   * editor is dirty and closing it asks whether to discard it, like any untitled file.
   */
  setNew(uri: vscode.Uri, paused = false): void {
    this.entries.set(uri.toString(), { kind: 'new', paused, content: new Uint8Array(), mtime: Date.now() });
  }

  /** Whether the open new document `uri` is created paused (the latest answer counts). */
  setPaused(uri: vscode.Uri, paused: boolean): void {
    const e = this.entries.get(uri.toString());
    if (e?.kind === 'new') e.paused = paused;
  }

  noteCreated(uri: vscode.Uri, d: Deployment): void {
    this.entries.set(editUri(d).toString(), this.editEntry(d));
    this.created.set(uri.toString(), d);
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
    if (isPartPath(uri)) return this.loadPart(uri).then((e) => this.statOf(e));
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
    if (isPartPath(uri)) return (await this.loadPart(uri)).content;
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

  /**
   * A part nobody opened in this session: VS Code restores its tab after a reload. Made again
   * from its deployment document: the open one's text (unsaved edits included), else the server's.
   */
  private async loadPart(uri: vscode.Uri): Promise<PartEntry> {
    const { owner, part } = partOf(uri);
    if (!idOfUri(owner)) throw vscode.FileSystemError.FileNotFound(uri);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === owner.toString());
    const ownerText = open ? open.getText() : decoder.decode((this.entries.get(owner.toString()) ?? (await this.loadOwnerOf(uri, owner))).content);
    const parsed = parseDocumentText(ownerText);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) throw vscode.FileSystemError.FileNotFound(uri);
    const entry = partEntry(owner, part, parsed.value as Record<string, unknown>);
    this.entries.set(uri.toString(), entry);
    return entry;
  }

  /** The server's copy of a part's deployment; when the deployment is gone, it is the part that is not found. */
  private loadOwnerOf(uri: vscode.Uri, owner: vscode.Uri): Promise<EditEntry> {
    return this.load(owner).catch((e: unknown) => {
      throw e instanceof vscode.FileSystemError ? vscode.FileSystemError.FileNotFound(uri) : e;
    });
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
      if (reason === undefined || reason === vscode.TextDocumentSaveReason.Manual) await this.saveFlow().savePart(uri, entry, content);
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
    return this.saveFlow().save(uri, entry, content);
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
      this.entries.set(uri.toString(), partEntry(owner, part, parsed.value as Record<string, unknown>));
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    }
    await vscode.window.showTextDocument(open ?? (await vscode.workspace.openTextDocument(uri)), { preview: false });
  }

  /** Opens a diff: the server's current version (left, read-only) against the user's text. */
  async compare(uri: vscode.Uri, current: Deployment): Promise<void> {
    const left = vscode.Uri.from({ scheme: DEPLOYMENT_SCHEME, path: `/server/${current.id}/${titleSafe(current.name)}.deployment.json` });
    this.entries.set(left.toString(), { kind: 'server', content: encoder.encode(documentText(documentOf(current))), mtime: Date.now() });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri: left }]);
    await vscode.commands.executeCommand('vscode.diff', left, uri, vscode.l10n.t('{0}: server ↔ yours', displayName(current.name)));
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
