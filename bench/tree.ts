// 2. Tree build: the real DeploymentsTreeProvider on the fake `vscode`, for every deployment.
// Needs `vscode` to resolve to test/fakes/vscode.ts (see vscode-fake.ts), so it is loaded lazily.
//
// Two "what if" figures are measured here too, for changes recommended in src/ (bench/README.md):
// tooltips with a cached Intl.DateTimeFormat, and a refresh that reuses unchanged TreeItems.

import type { Deployment } from '../src/api/types';
import { fullGc, log, median, round } from './stats';

export interface TreeResult {
  n: number;
  /** new provider + getChildren() + getTreeItem() for every node (label, description, icon, contextValue). */
  buildMs: number;
  /** resolveTreeItem() for every item: the lazy tooltips, as if each one were hovered. */
  tooltipMs: number;
  tooltipRuns: number;
  /** The same tooltips with Date#toLocale*String answered by cached Intl.DateTimeFormats (identical text). */
  tooltipCachedDateFormatMs: number;
  /** build + tooltips: what an eager provider would pay up front. */
  eagerWithTooltipMs: number;
  /** getChildren() + getTreeItem() again on the same provider (a refresh with the same list). */
  refreshMs: number;
  /** Same refresh with a prototype that reuses the TreeItem of an unchanged Deployment object. */
  refreshCachedMs: number;
  /** JSON.parse of the page bodies that carried these deployments (the baseline). */
  jsonParseMs: number;
  payloadBytes: number;
  ratio: number;
  tooltipRatio: number;
}

export async function measureTree(deployments: Deployment[], bodies: string[], runs: number, tooltipRuns: number, warmup: boolean): Promise<TreeResult> {
  const { DeploymentStore } = await import('../src/deployments/model/deploymentStore');
  const { RunStore } = await import('../src/runs/model/runStore');
  const { DeploymentsTreeProvider, DeploymentNode } = await import('../src/deployments/deploymentsTree');
  type Provider = InstanceType<typeof DeploymentsTreeProvider>;
  type Node = Parameters<Provider['getTreeItem']>[0];
  type Item = ReturnType<Provider['getTreeItem']>;

  const store = new DeploymentStore({ includeArchived: true });
  store.setSource({ listAll: async () => ({ deployments, invalid: [] }) });
  await store.refresh();
  if (store.deployments.length !== deployments.length) throw new Error('store did not take every deployment');
  const runStore = new RunStore();
  const payloadBytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);

  /** Prototype only (not shipped): one TreeItem per Deployment object; the store replaces objects that change. */
  class ItemCacheProvider extends DeploymentsTreeProvider {
    private readonly items = new WeakMap<Deployment, Item>();
    getTreeItem(element: Node): Item {
      if (!(element instanceof DeploymentNode)) return super.getTreeItem(element);
      const d = store.get(element.id);
      if (!d || store.pendingAction(d.id)) return super.getTreeItem(element);
      let item = this.items.get(d);
      if (!item) {
        item = super.getTreeItem(element);
        this.items.set(d, item);
      }
      return item;
    }
  }

  const build = (tree: Provider) => {
    const nodes = tree.getChildren() as Node[];
    const items = new Array<Item>(nodes.length);
    for (let i = 0; i < nodes.length; i++) items[i] = tree.getTreeItem(nodes[i]);
    return { nodes, items };
  };
  let sink = 0;
  const check = (items: Item[], withTooltip: boolean): void => {
    const bad = items.find((it) => !it.label || !it.description || !it.iconPath || !it.contextValue || (withTooltip && !it.tooltip));
    if (bad || items.length !== deployments.length) throw new Error(`tree item incomplete: ${JSON.stringify(bad)}`);
  };
  if (warmup) {
    for (let i = 0; i < 3; i++) {
      const tree = new DeploymentsTreeProvider(store, runStore);
      const { nodes, items } = build(tree);
      for (let j = 0; j < Math.min(nodes.length, 500); j++) tree.resolveTreeItem(items[j], nodes[j]);
      tree.dispose();
      const cached = new ItemCacheProvider(store, runStore);
      build(cached);
      build(cached);
      cached.dispose();
      for (const b of bodies) sink += (JSON.parse(b) as { data: unknown[] }).data.length;
    }
  }

  // Relative times ("in 3 min") read the clock: both tooltip passes see the same instant.
  const frozen = Date.now();
  const buildMs: number[] = [];
  const tooltipMs: number[] = [];
  const fmtCachedMs: number[] = [];
  const refreshMs: number[] = [];
  const refreshCachedMs: number[] = [];
  const parseMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    fullGc();
    let t = performance.now();
    const tree = new DeploymentsTreeProvider(store, runStore);
    const { nodes, items } = build(tree);
    buildMs.push(performance.now() - t);
    if (r === 0) check(items, false);

    if (r < tooltipRuns) {
      fullGc();
      t = performance.now();
      withFrozenNow(frozen, () => {
        for (let j = 0; j < nodes.length; j++) tree.resolveTreeItem(items[j], nodes[j]);
      });
      tooltipMs.push(performance.now() - t);
      if (r === 0) check(items, true);

      const other = new DeploymentsTreeProvider(store, runStore);
      const again = build(other);
      fullGc();
      t = performance.now();
      withFrozenNow(frozen, () =>
        withCachedDateFormat(() => {
          for (let j = 0; j < again.nodes.length; j++) tree.resolveTreeItem(again.items[j], again.nodes[j]);
        }),
      );
      fmtCachedMs.push(performance.now() - t);
      if (r === 0) {
        const j = items.findIndex((it, k) => tooltipText(it) !== tooltipText(again.items[k]));
        if (j >= 0) throw new Error(`cached date formatting changed tooltip ${j}:\n${tooltipText(items[j])}\n---\n${tooltipText(again.items[j])}`);
      }
      other.dispose();
    }

    fullGc();
    t = performance.now();
    sink += build(tree).items.length;
    refreshMs.push(performance.now() - t);
    tree.dispose();

    const cached = new ItemCacheProvider(store, runStore);
    build(cached);
    fullGc();
    t = performance.now();
    sink += build(cached).items.length;
    refreshCachedMs.push(performance.now() - t);
    cached.dispose();

    fullGc();
    t = performance.now();
    for (const b of bodies) sink += (JSON.parse(b) as { data: unknown[] }).data.length;
    parseMs.push(performance.now() - t);
  }
  if (sink < 0) log('impossible');
  store.dispose();
  runStore.dispose();

  const res: TreeResult = {
    n: deployments.length,
    buildMs: median(buildMs),
    tooltipMs: median(tooltipMs),
    tooltipRuns: tooltipMs.length,
    tooltipCachedDateFormatMs: median(fmtCachedMs),
    eagerWithTooltipMs: median(buildMs.slice(0, tooltipMs.length).map((b, i) => b + tooltipMs[i])),
    refreshMs: median(refreshMs),
    refreshCachedMs: median(refreshCachedMs),
    jsonParseMs: median(parseMs),
    payloadBytes,
    ratio: 0,
    tooltipRatio: 0,
  };
  res.ratio = res.buildMs / res.jsonParseMs;
  res.tooltipRatio = res.eagerWithTooltipMs / res.jsonParseMs;
  log(
    `tree N=${res.n}: build ${round(res.buildMs)} ms, JSON.parse ${round(res.jsonParseMs)} ms (${round(payloadBytes / 1e6)} MB), ` +
      `tooltips ${round(res.tooltipMs)} ms (with cached date formatters ${round(res.tooltipCachedDateFormatMs)} ms), ` +
      `refresh ${round(res.refreshMs)} ms (item cache ${round(res.refreshCachedMs)} ms)`,
  );
  return res;
}

