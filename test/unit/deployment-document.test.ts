// The editable document of a deployment: what it holds, its validation (the schema's rules
// plus cron and time zone), the merge-patch diff and the three-way merge of a Save.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  copyName,
  documentOf,
  documentText,
  EDITABLE_FIELDS,
  parseDocumentText,
  templateDocument,
  validateDocument,
  type DeploymentDocument,
} from '../../src/editing/model/deploymentDocument';
import { contestedText, mergeForSave, withoutContested, createBody, diffDocument } from '../../src/editing/model/savePatch';
import { fixture } from './fixtures';

const edit = (doc: DeploymentDocument, change: Record<string, unknown>): Record<string, unknown> => ({ ...structuredClone(doc), ...change });
const paths = (value: unknown): string[] => validateDocument(value).map((p) => p.path);

describe('deployment document', () => {
  it('holds exactly the fields the update endpoint accepts, in the API shape', () => {
    const doc = documentOf(fixture('active'));
    assert.deepEqual(Object.keys(JSON.parse(documentText(doc))), [...EDITABLE_FIELDS]);
    assert.deepEqual(doc.agent, { id: fixture('active').agent.id, type: 'agent', version: fixture('active').agent.version });
    assert.deepEqual(Object.keys(doc.schedule ?? {}), ['type', 'expression', 'timezone'], 'no upcoming_runs_at or last_run_at');
    assert.deepEqual(validateDocument(doc), []);
    const text = documentText(doc);
    for (const readOnly of ['"type": "deployment"', '"status"', '"created_at"', '"updated_at"', '"archived_at"', '"paused_reason"', 'upcoming_runs_at']) {
      assert.equal(text.includes(readOnly), false, `${readOnly} must not be in the document`);
    }
  });

  it('leaves the reserved metadata.cas_config of legacy deployments out of the document', () => {
    const doc = documentOf(fixture('active-legacy'));
    assert.equal('cas_config' in doc.metadata, false);
    assert.equal(doc.environment_variables, '');
    assert.deepEqual(validateDocument(doc), []);
  });

  it('gives a manual-only deployment schedule null', () => {
    assert.equal(documentOf(fixture('manual')).schedule, null);
  });

  it('names a duplicate <name>-copy within 256 characters', () => {
    assert.equal(copyName('nightly'), 'nightly-copy');
    const long = copyName('n'.repeat(256));
    assert.equal(long.length, 256);
    assert.ok(long.endsWith('-copy'));
  });

  it('builds a valid template: cron in the given zone, one user.message', () => {
    const doc = templateDocument({ agentId: 'agent_019ec5561c5d7a4c8a1b2c3d4e5f6a7b', environmentId: 'env_019ec5561c5d7a4c8a1b2c3d4e5f6a7b', timezone: 'Europe/Berlin' });
    assert.equal(doc.schedule?.timezone, 'Europe/Berlin');
    assert.equal(doc.schedule?.type, 'cron');
    assert.equal(doc.initial_events.length, 1);
    assert.equal((doc.initial_events[0] as { type: string }).type, 'user.message');
    assert.deepEqual(validateDocument(doc), []);
    assert.deepEqual(Object.keys(createBody(doc as unknown as Record<string, unknown>)), [...EDITABLE_FIELDS]);
  });
});

