import type { RunDir } from '../../lib/paths';
import type { Workbench } from '../workbench';

export interface FlowContext {
  /** base URL of the local fake API (undefined for the smoke fixture) */
  apiBaseUrl?: string;
  /** token the local API accepts */
  apiToken?: string;
  /** origin of the local API (http://127.0.0.1:<port>) for its /__local/ control routes */
  apiOrigin?: string;
  /** folder for the cropped README screenshots (tree.png, archive-modal.png) */
  readmeShotsDir?: string;
  /** workbench URL (code-server) */
  workbenchUrl: string;
  /** the .vsix under test (flows that start a second, clean code-server install it too) */
  vsix?: string;
  /** user settings of the run's code-server (a second code-server starts from the same) */
  settings?: Record<string, unknown>;
  /** run dirs of every code-server + browser of this run (flows add theirs); searched for the token afterwards */
  runDirs?: RunDir[];
}

export interface Flow {
  name: string;
  run(wb: Workbench, ctx: FlowContext): Promise<void>;
}

export function expect(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}
