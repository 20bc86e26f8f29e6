// A thin fake of the `vscode` module for unit tests under plain Node. It implements only what
// the extension uses, records what the extension shows, and answers prompts from scripts.
// MarkdownString.appendText follows VS Code's own escaping so tooltip tests mean something.

/* eslint-disable @typescript-eslint/no-explicit-any */

type Listener<T> = (e: T) => any;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  event = (l: Listener<T>) => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Disposable {
  constructor(private readonly fn: () => void) {}
  static from(...d: { dispose(): any }[]) {
    return new Disposable(() => d.forEach((x) => x.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}
export class ThemeIcon {
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}

export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export enum ExtensionMode { Production = 1, Development = 2, Test = 3 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum StatusBarAlignment { Left = 1, Right = 2 }

export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: any[] };
  accessibilityInformation?: { label: string };
  constructor(public label: string, public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}

function escapeMarkdownSyntaxTokens(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-!~]/g, '\\$&');
}
function escapeIcons(text: string): string {
  return text.replace(/(\\)?\$\((\w[\w-]*(?:~[\w-]+)?)\)/g, (match, escaped) => (escaped ? match : `\\${match}`));
}

export class MarkdownString {
  isTrusted?: boolean | { enabledCommands: string[] };
  supportHtml?: boolean;
  value: string;
  constructor(value = '', public supportThemeIcons = false) {
    this.value = value;
  }
  appendText(value: string): this {
    this.value += escapeMarkdownSyntaxTokens(this.supportThemeIcons ? escapeIcons(value) : value)
      .replace(/([ \t]+)/g, (_m, g1: string) => '&nbsp;'.repeat(g1.length))
      .replace(/>/gm, '\\>')
      .replace(/\n/g, '\n\n');
    return this;
  }
  appendMarkdown(value: string): this {
    this.value += value;
    return this;
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly authority: string, readonly path: string, readonly query: string, readonly fragment: string) {}
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  static parse(s: string): Uri {
    const u = new URL(s);
    return new Uri(u.protocol.replace(/:$/, ''), u.host, decodeURIComponent(u.pathname), u.search.replace(/^\?/, ''), u.hash.replace(/^#/, ''));
  }
  with(c: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
  }
  static file(path: string): Uri {
    return new Uri('file', '', path, '', '');
  }
  get fsPath(): string {
    return this.path;
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, base.authority, [base.path.replace(/\/$/, ''), ...parts].join('/'), '', '');
  }
  toString(): string {
    return `${this.scheme}:${this.authority ? '//' + this.authority : ''}${this.path}${this.query ? '?' + this.query : ''}`;
  }
}

export enum ViewColumn { Active = -1, Beside = -2, One = 1 }
export enum TextEditorRevealType { Default = 0, InCenter = 1, InCenterIfOutsideViewport = 2, AtTop = 3 }

/** A webview panel: records the page's HTML and what the extension posts; a test plays the page with fromPage(). */
export class FakeWebviewPanel {
  readonly posted: any[] = [];
  private readonly received = new EventEmitter<any>();
  private readonly disposedEvents = new EventEmitter<void>();
  private readonly viewState = new EventEmitter<any>();
  readonly onDidDispose = this.disposedEvents.event;
  readonly onDidChangeViewState = this.viewState.event;
  visible = true;
  active = true;
  disposed = false;
  revealed = 0;
  iconPath: unknown;
  readonly webview = {
    html: '',
    cspSource: 'https://fake-webview.vscode-cdn.net',
    postMessage: (m: any): Promise<boolean> => {
      this.posted.push(m);
      return Promise.resolve(true);
    },
    onDidReceiveMessage: this.received.event,
  };
  constructor(readonly viewType: string, public title: string, readonly showOptions: any, readonly options: any) {}
  /** The page posts a message to the extension. */
  fromPage(m: unknown): void {
    this.received.fire(m);
  }
  /** The panel is shown (or hidden, or another tab is in front). */
  setState(visible: boolean, active = visible): void {
    this.visible = visible;
    this.active = active;
    this.viewState.fire({ webviewPanel: this });
  }
  reveal(): void {
    this.revealed++;
    this.setState(true);
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.visible = this.active = false;
    this.disposedEvents.fire();
  }
}

export class Selection {
  constructor(readonly anchor: Position, readonly active: Position) {}
}

// ---- recordings and scripted answers -------------------------------------------------

export interface Shown {
  kind: 'info' | 'warning' | 'error';
  message: string;
  options: any;
  items: string[];
}

/** vscode.version: undefined (an unreadable version counts as new) unless a test sets it with fake.setVersion. */
export let version: string | undefined;

/** Everything tests script or inspect. Reset with `fake.reset()`. */
export const fake = {
  /** Pretends to be this VS Code version (vscode.version) from now on. */
  setVersion(v: string | undefined): void {
    version = v;
  },
  shown: [] as Shown[],
  statusBar: [] as string[],
  /** Titles of self-closing notifications (withProgress at ProgressLocation.Notification, not cancellable). */
  announced: [] as string[],
  /** Titles of cancellable progress notifications, whose task runs (real work: a download, a save). */
  progress: [] as string[],
  /** Answers to showSaveDialog, in order (undefined: the dialog was cancelled), and its options. */
  saveDialogAnswers: [] as Array<Uri | undefined>,
  saveDialogs: [] as any[],
  logLines: [] as string[],
  clipboard: '',
  contexts: new Map<string, unknown>(),
  executed: [] as { command: string; args: any[] }[],
  /** Answers to showWarningMessage/showInformationMessage/showErrorMessage, in order. A function gets the call. */
  answers: [] as Array<string | undefined | ((s: Shown) => string | undefined)>,
  inputAnswers: [] as Array<string | undefined>,
  inputOptions: [] as any[],
  pickAnswers: [] as Array<(items: readonly any[], options: any) => any>,
  pickCalls: [] as { items: readonly any[]; options: any }[],
  settings: { global: new Map<string, unknown>(), workspace: new Map<string, unknown>() },
  defaults: new Map<string, unknown>([['qoder.apiBaseUrl', 'https://api.qoder.com/api/v1/cloud'], ['qoder.showArchived', false]]),
  configListeners: new EventEmitter<{ affectsConfiguration(s: string): boolean }>(),
  commands: new Map<string, (...args: any[]) => any>(),
  views: [] as FakeTreeView[],
  providers: new Map<string, any>(),
  /** Documents shown in an editor, in order: their URI and text. */
  opened: [] as { uri: string; text: string }[],
  /**
   * Documents of a file system provider's scheme (qoder:) open as FakeTextDocuments read from the
   * provider, kept in workspace.textDocuments, edited by applyEdit and saved through writeFile.
   * Off unless a test turns it on (opening one reads the server).
   */
  fsDocuments: false,
  /** Text put into an editor by the extension (TextEditor.edit replaces, insertSnippet), in order. */
  typed: [] as { uri: string; text: string; snippet: boolean }[],
  closedDocuments: new EventEmitter<any>(),
  statusItems: [] as any[],
  activeEditorListeners: new EventEmitter<any>(),
  /** Webview panels created, in order. */
  panels: [] as FakeWebviewPanel[],
  /** MCP server definition providers and language-model tools registered through vscode.lm, by id. */
  mcpProviders: new Map<string, any>(),
  lmTools: new Map<string, any>(),
  reset(): void {
    this.mcpProviders.clear();
    this.lmTools.clear();
    this.shown = [];
    this.statusBar = [];
    this.announced = [];
    this.progress = [];
    this.saveDialogAnswers = [];
    this.saveDialogs = [];
    this.logLines = [];
    this.clipboard = '';
    this.contexts.clear();
    this.executed = [];
    this.answers = [];
    this.inputAnswers = [];
    this.inputOptions = [];
    this.pickAnswers = [];
    this.pickCalls = [];
    this.settings.global.clear();
    this.settings.workspace.clear();
    this.statusItems = [];
    this.opened = [];
    this.typed = [];
    this.fsDocuments = false;
    workspace.textDocuments.length = 0;
    this.panels = [];
    this.commands.clear();
    this.views = [];
    this.providers.clear();
  },
  /** Everything user-visible or logged, as one string (for "no token anywhere" checks). */
  allText(): string {
    return [
      ...this.shown.map((s) => `${s.message}\n${s.options?.detail ?? ''}\n${s.items.join(' ')}`),
      ...this.statusBar,
      ...this.announced,
      ...this.logLines,
      ...this.views.map((v) => v.message ?? ''),
      this.clipboard,
    ].join('\n');
  },
};

function show(kind: Shown['kind']) {
  return (message: string, ...rest: any[]): Promise<string | undefined> => {
    const options = rest.length && typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0]) ? rest.shift() : {};
    const items = rest.map((r) => (typeof r === 'string' ? r : r?.title));
    const s: Shown = { kind, message, options, items };
    fake.shown.push(s);
    // Only prompts with buttons consume a scripted answer.
    if (!items.length) return Promise.resolve(undefined);
    const a = fake.answers.shift();
    return Promise.resolve(typeof a === 'function' ? a(s) : a);
  };
}

