// Talking back to a session: the pending-decision algorithm, the payloads of the events we send
// (exactly the reference's fixtures), the no-resend rule, the download without our token, and
// the credits and verdict wording in English and Chinese. Fixtures: test/fixtures/interaction/.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { QoderApiError, QoderError, type SessionEvent } from '../../src/api';
import { customToolError, parseFile, toolConfirmation, userInterrupt, userMessage } from '../../src/api/interaction';
import { SessionActions } from '../../src/api/sessionActions';
import { creditsOverRunsText, creditsText, verdictText } from '../../src/agentSessions/model/outcomeText';
import {
  findSentMessage,
  fullInputText,
  isAnswerable,
  pendingState,
  sendMessageOnce,
  waitingText,
  type MessageSender,
} from '../../src/agentSessions/model/pending';
import { json, makeClient, rejection, response, TOKEN } from './client-fakes';

const DIR = path.resolve(__dirname, '../fixtures/interaction');
const fx = <T = Record<string, unknown>>(name: string): T => JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8')) as T;
const SESSION = 'sess_019f0c3d7a1e7b2c9d4e5f60718293a4';

function page(): SessionEvent[] {
  return fx<{ data: SessionEvent[] }>('events-list-page-requires-action.json').data;
}
const idle = (ids: string[], id = 'evt_idle2'): SessionEvent => ({ id, type: 'session.status_idle', stop_reason: { type: 'requires_action', event_ids: ids } });
const bash = (id: string, command: string): SessionEvent => ({ id, type: 'agent.tool_use', name: 'Bash', input: { command }, evaluated_permission: 'ask' });
const confirm = (id: string, result: 'allow' | 'deny'): SessionEvent => ({ id: `echo-${id}`, type: 'user.tool_confirmation', tool_use_id: id, result });

