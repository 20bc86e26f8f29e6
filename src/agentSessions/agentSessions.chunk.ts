// The session document chunk (dist/sessions.js): required the first time a session is opened.
// It carries its own copy of @vscode/l10n, so it gives it VS Code's bundle on load.

import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';

if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });

export { SessionDocuments } from './sessionDocument';