export class FakeTreeView {
  message: string | undefined;
  badge: { value: number; tooltip: string } | undefined;
  visible = true;
  selection: any[] = [];
  private vis = new EventEmitter<{ visible: boolean }>();
  onDidChangeVisibility = this.vis.event;
  onDidChangeSelection = new EventEmitter<any>().event;
  constructor(readonly id: string, readonly options: any) {}
  setVisible(v: boolean): void {
    this.visible = v;
    this.vis.fire({ visible: v });
  }
  reveal(): Promise<void> {
    return Promise.resolve();
  }
  dispose(): void {}
}

export class FakeStatusBarItem {
  text = '';
  tooltip: unknown;
  name: string | undefined;
  command: unknown;
  accessibilityInformation: unknown;
  visible = false;
  constructor(readonly id?: string, readonly alignment?: StatusBarAlignment, readonly priority?: number) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.visible = false;
  }
}

export const window = {
  showInformationMessage: show('info'),
  showWarningMessage: show('warning'),
  showErrorMessage: show('error'),
  showInputBox(options: any): Promise<string | undefined> {
    fake.inputOptions.push(options);
    return Promise.resolve(fake.inputAnswers.shift());
  },
  showQuickPick(items: readonly any[], options: any): Promise<any> {
    fake.pickCalls.push({ items, options });
    const f = fake.pickAnswers.shift();
    return Promise.resolve(f ? f(items, options) : undefined);
  },
  /**
   * A quick pick driven by the same scripted answers as showQuickPick: an array = the ticked
   * items accepted; a string = that text typed, then a plain Enter (nothing ticked).
   */
  createQuickPick() {
    const accept = new EventEmitter<void>();
    const hide = new EventEmitter<void>();
    const change = new EventEmitter<string>();
    const qp: any = {
      items: [], selectedItems: [], activeItems: [], canSelectMany: false, value: '',
      onDidAccept: accept.event, onDidHide: hide.event, onDidChangeValue: change.event,
      show() {
        fake.pickCalls.push({ items: qp.items, options: { placeHolder: qp.placeholder, title: qp.title, canPickMany: qp.canSelectMany } });
        const f = fake.pickAnswers.shift();
        const answer = f ? f(qp.items, { placeHolder: qp.placeholder, canPickMany: qp.canSelectMany }) : undefined;
        queueMicrotask(() => {
          if (answer === undefined) return hide.fire();
          if (typeof answer === 'string') {
            qp.value = answer;
            change.fire(answer);
            qp.selectedItems = [];
            return accept.fire();
          }
          qp.selectedItems = Array.isArray(answer) ? answer : [answer];
          accept.fire();
        });
      },
      hide() { hide.fire(); },
      dispose() {},
    };
    return qp;
  },
  createInputBox() {
    const accept = new EventEmitter<void>();
    const hide = new EventEmitter<void>();
    const change = new EventEmitter<string>();
    const box: any = {
      value: '', onDidAccept: accept.event, onDidHide: hide.event, onDidChangeValue: change.event,
      show() {
        fake.inputOptions.push({ title: box.title, prompt: box.prompt, value: box.value, live: true });
        const answer = fake.inputAnswers.shift();
        queueMicrotask(() => {
          if (answer === undefined) return hide.fire();
          box.value = answer;
          change.fire(answer);
          accept.fire();
        });
      },
      hide() { hide.fire(); },
      dispose() {},
    };
    return box;
  },
  showSaveDialog(options: any): Promise<Uri | undefined> {
    fake.saveDialogs.push(options);
    return Promise.resolve(fake.saveDialogAnswers.shift());
  },
  setStatusBarMessage(text: string): Disposable {
    fake.statusBar.push(text);
    return new Disposable(() => undefined);
  },
  withProgress<R>(o: any, task: (p: { report(): void }, token: any) => Promise<R>): Promise<R> {
    // A notification that only announces (its task just waits) is recorded, not waited for.
    if (o?.location === ProgressLocation.Notification && !o.cancellable) {
      fake.announced.push(o.title);
      return Promise.resolve(undefined as R);
    }
    if (o?.location === ProgressLocation.Notification) fake.progress.push(o.title);
    return task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) });
  },
  createOutputChannel(_name: string, _opts?: any) {
    const line = (level: string) => (m: string) => fake.logLines.push(`[${level}] ${m}`);
    return { info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug'), trace: line('trace'), appendLine: line('line'), show() {}, dispose() {} };
  },
  createTreeView(id: string, options: any): FakeTreeView {
    const v = new FakeTreeView(id, options);
    fake.views.push(v);
    return v;
  },
  showTextDocument(doc: any): Promise<any> {
    fake.opened.push({ uri: String(doc.uri), text: typeof doc.getText === 'function' ? doc.getText() : '' });
    const uri = String(doc.uri);
    const revealed: any[] = [];
    const editor = {
      document: doc,
      selection: undefined as unknown,
      revealed,
      revealRange: (r: any) => void revealed.push(r),
      edit(cb: (b: { replace(r: unknown, text: string): void }) => void): Promise<boolean> {
        cb({ replace: (_r, text) => void fake.typed.push({ uri, text, snippet: false }) });
        return Promise.resolve(true);
      },
      insertSnippet(snippet: SnippetString): Promise<boolean> {
        fake.typed.push({ uri, text: snippet.value, snippet: true });
        return Promise.resolve(true);
      },
    };
    window.activeTextEditor = editor;
    fake.activeEditorListeners.fire(editor);
    return Promise.resolve(editor);
  },
  createWebviewPanel(viewType: string, title: string, showOptions: any, options: any): FakeWebviewPanel {
    for (const p of fake.panels) if (!p.disposed) p.setState(p.visible, false);
    const panel = new FakeWebviewPanel(viewType, title, showOptions, options);
    fake.panels.push(panel);
    window.activeTextEditor = undefined;
    return panel;
  },
  createStatusBarItem(id?: string, alignment?: StatusBarAlignment, priority?: number): FakeStatusBarItem {
    const item = new FakeStatusBarItem(id, alignment, priority);
    fake.statusItems.push(item);
    return item;
  },
  activeTextEditor: undefined as { document: any; selection?: unknown; revealed?: any[] } | undefined,
  onDidChangeActiveTextEditor: (l: any) => fake.activeEditorListeners.event(l),
  state: { focused: true },
  tabGroups: { all: [] as any[], close: () => Promise.resolve(true) },
  onDidChangeWindowState: new EventEmitter<{ focused: boolean }>().event,
};

