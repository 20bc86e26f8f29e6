// Bodies of `POST /deployments` (create, §4.2) and `POST /deployments/{id}` (update, §4.3).
// They are plain JSON in the API's own shape; the server validates every value.

/** `"agent_…"` (latest version) or a pinned `{id, type: "agent", version}`. */
export type AgentInput = string | { id: string; type?: 'agent'; version: number };

/** A schedule as sent: the three documented fields (the server fills upcoming_runs_at). */
export interface ScheduleInput {
  type: 'cron';
  expression: string;
  timezone: string;
}

export interface DeploymentCreateBody {
  name: string;
  agent: AgentInput;
  environment_id: string;
  initial_events: unknown[];
  description?: string;
  schedule?: ScheduleInput | null;
  resources?: unknown[];
  vault_ids?: string[];
  metadata?: Record<string, string>;
  environment_variables?: string;
}

/**
 * A merge-patch: every field optional (omitted = unchanged), `schedule` replaces the whole
 * object, `metadata` keys set to `null` are deleted.
 */
export interface DeploymentPatch {
  name?: string;
  description?: string | null;
  agent?: AgentInput;
  environment_id?: string;
  schedule?: ScheduleInput | null;
  initial_events?: unknown[];
  resources?: unknown[] | null;
  vault_ids?: string[] | null;
  metadata?: Record<string, string | null> | null;
  environment_variables?: string | null;
}
