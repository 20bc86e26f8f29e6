// Checks that translations are complete: the committed l10n bundle matches what the sources
// say today, and every string (code and package.json) has a zh-CN translation with the same
// placeholders. Run by `npm run lint`; `npm run l10n` regenerates the English bundle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOCALES = ['zh-cn'];
const problems = [];
const read = (f) => JSON.parse(readFileSync(f, 'utf8'));
const placeholders = (s) => (s.match(/\{\d+\}/g) ?? []).sort().join(',');

const tmp = mkdtempSync(join(tmpdir(), 'l10n-'));
try {
  execFileSync(process.execPath, ['node_modules/@vscode/l10n-dev/dist/cli.js', 'export', '--outDir', tmp, './src'], { stdio: 'pipe' });
  const fresh = read(join(tmp, 'bundle.l10n.json'));
  const committed = read('l10n/bundle.l10n.json');
  const missing = Object.keys(fresh).filter((k) => !(k in committed));
  const extra = Object.keys(committed).filter((k) => !(k in fresh));
  if (missing.length || extra.length) problems.push(`l10n/bundle.l10n.json is out of date (${missing.length} new, ${extra.length} gone): run npm run l10n`);

  const sets = [['l10n/bundle.l10n.json', fresh, (l) => `l10n/bundle.l10n.${l}.json`], ['package.nls.json', read('package.nls.json'), (l) => `package.nls.${l}.json`]];
  for (const [name, source, target] of sets) {
    for (const locale of LOCALES) {
      const file = target(locale);
      let tr;
      try {
        tr = read(file);
      } catch (e) {
        problems.push(`${file}: cannot read (${e.message})`);
        continue;
      }
      for (const [key, en] of Object.entries(source)) {
        if (!(key in tr)) problems.push(`${file}: missing ${JSON.stringify(key)}`);
        else if (placeholders(en) !== placeholders(tr[key])) problems.push(`${file}: placeholders differ for ${JSON.stringify(key)}`);
      }
      for (const key of Object.keys(tr)) if (!(key in source)) problems.push(`${file}: ${JSON.stringify(key)} is not in ${name}`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`Localization check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('Localization check: every string has a zh-CN translation.');
