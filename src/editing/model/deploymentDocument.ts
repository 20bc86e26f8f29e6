// The editable document of a deployment (the fields `POST /deployments/{id}` accepts, in the
// API's own JSON shape), its validation, the merge-patch between two versions and the
// conflict decision. Pure: no vscode, no I/O.

import * as l10n from '@vscode/l10n';
import type { Deployment } from '../../api/types';
import type { AgentInput, DeploymentCreateBody, DeploymentPatch, ScheduleInput } from '../../api/editTypes';
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

/** A new deployment: a weekday-morning cron schedule in the user's zone and one user.message. */
export function templateDocument(t: TemplateInput): DeploymentDocument {
  return {
    name: t.name ?? 'new-deployment',
    description: '',
    agent: t.agentId,
    environment_id: t.environmentId,
    schedule: { type: 'cron', expression: '0 9 * * 1-5', timezone: t.timezone },
    initial_events: [{ type: 'user.message', content: [{ type: 'text', text: l10n.t('Describe what the agent should do on each run.') }] }],
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

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v).sort()) out[k] = canonical(v[k]);
    return out;
  }
  return v;
}

/** What an absent optional field of the edited document means: cleared. */
const CLEARED: Partial<Record<EditableField, unknown>> = {
  description: '',
  schedule: null,
  resources: [],
  vault_ids: [],
  metadata: {},
  environment_variables: '',
};

/**
 * The merge-patch that turns `base` (the copy the document was opened from) into `edited`
 * (a validated document): only the fields that changed; `schedule`, arrays and the agent
 * whole; `metadata` key by key, removed keys as null. An empty object means nothing changed.
 */
export function diffDocument(base: DeploymentDocument, edited: Record<string, unknown>): DeploymentPatch {
  const patch: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    const absent = edited[field] === undefined || edited[field] === null;
    const next = absent && field in CLEARED ? CLEARED[field] : edited[field];
    if (next === undefined) continue; // a required field can't be absent once validated
    const before = base[field];
    if (field === 'metadata') {
      // Own keys only: `constructor` or `__proto__` are keys, not inherited members.
      const from = before as Record<string, string>;
      const to = (next ?? {}) as Record<string, string>;
      const metaPatch = Object.create(null) as Record<string, string | null>;
      for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) metaPatch[key] = null;
      for (const [key, value] of Object.entries(to)) if (!Object.hasOwn(from, key) || from[key] !== value) metaPatch[key] = value;
      if (Object.keys(metaPatch).length) patch.metadata = metaPatch;
      continue;
    }
    if (field === 'agent' && isObject(next) && isObject(before)) {
      if (next.id === before.id && next.version === before.version) continue;
    }
    if (!sameJson(before, next)) patch[field] = next;
  }
  return patch as DeploymentPatch;
}

/** The create body of a validated new document (absent optional fields are left out). */
export function createBody(edited: Record<string, unknown>): DeploymentCreateBody {
  const body: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) if (edited[field] !== undefined) body[field] = edited[field];
  return body as unknown as DeploymentCreateBody;
}

/** A field the user and someone else both changed since the document was opened, to different values. */
export interface Contested {
  /** `schedule`, or `metadata.<key>` for one metadata key. */
  field: string;
  yours: unknown;
  theirs: unknown;
}

export interface SaveMerge {
  /** The user's own changes that the server does not have yet: what Save sends (merge-patch). */
  mine: DeploymentPatch;
  /** Fields changed on both sides, differently: the only reason to ask. */
  contested: Contested[];
}

/**
 * The three-way merge of a Save: `opened` (the copy the document was opened from), `server`
 * (its copy now) and `edited` (the user's validated text). Only the fields the user changed
 * are sent; a field also changed on the server is contested unless both chose the same value.
 * Content is compared, not `updated_at` (whole seconds: a change in the same second counts).
 */
export function mergeForSave(opened: DeploymentDocument, server: DeploymentDocument, edited: Record<string, unknown>): SaveMerge {
  const mine = diffDocument(opened, edited) as Record<string, unknown>;
  const theirs = diffDocument(opened, server as unknown as Record<string, unknown>) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const contested: Contested[] = [];
  for (const [field, value] of Object.entries(mine)) {
    if (field === 'metadata') {
      const yours = value as Record<string, string | null>;
      const other = (theirs.metadata ?? metadataObject()) as Record<string, string | null>;
      const keep = Object.create(null) as Record<string, string | null>;
      for (const [key, v] of Object.entries(yours)) {
        if (!Object.hasOwn(other, key)) keep[key] = v;
        else if (other[key] !== v) {
          keep[key] = v;
          contested.push({ field: `metadata.${key}`, yours: v, theirs: other[key] });
        } // else: the server already has the same value
      }
      if (Object.keys(keep).length) out.metadata = keep;
      continue;
    }
    if (!Object.hasOwn(theirs, field)) out[field] = value;
    else if (!sameJson(theirs[field], value)) {
      out[field] = value;
      contested.push({ field, yours: value, theirs: theirs[field] });
    }
  }
  return { mine: out as DeploymentPatch, contested };
}

/** `mine` without the contested fields: the server's values win there, the user's other changes stay. */
export function withoutContested(mine: DeploymentPatch, contested: readonly Contested[]): DeploymentPatch {
  const out: Record<string, unknown> = { ...(mine as Record<string, unknown>) };
  for (const c of contested) {
    if (c.field.startsWith('metadata.') && !Object.hasOwn(out, c.field)) {
      const meta = Object.assign(Object.create(null) as Record<string, unknown>, out.metadata as Record<string, unknown>);
      delete meta[c.field.slice('metadata.'.length)];
      if (Object.keys(meta).length) out.metadata = meta;
      else delete out.metadata;
    } else delete out[c.field];
  }
  return out as DeploymentPatch;
}

/** `doc` with a merge-patch applied (the server's copy with the user's changes on top). */
export function applyPatch(doc: DeploymentDocument, patch: DeploymentPatch): DeploymentDocument {
  const out = { ...doc, metadata: Object.assign(metadataObject(), doc.metadata) } as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(patch as Record<string, unknown>)) {
    if (field !== 'metadata') out[field] = value;
    else {
      const meta = out.metadata as Record<string, string>;
      for (const [key, v] of Object.entries(value as Record<string, string | null>)) {
        if (v === null) delete meta[key];
        else meta[key] = v;
      }
    }
  }
  return out as unknown as DeploymentDocument;
}

/** One contested field as the question names it: "schedule: yours `15 7 * * 1-5`, theirs `45 5 * * 2`". */
export function contestedText(c: Contested, show: (text: string) => string): string {
  const value = (v: unknown): string => {
    if (v === null || v === undefined || v === '') return l10n.t('(none)');
    if (c.field === 'schedule' && isObject(v) && typeof v.expression === 'string') return show(`${v.expression}${typeof v.timezone === 'string' ? ` ${v.timezone}` : ''}`).slice(0, 80);
    if (typeof v === 'string') return show(v).slice(0, 80);
    return show(JSON.stringify(v)).slice(0, 80);
  };
  let yours = value(c.yours);
  let theirs = value(c.theirs);
  // A schedule whose time zone is the same on both sides is named by its expression alone.
  if (c.field === 'schedule' && isObject(c.yours) && isObject(c.theirs) && c.yours.timezone === c.theirs.timezone) {
    yours = value({ expression: c.yours.expression });
    theirs = value({ expression: c.theirs.expression });
  }
  return l10n.t('{0}: yours `{1}`, theirs `{2}`', show(c.field).slice(0, 80), yours, theirs);
}
