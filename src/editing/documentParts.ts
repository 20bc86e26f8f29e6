// The prompt and the environment variables of a deployment document, edited on their own
// (Edit Prompt… / Edit Environment Variables…): their addresses beside the document, and their
// text from the document's value. Saving one back is saveFlow.ts's savePart.

import * as vscode from 'vscode';
import { envText, promptOf } from './model/nameRefs';

export type Part = 'prompt' | 'env';
const PART_SUFFIX: Record<Part, string> = { prompt: '.prompt.md', env: '.env' };

/** The prompt or the environment variables of a deployment document (`owner`), edited on their own. */
export interface PartEntry {
  kind: 'part';
  part: Part;
  owner: vscode.Uri;
  content: Uint8Array;
  mtime: number;
}

/** The URI of a deployment document's prompt or environment variables (beside it). */
export function partUri(owner: vscode.Uri, part: Part): vscode.Uri {
  return owner.with({ path: owner.path.replace(/\.deployment\.json$/, PART_SUFFIX[part]) });
}

export const isPartPath = (uri: vscode.Uri): boolean => uri.path.endsWith(PART_SUFFIX.prompt) || uri.path.endsWith(PART_SUFFIX.env);

/** The deployment document a part belongs to, and which part it is (the inverse of partUri). */
export function partOf(uri: vscode.Uri): { owner: vscode.Uri; part: Part } {
  const part: Part = uri.path.endsWith(PART_SUFFIX.prompt) ? 'prompt' : 'env';
  return { owner: uri.with({ path: `${uri.path.slice(0, -PART_SUFFIX[part].length)}.deployment.json` }), part };
}

const encoder = new TextEncoder();

/** The entry of one part, its text taken from the deployment document's parsed value. */
export function partEntry(owner: vscode.Uri, part: Part, value: Record<string, unknown>): PartEntry {
  const text = part === 'prompt' ? (promptOf(value) ?? '') : envText(typeof value.environment_variables === 'string' ? value.environment_variables : '');
  return { kind: 'part', part, owner, content: encoder.encode(text), mtime: Date.now() };
}