export const commands = {
  registerCommand(id: string, fn: (...a: any[]) => any): Disposable {
    if (fake.commands.has(id)) throw new Error(`command ${id} already registered`);
    fake.commands.set(id, fn);
    return new Disposable(() => fake.commands.delete(id));
  },
  async executeCommand(id: string, ...args: any[]): Promise<any> {
    fake.executed.push({ command: id, args });
    if (id === 'setContext') {
      fake.contexts.set(args[0], args[1]);
      return undefined;
    }
    const fn = fake.commands.get(id);
    return fn ? fn(...args) : undefined;
  },
};

function configValue(key: string): { defaultValue: unknown; globalValue: unknown; workspaceValue: unknown } {
  return { defaultValue: fake.defaults.get(key), globalValue: fake.settings.global.get(key), workspaceValue: fake.settings.workspace.get(key) };
}

export const workspace = {
  getConfiguration(section: string) {
    const full = (k: string) => `${section}.${k}`;
    return {
      get<T>(k: string, def?: T): T {
        const v = configValue(full(k));
        return (v.workspaceValue ?? v.globalValue ?? v.defaultValue ?? def) as T;
      },
      inspect<T>(k: string) {
        return configValue(full(k)) as { defaultValue?: T; globalValue?: T; workspaceValue?: T };
      },
      async update(k: string, value: unknown, target: ConfigurationTarget) {
        (target === ConfigurationTarget.Global ? fake.settings.global : fake.settings.workspace).set(full(k), value);
        fake.configListeners.fire({ affectsConfiguration: (s: string) => full(k) === s || full(k).startsWith(s + '.') });
      },
    };
  },
  onDidChangeConfiguration: (l: any) => fake.configListeners.event(l),
  onDidCloseTextDocument: (l: any) => fake.closedDocuments.event(l),
  registerTextDocumentContentProvider(scheme: string, p: any): Disposable {
    fake.providers.set(scheme, p);
    return new Disposable(() => fake.providers.delete(scheme));
  },
  registerFileSystemProvider(scheme: string, p: any): Disposable {
    fake.providers.set(`fs:${scheme}`, p);
    return new Disposable(() => fake.providers.delete(`fs:${scheme}`));
  },
  textDocuments: [] as any[],
  /** Applies to open FakeTextDocuments (fake.fsDocuments). */
  async applyEdit(edit: WorkspaceEdit): Promise<boolean> {
    for (const e of edit.edits) {
      const doc = workspace.textDocuments.find((d) => String(d.uri) === String(e.uri));
      if (!(doc instanceof FakeTextDocument)) return false;
      doc.replace(e.range, e.text);
    }
    return true;
  },
  onDidOpenTextDocument: new EventEmitter<any>().event,
  onDidChangeTextDocument: new EventEmitter<any>().event,
  onDidSaveTextDocument: new EventEmitter<any>().event,
  onWillSaveTextDocument: new EventEmitter<any>().event,
  async openTextDocument(uri: Uri) {
    const fs = fake.fsDocuments ? fake.providers.get(`fs:${uri.scheme}`) : undefined;
    if (fs) {
      const open = workspace.textDocuments.find((d) => String(d.uri) === String(uri));
      if (open) return open;
      const doc = new FakeTextDocument(uri, new TextDecoder().decode(await fs.readFile(uri)), fs);
      workspace.textDocuments.push(doc);
      return doc;
    }
    const p = fake.providers.get(uri.scheme);
    const text = p ? await p.provideTextDocumentContent(uri) : '';
    return { uri, languageId: 'plaintext', getText: () => text };
  },
};

