// Bundles src/extension.ts into one minified dist/extension.js (vscode stays external), plus the
// parts it requires only on first use (see `apart` below).
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

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
 * `import * as vscode from 'vscode'` in each of our modules made esbuild copy every export of the
 * VS Code API onto a namespace object of that module's own, at load (47 copies in the main
 * bundle). Every import of `vscode` goes through one module that re-exports it, so each output
 * file makes that copy once.
 */
const oneVscode = {
  name: 'one-vscode',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'one-vscode' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'one-vscode' }));
    build.onLoad({ filter: /.*/, namespace: 'one-vscode' }, () => ({ contents: 'export * from "vscode";', loader: 'js' }));
  },
};

/**
 * Parts built as files of their own in dist/ and required only on first use, so activation does
 * not pay for them:
 * - croner (next cron runs), once a deployment document is open;
 * - cronstrue with its zh_CN locale (schedules in words, about 30 KB), once a row or tooltip is drawn;
 * - the deployment editor (documents, schedule lens, names), once one opens or an editor command runs;
 * - its save flow (validation, Create, the three-way merge, the conflict question), on the first Save;
 * - the session documents (transcript, live view), once a session opens;
 * - the change watch (runs feed, rechecks, reconciliation), after the first complete load;
 * - the live session stream (SSE parser, reconnects), on the first stream a session document opens;
 * - node-fetch (with the shims below), on the first request: activation without a token, or
 *   before the view is seen, never loads it;
 * - run states in words, run rows and failure streaks, once the first run history is drawn or counted;
 * - the session report (a webview with markdown-it), once a session's report opens.
 */
const apart = [
  { request: /^croner$/, entry: require.resolve('croner'), file: 'croner.js' },
  { request: /(^|\/)cronstrue\.chunk$/, entry: 'src/deployments/model/cronstrue.chunk.ts', file: 'cronstrue.js' },
  { request: /(^|\/)editing\.chunk$/, entry: 'src/editing/editing.chunk.ts', file: 'editor.js' },
  { request: /(^|\/)save\.chunk$/, entry: 'src/editing/save.chunk.ts', file: 'save.js', readsEditor: true },
  { request: /(^|\/)agentSessions\.chunk$/, entry: 'src/agentSessions/agentSessions.chunk.ts', file: 'sessions.js' },
  { request: /(^|\/)chat\.chunk$/, entry: 'src/chat/chat.chunk.ts', file: 'chat.js' },
  { request: /(^|\/)refresh\.chunk$/, entry: 'src/deployments/refresh.chunk.ts', file: 'refresh.js' },
  { request: /(^|\/)sessionStream\.chunk$/, entry: 'src/api/sessionStream.chunk.ts', file: 'stream.js' },
  { request: /(^|\/)interaction\.chunk$/, entry: 'src/agentSessions/interaction.chunk.ts', file: 'interaction.js' },
  { request: /^node-fetch$/, entry: require.resolve('node-fetch'), file: 'fetch.js', plugins: [useBuiltinWebStreams, builtinShims] },
  { request: /(^|\/)runs\.chunk$/, entry: 'src/runs/runs.chunk.ts', file: 'runs.js' },
  { request: /(^|\/)report\.chunk$/, entry: 'src/agentSessions/report.chunk.ts', file: 'report.js' },
];

/**
 * Leaves each part's import as `require('./<file>')`, found next to the bundle at run time. An
 * `import()` of a part (node-fetch) goes through a CommonJS shim, so esbuild turns it into a
 * `require` with the ESM interop (a native `import()` of a CommonJS file would nest `default`).
 */
const keepApart = {
  name: 'keep-apart',
  setup(build) {
    for (const part of apart) {
      build.onResolve({ filter: part.request }, (args) =>
        args.kind === 'dynamic-import' ? { path: part.file, namespace: 'apart' } : { path: `./${part.file}`, external: true });
    }
    build.onResolve({ filter: /.*/, namespace: 'apart' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'apart' }, (args) => ({ contents: `module.exports = require("./${args.path}");`, loader: 'js' }));
  },
};

/**
 * What a chunk takes from the main bundle instead of bundling a copy: the modules that
 * src/platform/kernel.ts imports (`import * as <key> from '<module>'`, read from there). A chunk's
 * import of one becomes a read of the main bundle's `kernel[<key>]`, so the token set, l10n, the
 * error classes and the API client exist once. A kernel maps a package name, or a path from the
 * repository's root, to its key. dist/save.js reads the editor's model the same way from
 * dist/editor.js (src/editing/editorKernel.ts), which is always loaded before it.
 */
