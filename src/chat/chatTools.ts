// The language-model tools only this extension can offer (in dist/chat.js, loaded on the first
// call). One object per tool; the lifecycle tools resolve the real deployment in
// prepareInvocation and show what our modals show, then act through the one write path.

import * as vscode from 'vscode';
import type { Deployment, DeploymentRun, QoderClient, Session, SessionEvent } from '../api';
import type { Services } from '../platform/commandKit';
import { pause } from '../deployments/commands/pause';
import { resume } from '../deployments/commands/resume';
import { runSpec } from '../deployments/commands/runNow';
import { mcpEndpoint } from './model/endpoint';
import { chatToolsOn } from '../platform/config';
import { EXPLAIN_BUDGET_CHARS, explainRun, type SafeText } from './model/explain';
import { attentionInput, attentionReport, deploymentInput, explainInput, lifecycleConfirmation, regionText, ToolInputError, unfitReason, type LifecycleTool } from './model/toolText';
import type { MutationOutcome } from '../deployments/model/mutations';

/** What the main bundle hands the chunk, so there is one redaction state and one wording of errors. */
export interface ChatKernel {
  safe: SafeText;
  failureText(what: string, e: unknown): string;
}

export type ToolName = 'qoder_explainRun' | 'qoder_attention' | 'qoder_pauseDeployment' | 'qoder_resumeDeployment' | 'qoder_runDeployment';

const LIFECYCLE: Partial<Record<ToolName, LifecycleTool>> = {
  qoder_pauseDeployment: 'pause',
  qoder_resumeDeployment: 'resume',
  qoder_runDeployment: 'run',
};

/** Events read for an explanation: at most this many pages of 100, the newest. */
const MAX_EVENT_PAGES = 5;

const text = (s: string): vscode.LanguageModelToolResult => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(s)]);

export class ChatTools {
  constructor(private readonly s: Services, private readonly k: ChatKernel) {}

  private region(): string {
    const base = this.s.connection.apiBaseUrl;
    const endpoint = mcpEndpoint(base);
    return regionText(endpoint?.region ?? 'custom', this.k.safe.text(base));
  }

  private textOptions() {
    return { locale: vscode.env.language };
  }

  /** Before a lifecycle tool runs: the deployment as the server has it now, and what will happen. */
  async prepare(name: ToolName, input: unknown): Promise<vscode.PreparedToolInvocation | undefined> {
    const tool = LIFECYCLE[name];
    if (!tool || !chatToolsOn()) return undefined;
    const { deploymentId } = deploymentInput(input);
    const d = await this.s.connection.requireClient().getDeployment(deploymentId);
    const why = unfitReason(tool, d, this.k.safe);
    // Nothing to confirm when nothing will be sent; invoke says why.
    if (why) return { invocationMessage: why };
    const { title, lines } = lifecycleConfirmation(tool, d, this.region(), this.textOptions(), this.k.safe);
    const message = new vscode.MarkdownString();
    lines.forEach((line, i) => {
      if (i > 0) message.appendMarkdown('\n\n');
      message.appendText(line);
    });
    return { confirmationMessages: { title, message } };
  }

  async invoke(name: ToolName, input: unknown, budgetTokens?: number): Promise<vscode.LanguageModelToolResult> {
    if (!chatToolsOn()) return text(vscode.l10n.t('Qoder tools for chat are turned off (setting qoder.chat.tools). Nothing was read or changed.'));
    try {
      return text(await this.answer(name, input, budgetTokens));
    } catch (e) {
      if (e instanceof ToolInputError) return text(e.message);
      // The model reads the same words the user would (redacted, no server text as instructions).
      return text(this.k.safe.text(this.k.failureText(vscode.l10n.t('The Qoder tool {0}', name), e)));
    }
  }

  private async answer(name: ToolName, input: unknown, budgetTokens?: number): Promise<string> {
    switch (name) {
      case 'qoder_explainRun':
        return this.explain(input, budgetTokens);
      case 'qoder_attention': {
        const { limit } = attentionInput(input);
        const store = this.s.store;
        this.s.connection.requireClient();
        if (store.state !== 'ready' && store.state !== 'empty') await store.refresh();
        if (store.error && !store.deployments.length) throw store.error;
        return attentionReport(store.deployments, limit, this.textOptions(), this.k.safe);
      }
      default: {
        const tool = LIFECYCLE[name];
        if (!tool) throw new ToolInputError(`Unknown tool ${name}.`);
        return this.lifecycle(tool, input);
      }
    }
  }

