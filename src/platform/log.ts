// The "Qoder" log channel. Every line goes through redaction, so a token can never be printed
// even if one slips into an error message, and loses its control characters, so server text
// (a name with a newline) can never forge a line of its own.

import * as vscode from 'vscode';
import { redact } from '../api';
import { displayText, rememberSecret } from '../common/display';

export class Log implements vscode.Disposable {
  private readonly secrets = new Set<string>();

  constructor(private readonly channel: vscode.LogOutputChannel) {}

  /** Registers a value that must never appear in the log. */
  addSecret(secret: string | undefined): void {
    if (!secret) return;
    this.secrets.add(secret);
    rememberSecret(secret);
  }

  clean(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = redact(out, secret);
    return displayText(out);
  }

  info(message: string): void {
    this.channel.info(this.clean(message));
  }
  warn(message: string): void {
    this.channel.warn(this.clean(message));
  }
  error(message: string): void {
    this.channel.error(this.clean(message));
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