export const languages = {
  setTextDocumentLanguage(doc: any, languageId: string) {
    return Promise.resolve({ ...doc, languageId });
  },
  createDiagnosticCollection(_name: string) {
    const map = new Map<string, any[]>();
    return { set: (uri: Uri, d: any[]) => void map.set(uri.toString(), d), delete: (uri: Uri) => void map.delete(uri.toString()), get: (uri: Uri) => map.get(uri.toString()), clear: () => map.clear(), dispose: () => map.clear() };
  },
  registerCodeLensProvider(selector: unknown, p: any): Disposable {
    // The last one as 'codelens'; each also by its selector's scheme ('codelens:qoder-session').
    const scheme = (selector as { scheme?: unknown } | undefined)?.scheme;
    const keys = ['codelens', ...(typeof scheme === 'string' ? [`codelens:${scheme}`] : [])];
    for (const k of keys) fake.providers.set(k, p);
    return new Disposable(() => {
      for (const k of keys) if (fake.providers.get(k) === p) fake.providers.delete(k);
    });
  },
  /** Hover, inlay hint, completion and code action providers, recorded as `<kind>` (several hovers: `hover`, `hover2`, …). */
  registerHoverProvider(_selector: unknown, p: any): Disposable {
    return registered('hover', p);
  },
  registerInlayHintsProvider(_selector: unknown, p: any): Disposable {
    return registered('inlayHints', p);
  },
  registerCompletionItemProvider(_selector: unknown, p: any): Disposable {
    return registered('completion', p);
  },
  registerCodeActionsProvider(_selector: unknown, p: any): Disposable {
    return registered('codeActions', p);
  },
  getDiagnostics(_uri: Uri): any[] {
    return [];
  },
};

