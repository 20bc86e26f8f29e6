// Hostile text a session may carry (tool output, names, agent messages), shared by the session
// document's tests and the session report's (the same Markdown, two renderers).

/** Payloads that must stay text wherever server text goes. */
export const HOSTILE = [
  '[click me](command:workbench.action.terminal.new)',
  '![x](https://evil.example/pixel.png)',
  '<img src=x onerror=alert(1)>',
  '<a href="command:qoder.clearToken">a</a>',
  'https://evil.example/login and www.evil.example and admin@evil.example',
  '```\n</details><script>alert(1)</script>\n```',
  '````` fence breaker',
  '[ref]: command:qoder.clearToken\n[ref]',
  '\u202eevil\u202c <iframe src="https://evil.example">',
];

/** Link and image targets an agent message may try: none may stay live but web, mail and fragments. */
export const HOSTILE_LINKS = [
  '[a](command&colon;qoder.clearToken)',
  '[b](&#99;ommand:qoder.clearToken)',
  '[c](&#x63;ommand:x)',
  '[d](vscode://file/etc/passwd)',
  '[e](VSCODE-INSIDERS:x)',
  '![f](data:image/png;base64,iVBORw0KGgo=)',
  '![g](  data&colon;image/svg+xml,x)',
  '[h][ref]\n\n[ref]: command:qoder.clearToken',
  '[i][r2]\n\n[r2]:\n  &#99;ommand:x',
  '[j](<command:x>)',
  '[k](java&Tab;script:alert(1))',
  '[l](file:///etc/passwd)',
  '[m](\\command:x)',
  '[n](./relative/path.md)',
  '> [o][r3]\n>\n> [r3]: vscode:x',
];
