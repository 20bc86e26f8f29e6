// The editable document of a deployment (the fields `POST /deployments/{id}` accepts, in the
// API's own JSON shape): made from a deployment or the template, parsed and validated. What a
// Save sends (the merge-patch, the create body, the three-way merge) is in savePatch.ts.
// Pure: no vscode, no I/O.

import * as l10n from '@vscode/l10n';
import type { Deployment } from '../../api/types';
import type { AgentInput, ScheduleInput } from '../../api/editTypes';
import { scheduleProblems } from './cronSchedule';
import { exceedsDepth, MAX_DOCUMENT_DEPTH } from '../../common/jsonDepth';

export const EDITABLE_FIELDS = [
  'name',
  'description',
  'agent',
  'environment_id',
  'schedule',
  'initial_events',
  'resources',
  'vault_ids',
  'metadata',
  'environment_variables',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export interface DeploymentDocument {
  name: string;
  description: string;
  agent: AgentInput;
  environment_id: string;
  schedule: ScheduleInput | null;
  initial_events: unknown[];
  resources: unknown[];
  vault_ids: string[];
  metadata: Record<string, string>;
  environment_variables: string;
}

export const LIMITS = { name: 256, eventsMin: 1, eventsMax: 50, vaultIds: 50, resources: 500, metadataKeys: 16, metadataKey: 64, metadataValue: 512 } as const;
const EVENT_TYPES = new Set(['user.message', 'user.define_outcome', 'system.message']);
/** Reserved by the server ([old] responses); never part of the editable document. */
const RESERVED_METADATA = 'cas_config';

/** A deployment too deeply nested to edit (its JSON cannot even be printed whole). */
export class TooDeepError extends Error {
  constructor() {
    super(l10n.t('This deployment’s JSON is nested more than {0} levels deep, so it cannot be edited or duplicated here. Show Details shows it, cut at that depth.', MAX_DOCUMENT_DEPTH));
  }
}

/** A metadata object whose keys are data: `__proto__` or `constructor` are keys like any other. */
export function metadataObject(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** The editable document of a deployment, from what the server sent. Throws TooDeepError. */
export function documentOf(d: Deployment): DeploymentDocument {
  const raw: Record<string, unknown> = d; // the server's JSON, every field
  if (EDITABLE_FIELDS.some((f) => exceedsDepth(raw[f], MAX_DOCUMENT_DEPTH))) throw new TooDeepError();
  const metadata = metadataObject();
  for (const [key, value] of Object.entries(d.metadata)) {
    if (key !== RESERVED_METADATA && typeof value === 'string') metadata[key] = value;
  }
  return {
    name: d.name,
    description: d.description ?? '',
    agent: { id: d.agent.id, type: 'agent', version: d.agent.version },
    environment_id: d.environment_id,
    schedule: d.schedule ? { type: 'cron', expression: d.schedule.expression, timezone: d.schedule.timezone } : null,
    initial_events: Array.isArray(raw.initial_events) ? structuredClone(raw.initial_events) : [],
    resources: Array.isArray(raw.resources) ? structuredClone(raw.resources) : [],
    vault_ids: Array.isArray(raw.vault_ids) ? raw.vault_ids.filter((v): v is string => typeof v === 'string') : [],
    metadata,
    environment_variables: typeof raw.environment_variables === 'string' ? raw.environment_variables : '',
  };
}

/** The document as the file shows it: 2-space JSON, fields in the documented order, final newline. */
export function documentText(doc: DeploymentDocument): string {
  const ordered: Record<string, unknown> = {};
  for (const f of EDITABLE_FIELDS) ordered[f] = doc[f];
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** The name a duplicate gets: `<name>-copy`, kept within the 256-character limit. */
export function copyName(name: string): string {
  const suffix = '-copy';
  return `${name.slice(0, LIMITS.name - suffix.length)}${suffix}`;
}

export interface TemplateInput {
  agentId: string;
  environmentId: string;
  timezone: string;
  name?: string;
}

/** The template's prompt, in English (the source of its translation). */
export const TEMPLATE_PROMPT = 'Describe what the agent should do on each run.';

/** The template's prompt as the user sees it. */
export function templatePrompt(): string {
  return l10n.t('Describe what the agent should do on each run.');
}

/** A new deployment: a weekday-morning cron schedule in the user's zone and one user.message (the example prompt, see newDeployment.ts). */
export function templateDocument(t: TemplateInput): DeploymentDocument {
  return {
    name: t.name ?? 'new-deployment',
    description: '',
    agent: t.agentId,
    environment_id: t.environmentId,
    schedule: { type: 'cron', expression: '0 9 * * 1-5', timezone: t.timezone },
    initial_events: [{ type: 'user.message', content: [{ type: 'text', text: templatePrompt() }] }],
    resources: [],
    vault_ids: [],
    metadata: metadataObject(),
    environment_variables: '',
  };
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; message: string };

/** JSON.parse with a readable reason ("line 3, column 7: …"). */
export function parseDocumentText(text: string): ParseResult {
  try {
    const value = JSON.parse(text) as unknown;
    if (exceedsDepth(value, MAX_DOCUMENT_DEPTH)) return { ok: false, message: l10n.t('The document is nested more than {0} levels deep.', MAX_DOCUMENT_DEPTH) };
    return { ok: true, value };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(reason);
    if (at) {
      const offset = Number(at[1]);
      const before = text.slice(0, offset).split('\n');
      return { ok: false, message: l10n.t('The document is not valid JSON (line {0}, column {1}): {2}', before.length, (before[before.length - 1] ?? '').length + 1, reason) };
    }
    return { ok: false, message: l10n.t('The document is not valid JSON: {0}', reason) };
  }
}

export interface Problem {
  /** Dotted path of the offending value (`schedule.expression`, `initial_events[0].type`). */
  path: string;
  message: string;
}

/** A JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasPrefix = (v: unknown, prefix: string): boolean => typeof v === 'string' && v.startsWith(prefix) && v.length > prefix.length;

/**
 * Everything the extension can tell is wrong before sending (the JSON schema's rules plus
 * cron and time zone). The edit document lists every field; a missing optional field means
 * "clear it" (see diffDocument). Empty = fine to send.
 */
export function validateDocument(value: unknown): Problem[] {
  if (!isObject(value)) return [{ path: '', message: l10n.t('The document must be a JSON object.') }];
  const out: Problem[] = [];
  const add = (path: string, message: string): void => void out.push({ path, message });
  for (const key of Object.keys(value)) {
    if (!(EDITABLE_FIELDS as readonly string[]).includes(key)) add(key, l10n.t('"{0}" is not an editable field (allowed: {1}).', key, EDITABLE_FIELDS.join(', ')));
  }
  for (const f of ['name', 'agent', 'environment_id', 'initial_events'] as const) {
    if (value[f] === undefined || value[f] === null) add(f, l10n.t('Missing required field: {0}', f));
  }
  const { name, description, agent, environment_id, initial_events, resources, vault_ids, metadata, environment_variables } = value;
  if (name !== undefined && name !== null) {
    if (typeof name !== 'string' || name.trim() === '') add('name', l10n.t('name must be a non-empty string.'));
    else if (name.length > LIMITS.name) add('name', l10n.t('name must be at most {0} characters (it has {1}).', LIMITS.name, name.length));
  }
  if (description !== undefined && description !== null && typeof description !== 'string') add('description', l10n.t('description must be a string.'));
  if (agent !== undefined && agent !== null) {
    if (typeof agent === 'string') {
      if (!hasPrefix(agent, 'agent_')) add('agent', l10n.t('agent must be an agent ID (agent_…) or {id, type: "agent", version}.'));
    } else if (isObject(agent)) {
      if (!hasPrefix(agent.id, 'agent_')) add('agent.id', l10n.t('agent.id must be an agent ID (agent_…).'));
      if (agent.type !== undefined && agent.type !== 'agent') add('agent.type', l10n.t('agent.type must be "agent".'));
      if (typeof agent.version !== 'number' || !Number.isInteger(agent.version) || agent.version < 1) add('agent.version', l10n.t('agent.version must be a positive integer.'));
    } else add('agent', l10n.t('agent must be an agent ID (agent_…) or {id, type: "agent", version}.'));
  }
  if (environment_id !== undefined && environment_id !== null && !hasPrefix(environment_id, 'env_')) add('environment_id', l10n.t('environment_id must be an environment ID (env_…).'));
  for (const p of scheduleProblems(value.schedule)) add(p.field, p.message);
  if (initial_events !== undefined && initial_events !== null) {
    if (!Array.isArray(initial_events)) add('initial_events', l10n.t('initial_events must be an array.'));
    else {
      if (initial_events.length < LIMITS.eventsMin || initial_events.length > LIMITS.eventsMax) add('initial_events', l10n.t('initial_events must have between {0} and {1} events (it has {2}).', LIMITS.eventsMin, LIMITS.eventsMax, initial_events.length));
      initial_events.forEach((e, i) => {
        if (!isObject(e) || typeof e.type !== 'string' || !EVENT_TYPES.has(e.type)) add(`initial_events[${i}].type`, l10n.t('Each event needs a type: user.message, user.define_outcome or system.message.'));
        else if (e.type !== 'user.define_outcome' && typeof e.content !== 'string' && !Array.isArray(e.content)) add(`initial_events[${i}].content`, l10n.t('{0} needs content: a string or an array of content blocks.', e.type));
      });
    }
  }
  if (resources !== undefined && resources !== null) {
    if (!Array.isArray(resources) || resources.some((r) => !isObject(r))) add('resources', l10n.t('resources must be an array of objects.'));
    else if (resources.length > LIMITS.resources) add('resources', l10n.t('resources can have at most {0} items.', LIMITS.resources));
  }
  if (vault_ids !== undefined && vault_ids !== null) {
    if (!Array.isArray(vault_ids)) add('vault_ids', l10n.t('vault_ids must be an array of vault IDs.'));
    else {
      if (vault_ids.length > LIMITS.vaultIds) add('vault_ids', l10n.t('vault_ids can have at most {0} IDs (it has {1}).', LIMITS.vaultIds, vault_ids.length));
      vault_ids.forEach((v, i) => {
        if (!hasPrefix(v, 'vault_')) add(`vault_ids[${i}]`, l10n.t('Each vault ID starts with vault_.'));
      });
    }
  }
  if (metadata !== undefined && metadata !== null) {
    if (!isObject(metadata)) add('metadata', l10n.t('metadata must be an object of string values.'));
    else {
      const keys = Object.keys(metadata);
      if (keys.length > LIMITS.metadataKeys) add('metadata', l10n.t('metadata can have at most {0} keys.', LIMITS.metadataKeys));
      for (const key of keys) {
        const v = metadata[key];
        if (key === RESERVED_METADATA) add(`metadata.${key}`, l10n.t('metadata key {0} is reserved.', key));
        else if (key.length < 1 || key.length > LIMITS.metadataKey) add('metadata', l10n.t('metadata keys must be 1–{0} characters.', LIMITS.metadataKey));
        else if (typeof v !== 'string') add(`metadata.${key}`, l10n.t('metadata values must be strings.'));
        else if (v.length > LIMITS.metadataValue) add(`metadata.${key}`, l10n.t('metadata values must be at most {0} characters.', LIMITS.metadataValue));
      }
    }
  }
  if (environment_variables !== undefined && environment_variables !== null && typeof environment_variables !== 'string') add('environment_variables', l10n.t('environment_variables must be a string (NAME=value lines).'));
  return out;
}