function registered(kind: string, p: any): Disposable {
  let key = kind;
  for (let n = 2; fake.providers.has(key); n++) key = `${kind}${n}`;
  fake.providers.set(key, p);
  return new Disposable(() => fake.providers.delete(key));
}

/** An open document of a file system provider's scheme: its text, dirty until saved through the provider. */
export class FakeTextDocument {
  languageId = 'plaintext';
  version = 1;
  isDirty = false;
  constructor(readonly uri: Uri, private text: string, private readonly fs: { writeFile(uri: Uri, content: Uint8Array): Promise<void> }) {}
  getText(): string {
    return this.text;
  }
  get lineCount(): number {
    return this.text.split('\n').length;
  }
  lineAt(line: number): { text: string; range: Range } {
    const text = this.text.split('\n')[line] ?? '';
    return { text, range: new Range(line, 0, line, text.length) };
  }
  offsetAt(p: Position): number {
    const lines = this.text.split('\n');
    if (p.line >= lines.length) return this.text.length;
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + Math.min(p.character, (lines[p.line] ?? '').length);
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, offset).split('\n');
    return new Position(before.length - 1, (before[before.length - 1] ?? '').length);
  }
  replace(range: Range, text: string): void {
    this.text = this.text.slice(0, this.offsetAt(range.start)) + text + this.text.slice(this.offsetAt(range.end));
    this.version++;
    this.isDirty = true;
  }
  /** As VS Code saves: writeFile; still dirty when it threw or the text changed meanwhile. */
  async save(): Promise<boolean> {
    const version = this.version;
    try {
      await this.fs.writeFile(this.uri, new TextEncoder().encode(this.text));
    } catch {
      return false;
    }
    if (this.version === version) this.isDirty = false;
    return !this.isDirty;
  }
}

