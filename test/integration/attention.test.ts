// Told without watching: which deployments newly need attention (pure), the notifications and
// their actions, the status-bar item, and background loads while the view is hidden — the
// extension under the fake vscode against the local API.

import { test, before, after, afterEach, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { startLocalApi, type LocalApi } from '../local-api/server';
import { invalidate } from '../local-api/model';
import { type Activated, activateConnected, activateExtension, cmd, fake, until } from '../unit/harness';
import { window } from '../fakes/vscode';
import { AttentionWatch, backgroundIntervalMs } from '../../src/attention/model/attention';
import { fixture } from '../unit/fixtures';
import type { Deployment } from '../../src/api';

const TOKEN = 'pt-unit-attention-secret-0141';
let api: LocalApi;
let ext: Activated | undefined;

before(async () => {
  api = await startLocalApi({ port: 0, token: TOKEN, seed: 40, quiet: true });
});
after(() => api.close());
afterEach(() => {
  ext?.dispose();
  ext = undefined;
  api.reseed(40);
});

function withState(d: Deployment, status: string, failures: number, errorType?: string): Deployment {
  return {
    ...d,
    status,
    paused_reason: errorType ? { type: 'error', error: { type: errorType } } : status === 'paused' ? { type: 'manual' } : null,
    stats: { ...(d.stats ?? {}), consecutive_failures: failures },
  };
}

describe('attention watch (pure)', () => {
  const base = fixture('active');
  const a = { ...base, id: 'dep_a', name: 'a' };
  const b = { ...base, id: 'dep_b', name: 'b' };

  test('the first load only records the baseline, even for deployments that already need attention', () => {
    const w = new AttentionWatch();
    assert.deepEqual(w.update([withState(a, 'paused', 2, 'environment_not_found_error'), b]), []);
  });

  test('paused after an error, or more failures in a row, is reported once; an unchanged state is not repeated', () => {
    const w = new AttentionWatch();
    w.update([withState(a, 'active', 0), withState(b, 'active', 1)]);
    const changes = w.update([withState(a, 'paused', 0, 'environment_not_found_error'), withState(b, 'active', 2)]);
    assert.deepEqual(changes.map((c) => [c.deployment.id, c.kind]), [['dep_a', 'paused_on_error'], ['dep_b', 'failures']]);
    assert.deepEqual(w.update([withState(a, 'paused', 0, 'environment_not_found_error'), withState(b, 'active', 2)]), []);
    assert.deepEqual(w.update([withState(a, 'paused', 0, 'environment_not_found_error'), withState(b, 'active', 1)]), [], 'fewer failures is not news');
  });

  test('a deployment that left the list and came back is a new baseline, not news', () => {
    const w = new AttentionWatch();
    w.update([a, b]);
    w.update([a]);
    assert.deepEqual(w.update([a, withState(b, 'paused', 0, 'agent_archived_error')]), []);
    assert.deepEqual(w.update([a, withState(b, 'paused', 4, 'agent_archived_error')]).map((c) => c.kind), ['failures'], 'and from then on it is watched again');
  });

  test('a deployment first seen after the baseline is not reported; reset starts over', () => {
    const w = new AttentionWatch();
    w.update([a]);
    assert.deepEqual(w.update([a, withState(b, 'paused', 3, 'agent_archived_error')]), []);
    w.reset();
    assert.deepEqual(w.update([withState(a, 'paused', 1, 'agent_archived_error')]), []);
  });

  test('the background interval is the setting, stretched so walking every page stays under 10 page requests a minute', () => {
    assert.equal(backgroundIntervalMs(5, 40), 5 * 60_000);
    assert.equal(backgroundIntervalMs(0, 40), 0);
    for (const n of [40, 999, 2_500, 10_000, 50_000]) {
      const pages = Math.ceil(n / 100);
      const perMinute = pages / (backgroundIntervalMs(5, n) / 60_000);
      assert.ok(perMinute < 10, `${n} deployments: ${perMinute.toFixed(2)} pages a minute`);
    }
    assert.ok(backgroundIntervalMs(5, 10_000) > 5 * 60_000, 'stretched for 100 pages');
  });
});

/** Makes a seeded deployment look paused after an error on the server. */
function pauseOnError(id: string, type = 'environment_not_found_error'): void {
  const rec = api.account(TOKEN).record(id)!;
  rec.status = 'paused';
  rec.paused_reason = { error: { type }, type: 'error' };
  invalidate(rec);
}

function healthyActive(e: Activated, n: number): Deployment[] {
  return e.hooks.services.store.deployments.filter((d) => d.status === 'active' && !d.archived_at && !d.stats?.consecutive_failures).slice(0, n);
}

describe('attention in the extension', () => {
  test('a load that finds a deployment paused after a configuration error shows one notification with Show, Open Failed Run and Edit Deployment (no Resume: it would fail again); never again for the same state', async () => {
    ext = await activateConnected(api, TOKEN);
    const [target] = healthyActive(ext, 1);
    assert.ok(target);
    // The first load only records the attention baseline; the one notification is the seed's run
    // that waits for a decision, told at once (the job stays stuck until someone answers).
    assert.equal(fake.shown.length, 1, 'nothing at the first load but the run waiting for a decision');
    assert.match(fake.shown[0]!.message, / — Waiting for your decision: Bash `/);
    pauseOnError(target.id);
    await ext.hooks.services.store.refresh();
    const shown = fake.shown.filter((s) => s.message.includes('was paused after an error'));
    assert.equal(shown.length, 1);
    assert.equal(shown[0]!.message, `“${target.name}” was paused after an error: the environment was not found.`);
    assert.deepEqual(shown[0]!.items, ['Show', 'Open Failed Run', 'Edit Deployment']);
    await ext.hooks.services.store.refresh();
    assert.equal(fake.shown.filter((s) => s.message.includes('was paused after an error')).length, 1, 'not repeated');
  });

  test('Resume is offered when running again can help (a rate limit), and resumes the deployment', async () => {
    ext = await activateConnected(api, TOKEN);
    const [target] = healthyActive(ext, 1);
    pauseOnError(target!.id, 'session_rate_limited_error');
    fake.answers.push((s) => (s.message.includes('was paused after an error') ? 'Resume' : undefined));
    fake.answers.push('Resume'); // Resume may ask to confirm
    await ext.hooks.services.store.refresh();
    await until(() => api.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/${target!.id}/unpause`)), 'the resume request');
  });

  // D6 (issue 18): the row's run history was read before the failure; the load that found the
  // failure refreshed the deployment, never its runs, so the command answered from the old page.
  test('D6: Open Failed Run from the notification opens the newest run, although the run history was read before that run', async () => {
    ext = await activateConnected(api, TOKEN);
    const { runs } = ext.hooks.services;
    const [target] = healthyActive(ext, 1);
    await runs.ensure(target!.id);
    const before = runs.get(target!.id)!.runs.map((r) => r.id);
    const newest = api.account(TOKEN).fire(target!.id) as { id: string; session_id: string };
    assert.ok(newest.session_id, 'the new run started a session');
    assert.ok(!before.includes(newest.id));
    pauseOnError(target!.id);
    fake.answers.push((s) => (s.message.includes('was paused after an error') ? 'Open Failed Run' : undefined));
    await ext.hooks.services.store.refresh();
    await until(() => fake.executed.some((x) => x.command === 'qoder.openSession') || fake.shown.some((s) => s.message.includes('started a session')), 'Open Failed Run to answer');
    assert.equal(fake.shown.filter((s) => s.message.includes('None of the recent runs')).length, 0);
    const opened = fake.executed.find((x) => x.command === 'qoder.openSession')!;
    assert.equal((opened.args[0] as { run: { id: string } }).run.id, newest.id);
  });

  test('D6: a load that finds a deployment\'s last run moved makes its cached run history stale, so an expanded row reads the new run', async () => {
    ext = await activateConnected(api, TOKEN);
    const { runs, store } = ext.hooks.services;
    const [target] = healthyActive(ext, 1);
    await runs.ensure(target!.id);
    const newest = api.account(TOKEN).fire(target!.id) as { id: string };
    let changed = 0;
    runs.onDidChange((id) => void (id === target!.id && changed++));
    await store.refresh();
    assert.ok(changed > 0, 'the run history of the moved row was dropped (the tree asks again)');
    await runs.ensure(target!.id);
    assert.equal(runs.get(target!.id)!.runs[0]?.id, newest.id);
  });

  test('Open Failed Run opens the run that caused the pause: one that never started a session says its error in words (not an older session)', async () => {
    ext = await activateConnected(api, TOKEN);
    const [target] = healthyActive(ext, 1);
    const fired = api.account(TOKEN).fire(target!.id, { errorType: 'environment_not_found_error' }) as { id: string };
    invalidate(api.account(TOKEN).record(target!.id)!);
    let shownRun: { message: string } | undefined;
    fake.answers.push((s) => (s.message.includes('was paused after an error') ? 'Open Failed Run' : undefined));
    fake.answers.push((s) => {
      shownRun = s;
      return 'Show Run Details';
    });
    const opened = fake.opened.length;
    await ext.hooks.services.store.refresh();
    await until(() => shownRun !== undefined, 'the failed run in words');
    assert.match(shownRun!.message, new RegExp(`^The run of “${target!.name}” at .+ could not start: the environment was not found\\.$`));
    await until(() => fake.opened.length > opened, 'the run details');
    assert.match(fake.opened.at(-1)!.text, new RegExp(fired.id), 'the details of that very run');
    assert.ok(!fake.opened.slice(opened).some((d) => d.uri.startsWith('qoder-session:')), 'no older session opened instead');
  });

  test('Show reveals, selects and focuses the row, and announces it', async () => {
    ext = await activateConnected(api, TOKEN);
    const [target] = healthyActive(ext, 1);
    pauseOnError(target!.id);
    fake.answers.push((s) => (s.message.includes('was paused after an error') ? 'Show' : undefined));
    const view = fake.views.at(-1)!;
    const revealed: unknown[] = [];
    const reveal = view.reveal.bind(view);
    (view as { reveal: (node: unknown, options?: unknown) => Promise<void> }).reveal = (_node, options) => {
      revealed.push(options);
      return reveal();
    };
    await ext.hooks.services.store.refresh();
    await until(() => revealed.length > 0, 'the reveal');
    assert.deepEqual(revealed[0], { select: true, focus: true });
    await until(() => fake.announced.includes(`“${target!.name}” is selected in the Qoder Deployments view.`), 'the announcement');
  });

  test('more than three changes in one load make one grouped notification', async () => {
    ext = await activateConnected(api, TOKEN);
    const targets = healthyActive(ext, 4);
    assert.equal(targets.length, 4);
    for (const t of targets) pauseOnError(t.id, 'agent_archived_error');
    await ext.hooks.services.store.refresh();
    const relevant = fake.shown.filter((s) => /need attention|paused after an error/.test(s.message));
    assert.equal(relevant.length, 1);
    assert.match(relevant[0]!.message, /^4 deployments newly need attention: /);
    assert.deepEqual(relevant[0]!.items, ['Show']);
  });

  test('qoder.notifications = off: no notification', async () => {
    ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN, settings: { 'qoder.notifications': 'off' } });
    await ext.hooks.services.store.refresh();
    const [target] = healthyActive(ext, 1);
    pauseOnError(target!.id);
    await ext.hooks.services.store.refresh();
    assert.equal(fake.shown.filter((s) => s.message.includes('paused after an error')).length, 0);
  });

  test('the status bar says what it counts ($(warning) Qoder: N need attention) with the names, hides at 0 and when turned off, and opens the filtered view', async () => {
    ext = await activateConnected(api, TOKEN);
    const { store } = ext.hooks.services;
    const n = store.deployments.filter((d) => !d.archived_at && ((d.status === 'paused' && d.paused_reason?.type === 'error') || (d.stats?.consecutive_failures ?? 0) > 0)).length;
    const item = fake.statusItems[0];
    if (n > 0) {
      assert.equal(ext.hooks.statusBar.shownText, `$(warning) Qoder: ${n} need attention`);
      assert.equal(item.visible, true);
    } else assert.equal(ext.hooks.statusBar.shownText, undefined);
    pauseOnError(healthyActive(ext, 1)[0]!.id);
    await store.refresh();
    assert.equal(ext.hooks.statusBar.shownText, `$(warning) Qoder: ${n + 1} need attention`);
    assert.match(String((item.tooltip as { value: string }).value), /need(&nbsp;| )attention/);
    await cmd('qoder.showNeedsAttention');
    assert.deepEqual(ext.hooks.filter.current, { status: 'attention' });
    assert.ok(fake.executed.some((x) => x.command === 'qoder.deployments.focus'));
    fake.settings.global.set('qoder.attentionStatusBar', false);
    fake.configListeners.fire({ affectsConfiguration: (s: string) => 'qoder.attentionStatusBar'.startsWith(s) });
    assert.equal(item.visible, false);
  });
});

