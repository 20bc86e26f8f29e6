// Lets code-server run in a display language offline. VS Code only switches language when a
// language pack for it is installed, and packs come from a marketplace we cannot reach. The
// server reads `languagepacks.json` from the user-data dir: declaring a pack there whose core
// translation is empty makes the workbench run in that locale (VS Code's own strings stay
// English), so extensions load their own `package.nls.<locale>.json` and
// `l10n/bundle.l10n.<locale>.json`. Call before startCodeServer({ locale }).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDir } from './paths';

export function declareLanguagePack(dir: RunDir, locale: string): void {
  mkdirSync(dir.userData, { recursive: true });
  const core = join(dir.userData, `${locale}-core.i18n.json`);
  writeFileSync(core, JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(join(dir.userData, 'languagepacks.json'), JSON.stringify({
    [locale]: {
      hash: `qoder-e2e-${locale}`,
      extensions: [{ extensionIdentifier: { id: `qoder-e2e.language-pack-${locale}`, uuid: '00000000-0000-0000-0000-000000000000' }, version: '1.0.0' }],
      translations: { vscode: core },
      label: locale,
    },
  }));
}
