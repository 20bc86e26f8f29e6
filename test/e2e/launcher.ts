// Stand-in for the VS Code executable, for @vscode/test-electron's
// runTests({ vscodeExecutablePath: 'test/e2e/launcher' }). Understands
//   --extensionDevelopmentPath=<dir> (first one is used)   --extensionTestsPath=<file or dir>
//   a positional folder (workspace to open)
// and ignores the other flags test-electron passes (--no-sandbox, --disable-updates,
// --user-data-dir=…, --extensions-dir=…, …): every run gets fresh dirs under .cache/e2e/runs/.
// Exits with the code the workbench reports through codeAutomationExit (1 on timeout / no start).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInHost } from './lib/hostRun';
import { exitWithParent, log, runMain } from './lib/procs';

function parse(argv: string[]) {
  const out: { dev: string[]; tests?: string; folder?: string } = { dev: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, value] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--extensionDevelopmentPath') out.dev.push(value ?? argv[++i]);
    else if (flag === '--extensionTestsPath') out.tests = value ?? argv[++i];
    else if (!a.startsWith('-') && !out.folder) out.folder = a;
    // everything else: ignored on purpose
  }
  return out;
}

function resolveTests(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs) && statSync(abs).isDirectory()) return join(abs, 'index.js');
  if (!existsSync(abs) && existsSync(`${abs}.js`)) return `${abs}.js`;
  return abs;
}

void runMain(async () => {
  exitWithParent();
  const args = parse(process.argv.slice(2));
  if (process.argv.includes('--version')) {
    console.log('code-server launcher for @vscode/test-electron');
    return 0;
  }
  if (args.dev.length === 0 || !args.tests) {
    log('usage: launcher --extensionDevelopmentPath=<dir> --extensionTestsPath=<file> [folder]');
    return 2;
  }
  if (args.dev.length > 1) log(`only the first --extensionDevelopmentPath is used (${args.dev[0]})`);
  return runInHost({
    extensionDevelopmentPath: resolve(args.dev[0]),
    extensionTestsPath: resolveTests(args.tests),
    ...(args.folder ? { workspace: resolve(args.folder) } : {}),
  });
});