  private async lifecycle(tool: LifecycleTool, input: unknown): Promise<string> {
    const { deploymentId } = deploymentInput(input);
    const target = await this.s.connection.requireClient().getDeployment(deploymentId);
    const why = unfitReason(tool, target, this.k.safe);
    if (why) return `${why} ${vscode.l10n.t('Nothing was sent.')}`;
    const name = `“${this.k.safe.text(target.name)}”`;
    let outcome: MutationOutcome<Deployment | DeploymentRun>;
    if (tool === 'run') [outcome] = await this.s.mutations.run([target], runSpec(this.s, target));
    else {
      const change = tool === 'pause' ? pause() : resume();
      [outcome] = await this.s.mutations.run([target], { verb: change.verb, busyLabel: change.busyLabel, fits: change.fits, send: change.send, updated: (after) => after });
    }
    switch (outcome.kind) {
      case 'done':
        if (tool === 'run') {
          const run = outcome.result as DeploymentRun;
          return run.error
            ? vscode.l10n.t('The run {0} of {1} was recorded, but no session started: {2}.', run.id, name, JSON.stringify(this.k.safe.text(run.error.type)))
            : vscode.l10n.t('Started run {0} of {1} (session {2}).', run.id, name, run.session_id ?? '—');
        }
        return tool === 'pause' ? vscode.l10n.t('Paused {0}. Its schedule will not fire until it is resumed.', name) : vscode.l10n.t('Resumed {0}.', name);
      case 'conflict':
        return vscode.l10n.t('{0} changed on the server before the request arrived (it is paused, active or archived now); nothing was changed. The list has been refreshed.', name);
      case 'gone':
        return vscode.l10n.t('{0} no longer exists. The list has been refreshed.', name);
      case 'busy':
        return vscode.l10n.t('Another action on {0} is still running; nothing was sent.', name);
      case 'dropped':
        return vscode.l10n.t('The Qoder account or region changed while the request was in flight; its answer was dropped. Check the deployment before trying again.');
      case 'failed':
      case 'invalid':
        throw outcome.error;
      case 'stopped':
        return vscode.l10n.t('Nothing was sent.');
    }
  }

  private async explain(input: unknown, budgetTokens?: number): Promise<string> {
    const { deploymentId, runId } = explainInput(input);
    const client = this.s.connection.requireClient();
    const deployment = await client.getDeployment(deploymentId);
    const run = runId ? await client.getRun(deploymentId, runId) : await lastFailedRun(client, deploymentId);
    if (!run) return vscode.l10n.t('None of the last 100 runs of {0} failed.', `“${this.k.safe.text(deployment.name)}”`);
    let session: Session | undefined;
    let events: SessionEvent[] | undefined;
    let sessionError: string | undefined;
    if (run.session_id) {
      try {
        session = await client.getSession(run.session_id);
        events = await lastEvents(client, run.session_id);
      } catch (e) {
        sessionError = this.k.failureText(vscode.l10n.t('Reading the session'), e);
      }
    }
    // A budget the caller gives in tokens (about 3 characters each) can only lower ours.
    const budget = budgetTokens && budgetTokens > 0 ? Math.max(400, Math.min(EXPLAIN_BUDGET_CHARS, Math.floor(budgetTokens * 3))) : EXPLAIN_BUDGET_CHARS;
    return explainRun({ deployment, run, session, events, sessionError }, this.k.safe, budget);
  }
}

/** Sessions looked at when no run of the page carries an error (a session can end terminated instead). */
const MAX_SESSIONS_CHECKED = 10;

/** The newest run that failed: with an error of its own, or whose session ended terminated. */
async function lastFailedRun(client: QoderClient, deploymentId: string): Promise<DeploymentRun | undefined> {
  const page = await client.listRunsPage(deploymentId, { limit: 100 });
  let checked = 0;
  for (const run of page.data) {
    if (run.error !== null || run.status === 'failed') return run;
    if (!run.session_id || checked >= MAX_SESSIONS_CHECKED) continue;
    checked++;
    if ((await client.getSession(run.session_id)).status === 'terminated') return run;
  }
  return undefined;
}

/** The newest events of a session, oldest first: at most MAX_EVENT_PAGES pages, read newest first. */
async function lastEvents(client: QoderClient, sessionId: string): Promise<SessionEvent[]> {
  const newestFirst: SessionEvent[] = [];
  let pages = 0;
  for await (const page of client.listSessionEvents(sessionId, { order: 'desc' })) {
    newestFirst.push(...page.data);
    if (++pages >= MAX_EVENT_PAGES) break;
  }
  return newestFirst.reverse();
}