describe('document text and validation', () => {
  it('reports invalid JSON with line and column', () => {
    const r = parseDocumentText('{\n  "name": "x",\n  oops\n}');
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /line 3, column 3/);
    assert.equal(parseDocumentText('{"name":"x"}').ok, true);
  });

  const base = documentOf(fixture('active'));
  const cases: [string, Record<string, unknown>, string][] = [
    ['a missing name', { name: undefined }, 'name'],
    ['an empty name', { name: '  ' }, 'name'],
    ['a name of 257 characters', { name: 'x'.repeat(257) }, 'name'],
    ['an agent id without agent_', { agent: 'env_1' }, 'agent'],
    ['a pinned agent without a version', { agent: { id: 'agent_1', type: 'agent' } }, 'agent.version'],
    ['an environment id without env_', { environment_id: 'agent_1' }, 'environment_id'],
    ['no initial events', { initial_events: [] }, 'initial_events'],
    ['51 initial events', { initial_events: Array.from({ length: 51 }, () => ({ type: 'user.message', content: 'x' })) }, 'initial_events'],
    ['an event of unknown type', { initial_events: [{ type: 'bot.message', content: 'x' }] }, 'initial_events[0].type'],
    ['a message without content', { initial_events: [{ type: 'user.message' }] }, 'initial_events[0].content'],
    ['51 vault ids', { vault_ids: Array.from({ length: 51 }, (_, i) => `vault_${i}`) }, 'vault_ids'],
    ['a vault id without vault_', { vault_ids: ['v1'] }, 'vault_ids[0]'],
    ['a metadata value that is a number', { metadata: { team: 1 } }, 'metadata.team'],
    ['the reserved metadata key', { metadata: { cas_config: 'x' } }, 'metadata.cas_config'],
    ['17 metadata keys', { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata'],
    ['a read-only field pasted in', { id: 'dep_1' }, 'id'],
    ['a cron expression with 6 fields', { schedule: { type: 'cron', expression: '0 0 9 * * *', timezone: 'UTC' } }, 'schedule.expression'],
    ['a cron minute of 60', { schedule: { type: 'cron', expression: '60 9 * * *', timezone: 'UTC' } }, 'schedule.expression'],
    ['an L in the day-of-month', { schedule: { type: 'cron', expression: '0 9 L * *', timezone: 'UTC' } }, 'schedule.expression'],
    ['an @daily shortcut', { schedule: { type: 'cron', expression: '@daily', timezone: 'UTC' } }, 'schedule.expression'],
    ['an unknown time zone', { schedule: { type: 'cron', expression: '0 9 * * *', timezone: 'Mars/Olympus' } }, 'schedule.timezone'],
    ['a schedule type other than cron', { schedule: { type: 'rate', expression: '0 9 * * *', timezone: 'UTC' } }, 'schedule.type'],
    ['environment_variables that are not a string', { environment_variables: { A: '1' } }, 'environment_variables'],
  ];
  for (const [what, change, path] of cases) {
    it(`flags ${what} at ${path}`, () => {
      assert.ok(paths(edit(base, change)).includes(path), `${JSON.stringify(validateDocument(edit(base, change)))}`);
    });
  }

  it('accepts a day-of-week of 7 (Sunday), names, ranges, lists and steps', () => {
    for (const expression of ['0 9 * * 7', '*/15 8-18 * JAN-MAR MON-FRI', '0,30 9 1,15 * *']) {
      assert.deepEqual(paths(edit(base, { schedule: { type: 'cron', expression, timezone: 'Asia/Shanghai' } })), [], expression);
    }
  });

  it('accepts schedule null and absent optional fields', () => {
    assert.deepEqual(paths(edit(base, { schedule: null, description: undefined, metadata: undefined })), []);
  });

  it('agrees with the JSON schema shipped for *.deployment.json on limits and prefixes', () => {
    const schema = JSON.parse(readFileSync(path.resolve(__dirname, '../../schemas/deployment.schema.json'), 'utf8')) as {
      required: string[];
      properties: Record<string, { maxLength?: number; minItems?: number; maxItems?: number; pattern?: string; items?: { pattern?: string } }>;
      additionalProperties: boolean;
    };
    assert.deepEqual(schema.required.sort(), ['agent', 'environment_id', 'initial_events', 'name']);
    assert.deepEqual(Object.keys(schema.properties).sort(), [...EDITABLE_FIELDS].sort());
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.name?.maxLength, 256);
    assert.equal(schema.properties.initial_events?.minItems, 1);
    assert.equal(schema.properties.initial_events?.maxItems, 50);
    assert.equal(schema.properties.vault_ids?.maxItems, 50);
    assert.match('vault_019', new RegExp(schema.properties.vault_ids?.items?.pattern ?? '$^'));
  });

  it('the schema says each problem once, in words: no regex on the agent, the environment or the cron (our diagnostics say those), a patternErrorMessage on every pattern', () => {
    const text = readFileSync(path.resolve(__dirname, '../../schemas/deployment.schema.json'), 'utf8');
    const schema = JSON.parse(text) as { properties: Record<string, Record<string, unknown>> };
    const patterns = (o: unknown, at = ''): string[] =>
      o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => (k === 'pattern' ? [at] : patterns(v, `${at}.${k}`))) : [];
    assert.deepEqual(patterns(schema.properties.agent), []);
    assert.deepEqual(patterns(schema.properties.environment_id), []);
    assert.deepEqual(patterns(schema.properties.schedule), []);
    const withoutMessage = (o: unknown, at = ''): string[] =>
      o && typeof o === 'object'
        ? [...('pattern' in o && !('patternErrorMessage' in o) ? [at] : []), ...Object.entries(o).flatMap(([k, v]) => withoutMessage(v, `${at}.${k}`))]
        : [];
    assert.deepEqual(withoutMessage(schema), []);
  });

  it('the Chinese schema (package.nls.zh-cn.json points jsonValidation to it) has the same rules and every text translated', () => {
    const read = (f: string): unknown => JSON.parse(readFileSync(path.resolve(__dirname, '../..', f), 'utf8'));
    const TEXT = new Set(['description', 'patternErrorMessage', 'title']);
    const texts: [string, string][] = [];
    const rules = (o: unknown): unknown =>
      Array.isArray(o) ? o.map(rules) : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).filter(([k]) => !TEXT.has(k) && k !== '$id').map(([k, v]) => [k, rules(v)])) : o;
    const collect = (en: unknown, zh: unknown): void => {
      if (!en || typeof en !== 'object') return;
      for (const [k, v] of Object.entries(en)) {
        const other = (zh as Record<string, unknown>)[k];
        if (TEXT.has(k) && typeof v === 'string') texts.push([v, other as string]);
        else collect(v, other);
      }
    };
    const en = read('schemas/deployment.schema.json');
    const zh = read('schemas/deployment.schema.zh-cn.json');
    assert.deepEqual(rules(zh), rules(en));
    collect(en, zh);
    assert.ok(texts.length > 10);
    for (const [e, z] of texts) assert.ok(typeof z === 'string' && z !== e && /[\u4e00-\u9fff]/.test(z), `untranslated: ${e}`);
    const nls = (f: string): Record<string, string> => read(f) as Record<string, string>;
    assert.equal(nls('package.nls.json')['jsonValidation.deploymentSchema'], './schemas/deployment.schema.json');
    assert.equal(nls('package.nls.zh-cn.json')['jsonValidation.deploymentSchema'], './schemas/deployment.schema.zh-cn.json');
  });
});

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('merge-patch diff', () => {
  const base = documentOf(fixture('active', { metadata: { team: 'data', owner: 'li' } }));

  it('is empty when nothing changed, even with keys in another order', () => {
    const reordered = JSON.parse(JSON.stringify({ ...base, metadata: { owner: 'li', team: 'data' } })) as Record<string, unknown>;
    assert.deepEqual(diffDocument(base, reordered), {});
  });

  it('sends only the changed fields', () => {
    assert.deepEqual(diffDocument(base, edit(base, { description: 'new words' })), { description: 'new words' });
  });

  it('sends the whole schedule when one part of it changed', () => {
    const schedule = { type: 'cron', expression: '0 10 * * *', timezone: base.schedule?.timezone };
    assert.deepEqual(diffDocument(base, edit(base, { schedule })), { schedule });
  });

  it('sends metadata key by key: removed keys as null, changed and added as values', () => {
    // Metadata objects have no prototype (keys are data): compare their JSON.
    assert.deepEqual(plain(diffDocument(base, edit(base, { metadata: { team: 'ml', tier: 'gold' } }))), { metadata: { owner: null, team: 'ml', tier: 'gold' } });
  });

  it('treats an absent optional field as cleared', () => {
    const { description: _d, metadata: _m, schedule: _s, ...rest } = structuredClone(base);
    const patch = diffDocument({ ...base, description: 'x' }, rest as Record<string, unknown>);
    assert.deepEqual(plain(patch), { description: '', schedule: null, metadata: { owner: null, team: null } });
  });

  it('sends the agent only when its id or version changed, and a string agent as given', () => {
    assert.deepEqual(diffDocument(base, edit(base, { agent: { id: (base.agent as { id: string }).id, version: (base.agent as { version: number }).version } })), {});
    assert.deepEqual(diffDocument(base, edit(base, { agent: 'agent_019ec5561c5d7a4c8a1b2c3d4e5f6a7b' })), { agent: 'agent_019ec5561c5d7a4c8a1b2c3d4e5f6a7b' });
  });

  it('replaces arrays whole (initial_events, vault_ids)', () => {
    const events = [{ type: 'user.message', content: 'one' }, { type: 'user.message', content: 'two' }];
    assert.deepEqual(diffDocument(base, edit(base, { initial_events: events, vault_ids: [] })), { initial_events: events, ...(base.vault_ids.length ? { vault_ids: [] } : {}) });
  });
});

