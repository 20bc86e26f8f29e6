// The session document (SessionTranscript): header, transcript layout, folding, bounds, and
// hostile content rendered through markdown-it the way VS Code's preview does (HTML and
// linkify on): nothing from a tool may become a link, an image, HTML or a command.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import type { SessionEvent } from '../../src/api';
import { failureLines, SessionTranscript, writeWholeTranscript } from '../../src/agentSessions/model/sessionTranscript';
import { codeBlock, codeSpan, demoteHeadings, escapeMarkdownText } from '../../src/agentSessions/model/safeMarkdown';
import { MAX_BODY_CHARS } from '../../src/agentSessions/model/transcriptBody';
import { cutLines, toolInputSummary } from '../../src/agentSessions/model/transcriptEvents';
import type { TranscriptHeader } from '../../src/agentSessions/model/transcriptSummary';
import { displayMultiline, redactSecrets, rememberSecret } from '../../src/common/display';
import { HOSTILE, HOSTILE_LINKS } from './hostileSessions';
import { errorTypeText, shortErrorTypeText } from '../../src/common/errorTypes';

const DIR = path.resolve(__dirname, '../fixtures/sessions');
const md = new MarkdownIt({ html: true, linkify: true });

const HEADER: TranscriptHeader = {
  title: 'issue-triage-weekdays · Jul 14, 2026, 8:30 AM',
  status: 'done',
  live: undefined,
  agent: 'widgets-maintainer (v3)',
  environment: 'widgets-ci',
  started: 'Jul 14, 2026, 8:30 AM',
  duration: '35 s',
  credits: '0.57',
  sessionId: 'sess_019f0aa1e8027b5fa1c64d9e3b0a8f12',
};

function fixtureEvents(): SessionEvent[] {
  const page = (n: string): SessionEvent[] => (JSON.parse(fs.readFileSync(path.join(DIR, n), 'utf8')) as { data: SessionEvent[] }).data;
  return [...page('events-list-page.json'), ...page('events-list-page-2.json')];
}

let seq = 0;
function ev(type: string, fields: Record<string, unknown> = {}): SessionEvent {
  seq++;
  return { id: `evt_t${seq}`, type, processed_at: '2026-07-14T00:30:17Z', ...fields };
}

function html(t: SessionTranscript, header = HEADER): string {
  return md.render(t.markdown(header));
}

function assertInert(rendered: string): void {
  // The document's own anchors and the summary's links to them (`#step-7`, `#error-1`) are the only links allowed.
  rendered = rendered.replace(/<a id="(step|error)-\d+"><\/a>/g, '').replace(/<a href="#(step|error)-\d+">(.*?)<\/a>/g, '$2');
  assert.doesNotMatch(rendered, /<a\b/i, 'no link');
  assert.doesNotMatch(rendered, /<img\b/i, 'no image');
  assert.doesNotMatch(rendered, /<(script|iframe|svg|object|embed|form|input)\b/i, 'no active HTML');
  assert.doesNotMatch(rendered, /<[a-z][^>]*\s(href|src|on\w+)=/i, 'no tag with href/src/event attributes');
}

