// The session report (issue 21 item 2): the document's Markdown rendered for the webview with
// markdown-it as VS Code's preview does (HTML on, linkify off), held to our own HTML; the page's
// CSP; which messages from the page count; when the view follows the tail; what an update posts.
// Hostile transcripts are the ones the session document's tests use (hostileSessions.ts).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { SessionEvent } from '../../src/api';
import { SessionTranscript } from '../../src/agentSessions/model/sessionTranscript';
import type { TranscriptHeader } from '../../src/agentSessions/model/transcriptSummary';
import { changedBlocks, createRenderer, followsTail, renderReport, reportMessage, REPORT_ACTIONS } from '../../src/agentSessions/model/reportHtml';
import { contentSecurityPolicy, reportShell } from '../../src/agentSessions/model/reportPage';
import { redactSecrets, rememberSecret } from '../../src/common/display';
import { HOSTILE, HOSTILE_LINKS } from './hostileSessions';

const md = createRenderer();
const HEADER: TranscriptHeader = {
  title: 'release-push · Jul 14, 2026, 8:30 AM',
  status: 'failed: the session ended after an unrecoverable error',
  live: undefined,
  agent: 'releaser (version 2)',
  environment: 'ci',
  started: 'Jul 14, 2026, 8:30 AM',
  duration: '12 s',
  credits: '0.4',
  sessionId: 'sess_01report0000000000000000000001',
};

let seq = 0;
function ev(type: string, fields: Record<string, unknown> = {}): SessionEvent {
  seq++;
  return { id: `evt_r${seq}`, type, processed_at: '2026-07-14T00:30:17Z', ...fields };
}

/** The whole report as the page would hold it. */
function page(markdown: string): string {
  const r = renderReport(md, markdown);
  return r.head + r.blocks.join('');
}

/** No live link (only in-page anchors), no image, no script or other active element, no event handler. */
function assertInert(html: string): void {
  for (const m of html.matchAll(/<a\b[^>]*>/gi)) assert.match(m[0], /^<a(?: href="#(?:step|turn|error)-\d+"| id="(?:step|error)-\d+")?>$/, `live link ${m[0]}`);
  assert.doesNotMatch(html, /<img\b/i, 'no image');
  assert.doesNotMatch(html, /<(script|iframe|svg|object|embed|form|input|style|link|meta|base)\b/i, 'no active element');
  assert.doesNotMatch(html, /<[a-z][^>]*\s(on\w+|src|srcset|style|action|formaction)\s*=/i, 'no event handler or source attribute');
}

function hostileTranscript(payload: string): SessionTranscript {
  const t = new SessionTranscript();
  t.add(ev('user.message', { content: [{ type: 'text', text: payload }] }));
  t.add(ev('agent.message', { content: [{ type: 'text', text: payload }] }));
  const use = ev('agent.tool_use', { name: payload, input: { command: payload } });
  t.add(use);
  t.add(ev('agent.tool_result', { tool_use_id: use.id, is_error: true, content: [{ type: 'text', text: payload }] }));
  const ok = ev('agent.tool_use', { name: 'Bash', input: { command: payload } });
  t.add(ok);
  t.add(ev('agent.tool_result', { tool_use_id: ok.id, is_error: false, content: [{ type: 'text', text: payload }] }));
  t.add(ev('session.error', { error: { type: payload, message: payload } }));
  t.add(ev(payload));
  return t;
}

