// One part of the bench in a fresh process, for bench/compare.ts: prints one JSON line of its
// figures (milliseconds). Copied into the other checkout too, so it only uses what both have:
// measureListAll, clientWalk, rawWalk, newClient, measureTree and measureSessionOpen.
//
//   node --expose-gc --import tsx bench/comparePart.ts list-all|tree|session-open <N>

import './vscode-fake';
import { startApiProcess } from './api-process';
import { clientWalk, measureListAll, newClient, rawWalk } from './list-all';
import { measureSessionOpen } from './session';
import { measureTree } from './tree';

const round = (v: number): number => Math.round(v * 100) / 100;

async function main(): Promise<void> {
  const [part, nText] = process.argv.slice(2);
  const n = Number(nText);
  const api = await startApiProcess({ token: 'pt-bench-local', now: Date.now() });
  try {
    let out: Record<string, number>;
    if (part === 'list-all') {
      const r = await measureListAll(api, n, 5, true);
      out = { list_all_ms_client: r.clientMs, list_all_ms_raw: r.rawMs, list_all_ratio: r.ratio, list_all_cpu_ms_client: r.clientCpuMs, list_all_cpu_ms_raw: r.rawCpuMs, list_all_cpu_ratio: r.cpuRatio };
    } else if (part === 'tree') {
      await api.reseed(n);
      const { deployments } = await clientWalk(newClient(api));
      const { bodies } = await rawWalk(api.baseUrl, api.token, true);
      const t = await measureTree(deployments, bodies, 15, 3, true);
      out = {
        tree_build_ms: t.buildMs,
        json_parse_ms: t.jsonParseMs,
        tree_refresh_ms: t.refreshMs,
        tree_refresh_ms_item_cache: t.refreshCachedMs,
        tree_tooltip_ms: t.tooltipMs,
        tree_tooltip_ms_cached_date_format: t.tooltipCachedDateFormatMs,
      };
    } else if (part === 'session-open') {
      const s = await measureSessionOpen(api, n, 5);
      out = { session_open_ms: s.openMs, session_render_ms: s.renderMs };
    } else {
      throw new Error(`unknown part ${part}`);
    }
    process.stdout.write(`${JSON.stringify(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, round(v)])))}\n`);
  } finally {
    await api.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
