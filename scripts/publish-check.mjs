#!/usr/bin/env node
// Offline check of a packaged .vsix before `vsce publish` / `ovsx publish`: reads the archive
// itself (no network, no dependency) and checks what Open VSX and the VS Code Marketplace need.
//
//   node scripts/publish-check.mjs [file.vsix]            default: qoder-deployments.vsix
//   node scripts/publish-check.mjs [file.vsix] --release  placeholder URLs are errors, not notes
//
// `npm run publish:check` packages first, then runs this. Exit code 1 on any error.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

/** The oldest VS Code the extension promises to run in (forks: Trae 1.104, Qoder 1.106, ...). */
export const ENGINE_FLOOR = '1.104.0';
export const MIN_ICON_SIZE = 128;
/** Categories the VS Code Marketplace accepts (Open VSX accepts the same names). */
export const MARKETPLACE_CATEGORIES = [
  'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters',
  'Keymaps', 'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Other',
  'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization',
];
/** Folders that must never ship: sources, tests, dependencies, build and test caches. */
export const FORBIDDEN_DIRS = ['src/', 'test/', 'node_modules/', 'out/', '.cache/', 'test-results/', 'scripts/', 'bench/'];
const PLACEHOLDER = /placeholder/i;

/** Reads every entry of a zip archive (stored or deflated) into memory. */
export function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`corrupt central directory at ${at}`);
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + compressed);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported compression method ${method}`);
    entries.set(name, () => (method === 8 ? inflateRawSync(raw) : raw));
  }
  return entries;
}

/** Width and height of a PNG, or null when the bytes are not a PNG. */
export function pngSize(bytes) {
  const signature = '89504e470d0a1a0a';
  if (bytes.length < 24 || bytes.subarray(0, 8).toString('hex') !== signature || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const parseVersion = (v) => (/^(\d+)\.(\d+)\.(\d+)/.exec(v) ?? []).slice(1).map(Number);
const compareVersions = (a, b) => {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
};

/**
 * The files beside `main` that it, or a file it requires, requires on first use
 * (`require("./chat.js")`, as esbuild.mjs leaves each lazy chunk) but the vsix does not hold.
 */
function missingRequires(entries, main) {
  const dir = main.slice(0, main.lastIndexOf('/') + 1);
  const missing = [];
  const seen = new Set([main]);
  for (const file of seen) {
    const text = entries.get(file)().toString('utf8');
    for (const [, required] of text.matchAll(/require\("\.\/([\w.-]+\.js)"\)/g)) {
      const path = dir + required;
      if (!entries.has(path)) missing.push(`${file.replace(/^extension\//, '')} requires ./${required}, which is not in the vsix`);
      else seen.add(path);
    }
  }
  return missing;
}

/**
 * Checks the entries of a vsix (name → () => Buffer). Returns { errors, notes }; `release`
 * turns placeholder URLs into errors.
 */