describe('pending decision (only the last session.status_idle with requires_action says waiting)', () => {
  it('one id: the documented turn waits for the one Bash call, with its exact input', () => {
    const state = pendingState(page());
    assert.ok(state);
    assert.equal(state.calls.length, 1);
    const call = state.calls[0]!;
    assert.equal(call.id, 'evt_019f0c3d95a27055e6f708192a3b4c56');
    assert.equal(call.kind, 'tool');
    assert.equal(call.name, 'Bash');
    assert.equal(fullInputText(call), 'gh pr create --repo acme/widgets --base main --head triage/2026-07-14 --title "Weekly triage labels" --body-file /data/triage.md');
  });

  it('two ids: both calls pending, in the order of event_ids', () => {
    const events = [bash('evt_a', 'rm -rf build/'), bash('evt_b', 'npm publish'), idle(['evt_b', 'evt_a'])];
    assert.deepEqual(pendingState(events)?.calls.map((c) => c.id), ['evt_b', 'evt_a']);
  });

  it('an earlier requires_action does not count once a later idle ended the turn normally', () => {
    const events = [bash('evt_a', 'x'), idle(['evt_a'], 'evt_i1'), confirm('evt_a', 'allow'), { id: 'r', type: 'session.status_running' }, { id: 'evt_i2', type: 'session.status_idle', stop_reason: { type: 'end_turn' } }];
    assert.equal(pendingState(events), undefined);
  });

  it('nothing is pending while the session runs again after the idle', () => {
    assert.equal(pendingState([bash('evt_a', 'x'), idle(['evt_a']), { id: 'r', type: 'session.status_running' }]), undefined);
  });

  it('answered partly: the echoed confirmation removes its id; the re-emitted idle with the remainder wins', () => {
    const first = [bash('evt_a', 'rm -rf build/'), bash('evt_b', 'npm publish'), idle(['evt_a', 'evt_b'], 'evt_i1'), confirm('evt_a', 'allow')];
    assert.deepEqual(pendingState(first)?.calls.map((c) => c.id), ['evt_b']);
    const reemitted = [...first, idle(['evt_b'], 'evt_i2')];
    const state = pendingState(reemitted);
    assert.deepEqual(state?.calls.map((c) => c.id), ['evt_b']);
    assert.equal(state?.idleEventId, 'evt_i2');
    assert.equal(isAnswerable(state, 'evt_a'), false);
    assert.equal(isAnswerable(state, 'evt_b'), true);
  });

  it('all answered: nothing pending although the idle event still names them', () => {
    assert.equal(pendingState([bash('evt_a', 'x'), idle(['evt_a']), confirm('evt_a', 'deny')]), undefined);
  });

  it('a custom tool use is pending as kind "custom" and is answered with user.custom_tool_result', () => {
    const custom = fx<SessionEvent>('event-agent-custom-tool-use.json');
    const state = pendingState([custom, idle([custom.id])]);
    assert.equal(state?.calls[0]?.kind, 'custom');
    assert.equal(state?.calls[0]?.name, 'lookup_customer_tier');
    const answered = [custom, idle([custom.id]), { id: 'e', type: 'user.custom_tool_result', custom_tool_use_id: custom.id }];
    assert.equal(pendingState(answered), undefined);
  });

  it('an id whose event is not among the events is kept as "unknown" (shown raw, not dropped)', () => {
    const state = pendingState([idle(['evt_missing'])]);
    assert.equal(state?.calls[0]?.kind, 'unknown');
  });

  it('a stale id after a 4xx: the re-read events no longer list it, so it is not answerable', () => {
    const before = pendingState([bash('evt_a', 'x'), bash('evt_b', 'y'), idle(['evt_a', 'evt_b'], 'evt_i1')]);
    assert.equal(isAnswerable(before, 'evt_a'), true);
    // Someone answered evt_a elsewhere; our confirmation got a 409. The re-read history:
    const reread = [bash('evt_a', 'x'), bash('evt_b', 'y'), idle(['evt_a', 'evt_b'], 'evt_i1'), confirm('evt_a', 'allow'), idle(['evt_b'], 'evt_i2')];
    const after = pendingState(reread);
    assert.equal(isAnswerable(after, 'evt_a'), false);
    assert.deepEqual(after?.calls.map((c) => c.id), ['evt_b']);
  });

  it('says "Waiting for your decision: Bash `rm -rf build/`" with the input redacted', () => {
    const state = pendingState([bash('evt_a', 'rm -rf build/'), idle(['evt_a'])])!;
    assert.equal(waitingText(state, (t) => t), 'Waiting for your decision: Bash `rm -rf build/`');
    const secret = pendingState([bash('evt_a', `curl -H "Authorization: Bearer ${TOKEN}"`), idle(['evt_a'])])!;
    const shown = waitingText(secret, (t) => t.split(TOKEN).join('***'));
    assert.ok(!shown.includes(TOKEN));
    const two = pendingState([bash('evt_a', 'a'), bash('evt_b', 'b'), idle(['evt_a', 'evt_b'])])!;
    assert.equal(waitingText(two, (t) => t), 'Waiting for your decision: Bash `a` and 1 more');
  });
});

