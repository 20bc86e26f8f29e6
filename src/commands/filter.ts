// Filter Deployments by status and name text (client-side: the list is complete). The same
// command is offered as "Filter" and, while a filter is on, as "Edit Filter".

import * as vscode from 'vscode';
import type { FilterState, StatusFilter } from '../model/filter';
import { Commands } from '../constants';
import { guarded, type Services } from './common';

export async function editFilter(services: Services, filter: FilterState): Promise<void> {
  const current = filter.current;
  const options: { label: string; status: StatusFilter | undefined }[] = [
    { label: vscode.l10n.t('All statuses'), status: undefined },
    { label: vscode.l10n.t('Active'), status: 'active' },
    { label: vscode.l10n.t('Paused'), status: 'paused' },
    { label: vscode.l10n.t('Needs attention'), status: 'attention' },
  ];
  const items = options.map((option) => ({ ...option, description: option.status === current.status ? vscode.l10n.t('current') : undefined }));
  const picked = await services.ui.showQuickPick(items, { title: vscode.l10n.t('Filter Deployments (1/2): status'), placeHolder: vscode.l10n.t('Show deployments with this status') });
  if (!picked) return;
  const text = await services.ui.showInputBox({
    title: vscode.l10n.t('Filter Deployments (2/2): name'),
    prompt: vscode.l10n.t('Show names containing this text (leave empty for any name)'),
    value: current.text ?? '',
  });
  if (text === undefined) return;
  filter.set({ status: picked.status, text });
}

export function registerFilter(services: Services, filter: FilterState): vscode.Disposable[] {
  const edit = guarded(services, vscode.l10n.t('Filter Deployments'), () => editFilter(services, filter));
  return [vscode.commands.registerCommand(Commands.filter, edit), vscode.commands.registerCommand(Commands.editFilter, edit)];
}
