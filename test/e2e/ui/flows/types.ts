import type { Workbench } from '../workbench';

export interface FlowContext {
  /** base URL of the local fake API (undefined for the smoke fixture) */
  apiBaseUrl?: string;
  /** token the local API accepts */
  apiToken?: string;
  /** workbench URL (code-server) */
  workbenchUrl: string;
}

export interface Flow {
  name: string;
  run(wb: Workbench, ctx: FlowContext): Promise<void>;
}

export function expect(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}
