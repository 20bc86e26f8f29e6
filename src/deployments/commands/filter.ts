// Filter Deployments by status and name text (client-side: the list is complete). The same
// command is offered as "Filter" and, while a filter is on, as "Edit Filter".

import * as vscode from 'vscode';
import { Debouncer, statusCounts, type FilterState, type StatusFilter } from '../model/filter';
import { Commands } from '../../platform/constants';
import { guarded, type Services } from '../../platform/commandKit';

/** The name filter follows the typing after this pause. */
export const TYPING_DEBOUNCE_MS = 200;

export async function editFilter(services: Services, filter: FilterState): Promise<void> {
  const current = filter.current;
  const counts = statusCounts(services.store.deployments);
  const withCount = (label: string, n: number) => vscode.l10n.t('{0} ({1})', label, n);
  const options: { label: string; status: StatusFilter | undefined }[] = [
    { label: withCount(vscode.l10n.t('All statuses'), counts.all), status: undefined },
    { label: withCount(vscode.l10n.t('Active'), counts.active), status: 'active' },
    { label: withCount(vscode.l10n.t('Paused'), counts.paused), status: 'paused' },
    { label: withCount(vscode.l10n.t('Needs attention'), counts.attention), status: 'attention' },
  ];
  const items = options.map((option) => ({ ...option, description: option.status === current.status ? vscode.l10n.t('current') : undefined }));
  const picked = await services.ui.showQuickPick(items, { title: vscode.l10n.t('Filter Deployments (1/2): status'), placeHolder: vscode.l10n.t('Show deployments with this status') });
  if (!picked) return;
  // The tree follows the typing (debounced); Escape puts the previous filter back.
  const live = new Debouncer<string>(TYPING_DEBOUNCE_MS, (typed) => filter.set({ status: picked.status, text: typed }));
  let text: string | undefined;
  try {
    text = await services.ui.showInputBox({
      title: vscode.l10n.t('Filter Deployments (2/2): name'),
      prompt: vscode.l10n.t('Show names containing this text (leave empty for any name)'),
      value: current.text ?? '',
      onDidChangeValue: (typed) => live.schedule(typed),
    });
  } finally {
    live.dispose();
  }
  if (text === undefined) {
    filter.set(current);
    return;
  }
  filter.set({ status: picked.status, text });
}

export function registerFilter(services: Services, filter: FilterState): vscode.Disposable[] {
  const edit = guarded(services, vscode.l10n.t('Filter Deployments'), () => editFilter(services, filter));
  return [vscode.commands.registerCommand(Commands.filter, edit), vscode.commands.registerCommand(Commands.editFilter, edit)];
}