describe('three-way merge of a Save', () => {
  const opened = documentOf(fixture('active'));
  const server = (patch: Partial<DeploymentDocument>) => ({ ...opened, ...patch });
  const mine = (patch: Partial<DeploymentDocument>) => ({ ...opened, ...patch }) as unknown as Record<string, unknown>;
  it('sends only the user’s fields when the server changed others (nothing contested)', () => {
    const m = mergeForSave(opened, server({ description: 'theirs' }), mine({ name: 'mine' }));
    assert.deepEqual(m, { mine: { name: 'mine' }, contested: [] });
  });
  it('contests a field both changed to different values, and names both values', () => {
    const m = mergeForSave(opened, server({ schedule: { type: 'cron', expression: '45 5 * * 2', timezone: 'UTC' } }), mine({ schedule: { type: 'cron', expression: '15 7 * * 1-5', timezone: 'UTC' } }));
    assert.equal(m.contested.length, 1);
    assert.equal(contestedText(m.contested[0]!, (t) => t), 'schedule: yours `15 7 * * 1-5`, theirs `45 5 * * 2`');
  });
  it('does not contest or resend a field both changed to the same value', () => {
    assert.deepEqual(mergeForSave(opened, server({ description: 'same' }), mine({ description: 'same' })), { mine: {}, contested: [] });
  });
  it('merges metadata key by key; Take Theirs drops only the contested key', () => {
    const base = { ...opened, metadata: Object.assign(Object.create(null) as Record<string, string>, { a: '1', b: '2' }) };
    const m = mergeForSave(base, { ...base, metadata: { a: 'theirs', b: '2' } }, { ...base, metadata: { a: 'mine', c: 'new' } } as unknown as Record<string, unknown>);
    assert.deepEqual(m.contested.map((c) => c.field), ['metadata.a']);
    assert.deepEqual({ ...(withoutContested(m.mine, m.contested).metadata as object) }, { b: null, c: 'new' });
  });
});
