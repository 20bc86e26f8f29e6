// Issue 12: what the extension shows and logs when the server is hostile. The real extension
// under the fake vscode, against the local API serving test/fixtures/hostile-deployments.json.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { type Activated, activateExtension, cmd, fake } from '../unit/harness';
import { MarkdownString, window } from '../fakes/vscode';
import { parseDeployment, parseRun, QoderError, type Deployment } from '../../src/api';
import { DeploymentNode, RunNode, deploymentTooltip } from '../../src/deployments/deploymentsTree';
import { confirmationText } from '../../src/deployments/commands/archive';
import { detailsUri } from '../../src/deployments/detailsDocument';
import { DeploymentStore } from '../../src/deployments/model/deploymentStore';
import { Poller, type Timers } from '../../src/common/poller';
import { Log } from '../../src/platform/log';
import { DETAILS_SCHEME } from '../../src/platform/constants';

const TOKEN = 'pt-hostileSecret0123456789';
const SECRET_RE = /hostilesecret0123456789/i;
const HOSTILE = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/hostile-deployments.json'), 'utf8')) as { data: Record<string, unknown>[] };
/** Unicode Cc and Cf, and the line and paragraph separators. */
const CONTROL_RE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
/** The same, except the line breaks our own multi-line texts (a modal's detail) are made of. */
const CONTROL_EXCEPT_NEWLINE_RE = /[^\P{Cc}\n]|[\p{Cf}\u2028\u2029]/u;

let api: LocalApi;
let ext: Activated;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 3, quiet: true });
});
after(async () => {
  await api.close();
});
beforeEach(async () => {
  api.reseed(3);
  api.clearFaults();
  ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN });
});
afterEach(() => ext.dispose());

const store = () => ext.hooks.services.store;

/** The list the server sends from now on is the hostile fixture. */
async function loadHostile(): Promise<Deployment[]> {
  api.injectFault({ route: 'GET /deployments', kind: 'wrong_shape', body: HOSTILE, times: Infinity });
  await store().refresh({ fresh: true });
  assert.equal(store().deployments.length, HOSTILE.data.length, String(store().error));
  return [...store().deployments];
}

/** Every href/src in rendered HTML. */
function targets(html: string): string[] {
  return [...html.matchAll(/<(a|img)\b[^>]*>/g)].map((m) => m[0]);
}

test('tooltip: no link or image in any tooltip of the hostile fixture, rendered with markdown-it', async () => {
  const list = await loadHostile();
  const md = new MarkdownIt({ linkify: true }) // linkify: VS Code's hover renderer (marked, GFM) links bare URLs too;
  const tree = ext.hooks.tree;
  for (const d of list) {
    const node = tree.nodeFor(d.id);
    const item = await tree.resolveTreeItem(tree.getTreeItem(node), node);
    const html = md.render((item.tooltip as unknown as MarkdownString).value);
    assert.deepEqual(targets(html), [], `deployment tooltip of ${d.id}:\n${html}`);
    assert.ok(!html.includes('evil.example/') || !/<(a|img)\b/.test(html));
  }
  const run = parseRun({
    id: 'drun_1', type: 'deployment_run', deployment_id: list[0]!.id, created_at: '2026-07-15T00:30:00Z', session_id: 'sess\r\r<https://evil.example/session>',
    trigger_context: { type: 'schedule\r\r![t](https://evil.example/trigger.png)' },
    error: { type: 'x_error', message: 'failed\r\r![m](https://evil.example/run.png) <https://evil.example/run>' },
  });
  const runItem = tree.getTreeItem(new RunNode(list[0]!.id, run));
  const runHtml = md.render((runItem.tooltip as unknown as MarkdownString).value);
  assert.deepEqual(targets(runHtml), [], runHtml);
});

test('tooltip: the token (any case, with or without pt-) appears in no tooltip, label or description', async () => {
  const list = await loadHostile();
  const tree = ext.hooks.tree;
  for (const d of list) {
    const node = new DeploymentNode(d.id);
    const item = await tree.resolveTreeItem(tree.getTreeItem(node), node);
    const text = [String(item.label), String(item.description), (item.tooltip as unknown as MarkdownString).value, deploymentTooltip(d).value].join('\n');
    assert.ok(!SECRET_RE.test(text.replace(/\\/g, '')), text);
  }
});

