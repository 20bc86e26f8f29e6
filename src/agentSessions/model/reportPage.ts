// The report panel's page: a strict CSP, our own styles (theme colours), a toolbar of real
// buttons, and one nonce'd script that applies updates, keeps following the tail unless the user
// scrolled up, and strips again whatever the renderer should already have stripped. Pure: the
// panel (sessionReport.ts) fills in the nonce, the webview's source and the words.

import { followsTail, IN_PAGE_ANCHOR } from './reportHtml';

export interface ReportWords {
  toolbar: string;
  stop: string;
  send: string;
  review: string;
  allow: string;
  deny: string;
  markdown: string;
  jump: string;
  loading: string;
}

/** What the panel posts to the page (only what changed: see changedBlocks). */
export interface ReportUpdate {
  type: 'update';
  /** The summary's HTML, when it changed. */
  head?: string;
  /** The session's state (RunStateKind), for the summary's colour. */
  kind: string;
  from: number;
  blocks: string[];
  running: boolean;
  waiting: boolean;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `style-src ${cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `img-src ${cspSource}`, `font-src ${cspSource}`].join('; ');
}

function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function reportShell(o: { cspSource: string; nonce: string; lang: string; words: ReportWords }): string {
  const w = o.words;
  const button = (action: string, label: string, when = '', secondary = false): string =>
    `<button type="button" data-action="${action}"${when ? ` data-when="${when}" hidden` : ''}${secondary ? ' class="secondary"' : ''}>${attr(label)}</button>`;
  return `<!DOCTYPE html>
<html lang="${attr(o.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(o.cspSource, o.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${o.nonce}">${STYLE}</style>
</head>
<body data-kind="">
<div id="toolbar" role="toolbar" aria-label="${attr(w.toolbar)}">
${button('stop', w.stop, 'running')}${button('review', w.review, 'waiting')}${button('allow', w.allow, 'waiting')}${button('deny', w.deny, 'waiting', true)}${button('send', w.send, '', true)}${button('markdown', w.markdown, '', true)}
</div>
<main>
<header id="head" aria-live="polite"><p>${attr(w.loading)}</p></header>
<div id="body"></div>
</main>
<button type="button" id="jump" class="secondary" hidden>${attr(w.jump)} <span aria-hidden="true">↓</span></button>
<script nonce="${o.nonce}">${pageScript()}</script>
</body>
</html>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 24px 48px; line-height: 1.5; max-width: 980px; }
#toolbar { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 6px; padding: 8px 0; background: var(--vscode-editor-background); border-bottom: 1px solid var(--vscode-panel-border); }
button { font: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; padding: 3px 12px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
button[hidden] { display: none; }
#head { margin: 14px 0 18px; padding: 2px 16px 8px; border-left: 4px solid var(--vscode-textBlockQuote-border); background: var(--vscode-textBlockQuote-background); }
#head h1 { font-size: 1.5em; margin: 10px 0 8px; }
body[data-kind="failed"] #head, body[data-kind="notStarted"] #head { border-left-color: var(--vscode-testing-iconFailed); }
body[data-kind="done"] #head { border-left-color: var(--vscode-testing-iconPassed); }
body[data-kind="running"] #head, body[data-kind="stopping"] #head { border-left-color: var(--vscode-charts-blue); }
body[data-kind="waiting"] #head { border-left-color: var(--vscode-charts-yellow); }
body[data-kind="cancelled"] #head { border-left-color: var(--vscode-disabledForeground); }
a { color: var(--vscode-textLink-foreground); }
a:not([href]) { color: inherit; text-decoration: none; cursor: text; }
code, pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
pre { background: var(--vscode-textCodeBlock-background); padding: 8px 12px; overflow-x: auto; }
:not(pre) > code { background: var(--vscode-textCodeBlock-background); padding: 1px 4px; border-radius: 3px; }
blockquote { margin: 8px 0; padding: 2px 12px; border-left: 4px solid var(--vscode-textBlockQuote-border); background: var(--vscode-textBlockQuote-background); }
hr { border: 0; border-top: 1px solid var(--vscode-panel-border); }
summary { cursor: pointer; }
[id^="step-"], [id^="error-"] { scroll-margin-top: 56px; }
#jump { position: fixed; right: 24px; bottom: 16px; }
`;

/**
 * The page's script (no server text in it). followsTail and the in-page anchor test are the
 * functions the unit tests check, carried as their source.
 */
function pageScript(): string {
  return `(() => {
const api = acquireVsCodeApi();
const followsTail = ${followsTail.toString()};
const inPage = ${IN_PAGE_ANCHOR.toString()};
const head = document.getElementById('head');
const body = document.getElementById('body');
const jump = document.getElementById('jump');
const page = document.scrollingElement;
let saved = api.getState() || {};
let first = true;
const atEnd = () => followsTail(page.scrollTop, page.clientHeight, page.scrollHeight);
const remember = () => { saved = { follow: atEnd(), top: page.scrollTop }; api.setState(saved); };
const toEnd = () => { page.scrollTop = page.scrollHeight; jump.hidden = true; };
const inert = (root) => {
  for (const el of root.querySelectorAll('script, img, iframe, object, embed, form, input, svg, link, style, meta, base')) el.remove();
  for (const el of root.querySelectorAll('*')) {
    for (const a of [...el.attributes]) if (/^on|^src$|^srcset$|^style$|^action$|^formaction$/i.test(a.name)) el.removeAttribute(a.name);
  }
  for (const a of root.querySelectorAll('a[href]')) if (!inPage.test(a.getAttribute('href'))) a.removeAttribute('href');
};
const block = (html) => { const div = document.createElement('div'); div.className = 'block'; div.innerHTML = html; inert(div); return div; };
window.addEventListener('message', (e) => {
  const m = e.data;
  if (!m || m.type !== 'update' || !Array.isArray(m.blocks) || typeof m.from !== 'number') return;
  // The first paint opens on the summary (or where this page was before it was hidden); later ones follow the tail if the view was at it.
  const follow = !first && atEnd();
  if (typeof m.head === 'string') { head.innerHTML = m.head; inert(head); }
  document.body.dataset.kind = String(m.kind || '');
  for (const b of document.querySelectorAll('#toolbar [data-when]')) b.hidden = !(b.dataset.when === 'running' ? m.running : m.waiting);
  while (body.children.length > m.from) body.lastElementChild.remove();
  for (const html of m.blocks) body.append(block(String(html)));
  if (first && saved.follow) toEnd();
  else if (first && typeof saved.top === 'number') page.scrollTop = saved.top;
  else if (follow) toEnd();
  else if (!first && m.blocks.length > 0) jump.hidden = false;
  first = false;
});
let queued = false;
window.addEventListener('scroll', () => {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => { queued = false; if (atEnd()) jump.hidden = true; remember(); });
});
jump.addEventListener('click', () => { toEnd(); remember(); });
document.getElementById('toolbar').addEventListener('click', (e) => {
  const b = e.target.closest('button[data-action]');
  if (b) api.postMessage({ type: 'action', action: b.dataset.action });
});
document.addEventListener('click', (e) => {
  const a = e.target.closest('a');
  if (!a) return;
  e.preventDefault();
  const href = a.getAttribute('href');
  if (href && inPage.test(href)) document.getElementById(href.slice(1))?.scrollIntoView({ block: 'start' });
});
api.postMessage({ type: 'ready' });
})();`;
}