function tooltipText(item: { tooltip?: unknown }): string {
  const t = item.tooltip;
  return typeof t === 'string' ? t : String((t as { value?: unknown } | undefined)?.value);
}

/**
 * Runs `fn` with Date#toLocaleString / toLocaleDateString / toLocaleTimeString answered by one
 * cached Intl.DateTimeFormat per (locales, options), when the options name what to show (so the
 * result is identical). What a cached formatter in src/deployments/model/describe.ts would save.
 */
function withCachedDateFormat(fn: () => void): void {
  const P = Date.prototype;
  const saved = { s: P.toLocaleString, d: P.toLocaleDateString, t: P.toLocaleTimeString };
  const cache = new Map<string, Intl.DateTimeFormat>();
  const FIELDS = ['dateStyle', 'timeStyle', 'year', 'month', 'day', 'weekday', 'hour', 'minute', 'second'];
  const wrap = (orig: (this: Date, l?: Intl.LocalesArgument, o?: Intl.DateTimeFormatOptions) => string) =>
    function (this: Date, locales?: Intl.LocalesArgument, options?: Intl.DateTimeFormatOptions): string {
      if (!options || !FIELDS.some((k) => (options as Record<string, unknown>)[k] !== undefined)) return orig.call(this, locales, options);
      const key = JSON.stringify([locales ?? null, options]);
      let f = cache.get(key);
      if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locales, options)));
      return f.format(this);
    };
  P.toLocaleString = wrap(saved.s);
  P.toLocaleDateString = wrap(saved.d);
  P.toLocaleTimeString = wrap(saved.t);
  try {
    fn();
  } finally {
    P.toLocaleString = saved.s;
    P.toLocaleDateString = saved.d;
    P.toLocaleTimeString = saved.t;
  }
}

function withFrozenNow(now: number, fn: () => void): void {
  const saved = Date.now;
  Date.now = () => now;
  try {
    fn();
  } finally {
    Date.now = saved;
  }
}
