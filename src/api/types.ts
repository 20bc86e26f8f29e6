// Shapes of the Qoder Cloud Agents Deployments API (the Deployments API reference).
// A Deployment is the server's JSON itself, checked in place (parse.ts), so every field the
// server sent stays for "Show Details"; runs keep what the extension reads and `raw`.

export interface AgentRef {
  id: string;
  type: 'agent';
  version: number;
}

export interface Schedule {
  type: 'cron';
  /** 5-field POSIX cron. */
  expression: string;
  /** IANA time zone the expression is matched in. */
  timezone: string;
  /** Up to 5 future fire times (UTC ISO strings). Empty once archived. */
  upcoming_runs_at: string[];
  last_run_at: string | null;
}

export type PausedReason =
  | { type: 'manual' }
  | { type: 'error'; error: { type: string } }
  /** Any variant the docs do not name yet; rendered generically. */
  | { type: string; error?: { type: string } };

/** Legacy `metadata.cas_config.stats` ([old] docs); absent from newer responses. */
export interface RunStats {
  total_runs?: number;
  total_failures?: number;
  consecutive_failures?: number;
  next_trigger_at?: string;
  last_triggered_at?: string;
}

export type DeploymentStatus = 'active' | 'paused';

export interface Deployment {
  id: string;
  type: 'deployment';
  name: string;
  description: string;
  agent: AgentRef;
  environment_id: string;
  schedule: Schedule | null;
  status: DeploymentStatus | string;
  paused_reason: PausedReason | null;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
  metadata: Record<string, unknown>;
  /** Run statistics from the old `metadata.cas_config.stats`, when present (not enumerable: not part of the JSON). */
  readonly stats: RunStats | null;
  /** Every other field the server sent, untouched. */
  readonly [field: string]: unknown;
}

export type TriggerContext =
  | { type: 'manual' }
  | { type: 'schedule'; scheduled_at?: string }
  | { type: string; scheduled_at?: string };

export interface DeploymentRun {
  id: string;
  type: 'deployment_run';
  deployment_id: string;
  agent: AgentRef | null;
  created_at: string;
  session_id: string | null;
  error: { type: string; message: string } | null;
  trigger_context: TriggerContext;
  /** [old] shape only. */
  status?: string;
  raw: Record<string, unknown>;
}

export interface ListPage<T> {
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
  next_page: string | null;
  /** Items of the page that could not be parsed (reported, never silently dropped). */
  invalid: InvalidItem[];
}

export interface InvalidItem {
  index: number;
  id?: string;
  reason: string;
}

export interface DeploymentListFilter {
  include_archived?: boolean;
  status?: DeploymentStatus;
  agent_id?: string;
  created_at_gte?: string;
  created_at_lte?: string;
  /** Page size, 1–100 (default 100). */
  limit?: number;
}

export interface RunListFilter {
  limit?: number;
  triggered_after?: string;
  triggered_before?: string;
  /** Continue after this cursor (`next_page` of the previous page). */
  page?: string;
}

/** `GET /deployment_runs` (runs of every deployment). */
export interface AllRunsFilter {
  /** Runs created at or after this time (RFC 3339); inclusive, because run times are whole seconds. */
  created_at_gte?: string;
  /** Page size, 1–100 (default 100). */
  limit?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** Options of a create or a run: the same `idempotencyKey` makes a retry replay the first answer. */
export interface WriteOptions extends RequestOptions {
  idempotencyKey?: string;
}
