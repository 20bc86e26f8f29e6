// A base for anything that owns disposables (after vscode-pull-request-github's
// src/common/lifecycle.ts): register each with _register() where it is made, and dispose()
// releases them all, newest first. No vscode import, so models may use it too.

import type { Disposable as DisposableLike } from '../common/events';

export abstract class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposed = false;

  /** Owns `d` from now on; registered after dispose(), it is disposed at once. */
  protected _register<T extends DisposableLike>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}
