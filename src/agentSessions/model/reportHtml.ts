// A session's Markdown (the same text its document holds) rendered for the report panel, in the
// report chunk (dist/report.js, with markdown-it). Pure: no vscode.
//
// Rendered with VS Code's preview options (HTML on, linkify off), then held to what the
// transcript itself writes: the only raw HTML let through is our own step and error anchors and
// the <details>/<summary> of a tool result; every other piece of HTML is shown as text, an image
// as its alt text, and a link keeps its target only when it is an in-page anchor (#step-N,
// #turn-N, #error-N). The webview's CSP and its script strip again (defence in depth).

import MarkdownIt from 'markdown-it';

/** A link target the report may follow: an anchor of its own. */
export const IN_PAGE_ANCHOR = /^#(?:step|turn|error)-\d{1,7}$/;

/** The raw HTML blocks the transcript writes (sessionTranscript.ts), one line each. */
const OUR_HTML = [/^<details(?: open)?>(?:<summary>[^<>]*<\/summary>)?$/, /^<\/details>$/];
/** The anchor a step or an error starts with: inline HTML, in a paragraph of its own. */
const OUR_ANCHOR = /^<a id="(?:step|error)-\d{1,7}">$/;

export function isOurHtml(html: string): boolean {
  const lines = html.trim().split('\n');
  return lines.every((l) => OUR_HTML.some((re) => re.test(l.trim())));
}

export function createRenderer(): MarkdownIt {
  const md = new MarkdownIt({ html: true, linkify: false });
  const escape = md.utils.escapeHtml;
  const rules = md.renderer.rules;
  rules.html_block = (tokens, i) => (isOurHtml(tokens[i]!.content) ? tokens[i]!.content : `<p>${escape(tokens[i]!.content)}</p>\n`);
  rules.html_inline = (tokens, i) => {
    const html = tokens[i]!.content;
    const ours = OUR_ANCHOR.test(html) ? tokens[i + 1]?.content === '</a>' : html === '</a>' && OUR_ANCHOR.test(tokens[i - 1]?.content ?? '');
    return ours ? html : escape(html);
  };
  rules.image = (tokens, i) => escape(tokens[i]!.content);
  const open = rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
  rules.link_open = (tokens, i, options, env, self) => {
    const t = tokens[i]!;
    const href = t.attrGet('href') ?? '';
    if (!IN_PAGE_ANCHOR.test(href)) return '<a>'; // the text stays, the target goes
    t.attrs = [['href', href]];
    return open(tokens, i, options, env, self);
  };
  return md;
}

export interface RenderedReport {
  /** The summary: the title and the facts, up to the first rule. */
  head: string;
  /** The transcript, one string per top-level block, in order. */
  blocks: string[];
}

/** Renders the session's Markdown; the head and the blocks, each closed on its own. */
export function renderReport(md: MarkdownIt, markdown: string): RenderedReport {
  const env = {};
  const tokens = md.parse(markdown, env);
  const blocks: string[] = [];
  let head: string | undefined;
  let start = 0;
  let depth = 0;
  let details = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    depth += t.nesting;
    // A tool result's <details> opens and closes in blocks of its own: keep them in one piece.
    if (t.type === 'html_block' && isOurHtml(t.content)) details = Math.max(0, details + (/^<details/.test(t.content) ? 1 : 0) - (/<\/details>\s*$/.test(t.content) ? 1 : 0));
    if (depth !== 0 || details > 0) continue;
    if (head === undefined && t.type === 'hr') {
      head = blocks.join('');
      blocks.length = 0;
    } else {
      blocks.push(md.renderer.render(tokens.slice(start, i + 1), md.options, env));
    }
    start = i + 1;
  }
  return head === undefined ? { head: blocks.join(''), blocks: [] } : { head, blocks };
}

/** What changed between two renderings: the blocks from the first one that differs (what the panel posts). */
export function changedBlocks(before: readonly string[], after: readonly string[]): { from: number; blocks: string[] } | undefined {
  let from = 0;
  while (from < before.length && from < after.length && before[from] === after[from]) from++;
  if (from === before.length && from === after.length) return undefined;
  return { from, blocks: after.slice(from) };
}

/**
 * Whether a view scrolled to `top` of `height` (of `scrollHeight` in all) stays at the end when
 * content arrives: it was at the bottom, or within `slack` pixels of it. Self-contained: the
 * page's script carries its source.
 */
export function followsTail(top: number, height: number, scrollHeight: number, slack = 40): boolean {
  return scrollHeight - (top + height) <= slack;
}

/** What the report page may ask for; anything else it posts is dropped. */
export const REPORT_ACTIONS = ['stop', 'send', 'review', 'allow', 'deny', 'markdown'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

export type ReportMessage = { type: 'ready' } | { type: 'action'; action: ReportAction };

/** A message from the page, if it is one we know: the page names an action, never a command. */
export function reportMessage(m: unknown): ReportMessage | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const { type, action } = m as { type?: unknown; action?: unknown };
  if (type === 'ready') return { type };
  if (type === 'action' && typeof action === 'string' && (REPORT_ACTIONS as readonly string[]).includes(action)) return { type, action: action as ReportAction };
  return undefined;
}