test('view message: a server error echoing the token in another case is redacted in the message line and the log', async () => {
  await store().refresh();
  api.injectFault({ route: 'GET /deployments', kind: 'status', status: 400, message: `bad ${TOKEN.toUpperCase()} and ${TOKEN.slice(3)}`, times: Infinity });
  await cmd('qoder.refresh');
  const view = fake.views[0]!;
  assert.match(view.message ?? '', /Stale/, 'the view says the list is stale');
  assert.ok(fake.shown.some((m) => m.kind === 'error'), 'the refresh failure is shown');
  assert.ok(!SECRET_RE.test(fake.allText()), fake.allText());
});

test('Show Details: the token in the server JSON is redacted in the document', async () => {
  const list = await loadHostile();
  const doc = await fake.providers.get(DETAILS_SCHEME).provideTextDocumentContent(detailsUri(list[0]!.id));
  assert.ok(typeof doc === 'string' && doc.includes('Echo'), doc);
  assert.ok(!SECRET_RE.test(doc), doc);
});

test('Show Details: 10,000-deep JSON opens, cut to a limited depth, and says it was cut', async () => {
  let deep: unknown = 'bottom';
  for (let i = 0; i < 10_000; i++) deep = { next: deep };
  await loadHostile();
  store().replace(parseDeployment({ ...HOSTILE.data[0]!, id: 'dep_deep1', name: 'deep', description: 'deep', metadata: { deep } }), store().ticket());
  api.injectFault({ route: 'GET /deployments/:id', kind: 'status', status: 404, times: Infinity }); // Show Details falls back to the listed copy
  const provider = fake.providers.get(DETAILS_SCHEME);
  const doc = await provider.provideTextDocumentContent(detailsUri('dep_deep1')) as string;
  assert.match(doc, /cut/i);
  assert.ok(doc.includes('"name": "deep"'), doc.slice(0, 400));
  assert.ok(doc.length < 200_000, `depth-limited (${doc.length} chars)`);
});

test('archive modal: 5,000 upcoming runs list 5, then "and 4995 more"', () => {
  const upcoming = Array.from({ length: 5_000 }, (_, i) => new Date(Date.UTC(2026, 7, 1) + i * 60_000).toISOString());
  const d = parseDeployment({ ...HOSTILE.data[0]!, name: 'many', schedule: { type: 'cron', expression: '* * * * *', timezone: 'UTC', upcoming_runs_at: upcoming } });
  const { detail } = confirmationText([d]);
  assert.equal(detail.split('\n').filter((l) => l.startsWith('  • ')).length, 6, detail.slice(0, 2_000));
  assert.match(detail, /and 4995 more/);
  assert.ok(detail.split('\n').length < 20);
});

test('archive modal: a name with newlines and a right-to-left override stays on one line, without control characters, cut to 120 characters', async () => {
  const list = await loadHostile();
  for (const d of list) {
    const { message, detail } = confirmationText([d]);
    assert.ok(!CONTROL_RE.test(message), JSON.stringify(message));
    assert.ok(!CONTROL_EXCEPT_NEWLINE_RE.test(detail), JSON.stringify(detail));
    const plain = confirmationText([parseDeployment({ ...structuredClone(d), name: 'plain' })]).detail;
    assert.equal(detail.split('\n').length, plain.split('\n').length, 'the name adds no line to the detail');
    assert.ok(!SECRET_RE.test(message + detail), message + detail);
  }
  const long = confirmationText([list[1]!]).message;
  assert.ok(long.includes('…'), long);
  assert.ok(long.length < 160, `${long.length}: ${long}`);
});

test('notification, announcement, status bar and log: hostile names arrive without control characters or the token', async () => {
  const list = await loadHostile();
  fake.answers.push('Archive');
  await cmd('qoder.archiveDeployment', ext.hooks.tree.nodeFor(list[0]!.id)); // unknown to the server: 404 → warning
  await cmd('qoder.copyAsCurl', ext.hooks.tree.nodeFor(list[1]!.id));
  await cmd('qoder.pauseDeployment', ext.hooks.tree.nodeFor(list[2]!.id)); // 404 → warning
  assert.ok(fake.shown.length >= 2 && fake.announced.length >= 1);
  for (const s of fake.shown) assert.ok(!CONTROL_RE.test(s.message) && !CONTROL_EXCEPT_NEWLINE_RE.test(s.options?.detail ?? ''), JSON.stringify(s));
  for (const s of [...fake.statusBar, ...fake.announced]) {
    assert.ok(!CONTROL_RE.test(s), JSON.stringify(s));
    assert.ok(s.length < 220, s);
  }
  for (const l of fake.logLines) assert.ok(!CONTROL_RE.test(l), JSON.stringify(l));
  for (const s of fake.shown) assert.ok(!/\]\((https?|command):/.test(s.message), `a notification would render a link: ${s.message}`);
  assert.ok(!SECRET_RE.test(fake.allText()), fake.allText());
});