describe('event payloads (exactly as the reference shows them)', () => {
  it('user.message is one text block, never a plain string', () => {
    const want = fx<{ events: unknown[] }>('send-events-request-user-message.json').events[0];
    assert.deepEqual(userMessage('Help me analyze the performance of this code.'), want);
    assert.throws(() => userMessage('   '), (e: unknown) => e instanceof QoderError && e.kind === 'config');
  });

  it('user.interrupt has only its type', () => {
    assert.deepEqual(userInterrupt(), fx<{ events: unknown[] }>('send-events-request-interrupt.json').events[0]);
  });

  it('user.tool_confirmation allow and deny (with deny_message) match the fixtures', () => {
    const allow = fx<{ events: Record<string, unknown>[] }>('send-events-request-tool-confirmation-allow.json').events[0]!;
    const deny = fx<{ events: Record<string, unknown>[] }>('send-events-request-tool-confirmation-deny.json').events[0]!;
    assert.deepEqual(toolConfirmation(allow.tool_use_id as string, 'allow'), allow);
    assert.deepEqual(toolConfirmation(deny.tool_use_id as string, 'deny', deny.deny_message as string), deny);
  });

  it('deny_message is never sent with allow, and a blank reason is left out', () => {
    assert.throws(() => toolConfirmation('evt_1', 'allow', 'because'), (e: unknown) => e instanceof QoderError && e.kind === 'config');
    assert.deepEqual(toolConfirmation('evt_1', 'deny', '  '), { type: 'user.tool_confirmation', tool_use_id: 'evt_1', result: 'deny' });
  });

  it('user.custom_tool_result for a tool we cannot run is an error result', () => {
    assert.deepEqual(customToolError('evt_c', 'cannot run'), { type: 'user.custom_tool_result', custom_tool_use_id: 'evt_c', content: [{ type: 'text', text: 'cannot run' }], is_error: true });
  });

  it('the client posts {"events":[…]} with the token to the API, and parses the accepted echo', async () => {
    const { client, calls } = makeClient([json(fx('send-events-response-user-message.json'), 202)]);
    const accepted = await new SessionActions(client).sendSessionEvents(SESSION, [userMessage('Help me analyze the performance of this code.')]);
    assert.equal(accepted[0]?.id, 'evt_019e3bb2c153764da54e4d3acbef52b6');
    const call = calls[0]!;
    assert.equal(call.init.method, 'POST');
    assert.equal(call.parsed.pathname, `/api/v1/cloud/sessions/${SESSION}/events`);
    assert.deepEqual(JSON.parse(call.init.body!), fx('send-events-request-user-message.json'));
    assert.equal(call.init.headers.Authorization, `Bearer ${TOKEN}`);
    assert.match(call.init.headers['Idempotency-Key'] ?? '', /^[0-9a-f-]{36}$/);
  });

  it('several events are sent together only when all are confirmations', async () => {
    const { client, calls } = makeClient([json({ data: [] }, 202)]);
    await assert.rejects(new SessionActions(client).sendSessionEvents(SESSION, [userMessage('a'), userInterrupt()]), (e: unknown) => e instanceof QoderError && e.kind === 'config');
    assert.equal(calls.length, 0);
  });
});

describe('no automatic resend of a message (§2.5)', () => {
  const echo = (id: string, text: string): SessionEvent => ({ id, type: 'user.message', content: [{ type: 'text', text }] });

  function sender(opts: { send: () => Promise<SessionEvent[]>; recent: SessionEvent[][] }): MessageSender & { sends: number } {
    let reads = 0;
    const s = {
      sends: 0,
      send: async () => {
        s.sends++;
        return opts.send();
      },
      recentMessages: async () => opts.recent[Math.min(reads++, opts.recent.length - 1)] ?? [],
    };
    return s;
  }

  it('a timeout is not resent: the message found in the events counts as sent', async () => {
    const s = sender({ send: async () => Promise.reject(new QoderError('timeout', 'timed out')), recent: [[echo('old', 'hi')], [echo('new', 'hi'), echo('old', 'hi')]] });
    const result = await sendMessageOnce(s, 'hi');
    assert.equal(result.kind, 'found');
    assert.equal(result.kind === 'found' && result.event.id, 'new');
    assert.equal(s.sends, 1);
  });

  it('a 5xx whose message is not in the events is "unknown": the caller asks, nothing is resent', async () => {
    const s = sender({ send: async () => Promise.reject(new QoderApiError({ status: 502, type: 'http_502', message: 'bad gateway' })), recent: [[echo('old', 'hi')]] });
    const result = await sendMessageOnce(s, 'hi');
    assert.equal(result.kind, 'unknown');
    assert.equal(s.sends, 1);
  });

  it('a 4xx is a plain failure (the server refused it; nothing to look for)', async () => {
    const s = sender({ send: async () => Promise.reject(new QoderApiError({ status: 409, type: 'conflict_error', message: 'busy' })), recent: [[]] });
    assert.equal((await sendMessageOnce(s, 'hi')).kind, 'failed');
  });

  it('an older identical message does not count as this one', () => {
    assert.equal(findSentMessage([echo('old', 'hi')], 'hi', new Set(['old'])), undefined);
  });

  it('the HTTP layer itself never retries the POST after a 5xx or a timeout', async () => {
    const { client, calls } = makeClient([json({ type: 'error', error: { type: 'api_error', message: 'x' } }, 500)]);
    await rejection(new SessionActions(client).sendSessionEvents(SESSION, [userMessage('hi')]));
    assert.equal(calls.length, 1);
  });
});

