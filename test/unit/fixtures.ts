import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDeployment, parseRun, type Deployment } from '../../src/api';
import { templateDocument, type DeploymentDocument, type TemplateInput } from '../../src/editing/model/deploymentDocument';

export const FIXTURES = path.resolve(__dirname, '../fixtures/api');

export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;
}

export function fixture(name: string, patch: Record<string, unknown> = {}): Deployment {
  return parseDeployment({ ...fixtureJson(`deployment-${name}.json`), ...patch });
}

export function run(name: string) {
  return parseRun(fixtureJson(`run-${name}.json`));
}

/** A copy of a fixture with another id and name. */
export function variant(name: string, n: number, patch: Record<string, unknown> = {}): Deployment {
  const id = `dep_${n.toString(16).padStart(32, '0')}`;
  return fixture(name, { id, name: `${name}-${n}`, ...patch });
}

/** The New Deployment template with a prompt of the user's (the template's example prompt is refused on save). */
export function promptedTemplate(input: TemplateInput): DeploymentDocument {
  return { ...templateDocument(input), initial_events: [{ type: 'user.message', content: [{ type: 'text', text: 'Summarise last night’s failed CI runs.' }] }] };
}

/** The text a snippet types (escapes undone, placeholders' text kept). */
export const snippetText = (snippet: string): string => snippet.replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, '$1').replace(/\\([$}\\])/g, '$1');

/** A snippet's tab stops, in their order, with their text. */
export const snippetStops = (snippet: string): string[] =>
  [...snippet.matchAll(/\$\{(\d+):((?:\\.|[^}\\])*)\}/g)].sort((a, b) => Number(a[1]) - Number(b[1])).map((m) => m[2]!.replace(/\\([$}\\])/g, '$1'));