const root = path.dirname(fileURLToPath(import.meta.url));
const fromRoot = (file) => path.relative(root, file).split(path.sep).join('/');
const kernelOf = (source) =>
  new Map(
    [...readFileSync(path.join(root, source), 'utf8').matchAll(/^import \* as (\w+) from '([^']+)';$/gm)].map(([, key, from]) => [
      from.startsWith('.') ? fromRoot(path.resolve(root, path.dirname(source), `${from}.ts`)) : from,
      key,
    ]),
  );
const KERNEL = kernelOf('src/platform/kernel.ts');
const EDITOR_KERNEL = kernelOf('src/editing/editorKernel.ts');

/** Turns a chunk's import of a module of `kernel` into a read of `require("./<file>")[<name>][<key>]`. */
function readsFrom(file, name, kernel) {
  const namespace = name;
  return {
    name: `from-${file}`,
    setup(build) {
      build.onResolve({ filter: /.*/, namespace }, () => ({ path: `./${file}`, external: true }));
      build.onResolve({ filter: /^(\.|@vscode\/l10n$)/ }, async (args) => {
        if (args.pluginData?.fromKernel || args.kind === 'entry-point') return undefined;
        if (kernel.has(args.path)) return { path: kernel.get(args.path), namespace };
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { fromKernel: true } });
        const key = r.errors.length === 0 && !r.external ? kernel.get(fromRoot(r.path)) : undefined;
        return key ? { path: key, namespace } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => ({
        contents: `module.exports = require("./${file}")[${JSON.stringify(name)}][${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}
const fromKernel = readsFrom('extension.js', 'kernel', KERNEL);
const fromEditor = readsFrom('editor.js', 'editorKernel', EDITOR_KERNEL);

/**
 * Modules of the main bundle that a chunk may carry a copy of, because their module scope holds
 * nothing that must exist once: constants, pure functions, memo caches, no classes whose instances
 * cross into the main bundle. Any other module found in both fails the build: hand it over
 * through the kernel, or make it so and list it here.
 */
const STATELESS = [
  'src/platform/constants.ts',
  'src/platform/config.ts',
  'src/platform/lifecycle.ts',
  'src/api/util.ts',
  'src/api/validate.ts',
  'src/api/sessions.ts',
  'src/runs/model/runRow.ts',
  'src/runs/runsChunk.ts',
  'src/agentSessions/commands/sessionDeps.ts',
  'src/deployments/model/describe.ts',
  'src/agentSessions/sessionUris.ts',
  'src/chat/model/endpoint.ts',
  'src/chat/cursor.ts',
  // oneVscode's re-export of the API each file is given
  'one-vscode:vscode',
];

/** The inputs of `meta` that the main bundle also holds, minus the kernel and STATELESS. */
function duplicatedState(mainMeta, meta) {
  return Object.keys(meta.inputs).filter((input) => input in mainMeta.inputs && !STATELESS.includes(input));
}

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  // Node reads every file as UTF-8: keep “ … · ✓ as they are instead of 6-byte \uXXXX escapes.
  charset: 'utf8',
};

const options = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  metafile: true,
  define: { 'process.env.QODER_EXTENSION_VERSION': JSON.stringify(require('./package.json').version) },
  plugins: [oneVscode, useBuiltinWebStreams, builtinShims, keepApart],
};

const all = [options, ...apart.map((part) => ({ ...common, entryPoints: [part.entry], outfile: `dist/${part.file}`, metafile: true, plugins: [oneVscode, ...(part.plugins ?? []), ...(part.readsEditor ? [fromEditor] : []), fromKernel, keepApart] }))];

if (watch) {
  const contexts = await Promise.all(all.map((o) => esbuild.context(o)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const [main, ...chunks] = await Promise.all(all.map((o) => esbuild.build(o)));
  writeFileSync('dist/meta.json', JSON.stringify(main.metafile));
  // Each chunk's inputs and what it may share, for the bundle tests (test/bundle).
  const inputs = Object.fromEntries(chunks.map((c, i) => [apart[i].file, Object.keys(c.metafile.inputs)]));
  writeFileSync('dist/chunks.json', JSON.stringify({ inputs, kernel: Object.fromEntries(KERNEL), editorKernel: Object.fromEntries(EDITOR_KERNEL), stateless: STATELESS }));
  const copies = chunks.flatMap((c, i) => duplicatedState(main.metafile, c.metafile).map((input) => `dist/${apart[i].file}: ${input}`));
  if (copies.length > 0) {
    console.error(`A lazy chunk carries its own copy of a module of the main bundle (its state would exist twice):\n  ${copies.join('\n  ')}\nHand it over through src/platform/kernel.ts, or list it as STATELESS in esbuild.mjs.`);
    process.exit(1);
  }
}
