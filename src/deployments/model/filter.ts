// The view's filter: by status and by name text. Filtering is client-side because the view
// already holds every deployment (all pages), so it is instant and needs no request.

import type { Deployment } from '../../api/types';
import { isArchived } from './deploymentStore';
import * as l10n from '@vscode/l10n';
import { needsAttention } from './describe';
import { Emitter, type Disposable } from '../../common/events';

export type StatusFilter = 'active' | 'paused' | 'attention';

export interface DeploymentFilter {
  status?: StatusFilter;
  /** Case-insensitive substring of the name. */
  text?: string;
}

export function isFiltering(filter: DeploymentFilter): boolean {
  return filter.status !== undefined || !!filter.text?.trim();
}

export function matchesFilter(deployment: Deployment, filter: DeploymentFilter): boolean {
  if (filter.status === 'attention' && !needsAttention(deployment)) return false;
  if ((filter.status === 'active' || filter.status === 'paused') && (isArchived(deployment) || deployment.status !== filter.status)) return false;
  const text = filter.text?.trim().toLocaleLowerCase();
  if (text && !deployment.name.toLocaleLowerCase().includes(text)) return false;
  return true;
}

export function filterText(filter: DeploymentFilter): string {
  const parts: string[] = [];
  if (filter.status === 'active') parts.push(l10n.t('active'));
  if (filter.status === 'paused') parts.push(l10n.t('paused'));
  if (filter.status === 'attention') parts.push(l10n.t('needs attention'));
  if (filter.text?.trim()) parts.push(`“${filter.text.trim()}”`);
  return parts.join(', ');
}

/** How many deployments each status choice would show: "Needs attention (3)". */
export function statusCounts(list: readonly Deployment[]): Record<StatusFilter | 'all', number> {
  const counts = { all: 0, active: 0, paused: 0, attention: 0 };
  for (const d of list) {
    counts.all++;
    if (isArchived(d)) continue;
    if (d.status === 'active') counts.active++;
    if (d.status === 'paused') counts.paused++;
    if (needsAttention(d)) counts.attention++;
  }
  return counts;
}

/** Calls `fn` once `ms` after the last `schedule()`; `flush()` runs a pending call now. */
export class Debouncer<T> implements Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: { value: T } | undefined;

  constructor(private readonly ms: number, private readonly fn: (value: T) => void) {}

  schedule(value: T): void {
    this.pending = { value };
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.ms);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (p) this.fn(p.value);
  }

  /** Drops a pending call. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}

export class FilterState implements Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private value: DeploymentFilter = {};

  get current(): DeploymentFilter {
    return this.value;
  }
  get active(): boolean {
    return isFiltering(this.value);
  }

  set(filter: DeploymentFilter): void {
    this.value = { ...(filter.status ? { status: filter.status } : {}), ...(filter.text?.trim() ? { text: filter.text.trim() } : {}) };
    this.changed.fire();
  }

  clear(): void {
    this.set({});
  }

  dispose(): void {
    this.changed.dispose();
  }
}
