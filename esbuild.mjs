// Bundles src/extension.ts into one minified dist/extension.js (vscode stays external), plus the
// parts it requires only on first use (see `apart` below).
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

/** node-fetch@3 pulls in web-streams-polyfill; Node >= 18 has stream/web built in. */
const useBuiltinWebStreams = {
  name: 'builtin-web-streams',
  setup(build) {
    build.onResolve({ filter: /^web-streams-polyfill(\/.*)?$/ }, () => ({ path: 'web-streams', namespace: 'builtin-web-streams' }));
    build.onLoad({ filter: /.*/, namespace: 'builtin-web-streams' }, () => ({
      contents: 'module.exports = require("node:stream/web");',
      loader: 'js',
    }));
  },
};

/**
 * node-fetch 3 imports polyfills for things this extension never uses (Blob and FormData
 * bodies, data: URLs). Node >= 20 has Blob, File and FormData built in; data: URLs are refused.
 */
const shims = {
  'fetch-blob': 'module.exports = { __esModule: true, default: Blob, Blob, File };',
  'fetch-blob/from.js': 'const no = () => { throw new Error("not supported"); }; module.exports = { __esModule: true, default: Blob, Blob, File, blobFrom: no, blobFromSync: no, fileFrom: no, fileFromSync: no };',
  'formdata-polyfill/esm.min.js': 'module.exports = { FormData, formDataToBlob: () => { throw new Error("FormData bodies are not supported"); } };',
  'data-uri-to-buffer': 'module.exports = { __esModule: true, default: () => { throw new Error("data: URLs are not supported"); } };',
  // Response.formData() on a multipart body (node-fetch/src/body.js): never called here
  './utils/multipart-parser.js': 'module.exports = { toFormData: () => { throw new Error("multipart bodies are not supported"); } };',
};
const builtinShims = {
  name: 'builtin-shims',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(shims).map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'builtin-shims' }));
    build.onLoad({ filter: /.*/, namespace: 'builtin-shims' }, (args) => ({ contents: shims[args.path], loader: 'js' }));
  },
};

/**
 * Parts built as files of their own in dist/ and required only on first use, so activation does
 * not pay for them:
 * - croner (next cron runs), once a deployment document is open;
 * - cronstrue with its zh_CN locale (schedules in words, about 30 KB), once a row or tooltip is drawn;
 * - the deployment editor (documents, schedule lens, Save), once one opens or an editor command runs;
 * - the session documents (transcript, live view), once a session opens.
 */
const apart = [
  { request: /^croner$/, entry: require.resolve('croner'), file: 'croner.js' },
  { request: /(^|\/)cronstrue\.chunk$/, entry: 'src/deployments/model/cronstrue.chunk.ts', file: 'cronstrue.js' },
  { request: /(^|\/)editing\.chunk$/, entry: 'src/editing/editing.chunk.ts', file: 'editor.js' },
  { request: /(^|\/)agentSessions\.chunk$/, entry: 'src/agentSessions/agentSessions.chunk.ts', file: 'sessions.js' },
  { request: /(^|\/)chat\.chunk$/, entry: 'src/chat/chat.chunk.ts', file: 'chat.js' },
];

/** Leaves each part's import as `require('./<file>')`, found next to the bundle at run time. */
const keepApart = {
  name: 'keep-apart',
  setup(build) {
    for (const part of apart) build.onResolve({ filter: part.request }, () => ({ path: `./${part.file}`, external: true }));
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
};

const options = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  metafile: true,
  define: { 'process.env.QODER_EXTENSION_VERSION': JSON.stringify(require('./package.json').version) },
  plugins: [useBuiltinWebStreams, builtinShims, keepApart],
};

const all = [options, ...apart.map((part) => ({ ...common, entryPoints: [part.entry], outfile: `dist/${part.file}`, plugins: [keepApart] }))];

if (watch) {
  const contexts = await Promise.all(all.map((o) => esbuild.context(o)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const [result] = await Promise.all(all.map((o) => esbuild.build(o)));
  writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
}