describe('download without the token (§4.5)', () => {
  const FILE = 'file_019e3bb8c1387743bf4ef115aae5acb1';

  it('mints a link with the token, then fetches the storage URL without any Authorization header', async () => {
    const { client, calls } = makeClient([json(fx('file-content-link.json')), response({ status: 200, body: 'hello', headers: { 'content-type': 'text/plain' } })]);
    const d = await new SessionActions(client).downloadFile(FILE);
    assert.equal(d.bytes.toString(), 'hello');
    assert.equal(calls[0]!.init.headers.Authorization, `Bearer ${TOKEN}`);
    assert.equal(calls[1]!.url, 'https://storage.qoder.com/files/...');
    assert.equal(Object.keys(calls[1]!.init.headers).some((h) => h.toLowerCase() === 'authorization'), false);
    assert.ok(!JSON.stringify(calls[1]!.init).includes(TOKEN));
  });

  it('a 302 link is read, not followed with the token to the storage host', async () => {
    const legacy = fx<{ url: string }>('file-content-link-legacy-302.json');
    const { client, calls } = makeClient([json(legacy, 302, { location: legacy.url }), response({ status: 200, body: 'x' })]);
    const d = await new SessionActions(client).downloadFile(FILE);
    assert.equal(d.link.httpStatus, 302);
    assert.equal(calls.length, 2);
    assert.equal(new URL(calls[1]!.url).host, 'qoder-cloud-agents-storage-test.oss-ap-southeast-1-internal.aliyuncs.com');
    assert.equal(calls[1]!.init.headers.Authorization, undefined);
  });

  it('an expired link (403 from storage) is minted again once', async () => {
    const { client, calls } = makeClient([json(fx('file-content-link.json')), response({ status: 403, body: 'Request has expired' }), json(fx('file-content-link.json')), response({ status: 200, body: 'ok' })]);
    const d = await new SessionActions(client).downloadFile(FILE);
    assert.equal(d.bytes.toString(), 'ok');
    assert.deepEqual(calls.map((c) => c.parsed.host), ['api.qoder.com', 'storage.qoder.com', 'api.qoder.com', 'storage.qoder.com']);
  });

  it('refuses a plain-http link to a non-loopback host', async () => {
    const { client, calls } = makeClient([json({ url: 'http://storage.example.com/f', expires_at: null })]);
    await assert.rejects(new SessionActions(client).downloadFile(FILE), (e: unknown) => e instanceof QoderError && e.kind === 'invalid_response');
    assert.equal(calls.length, 1);
  });

  it('parses the File object, and the [old] shape with file_id/purpose', () => {
    const f = parseFile(fx('file-get.json'));
    assert.equal(f.filename, 'qoder-test-upload.txt');
    assert.equal(f.scope_id, 'sess_019e3bb8e6c47d18');
    assert.equal(f.downloadable, true);
    const old = parseFile({ file_id: 'file_abc123', purpose: 'tool_output', filename: 'a.txt' });
    assert.equal(old.id, 'file_abc123');
    assert.equal(old.downloadable, true);
  });
});

describe('credits and verdict wording', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('English', () => {
    assert.equal(creditsText(1.849), '1.84 credits');
    assert.equal(creditsText(1), '1 credit');
    assert.equal(creditsOverRunsText(12.5, 8), '12.5 credits over the last 8 runs');
    assert.equal(verdictText('satisfied'), '✓ satisfied');
    assert.equal(verdictText('needs_revision'), '↻ needs revision');
    assert.equal(verdictText('max_iterations_reached'), '✗ max iterations reached');
    assert.equal(verdictText('interrupted'), '■ interrupted');
    assert.equal(verdictText('failed'), '✗ failed');
  });

  it('Chinese (zh-cn bundle)', () => {
    const bundle = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    l10n.config({ contents: bundle });
    assert.equal(creditsText(1.84), '1.84 积分');
    assert.equal(creditsOverRunsText(12.5, 8), '最近 8 次运行共 12.5 积分');
    assert.equal(verdictText('satisfied'), '✓ 已满足');
    assert.equal(verdictText('needs_revision'), '↻ 需要修改');
    assert.equal(verdictText('failed'), '✗ 未通过');
    assert.equal(verdictText('max_iterations_reached'), '✗ 已达最大迭代次数');
    assert.equal(verdictText('interrupted'), '■ 已中断');
  });
});
