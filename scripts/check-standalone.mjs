// The repository must stand alone: a clone on any machine, in any directory, builds and passes
// its tests. Run by `npm run lint`. It fails on
//   - any tracked symlink (git stores the link's target; a clone elsewhere points nowhere, and
//     `.gitignore`'s `dir/` does not match a link named `dir`, so nothing else notices);
//   - any tracked text that names this checkout's parent folder, the home folder, or the
//     reference folder beside the repository (an absolute path of a build machine).
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const problems = [];

for (const line of git('ls-files', '-s', '-z').split('\0')) {
  const m = /^(\d+) [0-9a-f]+ \d+\t(.*)$/.exec(line);
  if (m && m[1] === '120000') problems.push(`${m[2]}: a tracked symlink (git rm --cached it; the repository must stand alone)`);
}

/** Needles that only a build machine's own paths contain. A root of "/" would match everything. */
const needles = [...new Set([dirname(root), homedir()])].filter((p) => p.length > 1).map((p) => `${p}/`);
const refDir = ['..', 'shared'].join('/'); // spelled apart so this file does not match itself
const patterns = [...needles, refDir];
const grepArgs = ['grep', '-n', '-I', '-F'];
for (const p of patterns) grepArgs.push('-e', p);
grepArgs.push('--', '.', ':!package-lock.json');
let found = '';
try {
  found = git(...grepArgs);
} catch (e) {
  if (e.status !== 1) throw e; // 1: nothing found
}
for (const hit of found.split('\n').filter(Boolean)) problems.push(`${hit.slice(0, 200)}: names a path outside the repository`);

if (problems.length) {
  console.error(`check-standalone: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('check-standalone: no tracked symlink, no path outside the repository');
