// Show Details: a deployment or a run as read-only, pretty-printed JSON in a virtual document.

import * as vscode from 'vscode';
import { isDeploymentId, isRunId } from '../api';
import { Commands, DETAILS_SCHEME } from '../constants';
import { detailsTitle, runTitle, withKeysFirst } from '../model/details';
import { detailsJson } from '../model/detailsJson';
import { guarded, resolveOne, type Services } from './common';

/**
 * `qoder-deployment:/<id>/<title>` or `…/<id>/runs/<run id>/<title>`: the last segment is what
 * the editor tab shows (`nightly-audit · details`), the ids are what the provider reads.
 */
export function detailsUri(id: string, runId?: string, name?: string): vscode.Uri {
  const title = runId ? runTitle(name ?? id, runId) : detailsTitle(name ?? id);
  return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: runId ? `/${id}/runs/${runId}/${title}` : `/${id}/${title}` });
}

/** Pretty, redacted JSON with the keys a reader looks for first. */
const pretty = (raw: unknown): string => detailsJson(raw && typeof raw === 'object' && !Array.isArray(raw) ? withKeysFirst(raw as Record<string, unknown>) : raw);

export class DetailsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly s: Services) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [id, runs, runFile] = uri.path.replace(/^\//, '').split('/');
    if (!isDeploymentId(id)) return pretty({ error: vscode.l10n.t('Not a deployment ID.') });
    if (runs === 'runs') {
      if (!isRunId(runFile)) return pretty({ error: vscode.l10n.t('Not a run ID.') });
      const cached = this.s.runs.get(id)?.runs.find((r) => r.id === runFile);
      try {
        return pretty((await this.s.session.requireClient().getRun(id, runFile)).raw);
      } catch (e) {
        if (cached) return pretty(cached.raw);
        throw e;
      }
    }
    try {
      const fresh = await this.s.session.requireClient().getDeployment(id);
      if (this.s.store.get(id)) this.s.store.replace(fresh);
      return pretty(fresh.raw);
    } catch (e) {
      const known = this.s.store.get(id);
      if (known) return pretty(known.raw);
      throw e;
    }
  }
}

async function openJson(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const json = doc.languageId === 'json' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'json');
  await vscode.window.showTextDocument(json, { preview: true });
}

export async function showDetails(s: Services, arg?: unknown): Promise<void> {
  const d = await resolveOne(s, arg, vscode.l10n.t('Select the deployment to show'));
  if (d) await openJson(detailsUri(d.id, undefined, d.name));
}

export async function showRunDetails(s: Services, deploymentId: unknown, runId: unknown): Promise<void> {
  // From the run's context menu the argument is its tree node.
  const node = deploymentId as { deploymentId?: unknown; run?: { id?: unknown } } | undefined;
  if (node && typeof node === 'object' && node.run) {
    runId = node.run.id;
    deploymentId = node.deploymentId;
  }
  if (!isDeploymentId(deploymentId) || !isRunId(runId)) throw new Error(vscode.l10n.t('Show Run Details needs a deployment ID and a run ID.'));
  await openJson(detailsUri(deploymentId, runId, s.store.get(deploymentId)?.name));
}

export function registerShowDetails(s: Services): vscode.Disposable[] {
  return [
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, new DetailsProvider(s)),
    vscode.commands.registerCommand(Commands.showDetails, guarded(s, vscode.l10n.t('Show Deployment Details'), (a?: unknown) => showDetails(s, a))),
    vscode.commands.registerCommand(Commands.showRunDetails, guarded(s, vscode.l10n.t('Show Run Details'), (d?: unknown, r?: unknown) => showRunDetails(s, d, r))),
  ];
}
