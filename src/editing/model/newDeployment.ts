// Safe defaults for new deployments: what New Deployment… offers to pick (the agents the account's
// deployments use, then their environments), the template's tab stops, and the refusal of a
// template saved with its example prompt. Pure: no vscode.

import * as l10n from '@vscode/l10n';
import type { Deployment } from '../../api/types';
import { isArchived } from '../../deployments/model/deploymentStore';
import { isObject, TEMPLATE_PROMPT, templatePrompt, type Problem } from './deploymentDocument';
import { fieldSpot } from './fieldSpot';
import { promptOf } from './nameRefs';

export interface AgentChoice {
  id: string;
  /** How many (not archived) deployments use it. */
  uses: number;
}

export interface EnvironmentChoice {
  id: string;
  /** Whether a deployment already runs the chosen agent in it. */
  withAgent: boolean;
  uses: number;
}

const live = (deployments: readonly Deployment[]): Deployment[] => deployments.filter((d) => !isArchived(d) && d.agent && d.environment_id);
const byUse = <T extends { id: string; uses: number }>(a: T, b: T): number => b.uses - a.uses || a.id.localeCompare(b.id);

/** The agents the deployments use, most used first. */
export function agentChoices(deployments: readonly Deployment[]): AgentChoice[] {
  const uses = new Map<string, number>();
  for (const d of live(deployments)) uses.set(d.agent.id, (uses.get(d.agent.id) ?? 0) + 1);
  return [...uses].map(([id, n]) => ({ id, uses: n })).sort(byUse);
}

/** The environments the deployments use: those the agent already runs in first, then the rest, each most used first. */
export function environmentChoices(deployments: readonly Deployment[], agentId: string): EnvironmentChoice[] {
  const out = new Map<string, EnvironmentChoice>();
  for (const d of live(deployments)) {
    const c = out.get(d.environment_id) ?? { id: d.environment_id, withAgent: false, uses: 0 };
    c.uses++;
    c.withAgent ||= d.agent.id === agentId;
    out.set(d.environment_id, c);
  }
  return [...out.values()].sort((a, b) => Number(b.withAgent) - Number(a.withAgent) || byUse(a, b));
}

/** The path of the prompt in a document (`initial_events[0].content[0].text`, or the content string). */
export function promptPath(doc: unknown): string {
  const first = isObject(doc) && Array.isArray(doc.initial_events) ? doc.initial_events[0] : undefined;
  if (isObject(first) && Array.isArray(first.content)) {
    const i = first.content.findIndex((b) => isObject(b) && b.type === 'text' && typeof b.text === 'string');
    if (i >= 0) return `initial_events[0].content[${i}].text`;
  }
  return 'initial_events[0].content';
}

/**
 * A new deployment whose prompt is still the template's example text would run on its schedule
 * with nothing to do: refused, the message placed on the prompt.
 */
export function untouchedPrompt(doc: unknown): Problem | undefined {
  const prompt = promptOf(doc)?.trim();
  if (prompt !== TEMPLATE_PROMPT && prompt !== templatePrompt()) return undefined;
  return { path: promptPath(doc), message: l10n.t('The prompt is still the template’s example. Write what the agent should do on each run (Edit Prompt… opens it as Markdown).') };
}

/** `text` with `$`, `}` and `\` escaped for a snippet. */
const snippetText = (text: string): string => text.replace(/[$}\\]/g, '\\$&');

/**
 * The document's text as a snippet whose tab stops, in order, select the string values at
 * `paths` (their text between the quotes). A path that is not a string value gets no stop.
 */
export function snippetOf(text: string, paths: readonly string[]): string {
  const stops = paths
    .map((path, i) => ({ spot: fieldSpot(text, path), n: i + 1 }))
    .filter((s): s is { spot: { offset: number; length: number }; n: number } => !!s.spot && text[s.spot.offset] === '"' && s.spot.length >= 2)
    .sort((a, b) => a.spot.offset - b.spot.offset);
  let out = '';
  let at = 0;
  for (const { spot, n } of stops) {
    out += `${snippetText(text.slice(at, spot.offset + 1))}\${${n}:${snippetText(text.slice(spot.offset + 1, spot.offset + spot.length - 1))}}`;
    at = spot.offset + spot.length - 1;
  }
  return out + snippetText(text.slice(at));
}