describe('session report: hostile transcripts through the report renderer', () => {
  const hostileDeployments = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/hostile-deployments.json'), 'utf8')) as { data: { name: string; description: string }[] };
  const payloads = [...HOSTILE, ...HOSTILE_LINKS, ...hostileDeployments.data.flatMap((d) => [d.name, d.description])];

  for (const payload of payloads) {
    it(`${JSON.stringify(payload.slice(0, 40))} in every place of a transcript renders with no live link, image, script or handler`, () => {
      const t = hostileTranscript(payload);
      assertInert(page(t.markdown({ ...HEADER, title: payload, agent: payload, environment: payload })));
    });
  }

  it('raw HTML that imitates our own anchors and folds, with anything more, is shown as text', () => {
    const html = page('<a id="step-1" onclick="x"></a>\n\n<details open ontoggle="x"><summary>s</summary>\n\n</details>\n\n<a id="step-2"></a><img src=x>\n\n<a href="command:x" id="step-3"></a>');
    assertInert(html);
    assert.match(html, /&lt;a id=&quot;step-1&quot; onclick/);
    assert.match(html, /&lt;details open ontoggle/);
  });

  it('our own anchors, folds and the summary\'s in-page links are kept; any other link keeps its text only', () => {
    const html = page('# t\n\n**Failed step:** [Step 1 · Bash](#step-1)\n\n---\n\n<a id="step-1"></a>\n\n### Step 1 · Bash\n\n<details open><summary>✗ Bash failed · 1 line</summary>\n\n```text\nx\n```\n\n</details>\n\nSee [the PR](https://github.com/acme/widgets/pull/1), [mail](mailto:a@b.example), [blocked](#blocked:command:x).');
    assert.match(html, /<a href="#step-1">Step 1 · Bash<\/a>/);
    assert.match(html, /<a id="step-1"><\/a>/);
    assert.match(html, /<details open><summary>✗ Bash failed · 1 line<\/summary>\n<pre><code class="language-text">x\n<\/code><\/pre>\n<\/details>/);
    assert.match(html, /See <a>the PR<\/a>, <a>mail<\/a>, <a>blocked<\/a>\./);
    assert.doesNotMatch(html, /https:\/\/github|mailto:|command:/);
  });

  it('linkify is off: a bare address is text', () => {
    assert.doesNotMatch(page('see https://evil.example and www.evil.example'), /<a/);
  });

  it('the token is nowhere in the rendered report, in any case, whichever place of the transcript printed it', () => {
    const token = 'pt-Rep0rtS3cret_WWW*Token[9]';
    rememberSecret(token);
    for (const variant of [token, token.toUpperCase(), token.slice(3)]) {
      const t = hostileTranscript(`use ${variant} now`);
      const html = page(redactSecrets(t.markdown({ ...HEADER, title: variant })));
      const text = html.replace(/<[^>]*>/g, '').replace(/\\|\u200d/g, '').toLowerCase();
      for (let i = 0; i + 8 <= token.length - 3; i++) assert.ok(!text.includes(token.slice(3 + i, 11 + i).toLowerCase()), `part of the token in ${variant}`);
    }
  });
});

describe('session report: the first screen', () => {
  it('a terminated run: the summary (head) comes first and holds the outcome, the error in words and links to the error and the failing step', () => {
    const t = new SessionTranscript();
    t.add(ev('user.message', { content: [{ type: 'text', text: 'Push the release.' }] }));
    for (let i = 0; i < 200; i++) t.add(ev('agent.message', { content: [{ type: 'text', text: `working ${i}` }] }));
    const use = ev('agent.tool_use', { name: 'Bash', input: { command: 'git push' } });
    t.add(use);
    t.add(ev('agent.tool_result', { tool_use_id: use.id, is_error: true, content: [{ type: 'text', text: 'remote: Permission denied' }] }));
    t.add(ev('session.error', { error: { type: 'unknown_error', message: 'The push failed.' } }));
    t.add(ev('session.status_terminated'));
    const { head, blocks } = renderReport(md, t.markdown(HEADER));
    assert.match(head, /^<h1>release-push · Jul 14, 2026, 8:30 AM<\/h1>/);
    assert.match(head, /<strong>Status:<\/strong> failed: the session ended after an unrecoverable error/);
    assert.match(head, /<strong>Error:<\/strong> <a href="#error-1">an unknown error<\/a>: The push failed\./);
    assert.match(head, /<strong>Failed step:<\/strong> <a href="#step-1">Step 1 · Bash<\/a>: remote: Permission denied/);
    assert.match(head, /<strong>Tool errors:<\/strong> 1/);
    assert.ok(blocks.length > 200, 'the transcript follows, block by block');
    assert.ok(blocks.some((b) => b.includes('<a id="step-1"></a>')) && blocks.some((b) => b.includes('<a id="error-1"></a>')), 'the links lead somewhere');
  });
});

describe('session report: messages from the page', () => {
  it('only "ready" and the known actions count; a command name, a script or anything else is dropped', () => {
    assert.deepEqual(reportMessage({ type: 'ready' }), { type: 'ready' });
    for (const action of REPORT_ACTIONS) assert.deepEqual(reportMessage({ type: 'action', action }), { type: 'action', action });
    for (const m of [
      undefined, null, 'stop', 42, [], {},
      { type: 'action', action: 'qoder.clearToken' },
      { type: 'action', action: 'workbench.action.terminal.new' },
      { type: 'action', action: ['stop'] },
      { type: 'action', action: 'toString' },
      { type: 'action', action: '__proto__' },
      { type: 'command', command: 'qoder.cancelSession' },
      { type: 'open', href: 'command:qoder.clearToken' },
    ]) assert.equal(reportMessage(m), undefined, JSON.stringify(m));
  });
});

