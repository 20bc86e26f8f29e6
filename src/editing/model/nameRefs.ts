// Agents and environments by name in a deployment document: where their ids (or a name typed
// instead) sit in the text, which name an id has, which id a typed name means, and the parts of
// the document users edit most (the prompt, the environment variables) as text of their own.
// Pure: no vscode, no I/O.

import * as l10n from '@vscode/l10n';
import { isObject } from './deploymentDocument';

export type RefKind = 'agent' | 'environment';

/** An agent or environment the user's deployments use, with its name when known. */
export interface Named {
  kind: RefKind;
  id: string;
  name: string;
}

/** A string value where an agent or environment id belongs: decoded value, offset and length of its raw text inside the quotes. */
export interface RefSpot {
  kind: RefKind;
  value: string;
  offset: number;
  length: number;
}

export const ID_PREFIX: Record<RefKind, string> = { agent: 'agent_', environment: 'env_' };
const ID_RE: Record<RefKind, RegExp> = { agent: /^agent_[A-Za-z0-9]+$/, environment: /^env_[A-Za-z0-9]+$/ };

export const isRefId = (kind: RefKind, value: string): boolean => ID_RE[kind].test(value);

function decode(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

const STRING = '"((?:[^"\\\\\\n]|\\\\.)*)"';

/**
 * The agent and environment values of the text, even while it is half typed: `"agent": "…"`,
 * the `"id"` inside `"agent": { … }`, and `"environment_id": "…"`.
 */
export function findRefs(text: string): RefSpot[] {
  const out: RefSpot[] = [];
  const add = (kind: RefKind, m: RegExpExecArray, base = 0): void => {
    const raw = m[1] as string;
    out.push({ kind, value: decode(raw), offset: base + m.index + m[0].length - raw.length - 1, length: raw.length });
  };
  const env = new RegExp(`"environment_id"\\s*:\\s*${STRING}`, 'g');
  for (let m = env.exec(text); m; m = env.exec(text)) add('environment', m);
  const agent = new RegExp(`"agent"\\s*:\\s*(?:${STRING}|\\{)`, 'g');
  for (let m = agent.exec(text); m; m = agent.exec(text)) {
    if (m[1] !== undefined) {
      add('agent', m);
      continue;
    }
    const start = m.index + m[0].length;
    const end = text.indexOf('}', start);
    const body = text.slice(start, end < 0 ? undefined : end);
    const id = new RegExp(`"id"\\s*:\\s*${STRING}`).exec(body);
    if (id) add('agent', id, start);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** The spot whose value covers `offset` (the quotes count as inside). */
export function refAt(spots: readonly RefSpot[], offset: number): RefSpot | undefined {
  return spots.find((s) => offset >= s.offset - 1 && offset <= s.offset + s.length + 1);
}

const fold = (s: string): string => s.trim().normalize('NFKC').toLocaleLowerCase();

/** The known agents or environments whose name is `typed` (case and width folded). */
export function idsNamed(kind: RefKind, typed: string, known: readonly Named[]): Named[] {
  const want = fold(typed);
  if (!want) return [];
  const seen = new Set<string>();
  return known.filter((n) => n.kind === kind && fold(n.name) === want && !seen.has(n.id) && seen.add(n.id));
}

export interface NameFix {
  /** The id to write instead of the typed text. */
  id: string;
  name: string;
  offset: number;
  length: number;
}

/** The quick fixes for a spot holding a name where an id belongs: one per agent/environment of that name. */
export function nameFixes(spot: RefSpot, known: readonly Named[]): NameFix[] {
  if (isRefId(spot.kind, spot.value)) return [];
  return idsNamed(spot.kind, spot.value, known).map((n) => ({ id: n.id, name: n.name, offset: spot.offset, length: spot.length }));
}

/** The one message for a value that is not an id: a known name (a quick fix follows), or what to type instead. */
export function refProblem(spot: RefSpot, known: readonly Named[]): string | undefined {
  if (isRefId(spot.kind, spot.value)) return undefined;
  const named = idsNamed(spot.kind, spot.value, known);
  if (spot.kind === 'agent') {
    if (named.length) return l10n.t('“{0}” is the name of an agent; this field takes the agent’s ID. Use the quick fix (Ctrl+.) to put in {1}.', spot.value, named.map((n) => n.id).join(l10n.t(' or ')));
    return l10n.t('This field takes an agent ID (agent_…). Type the agent’s name and pick it from the suggestions (Ctrl+Space).');
  }
  if (named.length) return l10n.t('“{0}” is the name of an environment; this field takes the environment’s ID. Use the quick fix (Ctrl+.) to put in {1}.', spot.value, named.map((n) => n.id).join(l10n.t(' or ')));
  return l10n.t('This field takes an environment ID (env_…). Type the environment’s name and pick it from the suggestions (Ctrl+Space).');
}

// ---- the prompt and the environment variables as text of their own


/** The prompt: the text of the first event (`initial_events[0].content[0].text`, or its content string). */
export function promptOf(doc: unknown): string | undefined {
  const first = isObject(doc) && Array.isArray(doc.initial_events) ? doc.initial_events[0] : undefined;
  if (!isObject(first)) return undefined;
  if (typeof first.content === 'string') return first.content;
  const block = Array.isArray(first.content) ? first.content.find((b) => isObject(b) && b.type === 'text' && typeof b.text === 'string') : undefined;
  return isObject(block) ? (block.text as string) : undefined;
}

/** `doc` with the prompt replaced (the first event's text block, or its content string), other fields untouched. */
export function withPrompt(doc: Record<string, unknown>, prompt: string): Record<string, unknown> {
  const events = Array.isArray(doc.initial_events) ? structuredClone(doc.initial_events) : [];
  const first = isObject(events[0]) ? events[0] : undefined;
  if (!first) events.unshift({ type: 'user.message', content: [{ type: 'text', text: prompt }] });
  else if (typeof first.content === 'string') first.content = prompt;
  else {
    const blocks = Array.isArray(first.content) ? first.content : [];
    const block = blocks.find((b) => isObject(b) && b.type === 'text' && typeof b.text === 'string') as Record<string, unknown> | undefined;
    if (block) block.text = prompt;
    else blocks.unshift({ type: 'text', text: prompt });
    first.content = blocks;
  }
  return { ...doc, initial_events: events };
}

export interface EnvLineProblem {
  /** 1-based line number. */
  line: number;
  message: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The environment variables as the editor shows them: one NAME=value per line, final newline. */
export function envText(value: string): string {
  const lines = value.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The field's value from the editor's lines (blank lines dropped), or the lines that are not NAME=value. */
export function parseEnvText(text: string): { ok: true; value: string } | { ok: false; problems: EnvLineProblem[] } {
  const kept: string[] = [];
  const problems: EnvLineProblem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (eq < 0) problems.push({ line: i + 1, message: l10n.t('Line {0}: expected NAME=value.', i + 1) });
    else if (!ENV_NAME.test(name)) problems.push({ line: i + 1, message: l10n.t('Line {0}: “{1}” is not a variable name (letters, digits and _, not starting with a digit).', i + 1, name.slice(0, 40)) });
    else kept.push(line);
  });
  return problems.length ? { ok: false, problems } : { ok: true, value: kept.join('\n') };
}
