// What the main bundle holds of "act on a run": the command ids (Allow / Deny… / Send Message /
// Interrupt / Open and Save File / Review), the read-only file documents and the Allow / Deny…
// lenses on session documents, each forwarded to dist/interaction.js, which is required the
// first time any of it is needed; and what the tree asks (waiting lines, a session's files).

import * as vscode from 'vscode';
import { ARTIFACT_SCHEME, Commands, SESSION_SCHEME } from '../platform/constants';
import { guarded, type Services } from '../platform/commandKit';
import { displayText } from '../common/display';
import { failureText } from '../common/errorText';
import * as config from '../platform/config';
import type { ArtifactFile, InteractionView } from '../deployments/deploymentsTree';
import type { InteractionUi } from './interactionUi';
import type { IdleText, SessionStatusCache } from './model/sessionCache';
import { waitingMemory, type MementoLike } from './model/waitingMemory';
import type { SessionDocumentsHost } from './sessionHost';

type InteractionModule = typeof import('./interaction.chunk');
let loaded: InteractionModule | undefined;

function load(): InteractionModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./interaction.chunk') as InteractionModule;
  return loaded;
}

const COMMANDS = [Commands.allowToolUse, Commands.denyToolUse, Commands.sendMessage, Commands.interruptSession, Commands.openArtifact, Commands.saveArtifact, Commands.reviewWaiting];

export class InteractionHost implements InteractionView, vscode.Disposable {
  private impl: InteractionUi | undefined;
  private readonly waitingEvents = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeWaiting = this.waitingEvents.event;
  private readonly lensEvents = new vscode.EventEmitter<void>();
  private readonly subs: vscode.Disposable[];

  constructor(
    private readonly s: Services,
    private readonly sessions: { documents: SessionDocumentsHost; statuses: SessionStatusCache },
    /** globalState: what the look for waiting runs learned survives a reload. */
    private readonly state: MementoLike,
  ) {
    this.subs = [
      this.waitingEvents,
      this.lensEvents,
      ...COMMANDS.map((id) => vscode.commands.registerCommand(id, guarded(s, vscode.l10n.t('Acting on the session'), (a?: unknown) => this.ui().run(id, a)))),
      vscode.workspace.registerTextDocumentContentProvider(ARTIFACT_SCHEME, { provideTextDocumentContent: (uri) => this.ui().provideTextDocumentContent(uri) }),
      vscode.languages.registerCodeLensProvider({ scheme: SESSION_SCHEME }, { onDidChangeCodeLenses: this.lensEvents.event, provideCodeLenses: (doc) => this.ui().provideCodeLenses(doc) }),
      sessions.documents.onDidChange(() => this.lensEvents.fire()),
      // Runs waiting for a decision: looked for after each complete walk, not after one row changed.
      s.refresh.onDidWalk(() => void this.check(config.notifications() !== 'off')),
    ];
  }

  private ui(): InteractionUi {
    this.impl ??= new (load().InteractionUi)({
      client: () => this.s.connection.requireClient(),
      writes: () => this.s.mutations,
      hasToken: () => this.s.connection.hasToken,
      ui: () => this.s.ui,
      failureText,
      displayText,
      deploymentName: (id) => this.s.store.get(id)?.name,
      log: (line) => this.s.log.warn(line),
      follow: (sid) => this.sessions.documents.find(sid)?.resume(),
      refreshStatus: (sid) => this.sessions.statuses.refresh(sid),
      waitingChanged: (id) => this.waitingEvents.fire(id),
      lensesChanged: () => this.lensEvents.fire(),
      activeReport: () => this.sessions.documents.activeReport(),
      memory: () => {
        const account = this.s.connection.accountName;
        return account ? waitingMemory(this.state, account) : undefined;
      },
    });
    return this.impl;
  }

  idleLook(sessionId: string, updatedAt: string | undefined): Promise<IdleText> {
    return this.ui().idleLook(sessionId, updatedAt);
  }

  waiting(deploymentId: string): string | undefined {
    return this.impl?.waiting(deploymentId);
  }

  files(sessionId: string): Promise<ArtifactFile[]> {
    return this.ui().files(sessionId);
  }

  /** After a complete load: runs waiting for a decision (rows, status bar, a notification per new one). */
  check(notify: boolean): Promise<void> {
    this.lastCheck = this.s.connection.hasToken ? this.ui().check(notify) : Promise.resolve();
    return this.lastCheck;
  }

  /** The latest check (tests wait for it before counting requests). */
  lastCheck: Promise<void> = Promise.resolve();

  reset(): void {
    this.impl?.reset();
  }

  dispose(): void {
    this.impl?.dispose();
    for (const d of this.subs) d.dispose();
  }
}