export class SnippetString {
  constructor(public value = '') {}
}

export class Hover {
  constructor(readonly contents: MarkdownString, readonly range?: Range) {}
}
export class InlayHint {
  paddingLeft?: boolean;
  tooltip?: string;
  constructor(readonly position: Position, readonly label: string) {}
}
export enum CompletionItemKind { Module = 8, Class = 6 }
export class CompletionItem {
  insertText?: string;
  filterText?: string;
  sortText?: string;
  detail?: string;
  range?: Range;
  constructor(readonly label: string | { label: string; description?: string }, readonly kind?: CompletionItemKind) {}
}
export class CodeActionKind {
  static readonly QuickFix = new CodeActionKind('quickfix');
  constructor(readonly value: string) {}
}
export class WorkspaceEdit {
  readonly edits: { uri: Uri; range: Range; text: string }[] = [];
  replace(uri: Uri, range: Range, text: string): void {
    this.edits.push({ uri, range, text });
  }
  insert(uri: Uri, at: Position, text: string): void {
    this.edits.push({ uri, range: new Range(at, at), text });
  }
  delete(uri: Uri, range: Range): void {
    this.edits.push({ uri, range, text: '' });
  }
}
export class CodeAction {
  edit?: WorkspaceEdit;
  diagnostics?: unknown[];
  isPreferred?: boolean;
  constructor(readonly title: string, readonly kind?: CodeActionKind) {}
}

