// The read-only `qoder-deployment:` documents: a deployment or a run as pretty-printed JSON.
// Reading never writes to the store. An open deployment document follows the store: when its
// row changes (a mutation, a refresh), the document is told to reload.

import * as vscode from 'vscode';
import { isDeploymentId, isRunId, type Deployment, type QoderClient } from '../api';
import type { DeploymentStore } from './model/deploymentStore';
import type { RunStore } from '../runs/model/runStore';
import { DETAILS_SCHEME } from '../platform/constants';
import { detailsJson } from './model/detailsJson';
import { detailsTitle, runTitle, withKeysFirst } from './model/details';
import { Disposable } from '../platform/lifecycle';

/**
 * `qoder-deployment:/<id>/<title>` or `…/<id>/runs/<run id>/<title>`: the last segment is what
 * the editor tab shows (`nightly-audit · details`), the ids are what the provider reads.
 */
export function detailsUri(id: string, runId?: string, name?: string): vscode.Uri {
  const title = runId ? runTitle(name ?? id, runId) : detailsTitle(name ?? id);
  return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: runId ? `/${id}/runs/${runId}/${title}` : `/${id}/${title}` });
}

export async function openDetails(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const json = doc.languageId === 'json' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'json');
  await vscode.window.showTextDocument(json, { preview: true });
}

/** Pretty, redacted JSON with `id`, `name`, `status`, `schedule` first. */
const pretty = (value: unknown): string => detailsJson(value && typeof value === 'object' && !Array.isArray(value) ? withKeysFirst(value as Record<string, unknown>) : value);

export interface DetailsSources {
  store: DeploymentStore;
  runs: RunStore;
  connection: { requireClient(): QoderClient };
}

export class DetailsProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  /** Open deployment documents: the copy each one shows. */
  private readonly shown = new Map<string, Deployment | undefined>();
  /** The URI each open deployment document was opened with (its title carries the name). */
  private readonly uris = new Map<string, vscode.Uri>();

  constructor(private readonly sources: DetailsSources) {
    super();
    this._register(sources.store.onDidChange((id) => {
        for (const shownId of id === undefined ? [...this.shown.keys()] : [id]) {
          if (this.shown.has(shownId) && sources.store.get(shownId) !== this.shown.get(shownId)) this.changed.fire(this.uris.get(shownId) ?? detailsUri(shownId));
        }
    }));
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === DETAILS_SCHEME) {
        this.shown.delete(this.parse(doc.uri).id);
        this.uris.delete(this.parse(doc.uri).id);
      }
    }));
  }

  private parse(uri: vscode.Uri): { id: string; runs?: string; runId?: string } {
    const [id, runs, runId] = uri.path.replace(/^\//, '').replace(/\.json$/, '').split('/');
    return { id: id ?? '', runs, runId };
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { id, runs, runId } = this.parse(uri);
    if (!isDeploymentId(id)) return pretty({ error: vscode.l10n.t('Not a deployment ID.') });
    if (runs === 'runs') {
      if (!isRunId(runId)) return pretty({ error: vscode.l10n.t('Not a run ID.') });
      const cached = this.sources.runs.get(id)?.runs.find((r) => r.id === runId);
      try {
        return pretty((await this.sources.connection.requireClient().getRun(id, runId)).raw);
      } catch (e) {
        if (cached) return pretty(cached.raw);
        throw e;
      }
    }
    // The list's copy is current (mutations and refreshes keep it so); ask the API only for one it lacks.
    const known = this.sources.store.get(id);
    this.shown.set(id, known);
    this.uris.set(id, uri);
    return pretty(known ?? (await this.sources.connection.requireClient().getDeployment(id)));
  }
}
