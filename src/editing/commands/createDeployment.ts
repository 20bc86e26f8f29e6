// New Deployment…: pick an agent and environment the account's deployments already use (shown
// by name), then edit a template in qoder:/new/untitled.deployment.json; Save creates it.

import * as vscode from 'vscode';
import { Commands } from '../../platform/constants';
import { isArchived } from '../../deployments/model/deploymentStore';
import type { EditorHost } from '../editorHost';
import { editorModule } from '../editorHost';
import { displayName } from '../../common/display';
import { guarded, type Services } from '../../platform/commandKit';

/** At most this many distinct agents/environments are looked up by name. */
const NAME_LOOKUPS = 20;

interface Pair {
  agentId: string;
  environmentId: string;
}

async function names(ids: string[], lookup: (id: string) => Promise<{ name: string }>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(ids.slice(0, NAME_LOOKUPS).map(async (id) => {
    try {
      const name = (await lookup(id)).name;
      if (name) out.set(id, displayName(name));
    } catch {
      // Shown by id instead.
    }
  }));
  return out;
}

export function registerCreateDeployment(s: Services, host: EditorHost): vscode.Disposable {
  return vscode.commands.registerCommand(
    Commands.createDeployment,
    guarded(s, vscode.l10n.t('New Deployment'), async () => {
      const client = s.connection.requireClient();
      await s.refresh.ensureLoaded();
      const pairs = new Map<string, Pair>();
      for (const d of s.store.deployments) {
        if (isArchived(d)) continue;
        pairs.set(`${d.agent.id} ${d.environment_id}`, { agentId: d.agent.id, environmentId: d.environment_id });
      }
      let chosen: Pair = { agentId: 'agent_', environmentId: 'env_' };
      if (pairs.size) {
        const list = [...pairs.values()];
        const [agentNames, envNames] = await Promise.all([
          names([...new Set(list.map((p) => p.agentId))], (id) => client.getAgent(id)),
          names([...new Set(list.map((p) => p.environmentId))], (id) => client.getEnvironment(id)),
        ]);
        const items = list.map((p) => ({
          // Pictures as icons, not `$(hubot)` in the text: a screen reader reads those names aloud.
          iconPath: new vscode.ThemeIcon('hubot'),
          label: agentNames.get(p.agentId) ?? p.agentId,
          description: vscode.l10n.t('in {0}', envNames.get(p.environmentId) ?? p.environmentId),
          detail: `${p.agentId} · ${p.environmentId}`,
          pair: p,
        }));
        const pick = await s.ui.showQuickPick(items, { placeHolder: vscode.l10n.t('Agent and environment for the new deployment'), matchOnDescription: true, matchOnDetail: true });
        if (!pick) return;
        chosen = pick.pair;
      } else {
        void s.ui.showInformationMessage(vscode.l10n.t('No deployment uses an agent yet: fill in the agent (agent_…) and environment (env_…) IDs in the new document.'), {});
      }
      const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
      const editor = editorModule();
      await editor.openNewDocument(host.editor().files, editor.newUri(), editor.templateDocument({ agentId: chosen.agentId, environmentId: chosen.environmentId, timezone }));
    }),
  );
}
