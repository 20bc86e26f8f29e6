// The session documents' provider as registered at activation. Everything behind it (the
// transcript, the live view) lives in dist/sessions.js and is required when the first session
// document is opened, so activation does not pay for it.

import * as vscode from 'vscode';
import type { SessionDocuments } from './sessionDocument';
import type { SessionDocDeps } from './sessionView';
import type { SessionReports } from './sessionReport';
import { NameCache, SessionStatusCache, type SessionSource } from './model/sessionCache';
import type { Connection } from '../connection/connection';
import type { DeploymentStore } from '../deployments/model/deploymentStore';
import type { Log } from '../platform/log';
import { failureText } from '../common/errorText';
import { durationText, formatTime } from '../common/timeText';

type SessionModule = typeof import('./agentSessions.chunk');
let loaded: SessionModule | undefined;
type ReportModule = typeof import('./report.chunk');
let reportChunk: ReportModule | undefined;

/** The session chunk (the bundle maps this require to ./sessions.js). */
function loadSessionChunk(): SessionModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./agentSessions.chunk') as SessionModule;
  return loaded;
}

/** The report chunk (./report.js, with markdown-it). */
function loadReportChunk(): ReportModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  reportChunk ??= require('./report.chunk') as ReportModule;
  return reportChunk;
}

export class SessionDocumentsHost implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private impl: SessionDocuments | undefined;
  private reports: SessionReports | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private forward: vscode.Disposable | undefined;

  constructor(private readonly deps: SessionDocDeps, private readonly extensionUri: vscode.Uri) {}

  private documents(): SessionDocuments {
    if (!this.impl) {
      this.impl = new (loadSessionChunk().SessionDocuments)(this.deps);
      this.forward = this.impl.onDidChange((u) => this.changed.fire(u));
    }
    return this.impl;
  }

  provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    return this.documents().provideTextDocumentContent(uri);
  }

  /** Save Session Transcript… (see SessionDocuments.saveTranscriptCommand). */
  saveTranscriptCommand(...args: Parameters<SessionDocuments['saveTranscriptCommand']>): Promise<void> {
    return this.documents().saveTranscriptCommand(...args);
  }

  /** The address to open: the session's open document, if it has one (see SessionDocuments.openUri). */
  openUri(uri: vscode.Uri): vscode.Uri {
    return this.documents().openUri(uri);
  }

  /** Opens the session's report (a rendered view with its actions), or reveals the open one. */
  openReport(uri: vscode.Uri): void {
    const documents = this.documents();
    this.reports ??= new (loadReportChunk().SessionReports)({ documents, extensionUri: this.extensionUri, log: this.deps.log });
    this.reports.open(documents.openUri(uri));
  }

  /** The session of the report panel in front, if one is. */
  activeReport(): vscode.Uri | undefined {
    return this.reports?.activeUri();
  }

  /** The open view of a session, if any (nothing is loaded when no session was opened). */
  find(sessionId: string): { running: boolean; markCancelling(): void; resume(): void } | undefined {
    return this.impl?.find(sessionId);
  }

  reset(): void {
    this.impl?.reset();
  }

  dispose(): void {
    this.forward?.dispose();
    this.reports?.dispose();
    this.impl?.dispose();
    this.changed.dispose();
  }
}

export interface SessionParts {
  /** Session statuses for the run rows (re-checked only while their rows can be seen). */
  statuses: SessionStatusCache;
  /** Agent and environment names for headers and tooltips. */
  names: NameCache;
  /** The documents that follow a session live. */
  documents: SessionDocumentsHost;
  dispose(): void;
}

/** Sessions as the rest of the extension sees them, reading through the current connection and starting over with it. */
export function createSessionParts(connection: Connection, store: DeploymentStore, log: Log, idleLook: NonNullable<SessionSource['idleLook']>, extensionUri: vscode.Uri): SessionParts {
  const statuses = new SessionStatusCache();
  const names = new NameCache();
  const documents = new SessionDocumentsHost({
    client: () => connection.requireClient(),
    names,
    statuses,
    deploymentName: (id) => store.get(id)?.name,
    log: (line) => log.warn(line),
    failureText,
    formatTime: (iso) => formatTime(iso, { locale: vscode.env.language }),
    durationText,
  }, extensionUri);
  const owned = vscode.Disposable.from(
    statuses,
    documents,
    connection.onReset('session statuses and names', ({ client }) => {
      statuses.setSource(client
        ? { getSession: (id, signal) => client.getSession(id, { signal }), idleLook, lastEvent: (id, type, signal) => client.lastSessionEvent(id, type, { signal }) }
        : undefined);
      names.setSource(client ? { getAgent: (id, version) => client.getAgent(id, version), getEnvironment: (id) => client.getEnvironment(id) } : undefined);
    }),
    connection.onReset('session documents', () => documents.reset()),
  );
  return { statuses, names, documents, dispose: () => owned.dispose() };
}
