// A session as a report (dist/report.js, with markdown-it): a webview panel per session that
// shows the same Markdown as the session's document, rendered, with our own buttons (Stop Run,
// Send Message…, Review / Allow / Deny…, Open as Markdown). A webview rather than the built-in
// preview: the preview cannot carry these buttons, cannot be told to follow the tail, and its
// title actions do not know which session they show. The session's one view (and stream) in
// SessionDocuments feeds both the document and the panel; the panel holds it while open.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../platform/constants';
import { Disposable } from '../platform/lifecycle';
import { sessionIdOf } from './sessionUris';
import type { SessionDocuments } from './sessionDocument';
import { changedBlocks, createRenderer, renderReport, reportMessage, type ReportAction } from './model/reportHtml';
import { reportShell, type ReportUpdate } from './model/reportPage';

export const REPORT_VIEW_TYPE = 'qoder.sessionReport';
/** At most one redraw of a panel in this time (the view itself redraws at most every 250 ms). */
const REDRAW_MS = 300;

export interface SessionReportDeps {
  documents: Pick<SessionDocuments, 'report' | 'hold' | 'onDidChange' | 'onDidReset'>;
  extensionUri: vscode.Uri;
  log(line: string): void;
}

/** What a button of the page runs: one of our commands, always on the panel's own session. */
const ACTION_COMMANDS: Record<Exclude<ReportAction, 'review'>, string> = {
  stop: Commands.cancelSession,
  send: Commands.sendMessage,
  allow: Commands.allowToolUse,
  deny: Commands.denyToolUse,
  markdown: Commands.openSessionMarkdown,
};

class ReportPanel extends Disposable {
  private readonly md = createRenderer();
  private head: string | undefined;
  private blocks: string[] = [];
  private ready = false;
  private dirty = true;
  private drawing = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  running = false;
  waiting = false;

  constructor(
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: SessionReportDeps,
    private readonly changed: () => void,
    closed: () => void,
  ) {
    super();
    this._register(panel.onDidDispose(() => {
      this.dispose();
      closed();
    }));
    this._register(deps.documents.hold(uri));
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => {
      this.onMessage(m).catch((e: unknown) => deps.log(`Session report: ${e instanceof Error ? e.message : String(e)}`));
    }));
    this._register(panel.onDidChangeViewState(() => {
      if (panel.visible && this.dirty) this.schedule(0);
      this.changed();
    }));
    this._register(deps.documents.onDidChange((u) => {
      if (u.toString() === uri.toString()) this.schedule();
    }));
    this._register({ dispose: () => clearTimeout(this.timer) });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = reportMessage(raw);
    if (!m) return; // the page names a known action or nothing: never a command of its own
    if (m.type === 'ready') {
      // A new page (first load, or shown again after being hidden): everything once more.
      this.ready = true;
      this.head = undefined;
      this.blocks = [];
      this.schedule(0);
      return;
    }
    if (m.action === 'review') return this.review();
    await vscode.commands.executeCommand(ACTION_COMMANDS[m.action], this.uri);
  }

  /** Review: the pending calls in the Markdown document, each with its own Allow and Deny… lenses. */
  private async review(): Promise<void> {
    await vscode.commands.executeCommand(Commands.openSessionMarkdown, this.uri);
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.uri.toString() !== this.uri.toString()) return;
    const lines = editor.document.getText().split('\n');
    const line = lines.findIndex((l) => l.startsWith('## ⏸ '));
    if (line < 0) return;
    const at = new vscode.Position(line, 0);
    editor.selection = new vscode.Selection(at, at);
    // The section at the top, the calls below it to the end. 'Default' scrolls as little as it can
    // for the editor's height at that moment: on a tab still being laid out that left only the
    // last call in view (the interaction flow saw it in 4.139).
    editor.revealRange(new vscode.Range(at, new vscode.Position(lines.length - 1, 0)), vscode.TextEditorRevealType.AtTop);
  }

  schedule(delay = REDRAW_MS): void {
    this.dirty = true;
    if (this.timer !== undefined || this.drawing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.draw();
    }, delay);
  }

  /** Posts what changed since the last post; hidden panels wait until they are shown. */
  private async draw(): Promise<void> {
    if (!this.ready || !this.panel.visible) return;
    this.drawing = true;
    this.dirty = false;
    try {
      const state = await this.deps.documents.report(this.uri);
      const { head, blocks } = renderReport(this.md, state.markdown);
      const change = changedBlocks(this.blocks, blocks);
      const update: ReportUpdate = { type: 'update', kind: state.kind ?? 'failed', from: change?.from ?? blocks.length, blocks: change?.blocks ?? [], running: state.running, waiting: state.waiting };
      if (head !== this.head) update.head = head;
      this.head = head;
      this.blocks = blocks;
      if (this.running !== state.running || this.waiting !== state.waiting) {
        this.running = state.running;
        this.waiting = state.waiting;
        this.changed();
      }
      await this.panel.webview.postMessage(update);
    } catch (e) {
      this.deps.log(`Session report: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.drawing = false;
    }
    if (this.dirty) this.schedule();
  }
}

export class SessionReports extends Disposable {
  /** Open panels by session ID: one per session, whoever opens it. */
  private readonly panels = new Map<string, ReportPanel>();
  private active: ReportPanel | undefined;

  constructor(private readonly deps: SessionReportDeps) {
    super();
    // Another account: no panel keeps showing (or following) a session of the one before.
    this._register(deps.documents.onDidReset(() => {
      for (const p of [...this.panels.values()]) p.panel.dispose();
    }));
    this._register({ dispose: () => {
      for (const p of [...this.panels.values()]) p.panel.dispose();
    } });
  }

  /** Opens the session's report, or reveals the one already open. */
  open(uri: vscode.Uri): void {
    const id = sessionIdOf(uri);
    if (!id) return;
    const open = this.panels.get(id);
    if (open) {
      open.panel.reveal(undefined, false);
      return;
    }
    const title = uri.path.replace(/^\//, '');
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'media')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'qoder.svg');
    const report: ReportPanel = new ReportPanel(uri, panel, this.deps, () => this.updateContext(), () => {
      if (this.panels.get(id) === report) this.panels.delete(id);
      this.updateContext();
    });
    this.panels.set(id, report);
    panel.webview.html = reportShell({
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      lang: vscode.env.language,
      words: {
        toolbar: vscode.l10n.t('Session actions'),
        stop: vscode.l10n.t('Stop Run'),
        send: vscode.l10n.t('Send Message…'),
        review: vscode.l10n.t('Review'),
        allow: vscode.l10n.t('Allow'),
        deny: vscode.l10n.t('Deny…'),
        markdown: vscode.l10n.t('Open as Markdown'),
        jump: vscode.l10n.t('Jump to latest'),
        loading: vscode.l10n.t('Loading…'),
      },
    });
    this.updateContext();
  }

  /** The session of the report panel in front (the title bar's buttons act on it). */
  activeUri(): vscode.Uri | undefined {
    return this.activePanel()?.uri;
  }

  private activePanel(): ReportPanel | undefined {
    for (const p of this.panels.values()) if (p.panel.active) return p;
    return undefined;
  }

  private updateContext(): void {
    const p = this.activePanel();
    if (p === this.active && p === undefined) return;
    this.active = p;
    void vscode.commands.executeCommand('setContext', ContextKeys.reportRunning, p?.running === true);
    void vscode.commands.executeCommand('setContext', ContextKeys.reportWaiting, p?.waiting === true);
  }
}
