// Bundles src/extension.ts into one minified dist/extension.js (vscode stays external).
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
 * croner (next cron runs) is needed only once a deployment document is open, so it ships as
 * its own file, dist/croner.js, required on first use instead of weighing on every activation.
 */
const cronerApart = {
  name: 'croner-apart',
  setup(build) {
    build.onResolve({ filter: /^croner$/ }, () => ({ path: './croner.js', external: true }));
  },
};

/**
 * The deployment editor (documents, schedule lens, Save) is needed only once a deployment
 * document is open or an editor command runs: it ships as dist/editor.js, required on first use.
 */
const editorApart = {
  name: 'editor-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/editor$/ }, () => ({ path: './editor.js', external: true }));
  },
};

/** The session documents (transcript, live view) ship as dist/sessions.js, required when a session is first opened. */
const sessionsApart = {
  name: 'sessions-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/sessionView$/ }, () => ({ path: './sessions.js', external: true }));
  },
};

const sessionsOptions = {
  entryPoints: ['src/sessionView/index.ts'],
  bundle: true,
  outfile: 'dist/sessions.js',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
};

const editorOptions = {
  entryPoints: ['src/editor/index.ts'],
  bundle: true,
  outfile: 'dist/editor.js',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  plugins: [cronerApart],
};

const cronerOptions = {
  entryPoints: [require.resolve('croner')],
  bundle: true,
  outfile: 'dist/croner.js',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  logLevel: 'info',
};

const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  metafile: true,
  logLevel: 'info',
  define: { 'process.env.QODER_EXTENSION_VERSION': JSON.stringify(require('./package.json').version) },
  plugins: [useBuiltinWebStreams, builtinShims, cronerApart, editorApart, sessionsApart],
};

if (watch) {
  const ctx = await esbuild.context(options);
  await esbuild.build(cronerOptions);
  const editorCtx = await esbuild.context(editorOptions);
  const sessionsCtx = await esbuild.context(sessionsOptions);
  await Promise.all([ctx.watch(), editorCtx.watch(), sessionsCtx.watch()]);
} else {
  const [result] = await Promise.all([esbuild.build(options), esbuild.build(editorOptions), esbuild.build(cronerOptions), esbuild.build(sessionsOptions)]);
  writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
}
