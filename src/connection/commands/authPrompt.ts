// The one-time 401 prompt: when a list load is rejected with 401, say so once per connection,
// with "Replace Token". It lives with the commands because it offers one.

import * as vscode from 'vscode';
import { isAuthError } from '../../common/errorText';
import { reportFailure, type Services } from '../../platform/commandKit';

export function promptOnRejectedToken(services: Services): vscode.Disposable {
  let prompted = false;
  return vscode.Disposable.from(
    services.connection.onReset('the 401 prompt', () => (prompted = false)),
    services.store.onDidChange(() => {
      if (!isAuthError(services.store.error) || prompted) return;
      prompted = true;
      void reportFailure(services, vscode.l10n.t('Loading deployments'), services.store.error);
    }),
  );
}