describe('one row changed in place', () => {
  test('an answer applied to one row updates the status bar, the view badge and notifies from that row alone: in, renamed, out', async () => {
    ext = await activateConnected(api, TOKEN);
    const { store } = ext.hooks.services;
    const n = store.deployments.filter((d) => !d.archived_at && ((d.status === 'paused' && d.paused_reason?.type === 'error') || (d.stats?.consecutive_failures ?? 0) > 0)).length;
    const [target] = healthyActive(ext, 1);
    assert.ok(target);
    const changes: Array<string | undefined> = [];
    store.onDidChange((id) => changes.push(id));
    store.replace(withState(target, 'paused', 0, 'environment_not_found_error'), store.ticket());
    assert.deepEqual(changes, [target.id], 'the store said: this row only');
    assert.equal(ext.hooks.statusBar.shownText, `$(warning) Qoder: ${n + 1} need attention`);
    assert.equal((ext.hooks.view as unknown as { badge?: { value: number } }).badge?.value, n + 1, 'the view badge counts it too');
    assert.ok(fake.shown.some((s) => s.message.includes(target.name) && /paused after an error/.test(s.message)), 'told once');
    store.replace({ ...withState(target, 'paused', 0, 'environment_not_found_error'), name: 'renamed-while-paused' }, store.ticket());
    assert.match(String((fake.statusItems[0].tooltip as { value: string }).value), /renamed\\-while\\-paused/);
    assert.equal(fake.shown.filter((s) => /paused after an error/.test(s.message)).length, 1, 'an unchanged problem is not told again');
    store.replace(withState(target, 'active', 0), store.ticket());
    assert.equal(ext.hooks.statusBar.shownText, n === 0 ? undefined : `$(warning) Qoder: ${n} need attention`);
    assert.equal((ext.hooks.view as unknown as { badge?: { value: number } }).badge?.value, n === 0 ? undefined : n);
  });
});

