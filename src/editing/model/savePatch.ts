// What a Save of a deployment document sends: the merge-patch between two versions, the create
// body, and the three-way merge of the opened copy, the server's copy and the user's text.
// Pure: no vscode, no I/O.

import * as l10n from '@vscode/l10n';
import type { DeploymentCreateBody, DeploymentPatch } from '../../api/editTypes';
import { EDITABLE_FIELDS, isObject, metadataObject, type DeploymentDocument, type EditableField } from './deploymentDocument';

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
