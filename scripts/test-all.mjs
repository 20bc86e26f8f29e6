// `npm test`: every check and every test, in order. On a fresh machine the end-to-end hosts take
// minutes to install (downloads, then native builds), so that install starts first, in the
// background, while the tiers that need no host run; the end-to-end tiers wait for it.
// Built-ins only.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FAST = ['lint', 'test:unit', 'test:integration', 'test:local-api', 'test:bundle', 'bench:smoke', 'publish:check'];
const HOSTED = ['test:e2e', 'test:e2e:ui'];
const started = Date.now();
const secs = () => `${Math.round((Date.now() - started) / 1000)} s`;

function npmRun(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', script], { stdio: 'inherit' });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

mkdirSync('test-results', { recursive: true });
const setupLog = join('test-results', 'e2e-setup.log');
const setupOut = createWriteStream(setupLog);
console.log(`[test] installing the end-to-end hosts in the background (log: ${setupLog})`);
const setup = new Promise((resolve) => {
  const child = spawn(process.execPath, ['test/e2e/setup.mjs'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(setupOut, { end: false });
  child.stderr.pipe(setupOut, { end: false });
  child.on('close', (code, signal) => setupOut.end(() => resolve(code ?? (signal ? 1 : 0))));
});

let failed = '';
for (const script of FAST) {
  console.log(`\n[test +${secs()}] npm run ${script}`);
  if ((await npmRun(script)) !== 0) {
    failed = script;
    break;
  }
}

console.log(`\n[test +${secs()}] waiting for the end-to-end hosts`);
const setupCode = await setup;
console.log(`[test +${secs()}] host install ${setupCode === 0 ? 'done' : `failed (exit ${setupCode})`}; its output:`);
process.stdout.write(readFileSync(setupLog, 'utf8'));
if (!failed && setupCode !== 0) failed = 'e2e:setup';

if (!failed) {
  for (const script of HOSTED) {
    console.log(`\n[test +${secs()}] npm run ${script}`);
    if ((await npmRun(script)) !== 0) {
      failed = script;
      break;
    }
  }
}

console.log(`\n[test +${secs()}] ${failed ? `FAILED at ${failed}` : 'every check and every test passed'}`);
process.exit(failed ? 1 : 0);
