#!/usr/bin/env node
// Renders media/icon.svg to media/icon.png (256×256, transparent corners), the marketplace icon.
// Marketplaces reject SVG icons; the activity bar keeps media/qoder.svg. Needs Chromium
// (QODER_E2E_CHROMIUM or /usr/bin/chromium). Run it after editing media/icon.svg.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = 256;
const chromium = process.env.QODER_E2E_CHROMIUM || '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'qoder-icon-'));
const out = join(ROOT, 'media', 'icon.png');
try {
  const r = spawnSync(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run',
    `--user-data-dir=${profile}`, '--default-background-color=00000000',
    `--window-size=${SIZE},${SIZE}`, `--screenshot=${out}`,
    pathToFileURL(join(ROOT, 'media', 'icon.svg')).href,
  ], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${chromium} exited with ${r.status ?? r.signal}: ${r.stderr}`);
  console.log(`wrote ${out} (${SIZE}×${SIZE})`);
} finally {
  rmSync(profile, { recursive: true, force: true });
}
