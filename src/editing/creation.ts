// New Deployment… and Duplicate Deployment… (in the editor chunk; the commands in the main
// bundle only call these). New: pick the agent, then the environment (those the account's
// deployments use, by name; the API lists neither), then the template with tab stops on name,
// prompt and schedule. Duplicate of a scheduled deployment asks whether the copy keeps firing on
// the same schedule or is created paused: never two agents in the same minute without a word.

import * as vscode from 'vscode';
import type { Deployment } from '../api';
import type { Services } from '../platform/commandKit';
import type { NameCache } from '../agentSessions/model/sessionCache';
import { quote } from '../common/display';
import { copyName, documentOf, documentText, templateDocument, type DeploymentDocument } from './model/deploymentDocument';
import { agentChoices, environmentChoices, promptPath, snippetOf } from './model/newDeployment';
import { newUri, type DeploymentFiles, type EditorDeps } from './deploymentFiles';

/** At most this many distinct agents/environments are looked up by name. */
const NAME_LOOKUPS = 20;

async function named(ids: string[], lookup: (id: string) => Promise<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // The cache answers the id itself when a name cannot be had: shown by id then.
  await Promise.all(ids.slice(0, NAME_LOOKUPS).map(async (id) => out.set(id, await lookup(id).catch(() => id))));
  return out;
}

/** The agent, then the environment; undefined when cancelled, null when no deployment names one (the user types the ids). */
async function pickAgentAndEnvironment(s: Services, names: NameCache): Promise<{ agentId: string; environmentId: string } | undefined | null> {
  const deployments = s.store.deployments;
  const agents = agentChoices(deployments);
  if (!agents.length) return null;
  const agentNames = await named(agents.map((a) => a.id), (id) => names.agentName(id));
  const agent = await s.ui.showQuickPick(
    agents.map((a) => ({
      // Pictures as icons, not `$(hubot)` in the text: a screen reader reads those names aloud.
      iconPath: new vscode.ThemeIcon('hubot'),
      label: agentNames.get(a.id) ?? a.id,
      description: a.uses === 1 ? vscode.l10n.t('used by 1 deployment') : vscode.l10n.t('used by {0} deployments', a.uses),
      detail: a.id,
      id: a.id,
    })),
    { title: vscode.l10n.t('New Deployment: agent (1 of 2)'), placeHolder: vscode.l10n.t('Pick the agent the new deployment runs'), matchOnDetail: true },
  );
  if (!agent) return undefined;
  const environments = environmentChoices(deployments, agent.id);
  if (environments.length === 1) return { agentId: agent.id, environmentId: environments[0]!.id };
  const envNames = await named(environments.map((e) => e.id), (id) => names.environmentName(id));
  const environment = await s.ui.showQuickPick(
    environments.map((e) => ({
      iconPath: new vscode.ThemeIcon('server-environment'),
      label: envNames.get(e.id) ?? e.id,
      description: e.withAgent ? vscode.l10n.t('{0} runs here already', agent.label) : '',
      detail: e.id,
      id: e.id,
    })),
    { title: vscode.l10n.t('New Deployment: environment (2 of 2)'), placeHolder: vscode.l10n.t('Pick the environment {0} runs in', agent.label), matchOnDetail: true },
  );
  return environment ? { agentId: agent.id, environmentId: environment.id } : undefined;
}

export async function newDeployment(s: Services, files: DeploymentFiles, names: NameCache): Promise<void> {
  const chosen = await pickAgentAndEnvironment(s, names);
  if (chosen === undefined) return;
  if (chosen === null) {
    void s.ui.showInformationMessage(vscode.l10n.t('No deployment uses an agent yet: fill in the agent (agent_…) and environment (env_…) IDs in the new document.'), {});
  }
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const doc = templateDocument({ agentId: chosen?.agentId ?? 'agent_', environmentId: chosen?.environmentId ?? 'env_', timezone });
  await openNewDocument(files, newUri(), doc, { tabStops: ['name', promptPath(doc), 'schedule.expression'] });
}

/** Duplicate: a new document filled from `d`, named <name>-copy; a scheduled one asks about the schedule first. */
export async function duplicate(s: Services, files: DeploymentFiles, deps: Pick<EditorDeps, 'cronWords' | 'displayText'>, d: Deployment): Promise<void> {
  const doc = { ...documentOf(d), name: copyName(d.name.replace(/_archived_\d+$/, '')) };
  let paused = false;
  if (d.schedule) {
    const createPaused = vscode.l10n.t('Create Paused');
    const keep = vscode.l10n.t('Keep Schedule');
    const when = deps.cronWords(d.schedule.expression, vscode.env.language) ?? d.schedule.expression;
    const same = d.status === 'active' && d.archived_at === null ? `${vscode.l10n.t('Both would start in the same minute.')} ` : '';
    // The safe answer first: it is the one Enter takes.
    const answer = await s.ui.showWarningMessage(
      vscode.l10n.t('Should the copy of {0} run on its schedule ({1})?', quote(deps.displayText(d.name)), `${deps.displayText(when)}, ${d.schedule.timezone}`),
      { modal: true, detail: same + vscode.l10n.t('Create Paused saves the copy paused: it runs only after you resume it. Keep Schedule saves it active.') },
      createPaused,
      keep,
    );
    if (answer === undefined) return;
    paused = answer === createPaused;
  }
  await openNewDocument(files, newUri(doc.name), doc, { paused });
}

interface NewDocumentOptions {
  /** Tab stops, in order, on the string values at these paths (the template: name, prompt, schedule). */
  tabStops?: readonly string[];
  /** Create it paused (see NewEntry.paused). */
  paused?: boolean;
}

/** Opens a new deployment document with `doc` typed in (dirty, so closing it asks first). */
async function openNewDocument(files: DeploymentFiles, uri: vscode.Uri, doc: DeploymentDocument, options: NewDocumentOptions = {}): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) {
    files.setPaused(uri, options.paused === true);
    await vscode.window.showTextDocument(open);
    return;
  }
  files.setNew(uri, options.paused === true);
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  if (options.tabStops) await editor.insertSnippet(new vscode.SnippetString(snippetOf(documentText(doc), options.tabStops)), whole);
  else await editor.edit((b) => b.replace(whole, documentText(doc)));
}
