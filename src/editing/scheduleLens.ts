// Help while editing a *.deployment.json document: a CodeLens above "schedule" with the
// expression in words (the next 5 runs, in the deployment's zone and local time, in its
// tooltip and in the hover over the schedule), error
// diagnostics for an invalid cron expression or an unknown time zone, and a lens saying why
// an archived deployment is read-only. Recomputed as the user types.

import * as vscode from 'vscode';
import { scheduleHelp, scheduleProblems, type ScheduleHelp } from './model/cronSchedule';
import type { DeploymentFiles, EditorDeps } from './deploymentFiles';
import { Disposable } from '../platform/lifecycle';

export const isDeploymentDocument = (doc: vscode.TextDocument): boolean => doc.uri.path.endsWith('.deployment.json');

/** A JSON string value: its decoded value, and the offset and length of its raw text inside the quotes. */
interface StringSpot {
  value: string;
  offset: number;
  length: number;
}

interface ScheduleSpot {
  /** Line of the "schedule" key. */
  line: number;
  expression?: StringSpot;
  timezone?: StringSpot;
  isNull: boolean;
}

/** Finds "schedule" and its expression/timezone strings in the text, even while the JSON is half typed. */
export function findSchedule(text: string): ScheduleSpot | undefined {
  const key = /"schedule"\s*:\s*/.exec(text);
  if (!key) return undefined;
  const line = text.slice(0, key.index).split('\n').length - 1;
  const start = key.index + key[0].length;
  if (text.startsWith('null', start)) return { line, isNull: true };
  const end = text.indexOf('}', start);
  const body = text.slice(start, end < 0 ? undefined : end);
  const field = (name: string): StringSpot | undefined => {
    const m = new RegExp(`"${name}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(body);
    if (!m) return undefined;
    let value: string;
    try {
      value = JSON.parse(`"${m[1] as string}"`) as string;
    } catch {
      value = m[1] as string;
    }
    const raw = (m[1] as string).length;
    return { value, offset: start + m.index + m[0].length - raw - 1, length: raw };
  };
  return { line, expression: field('expression'), timezone: field('timezone'), isNull: false };
}

export class ScheduleLens extends Disposable {
  private readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('qoder-schedule'));

  /** `changed` is the event the main bundle registered the CodeLens provider with. */
  constructor(
    private readonly files: DeploymentFiles,
    private readonly deps: Pick<EditorDeps, 'cronWords'>,
    private readonly changed: vscode.EventEmitter<void>,
  ) {
    super();
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.check(d)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (!isDeploymentDocument(e.document)) return;
      this.check(e.document);
      this.changed.fire();
    }));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)));
    this._register(vscode.languages.registerHoverProvider([{ pattern: '**/*.deployment.json' }], this));
    for (const d of vscode.workspace.textDocuments) this.check(d);
  }

  /** Error diagnostics on the expression or time zone string. */
  check(doc: vscode.TextDocument): void {
    if (!isDeploymentDocument(doc)) return;
    const text = doc.getText();
    const spot = findSchedule(text);
    const out: vscode.Diagnostic[] = [];
    if (spot && !spot.isNull) {
      const schedule = { type: 'cron', expression: spot.expression?.value, timezone: spot.timezone?.value };
      for (const p of scheduleProblems(schedule)) {
        const at = p.field === 'schedule.timezone' ? spot.timezone : p.field === 'schedule.expression' ? spot.expression : undefined;
        if (!at) continue; // a missing field: the JSON schema already says so
        const range = new vscode.Range(doc.positionAt(at.offset), doc.positionAt(at.offset + at.length));
        const diagnostic = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'Qoder';
        out.push(diagnostic);
      }
    }
    this.diagnostics.set(doc.uri, out);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    const text = (title: string, line: number, tooltip?: string): void => {
      const range = new vscode.Range(line, 0, line, 0);
      lenses.push(new vscode.CodeLens(range, { title, command: '', tooltip }));
    };
    if (this.files.hasDraft(doc.uri)) text(`$(warning) ${vscode.l10n.t('Auto-saved as a draft only: nothing is sent to Qoder until you press Save (Ctrl+S).')}`, 0);
    const archivedAt = this.files.archivedAt(doc.uri);
    if (archivedAt) text(`$(lock) ${vscode.l10n.t('Read-only: this deployment was archived ({0}); archived deployments cannot be changed.', archivedAt)}`, 0);
    if (doc.uri.scheme === this.files.scheme && !doc.uri.path.startsWith('/server/') && !archivedAt) {
      // The fields users change most, each in an editor of its own.
      const partLens = (key: string, title: string, command: string): void => {
        const at = doc.getText().indexOf(`"${key}"`);
        if (at >= 0) lenses.push(new vscode.CodeLens(new vscode.Range(doc.positionAt(at), doc.positionAt(at)), { title, command, arguments: [doc.uri] }));
      };
      partLens('initial_events', `$(edit) ${vscode.l10n.t('Edit Prompt…')}`, 'qoder.editPrompt');
      partLens('environment_variables', `$(edit) ${vscode.l10n.t('Edit Environment Variables…')}`, 'qoder.editEnv');
    }
    const spot = findSchedule(doc.getText());
    if (!spot) return lenses;
    if (spot.isNull) {
      text(`$(calendar) ${vscode.l10n.t('Manual only: no schedule. Use Run Now, or set {type, expression, timezone}.')}`, spot.line);
      return lenses;
    }
    const expression = spot.expression?.value;
    const timezone = spot.timezone?.value;
    if (expression === undefined || timezone === undefined) return lenses;
    const problems = scheduleProblems({ type: 'cron', expression, timezone });
    if (problems.length) {
      text(`$(error) ${problems[0]?.message ?? ''}`, spot.line);
      return lenses;
    }
    const help = scheduleHelp({ expression, timezone }, { words: this.deps.cronWords, locale: vscode.env.language });
    if (!help) return lenses;
    // Words only, so the lens fits the default width; the next runs are in its tooltip and the hover.
    text(`$(calendar) ${help.words}`, spot.line, this.nextRunsText(help).join('\n'));
    return lenses;
  }

  private nextRunsText(help: ScheduleHelp): string[] {
    const lines = [`${vscode.l10n.t('Next ({0}):', help.timezone)} ${help.zoned.join(' · ')}`];
    if (help.local) lines.push(`${vscode.l10n.t('Local time:')} ${help.local.join(' · ')}`);
    return lines;
  }

  /** The schedule in words and its next runs, over the "schedule" block. */
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const text = doc.getText();
    const spot = findSchedule(text);
    if (!spot || spot.isNull || !spot.expression || !spot.timezone) return undefined;
    const end = doc.positionAt(Math.max(spot.expression.offset + spot.expression.length, spot.timezone.offset + spot.timezone.length));
    if (position.line < spot.line || position.line > end.line) return undefined;
    const help = scheduleHelp({ expression: spot.expression.value, timezone: spot.timezone.value }, { words: this.deps.cronWords, locale: vscode.env.language });
    if (!help) return undefined;
    const md = new vscode.MarkdownString();
    md.isTrusted = false;
    md.appendText(help.words);
    for (const line of this.nextRunsText(help)) {
      md.appendMarkdown('\n\n');
      md.appendText(line);
    }
    return new vscode.Hover(md);
  }
}
