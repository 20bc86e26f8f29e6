// Searches files on disk for secrets (e.g. the Personal Access Token), byte for byte: UTF-8 and
// UTF-16LE (V8 / IndexedDB store some strings as two-byte). Used after e2e runs to prove that
// the token reaches nothing but SecretStorage: logs, settings, extension state, caches.
//
// SecretStorage itself is exempt, and only it: a hit inside the browser profile whose
// surroundings (±SECRET_WINDOW bytes) contain the extension's secret key prefix `qoder.pat:`
// (and VS Code's secret entry marker) is reported as `secretStorage`, not as a leak.
// Plain Node (fs only): bundled into the in-host suite and imported by the UI runner.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface ScanHit {
  file: string;
  offset: number;
  secret: string;
  encoding: 'utf8' | 'utf16le';
  /** printable surroundings, for the report */
  context: string;
  /** the hit is SecretStorage's own entry (allowed) */
  secretStorage: boolean;
}

export interface ScanResult {
  files: number;
  bytes: number;
  /** leaks: every hit that is not SecretStorage's own entry */
  leaks: ScanHit[];
  /** hits recognised as SecretStorage (allowed, counted for the report) */
  secretStorage: ScanHit[];
  /** files that could not be read (e.g. removed while scanning) */
  unreadable: string[];
}

export interface ScanOptions {
  /** folders in which a hit next to `qoder.pat:` counts as SecretStorage (the browser profile) */
  secretStorageRoots?: string[];
  /** paths (files or folders) to leave out */
  exclude?: string[];
  /** skip files larger than this (default 64 MB) */
  maxFileBytes?: number;
}

const SECRET_WINDOW = 512;
const SECRET_KEY_MARKERS = ['qoder.pat:'];

function within(path: string, roots: string[]): boolean {
  return roots.some((r) => path === r || path.startsWith(r.endsWith('/') ? r : `${r}/`));
}

function* walk(path: string, exclude: string[]): Generator<string> {
  if (within(path, exclude)) return;
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    let names: string[] = [];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const n of names.sort()) yield* walk(join(path, n), exclude);
  } else if (st.isFile()) {
    yield path;
  }
}

function printable(buf: Buffer): string {
  return buf.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
}

function indexesOf(hay: Buffer, needle: Buffer): number[] {
  const out: number[] = [];
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) out.push(i);
  return out;
}

/** Every occurrence of every secret in the files under `roots` (files or folders). */
export function scanForSecrets(roots: string[], secrets: string[], opts: ScanOptions = {}): ScanResult {
  const wanted = secrets.filter((s) => s.length >= 6);
  if (wanted.length !== secrets.length) throw new Error('scanForSecrets: secrets must be at least 6 characters');
  const exclude = opts.exclude ?? [];
  const ssRoots = opts.secretStorageRoots ?? [];
  const max = opts.maxFileBytes ?? 64 * 1024 * 1024;
  const needles = wanted.flatMap((secret) => [
    { secret, encoding: 'utf8' as const, bytes: Buffer.from(secret, 'utf8') },
    { secret, encoding: 'utf16le' as const, bytes: Buffer.from(secret, 'utf16le') },
  ]);
  const markers = SECRET_KEY_MARKERS.flatMap((m) => [Buffer.from(m, 'utf8'), Buffer.from(m, 'utf16le')]);
  const result: ScanResult = { files: 0, bytes: 0, leaks: [], secretStorage: [], unreadable: [] };
  const seen = new Set<string>();
  for (const root of roots) {
    for (const file of walk(root, exclude)) {
      if (seen.has(file)) continue;
      seen.add(file);
      let buf: Buffer;
      try {
        if (lstatSync(file).size > max) continue;
        buf = readFileSync(file);
      } catch {
        result.unreadable.push(file);
        continue;
      }
      result.files++;
      result.bytes += buf.length;
      for (const n of needles) {
        for (const at of indexesOf(buf, n.bytes)) {
          const around = buf.subarray(Math.max(0, at - SECRET_WINDOW), Math.min(buf.length, at + n.bytes.length + SECRET_WINDOW));
          const secretStorage = within(file, ssRoots) && markers.some((m) => around.includes(m));
          const hit: ScanHit = {
            file,
            offset: at,
            secret: n.secret,
            encoding: n.encoding,
            context: printable(buf.subarray(Math.max(0, at - 80), Math.min(buf.length, at + n.bytes.length + 80))),
            secretStorage,
          };
          (secretStorage ? result.secretStorage : result.leaks).push(hit);
        }
      }
    }
  }
  return result;
}

/** One line per hit, paths relative to `base`, the secret itself masked. */
export function describeHits(hits: ScanHit[], base: string): string[] {
  return hits.map((h) => {
    const mask = (s: string) => s.split(h.secret).join('<TOKEN>').split(h.secret.split('').join('.')).join('<TOKEN>');
    return `${relative(base, h.file)} @${h.offset} (${h.encoding}): …${mask(h.context)}…`;
  });
}