export function checkVsix(entries, { release = false } = {}) {
  const errors = [];
  const notes = [];
  const read = (name) => entries.get(name)?.();
  const names = [...entries.keys()];

  const pkgBytes = read('extension/package.json');
  if (!pkgBytes) return { errors: ['extension/package.json is missing from the vsix'], notes };
  const pkg = JSON.parse(pkgBytes.toString('utf8'));

  for (const field of ['name', 'displayName', 'description', 'version', 'publisher', 'license']) {
    if (typeof pkg[field] !== 'string' || !pkg[field].trim()) errors.push(`package.json: "${field}" is missing`);
  }
  if (pkg.version && !/^\d+\.\d+\.\d+$/.test(pkg.version)) errors.push(`package.json: version ${pkg.version} is not major.minor.patch (the Marketplace rejects pre-release suffixes)`);

  // engine floor: exactly the promised oldest VS Code, and types no newer than it
  const engine = pkg.engines?.vscode;
  if (engine !== `^${ENGINE_FLOOR}`) errors.push(`engines.vscode is ${JSON.stringify(engine)}, expected "^${ENGINE_FLOOR}" (the oldest supported VS Code and forks)`);
  const types = pkg.devDependencies?.['@types/vscode'];
  if (types && compareVersions(types.replace(/^[\^~]/, ''), ENGINE_FLOOR) > 0) errors.push(`@types/vscode ${types} is newer than the engine floor ${ENGINE_FLOOR}`);

  // links shown on the marketplace page
  const urls = {
    'repository.url': typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url,
    homepage: pkg.homepage,
    'bugs.url': typeof pkg.bugs === 'string' ? pkg.bugs : pkg.bugs?.url,
  };
  for (const [field, url] of Object.entries(urls)) {
    if (typeof url !== 'string' || !/^https:\/\//.test(url)) errors.push(`package.json: "${field}" must be an https URL (got ${JSON.stringify(url)})`);
    else if (PLACEHOLDER.test(url)) (release ? errors : notes).push(`package.json: "${field}" is a placeholder (${url}); replace it before publishing`);
  }
  if (!/^#[0-9a-f]{6}$/i.test(pkg.galleryBanner?.color ?? '') || !['dark', 'light'].includes(pkg.galleryBanner?.theme)) {
    errors.push('package.json: galleryBanner needs a color (#rrggbb) and a theme (dark or light)');
  }
  const categories = Array.isArray(pkg.categories) ? pkg.categories : [];
  if (categories.length === 0) errors.push('package.json: "categories" is empty');
  for (const c of categories) if (!MARKETPLACE_CATEGORIES.includes(c)) errors.push(`package.json: unknown category "${c}"`);
  if ((pkg.keywords ?? []).length > 30) errors.push('package.json: more than 30 keywords (the Marketplace keeps 30)');

  // icon: a PNG of at least 128×128 inside the package (marketplaces reject SVG icons)
  if (typeof pkg.icon !== 'string') errors.push('package.json: "icon" is missing');
  else {
    const icon = read(`extension/${pkg.icon.replace(/^\.\//, '')}`);
    const size = icon && pngSize(icon);
    if (!icon) errors.push(`icon ${pkg.icon} is not in the vsix`);
    else if (!size) errors.push(`icon ${pkg.icon} is not a PNG`);
    else if (size.width < MIN_ICON_SIZE || size.height < MIN_ICON_SIZE) errors.push(`icon ${pkg.icon} is ${size.width}×${size.height}, needs at least ${MIN_ICON_SIZE}×${MIN_ICON_SIZE}`);
    else if (size.width !== size.height) errors.push(`icon ${pkg.icon} is ${size.width}×${size.height}, not square`);
    else notes.push(`icon ${pkg.icon}: ${size.width}×${size.height} PNG`);
  }

  // contents: what the extension needs, and nothing of the sources
  const main = pkg.main && `extension/${pkg.main.replace(/^\.\//, '')}`;
  if (!main || !entries.has(main)) errors.push(`main ${pkg.main} is not in the vsix`);
  else errors.push(...missingRequires(entries, main));
  for (const file of ['extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt', 'extension/package.nls.json', 'extension.vsixmanifest']) {
    if (!names.some((n) => n.toLowerCase() === file.toLowerCase())) errors.push(`${file} is not in the vsix`);
  }
  const forbidden = names.filter((n) => FORBIDDEN_DIRS.some((d) => n.startsWith(`extension/${d}`)));
  if (forbidden.length) errors.push(`the vsix holds files that must not ship: ${forbidden.slice(0, 5).join(', ')}${forbidden.length > 5 ? ` and ${forbidden.length - 5} more` : ''}`);
  const manifest = read('extension.vsixmanifest')?.toString('utf8') ?? '';
  if (manifest && !manifest.includes(`Version="${pkg.version}"`)) errors.push('extension.vsixmanifest does not carry the package version');
  if (manifest && pkg.icon && !manifest.includes('Microsoft.VisualStudio.Services.Icons.Default')) errors.push('extension.vsixmanifest declares no icon');
  notes.push(`${names.length} files, engine ${engine}, categories ${categories.join(', ')}`);
  return { errors, notes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const file = resolve(root, process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'qoder-deployments.vsix');
  try {
    const { errors, notes } = checkVsix(readZip(readFileSync(file)), { release: process.argv.includes('--release') });
    for (const n of notes) console.log(`  note: ${n}`);
    for (const e of errors) console.log(`  ✘ ${e}`);
    console.log(errors.length ? `publish:check: ${errors.length} problem(s) in ${file}` : `publish:check: ${file} is ready for Open VSX and the Marketplace`);
    process.exit(errors.length ? 1 : 0);
  } catch (err) {
    console.error(`publish:check: cannot read ${file}: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
