// UI flows against the real extension (qoder-deployments.vsix) and the local fake API.
// Skeleton: extend with the product's flows. Command titles come from package.json, so a
// renamed title does not break the flows: use cmd('qoder.refresh').
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../lib/paths';
import { expect, type Flow } from './types';

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
}

/** Resolves `%key%` placeholders with package.nls.json (the English strings). */
function nls(value: string): string {
  const file = join(ROOT, 'package.nls.json');
  if (!existsSync(file)) return value;
  const strings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return value.replace(/^%(.+)%$/, (m, key: string) => strings[key] ?? m);
}

/** "Category: Title" of a contributed command, as the command palette shows it. */
export function cmd(id: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes?: { commands?: CommandContribution[] } };
  const c = pkg.contributes?.commands?.find((x) => x.command === id);
  if (!c) throw new Error(`command ${id} is not contributed in package.json`);
  return c.category ? `${nls(c.category)}: ${nls(c.title)}` : nls(c.title);
}

export const qoderFlows: Flow[] = [
  {
    name: 'Qoder view container opens with the Deployments view',
    async run(wb) {
      await wb.openViewContainer('Qoder');
      await wb.waitForView(/Deployments/);
      await wb.screenshot('qoder-view-empty');
    },
  },
  {
    name: 'set token via the command palette, tree fills from the local API',
    async run(wb, ctx) {
      expect(ctx.apiToken, 'local API token missing');
      await wb.runCommand(cmd('qoder.setToken'));
      await wb.screenshot('set-token-input');
      await wb.typeInQuickInput(ctx.apiToken);
      await wb.openViewContainer('Qoder');
      // the seeded local API has deployments; any row proves the round trip
      await wb.page.locator('.part.sidebar .monaco-list-row').first().waitFor({ timeout: 30_000 });
      await wb.screenshot('qoder-view-with-deployments');
    },
  },
];
