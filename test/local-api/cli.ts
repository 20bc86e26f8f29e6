// Runs the local Deployments API:
//   node --import tsx test/local-api/cli.ts --port 4010 --token pt-local-demo --seed 40 \
//     [--fault '<json FaultSpec>']... [--limit-mode cap] [--account pt-other:25] [--legacy-shapes] [--verbose]
// Prints exactly one line to stdout when ready; request logs (--verbose) go to stderr.

import { startLocalApi, type FaultSpec, type LocalApiOptions } from './server';
import { validateFault } from './faults';

const USAGE = `usage: cli.ts [--port N] [--token T] [--seed N] [--fault JSON]... [--limit-mode reject|cap] [--account TOKEN:SEED]... [--live-session-ms N] [--heartbeat-ms N] [--latency MS] [--legacy-shapes] [--verbose] [--quiet]`;

function fail(msg: string): never {
  process.stderr.write(`${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): LocalApiOptions {
  const opts: LocalApiOptions = { quiet: false, warm: true };
  const faults: FaultSpec[] = [];
  const accounts: NonNullable<LocalApiOptions['accounts']> = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i] as string;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = (): string => {
      if (value !== undefined) return value;
      const v = argv[++i];
      if (v === undefined) fail(`missing value for ${arg}`);
      return v;
    };
    const int = (v: string): number => {
      if (!/^\d+$/.test(v)) fail(`${arg} expects a non-negative integer, got ${v}`);
      return Number(v);
    };
    switch (arg) {
      case '--port':
        opts.port = int(next());
        break;
      case '--token':
        opts.token = next();
        break;
      case '--seed':
        opts.seed = int(next());
        break;
      case '--fault': {
        const raw = next();
        try {
          const parsed = JSON.parse(raw) as unknown;
          for (const f of Array.isArray(parsed) ? parsed : [parsed]) faults.push(validateFault(f));
        } catch (e) {
          fail(`invalid --fault ${raw}: ${(e as Error).message}`);
        }
        break;
      }
      case '--limit-mode': {
        const m = next();
        if (m !== 'reject' && m !== 'cap') fail(`--limit-mode must be reject or cap`);
        opts.limitMode = m;
        break;
      }
      case '--account': {
        const [token, seed] = next().split(':');
        if (!token || seed === undefined) fail('--account expects TOKEN:SEED');
        accounts.push({ token, seed: int(seed) });
        break;
      }
      case '--live-session-ms':
        opts.liveSessionMs = int(next());
        break;
      case '--heartbeat-ms':
        opts.heartbeatMs = int(next());
        break;
      case '--latency':
        opts.latencyMs = int(next());
        break;
      case '--verbose':
        opts.verbose = true;
        break;
      case '--legacy-shapes':
        opts.legacyShapes = true;
        break;
      case '--quiet':
        opts.quiet = true;
        break;
      case '--help':
      case '-h':
        process.stderr.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${arg}`);
    }
  }
  if (faults.length) opts.faults = faults;
  if (accounts.length) opts.accounts = accounts;
  return opts;
}

async function main(): Promise<void> {
  const api = await startLocalApi(parseArgs(process.argv.slice(2)));
  process.stdout.write(`Qoder local API listening on ${api.baseUrl}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    api.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`local-api failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
