// Show Details: the deployment as read-only, pretty-printed JSON in a virtual document.

import * as vscode from 'vscode';
import { isDeploymentId } from '../api';
import { Commands, DETAILS_SCHEME } from '../constants';
import { guarded, resolveTargets, t, type Services } from './common';

export function detailsUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${id}.json` });
}

export class DetailsProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly s: Services) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.replace(/^\//, '').replace(/\.json$/, '');
    if (!isDeploymentId(id)) return JSON.stringify({ error: t('Not a deployment ID.') }, null, 2);
    try {
      const fresh = await this.s.session.requireClient().getDeployment(id);
      if (this.s.store.get(id)) this.s.store.replace(fresh);
      return JSON.stringify(fresh.raw, null, 2) + '\n';
    } catch (e) {
      const known = this.s.store.get(id);
      if (known) return JSON.stringify(known.raw, null, 2) + '\n';
      throw e;
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export async function showDetails(s: Services, arg?: unknown): Promise<void> {
  const [d] = await resolveTargets(s, arg, undefined, () => true, {
    placeHolder: t('Select the deployment to show'),
    many: false,
    none: t('There is no deployment.'),
  });
  if (!d) return;
  const doc = await vscode.workspace.openTextDocument(detailsUri(d.id));
  const json = doc.languageId === 'json' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'json');
  await vscode.window.showTextDocument(json, { preview: true });
}

export function registerShowDetails(s: Services): vscode.Disposable[] {
  const provider = new DetailsProvider(s);
  return [
    provider,
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, provider),
    vscode.commands.registerCommand(Commands.showDetails, guarded(s, t('Show Deployment Details'), (a?: unknown) => showDetails(s, a))),
  ];
}