describe('background loads', () => {
  const original = window.createTreeView;
  afterEach(() => {
    window.createTreeView = original;
  });
  function hiddenView(): void {
    window.createTreeView = ((id: string, options: unknown) => {
      const v = original.call(window, id, options);
      v.visible = false;
      return v;
    }) as typeof window.createTreeView;
  }

  test('with a token and notifications on, a hidden view still gets a first load (the baseline) right after activation', async () => {
    hiddenView();
    api.resetRequests();
    ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN });
    await until(() => ext!.hooks.services.store.state === 'ready', 'the background load');
    assert.ok(api.requests.some((r) => r.path.endsWith('/deployments')));
    assert.equal(fake.shown.length, 0, 'the first load never notifies');
    assert.ok((ext.hooks.background.scheduledIn ?? 0) > 60_000, 'the next one waits the interval');
  });

  test('no request before a token exists, and none in the background when notifications are off', async () => {
    hiddenView();
    api.resetRequests();
    ext = await activateExtension({ baseUrl: api.baseUrl });
    assert.equal(ext.hooks.background.scheduledIn, undefined);
    ext.dispose();
    ext = await activateExtension({ baseUrl: api.baseUrl, token: TOKEN, settings: { 'qoder.notifications': 'off' } });
    assert.equal(ext.hooks.background.scheduledIn, undefined);
    assert.equal(api.requests.length, 0);
  });
});
