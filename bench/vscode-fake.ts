// Makes `require('vscode')` resolve to test/fakes/vscode.ts (same hook as the unit tests'
// --require ./test/fakes/register-vscode.cjs). Import this before anything that loads vscode.
import '../test/fakes/register-vscode.cjs';
