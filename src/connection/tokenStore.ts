// The Personal Access Token lives only in SecretStorage, one per API origin (so a Global and
// a China token can coexist). Nothing else in the extension stores it.

import * as vscode from 'vscode';
import { Disposable } from '../platform/lifecycle';

const PREFIX = 'qoder.pat:';

export function secretKey(baseUrl: string): string {
  let origin: string;
  try {
    origin = new URL(baseUrl).origin;
  } catch {
    origin = baseUrl;
  }
  return PREFIX + origin;
}

export class TokenStore extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when any stored token changes, in this window or another. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    super();
    this._register(secrets.onDidChange((e) => {
      if (e.key.startsWith(PREFIX)) this.changed.fire();
    }));
  }

  async get(baseUrl: string): Promise<string | undefined> {
    const token = await this.secrets.get(secretKey(baseUrl));
    return token || undefined;
  }

  set(baseUrl: string, token: string): Thenable<void> {
    return this.secrets.store(secretKey(baseUrl), token);
  }

  delete(baseUrl: string): Thenable<void> {
    return this.secrets.delete(secretKey(baseUrl));
  }
}