export enum FileType { Unknown = 0, File = 1, Directory = 2, SymbolicLink = 64 }
export enum FilePermission { Readonly = 1 }
export enum TextDocumentSaveReason { Manual = 1, AfterDelay = 2, FocusOut = 3 }
export enum FileChangeType { Changed = 1, Created = 2, Deleted = 3 }
export enum DiagnosticSeverity { Error = 0, Warning = 1, Information = 2, Hint = 3 }
export class FileSystemError extends Error {
  constructor(message?: unknown, readonly code = 'Unknown') {
    super(typeof message === 'string' ? message : String(message ?? code));
  }
  static FileNotFound(m?: unknown): FileSystemError {
    return new FileSystemError(m, 'FileNotFound');
  }
  static NoPermissions(m?: unknown): FileSystemError {
    return new FileSystemError(m, 'NoPermissions');
  }
}
export class Position {
  constructor(readonly line: number, readonly character: number) {}
  isBefore(o: Position): boolean {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
  translate(lines = 0, characters = 0): Position {
    return new Position(this.line + lines, this.character + characters);
  }
}
export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c as number, d as number) : (b as Position);
  }
  contains(p: Position): boolean {
    return !p.isBefore(this.start) && !this.end.isBefore(p);
  }
}
export class CodeLens {
  constructor(readonly range: Range, readonly command?: { title: string; command: string; tooltip?: string }) {}
}
export class Diagnostic {
  source?: string;
  code?: string;
  constructor(readonly range: Range, readonly message: string, readonly severity: DiagnosticSeverity) {}
}
export class TabInputText {
  constructor(readonly uri: Uri) {}
}

export const env = {
  clipboard: {
    writeText(v: string): Promise<void> {
      fake.clipboard = v;
      return Promise.resolve();
    },
  },
  language: 'en',
  appName: 'Visual Studio Code',
  uriScheme: 'vscode',
};

/** The MCP and language-model tool APIs of vscode.lm (1.101+), recording what is registered. */
export class McpHttpServerDefinition {
  constructor(readonly label: string, public uri: Uri, public headers: Record<string, string> = {}, public version?: string) {}
}
export class LanguageModelTextPart {
  constructor(public value: string) {}
}
export class LanguageModelToolResult {
  constructor(public content: unknown[]) {}
}
/** Cursor's extension API (vscode.cursor.mcp); a test sets `mcp` to stand in for Cursor. */
export const cursor: { mcp?: unknown } = {};

export const lm = {
  registerMcpServerDefinitionProvider(id: string, provider: any): Disposable {
    if (fake.mcpProviders.has(id)) throw new Error(`MCP provider ${id} already registered`);
    fake.mcpProviders.set(id, provider);
    return new Disposable(() => fake.mcpProviders.delete(id));
  },
  registerTool(name: string, tool: any): Disposable {
    if (fake.lmTools.has(name)) throw new Error(`tool ${name} already registered`);
    fake.lmTools.set(name, tool);
    return new Disposable(() => fake.lmTools.delete(name));
  },
};

export const l10n = {
  /** The translations VS Code loaded for the display language (undefined in English); tests may set it. */
  bundle: undefined as Record<string, string> | undefined,
  t(message: string, ...args: any[]): string {
    return message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));
  },
};

/** A SecretStorage in memory, with onDidChange like the real one. */
export class FakeSecretStorage {
  readonly data = new Map<string, string>();
  private changed = new EventEmitter<{ key: string }>();
  onDidChange = this.changed.event;
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.data.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.data.set(key, value);
    this.changed.fire({ key });
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.data.delete(key);
    this.changed.fire({ key });
    return Promise.resolve();
  }
}

/** A Memento (globalState) in memory: pass one instance to several activations to model a reload. */
export class FakeMemento {
  readonly data = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  get(key: string, fallback?: unknown): unknown {
    // a copy, as the real one hands out what was serialized
    return this.data.has(key) ? structuredClone(this.data.get(key)) : fallback;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, structuredClone(value));
    return Promise.resolve();
  }
  setKeysForSync(): void {}
}