describe('session report: following the tail', () => {
  it('at the bottom, or within 40 px of it, the view follows; scrolled further up it stays', () => {
    assert.equal(followsTail(600, 400, 1000), true, 'at the bottom');
    assert.equal(followsTail(560, 400, 1000), true, '40 px above');
    assert.equal(followsTail(559, 400, 1000), false, '41 px above');
    assert.equal(followsTail(0, 400, 5000), false, 'at the top of a long report');
    assert.equal(followsTail(0, 800, 500), true, 'all of it fits');
  });

  it('an update posts the blocks from the first one that changed, nothing when none did', () => {
    assert.deepEqual(changedBlocks(['a', 'b'], ['a', 'b', 'c']), { from: 2, blocks: ['c'] });
    assert.deepEqual(changedBlocks(['a', 'b'], ['a', 'B', 'c']), { from: 1, blocks: ['B', 'c'] });
    assert.deepEqual(changedBlocks(['a', 'b', 'c'], ['a', 'b']), { from: 2, blocks: [] });
    assert.equal(changedBlocks(['a'], ['a']), undefined);
    assert.deepEqual(changedBlocks([], ['a']), { from: 0, blocks: ['a'] });
  });

  it('a live run growing by one event changes only its last blocks', () => {
    const t = new SessionTranscript();
    t.add(ev('user.message', { content: [{ type: 'text', text: 'go' }] }));
    for (let i = 0; i < 50; i++) t.add(ev('agent.message', { content: [{ type: 'text', text: `step ${i}` }] }));
    const before = renderReport(md, t.markdown({ ...HEADER, live: 'live' })).blocks;
    t.add(ev('agent.message', { content: [{ type: 'text', text: 'one more' }] }));
    const change = changedBlocks(before, renderReport(md, t.markdown({ ...HEADER, live: 'live', duration: '13 s' })).blocks);
    assert.ok(change && change.from >= before.length - 1 && change.blocks.length <= 2, JSON.stringify(change));
  });
});

describe('session report: the page', () => {
  const shell = reportShell({
    cspSource: 'https://x.vscode-cdn.net',
    nonce: 'n0nce',
    lang: 'en',
    words: { toolbar: 'Session actions', stop: 'Stop Run', send: 'Send Message…', review: 'Review', allow: 'Allow', deny: 'Deny…', markdown: 'Open as Markdown', jump: 'Jump to latest', loading: 'Loading…' },
  });

  it('a strict CSP: nothing by default, styles from the webview or by nonce, scripts by nonce only, images from the webview only', () => {
    const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'n0nce');
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /script-src 'nonce-n0nce'(;|$)/);
    assert.match(csp, /style-src https:\/\/x\.vscode-cdn\.net 'nonce-n0nce'(;|$)/);
    assert.match(csp, /img-src https:\/\/x\.vscode-cdn\.net(;|$)/);
    assert.doesNotMatch(csp, /unsafe|data:|http:|\*/);
    assert.ok(shell.includes(`content="${csp}"`));
    for (const m of shell.matchAll(/<(script|style)\b[^>]*>/g)) assert.match(m[0], /nonce="n0nce"/);
  });

  it('the actions are real buttons with their names; Stop Run waits for a live run, Review / Allow / Deny… for a decision', () => {
    // The accessible name: the button's text without what is hidden from screen readers (the arrow).
    const buttons = [...shell.matchAll(/<button type="button"([^>]*)>(.*?)<\/button>/g)].map((m) => [m[2]!.replace(/<span aria-hidden="true">.*?<\/span>/g, '').trim(), /data-when="(\w+)"/.exec(m[1]!)?.[1] ?? 'always']);
    assert.deepEqual(buttons, [['Stop Run', 'running'], ['Review', 'waiting'], ['Allow', 'waiting'], ['Deny…', 'waiting'], ['Send Message…', 'always'], ['Open as Markdown', 'always'], ['Jump to latest', 'always']]);
    assert.match(shell, /<div id="toolbar" role="toolbar" aria-label="Session actions">/);
  });

  it('the page script carries the tested tail rule and the in-page anchor test, and strips links again', () => {
    assert.ok(shell.includes(followsTail.toString()));
    assert.match(shell, /removeAttribute\('href'\)/);
  });
});