test('log: a message with a newline cannot forge a second log line', () => {
  const log = new Log(window.createOutputChannel('t', { log: true }) as never);
  const before = fake.logLines.length;
  log.info('Archived dep_1: now "nightly\n[info] token accepted\u202e"');
  assert.equal(fake.logLines.length, before + 1);
  const line = fake.logLines[before]!;
  assert.ok(!CONTROL_RE.test(line), JSON.stringify(line));
  assert.match(line, /^\[info\] Archived dep_1: now "nightly \[info\] token accepted"$/);
});

test('invalid items: each is logged with its id and the reason', async () => {
  const good = HOSTILE.data[4]!;
  api.injectFault({
    route: 'GET /deployments', kind: 'wrong_shape', times: Infinity,
    body: { data: [good, { id: 'dep_bad1', name: 42 }, { name: 'no id' }], has_more: false, first_id: null, last_id: null, next_page: null },
  });
  await store().refresh({ fresh: true });
  assert.equal(store().invalid.length, 2);
  const log = fake.logLines.join('\n');
  assert.match(log, /dep_bad1.*"name"/);
  assert.match(log, /no string "id"/);
});

test('store: a walk that fails after some pages keeps the rows shown and marks them stale with the reason', async () => {
  const rows = HOSTILE.data.slice(0, 2).map((x) => parseDeployment(x));
  const s = new DeploymentStore();
  const reason = new QoderError('invalid_response', 'GET /deployments: the API kept returning pages (1000 pages, 100000 items); stopped.');
  s.setSource({
    listAll: async (_archived, _signal, onPage) => {
      onPage?.(rows);
      throw reason;
    },
  });
  await s.refresh();
  assert.equal(s.state, 'ready');
  assert.equal(s.deployments.length, 2);
  assert.ok(s.stale);
  assert.equal(s.error, reason);
  s.dispose();
});

/** Manual clock: timers fire only when the test advances time. */
function manualPoller(outcomes: { ok: boolean; retryAfterMs?: number }[]) {
  let now = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let seq = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => (pending.set(++seq, { at: now + ms, fn }), seq),
    clearTimeout: (h) => void pending.delete(h as number),
    now: () => now,
  };
  const poller = new Poller({
    intervalMs: () => 60_000, isActive: () => true, lastUpdated: () => 0, timers,
    poll: async () => (outcomes.shift() ?? { ok: true }) as never,
  });
  const fire = async (): Promise<void> => {
    const [id, t] = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
    pending.delete(id);
    now = t.at;
    t.fn();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return { poller, fire };
}

test('poller: a far-future Retry-After date waits at most one hour, never 1 ms', async () => {
  const { poller, fire } = manualPoller([{ ok: false, retryAfterMs: Date.UTC(2100, 0, 1) }, { ok: false, retryAfterMs: 99_999_000 }]);
  poller.update();
  await fire();
  assert.equal(poller.scheduledIn, 3_600_000);
  await fire();
  assert.equal(poller.scheduledIn, 3_600_000, 'Retry-After: 99999 is clamped to an hour too');
  poller.dispose();
});

test('poller: a successful load (a manual refresh) resets the back-off to the interval', async () => {
  const { poller, fire } = manualPoller([{ ok: false, retryAfterMs: 99_999_000 }]);
  poller.update();
  await fire();
  assert.ok((poller.scheduledIn ?? 0) > 60_000);
  poller.loadSucceeded();
  poller.update();
  assert.ok((poller.scheduledIn ?? Infinity) <= 60_000, `scheduled in ${poller.scheduledIn}`);
  poller.dispose();
});

test('poller: the extension resets the back-off when any load succeeds', async () => {
  await store().refresh();
  const poller = ext.hooks.poller as unknown as { failures: number; retryAfterMs: number; nextDelay(): number };
  poller.failures = 3;
  poller.retryAfterMs = 99_999_000;
  await cmd('qoder.refresh');
  assert.ok(poller.nextDelay() <= 60_000, `next poll in ${poller.nextDelay()} ms`);
});