describe('session document: layout', () => {
  it('the fixture session reads as a header, the prompt, compact tool lines, a folded result and the report', () => {
    const t = new SessionTranscript();
    for (const e of fixtureEvents()) t.add(e);
    const text = t.markdown(HEADER);
    assert.match(text, /^# issue-triage-weekdays · Jul 14, 2026, 8:30 AM\n/);
    for (const label of ['Status', 'Agent', 'Environment', 'Started', 'Duration', 'Credits']) assert.match(text, new RegExp(`\\*\\*${label}:\\*\\*`));
    assert.match(text, /> Triage the issues opened since the previous run/);
    assert.match(text, /\*\*Bash:\*\* `curl -s 'https:\/\/api\.github\.com\/repos\/acme\/widgets\/issues\?state=open/);
    assert.match(text, /<details><summary>result · 3 lines<\/summary>/);
    assert.match(text, /- #412 Crash when exporting CSV with empty rows/, 'agent message as written');
    assert.match(text, /\*thinking…\*/);
    assert.equal(t.end, 'turn');
    assert.equal(t.creditsFromSpans, 0.57);
    assert.equal(t.size, 11);
  });

  it('a replayed event is not added twice', () => {
    const t = new SessionTranscript();
    const [first] = fixtureEvents();
    assert.equal(t.add(first!), true);
    assert.equal(t.add({ ...first! }), false);
    assert.equal(t.size, 1);
  });

  it('tool output is cut to 40 lines with "N more lines"', () => {
    const t = new SessionTranscript();
    const use = ev('agent.tool_use', { name: 'Read', input: { file_path: '/w/a.ts' } });
    t.add(use);
    t.add(ev('agent.tool_result', { tool_use_id: use.id, is_error: false, content: [{ type: 'text', text: Array.from({ length: 64 }, (_, i) => `line ${i + 1}`).join('\n') }] }));
    const text = t.markdown(HEADER);
    assert.match(text, /line 40\n/);
    assert.doesNotMatch(text, /line 41/);
    assert.match(text, /24 more lines/);
    assert.match(text, /result · 64 lines/);
    assert.match(text, /\*\*Read:\*\* `\/w\/a\.ts`/);
  });

  it('errors stand out: a failed tool result is open and flagged, a session.error is a quoted error', () => {
    const t = new SessionTranscript();
    const use = ev('agent.tool_use', { name: 'WebFetch', input: { url: 'https://example.com/x' } });
    t.add(use);
    t.add(ev('agent.tool_result', { tool_use_id: use.id, is_error: true, content: [{ type: 'text', text: '403 rate limit' }] }));
    t.add(ev('session.error', { error: { type: 'model_request_failed_error', message: 'The model request failed.' } }));
    t.add(ev('session.status_terminated'));
    const text = t.markdown(HEADER);
    assert.match(text, /> \*\*✗ WebFetch failed · 1 line\*\*/);
    assert.match(text, /<details open>/);
    assert.match(text, /> \*\*✗ Error\*\* `model_request_failed_error`/);
    assert.match(text, /✗ terminated/);
    assert.equal(t.end, 'final');
  });

  it('thinking is a marker only, and cancel shows as cancelled', () => {
    const t = new SessionTranscript();
    t.add(ev('agent.thinking', { content: 'secret reasoning that must not show' }));
    t.add(ev('session.status_idle', { stop_reason: { type: 'cancelled' } }));
    const text = t.markdown(HEADER);
    assert.doesNotMatch(text, /secret reasoning/);
    assert.match(text, /■ cancelled/);
    assert.equal(t.lastStopReason, 'cancelled');
  });

  it('the header says live, reconnecting… or cancelling…', () => {
    const t = new SessionTranscript();
    assert.match(t.markdown({ ...HEADER, live: 'live' }), /\*\*Status:\*\* done · \*live\*/);
    assert.match(t.markdown({ ...HEADER, live: 'reconnecting' }), /reconnecting…/);
    assert.match(t.markdown({ ...HEADER, live: 'cancelling' }), /cancelling…/);
  });

  it('summarises tool inputs by their telling field', () => {
    assert.equal(toolInputSummary('Bash', { command: 'git status --short' }), 'git status --short');
    assert.equal(toolInputSummary('Grep', { pattern: 'TODO', path: 'src' }), 'TODO (src)');
    assert.equal(toolInputSummary('Mystery', { a: 1 }), '{"a":1}');
    assert.equal(toolInputSummary('Bash', { command: 'x'.repeat(500) }).length, 201);
  });
});

describe('session document: hostile content', () => {
  for (const payload of HOSTILE) {
    it(`tool output ${JSON.stringify(payload.slice(0, 40))} stays text`, () => {
      const t = new SessionTranscript();
      const use = ev('agent.tool_use', { name: 'Bash', input: { command: payload } });
      t.add(use);
      t.add(ev('agent.tool_result', { tool_use_id: use.id, is_error: false, content: [{ type: 'text', text: payload }] }));
      t.add(ev('agent.tool_result', { tool_use_id: use.id, is_error: true, content: [{ type: 'text', text: payload }] }));
      t.add(ev('session.error', { error: { type: payload, message: payload } }));
      t.add(ev('user.message', { content: [{ type: 'text', text: payload }] }));
      t.add(ev(payload));
      const rendered = html(t, { ...HEADER, title: payload, agent: payload, environment: payload });
      assertInert(rendered);
      assert.doesNotMatch(t.markdown(HEADER), /[\u202a-\u202e]/);
    });
  }

  it('a tool named with HTML cannot open a tag in the summary', () => {
    const t = new SessionTranscript();
    const use = ev('agent.tool_use', { name: '<img src=x onerror=alert(1)>', input: {} });
    t.add(use);
    t.add(ev('agent.tool_result', { tool_use_id: use.id, is_error: true, content: [{ type: 'text', text: 'x' }] }));
    assertInert(html(t));
  });

  it('agent Markdown keeps headings (demoted below the steps) and tables but not HTML or command/file/data links', () => {
    const t = new SessionTranscript();
    t.add(ev('agent.message', { content: [{ type: 'text', text: '## Report\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[run](command:qoder.clearToken) [f](file:///etc/passwd) ![d](data:image/png;base64,xx) <img src=x onerror=alert(1)> <a href="command:x">y</a>' }] }));
    const rendered = html(t);
    assert.match(rendered, /<h5>Report<\/h5>/, "kept, two levels below the step headings");
    assert.match(rendered, /<table>/);
    assert.doesNotMatch(rendered, /href="(command|file|data):/i);
    assert.doesNotMatch(rendered, /src="(data|command|file):/i);
    assert.doesNotMatch(rendered, /<img src=x|<a href="command/i);
  });

  it('escaping helpers: text, code span and block survive their own delimiters', () => {
    assert.equal(md.renderInline(escapeMarkdownText('*a* [b](c) <i>')), '*a* [b](c) &lt;i&gt;');
    assert.equal(md.renderInline(codeSpan('a `b` c')), '<code>a `b` c</code>');
    assert.match(md.render(codeBlock('```\n# not a heading\n```')), /<pre><code class="language-text">```\n# not a heading\n```\n<\/code><\/pre>/);
  });

  it('memory stays bounded: a 10,000-line output keeps 40 lines', () => {
    const t = new SessionTranscript();
    const use = ev('agent.tool_use', { name: 'Bash', input: { command: 'yes' } });
    t.add(use);
    t.add(ev('agent.tool_result', { tool_use_id: use.id, is_error: false, content: [{ type: 'text', text: 'y\n'.repeat(10_000) }] }));
    assert.ok(t.markdown(HEADER).length < 2_000);
  });
});

describe('session document: issue 19 items 6 and 7', () => {
  // A token whose escaping would split it: `_` becomes `\_`, `WWW` gets a zero-width joiner.
  const TOKEN = 'pt-Qw3rtyWWW_Zx9*Lm8[Pq7]Rs6';
  const BARE = TOKEN.slice(3);
  rememberSecret(TOKEN);

  /** No 8 characters of the token in a row, in the Markdown (after the document's own last pass) or in what it renders to. */
  function assertNoToken(markdown: string): void {
    const shown = redactSecrets(markdown);
    const rendered = md.render(shown).replace(/<[^>]*>/g, '').replace(/\u200d/g, '');
    for (let i = 0; i + 8 <= BARE.length; i++) {
      const part = BARE.slice(i, i + 8);
      for (const text of [shown.replace(/\\/g, '').replace(/\u200d/g, ''), rendered]) {
        assert.ok(!text.includes(part), `"${part}" of the token is visible`);
      }
    }
  }

  it('item 6: the token in the prompt, a session.error message, a tool name and input, tool output and a cut agent message is redacted before escaping or cutting', () => {
    const t = new SessionTranscript();
    t.add(ev('user.message', { content: [{ type: 'text', text: `use ${TOKEN} please` }] }));
    t.add(ev('session.error', { error: { type: 'x', message: `auth with ${TOKEN} failed` } }));
    const use = ev('agent.tool_use', { name: `Tool_${TOKEN}`, input: { command: `${'a'.repeat(190)}${TOKEN}` } });
    t.add(use);
    t.add(ev('agent.tool_result', { tool_use_id: use.id, is_error: true, content: [{ type: 'text', text: `${'b'.repeat(390)}${TOKEN}` }] }));
    t.add(ev('agent.message', { content: [{ type: 'text', text: `${'c'.repeat(199_990)}${TOKEN}` }] }));
    assertNoToken(t.markdown({ ...HEADER, title: `t_${TOKEN}`, agent: `a_${TOKEN}` }));
  });

  it('item 6: the token in a session.error type is redacted before its underscores become spaces (the summary\'s Error row, the Problems message, an unknown cause in words)', () => {
    const t = new SessionTranscript();
    t.add(ev('session.error', { error: { type: `bad_${TOKEN}_error`, message: 'm' } }));
    assertNoToken(t.markdown(HEADER));
    for (const f of t.failures) assertNoToken(f.message);
    assertNoToken(errorTypeText(`x_${TOKEN}`));
    assertNoToken(shortErrorTypeText(`x_${TOKEN}`));
  });

  /** Every link and image the renderer produces, with its target (validateLink off: judge the target itself). */
  function targets(markdown: string): string[] {
    const strict = new MarkdownIt({ html: true, linkify: true });
    strict.validateLink = () => true;
    const out: string[] = [];
    const walk = (tokens: ReturnType<typeof strict.parse>): void => {
      for (const tok of tokens) {
        if (tok.type === 'link_open') out.push(tok.attrGet('href') ?? '');
        if (tok.type === 'image') out.push(tok.attrGet('src') ?? '');
        if (tok.children) walk(tok.children);
      }
    };
    walk(strict.parse(markdown, {}));
    return out;
  }

  for (const text of HOSTILE_LINKS) {
    it(`item 7: ${JSON.stringify(text)} renders with no target but a web or mail address or a fragment`, () => {
      const t = new SessionTranscript();
      t.add(ev('agent.message', { content: [{ type: 'text', text }] }));
      for (const target of targets(t.markdown(HEADER))) assert.match(target, /^(https?:\/\/|mailto:|#)/i, `live target ${target}`);
    });
  }

  it('item 7: ordinary https and mailto links in an agent message stay links', () => {
    const t = new SessionTranscript();
    t.add(ev('agent.message', { content: [{ type: 'text', text: 'See [the PR](https://github.com/acme/widgets/pull/1) and [mail](mailto:a@b.example).' }] }));
    assert.deepEqual(targets(t.markdown(HEADER)), ['https://github.com/acme/widgets/pull/1', 'mailto:a@b.example']);
  });
});

describe('session document: issue 19 item 8 (total size)', () => {
  const BIG = `${'word '.repeat(40_000)}`; // 200 KB of agent text

  it('1,000 agent messages of 200 KB: the document stays under about 2 MB, keeps the prompt and the latest message, and says how many events were left out and how to read them', () => {
    const t = new SessionTranscript();
    t.add(ev('user.message', { content: [{ type: 'text', text: 'the prompt' }] }));
    for (let i = 0; i < 1_000; i++) t.add(ev('agent.message', { content: [{ type: 'text', text: `message ${i} ${BIG}` }] }));
    const text = t.markdown(HEADER);
    assert.ok(text.length <= MAX_BODY_CHARS + 10_000, `${(text.length / 1e6).toFixed(1)} MB`);
    assert.match(text, /> the prompt/);
    assert.match(text, /message 999 /);
    const notice = /\*\*(\d+) events \((\d+\.\d) MB\) are not shown here\*\*/.exec(text);
    assert.ok(notice, 'a notice where the events were cut');
    const shown = (text.match(/message \d+ /g) ?? []).length;
    assert.equal(Number(notice[1]) + shown, 1_000, 'every message is either shown or counted');
    assert.match(text, /Save Session Transcript…/);
    assert.ok(text.indexOf('message 0 ') < text.indexOf(notice[0]) && text.indexOf(notice[0]) < text.indexOf('message 999 '), 'the notice stands where events were left out');
  });

  it('3,000 such messages do not throw (the old document hit "Invalid string length")', () => {
    const t = new SessionTranscript();
    for (let i = 0; i < 3_000; i++) t.add(ev('agent.message', { content: [{ type: 'text', text: BIG }] }));
    assert.ok(t.markdown(HEADER).length <= MAX_BODY_CHARS + 10_000);
  });

  it('Save Session Transcript writes every event, one at a time, including those the document leaves out', async () => {
    const pages = (async function* () {
      for (let p = 0; p < 10; p++) yield { data: Array.from({ length: 100 }, (_, i) => ev('agent.message', { content: [{ type: 'text', text: `message ${p * 100 + i} ${BIG}` }] })) };
    })();
    let largestWrite = 0;
    let total = 0;
    const seen = new Set<string>();
    const count = await writeWholeTranscript('a · b', pages, async (text) => {
      largestWrite = Math.max(largestWrite, text.length);
      total += text.length;
      for (const m of text.matchAll(/message (\d+) /g)) seen.add(m[1]!);
    });
    assert.equal(count, 1_000);
    assert.equal(seen.size, 1_000);
    assert.ok(total > 190_000_000);
    assert.ok(largestWrite < 250_000, 'written event by event, never as one string');
  });
});

describe('session document: a report (issue 21 item 2)', () => {
  /** The summary: everything between the title and the first rule. */
  function summaryOf(text: string): string {
    return text.slice(0, text.indexOf('\n---\n'));
  }

  function failingRun(): SessionTranscript {
    const t = new SessionTranscript();
    t.add(ev('user.message', { content: [{ type: 'text', text: 'Push the release branch.' }] }));
    const ok = ev('agent.tool_use', { name: 'Bash', input: { command: 'git status' } });
    t.add(ok);
    t.add(ev('agent.tool_result', { tool_use_id: ok.id, is_error: false, content: [{ type: 'text', text: 'clean' }] }));
    const push = ev('agent.tool_use', { name: 'Bash', input: { command: 'git push origin release' } });
    t.add(push);
    t.add(ev('agent.tool_result', { tool_use_id: push.id, is_error: true, content: [{ type: 'text', text: 'remote: Permission denied\nfatal: unable to access' }] }));
    t.add(ev('session.error', { error: { type: 'environment_not_found_error', message: 'The environment env_9 was not found.' } }));
    t.add(ev('session.status_terminated'));
    return t;
  }

  it('the summary at the top says the outcome, the error in words with its message, the failing step with a link to it, the tool error count, duration and credits', () => {
    const t = failingRun();
    const text = t.markdown({ ...HEADER, status: 'failed: the environment was not found', credits: '0.38' });
    const summary = summaryOf(text);
    assert.match(summary, /\*\*Status:\*\* failed: the environment was not found/);
    assert.match(summary, /\*\*Error:\*\* \[the environment was not found\]\(#error-1\): The environment env\\_9 was not found\./);
    assert.match(summary, /\*\*Failed step:\*\* \[Step 2 · Bash\]\(#step-2\): remote: Permission denied/);
    assert.match(summary, /\*\*Tool errors:\*\* 1 {2}\n/);
    assert.match(summary, /\*\*Duration:\*\* 35 s {2}\n/);
    assert.match(summary, /\*\*Credits:\*\* 0\.38 {2}\n/, 'our own number is not escaped (was "0\\.38")');
    // Each link leads to an anchor in the body.
    const body = text.slice(summary.length);
    assert.match(body, /<a id="step-2"><\/a>\n\n### Step 2 · Bash\n/);
    assert.match(body, /<a id="error-1"><\/a>\n\n> \*\*✗ Error\*\*/);
    const rendered = md.render(text);
    assert.match(rendered, /<a href="#step-2">Step 2 · Bash<\/a>/);
    assert.match(rendered, /<a href="#error-1">the environment was not found<\/a>/);
  });

  it('a run without failures has no Error or Failed step rows and says 0 tool errors', () => {
    const t = new SessionTranscript();
    for (const e of fixtureEvents()) t.add(e);
    const summary = summaryOf(t.markdown(HEADER));
    assert.doesNotMatch(summary, /\*\*Error:\*\*|\*\*Failed step:\*\*/);
    assert.match(summary, /\*\*Tool errors:\*\* 0/);
  });

  it('one heading per turn and per step, so the Outline lists them; the agent\'s own headings nest below the step', () => {
    const t = failingRun();
    t.add(ev('user.message', { content: [{ type: 'text', text: 'Try again.' }] }));
    t.add(ev('agent.message', { content: [{ type: 'text', text: '# Report\n\n```\n# not a heading\n```\n\n## Details' }] }));
    const text = t.markdown(HEADER);
    const tokens = md.parse(text, {});
    const headings = tokens.flatMap((tok, i) => (tok.type === 'heading_open' ? [`${tok.markup} ${tokens[i + 1]!.content}`] : []));
    assert.deepEqual(headings, [
      `# ${HEADER.title}`,
      '## Turn 1',
      '### Step 1 · Bash',
      '### Step 2 · Bash',
      '## Turn 2',
      '#### Report',
      '##### Details',
    ]);
    assert.match(text, /```\n# not a heading\n```/, 'a fenced line is left alone');
  });

  it('failed tool calls and errors are listed with their anchors, for the Problems (F8)', () => {
    const t = failingRun();
    assert.deepEqual(t.failures.map((f) => ({ anchor: f.anchor, kind: f.kind, message: f.message })), [
      { anchor: 'step-2', kind: 'tool', message: 'Bash failed: remote: Permission denied' },
      { anchor: 'error-1', kind: 'error', message: 'the environment was not found: The environment env_9 was not found.' },
    ]);
  });

  it('each failure is found on its line of the document (the step heading, the error quote), for the Problems', () => {
    const t = failingRun();
    const text = t.markdown(HEADER);
    const lines = text.split('\n');
    assert.deepEqual(failureLines(text, t.failures).map((f) => ({ line: f.line, kind: f.kind })), [
      { line: lines.indexOf('### Step 2 · Bash'), kind: 'tool' },
      { line: lines.findIndex((l) => l.startsWith('> **✗ Error**')), kind: 'error' },
    ]);
    assert.ok(failureLines(text, t.failures)[0]!.line > 10);
  });

  it('a failure the bounded body left out has no line', () => {
    const t = failingRun();
    assert.deepEqual(failureLines('# no body\n', t.failures), []);
  });

  it('one line is "1 line", not "1 lines"', () => {
    const t = new SessionTranscript();
    const use = ev('agent.tool_use', { name: 'Read', input: { file_path: '/a' } });
    t.add(use);
    t.add(ev('agent.tool_result', { tool_use_id: use.id, is_error: false, content: [{ type: 'text', text: 'one' }] }));
    const fail = ev('agent.tool_use', { name: 'Read', input: { file_path: '/b' } });
    t.add(fail);
    t.add(ev('agent.tool_result', { tool_use_id: fail.id, is_error: true, content: [{ type: 'text', text: 'no such file' }] }));
    const text = t.markdown(HEADER);
    assert.match(text, /result · 1 line</);
    assert.match(text, /✗ Read failed · 1 line\*\*/);
    assert.doesNotMatch(text, /1 lines/);
  });
});

// The rendering shortcuts of the session benchmark (bench/session.ts) must not change what is shown.
describe('session document: cheaper rendering, same text', () => {
  it('cutLines counts and keeps lines as before: blank lines inside kept, trailing breaks dropped, CRLF as LF, long lines cut', () => {
    assert.deepEqual(cutLines(''), { text: '', more: 0, total: 0 });
    assert.deepEqual(cutLines('\n\n'), { text: '', more: 0, total: 0 });
    assert.deepEqual(cutLines('a\n\nb\n\n\n'), { text: 'a\n\nb', more: 0, total: 3 });
    assert.deepEqual(cutLines('a\r\nb\rc'), { text: 'a\nb\nc', more: 0, total: 3 });
    const many = Array.from({ length: 41 }, (_, i) => `line ${i}`).join('\n');
    assert.deepEqual(cutLines(many), { text: Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n'), more: 1, total: 41 });
    assert.deepEqual(cutLines('x'.repeat(401)), { text: `${'x'.repeat(400)}…`, more: 0, total: 1 });
  });

  it('agent headings are demoted on every line outside fences, with and without a fence in the message', () => {
    assert.equal(demoteHeadings('# A\n  ## B\n#no\n###### six\ntext # not'), '#### A\n  ##### B\n#no\n###### six\ntext # not');
    assert.equal(demoteHeadings('# A\n```\n# inside\n```\n# B'), '#### A\n```\n# inside\n```\n#### B');
  });

  it('multi-line text with only line breaks and tabs is shown as it is, and a token in it is still redacted', () => {
    const token = 'pt-CheaperRender0123456789';
    rememberSecret(token);
    assert.equal(displayMultiline('a\n\tb\n'), 'a\n\tb\n');
    assert.equal(displayMultiline(`line 1\n\tline 2 ${token}\n`), 'line 1\n\tline 2 ***\n');
    assert.equal(displayMultiline(`bare ${token.slice(3)}\nnext`), 'bare ***\nnext');
    const t = new SessionTranscript();
    t.add(ev('agent.tool_use', { name: 'Bash', input: { command: 'env' } }));
    t.add(ev('agent.tool_result', { tool_use_id: `evt_t${seq - 1}`, content: [{ type: 'text', text: `HOME=/root\n\tTOKEN=${token}\nPATH=/bin` }] }));
    assert.doesNotMatch(t.markdown(HEADER), /CheaperRender/);
  });

  it('a redraw without a new event reuses the body, and the next event shows in the following one', () => {
    const t = new SessionTranscript();
    t.add(ev('agent.message', { content: [{ type: 'text', text: 'first' }] }));
    assert.equal(t.markdown(HEADER), t.markdown(HEADER));
    assert.doesNotMatch(t.markdown(HEADER), /second/);
    t.add(ev('agent.message', { content: [{ type: 'text', text: 'second' }] }));
    assert.match(t.markdown({ ...HEADER, live: 'live' }), /first\n\nsecond\n$/);
  });

  it('a tool called many times gets the same escaped name in every step heading, and each result its own line count', () => {
    const t = new SessionTranscript();
    for (const lines of [1, 3, 1]) {
      t.add(ev('agent.tool_use', { name: 'my_*tool*', input: {} }));
      t.add(ev('agent.tool_result', { tool_use_id: `evt_t${seq - 1}`, content: [{ type: 'text', text: Array.from({ length: lines }, () => 'x').join('\n') }] }));
    }
    const text = t.markdown(HEADER);
    assert.deepEqual(text.match(/### Step \d · my\\_\\\*tool\\\*/g), ['### Step 1 · my\\_\\*tool\\*', '### Step 2 · my\\_\\*tool\\*', '### Step 3 · my\\_\\*tool\\*']);
    assert.deepEqual(text.match(/<summary>result · \d lines?<\/summary>/g), ['<summary>result · 1 line</summary>', '<summary>result · 3 lines</summary>', '<summary>result · 1 line</summary>']);
  });
});
