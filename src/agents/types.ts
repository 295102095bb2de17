/** The values the agents' planners take and give: pure data, no IO. */
import type { AgentName, AgentSettings } from './catalog.js';

/** One of an agent's files as found: its path and its text (`null` when it does not exist yet). */
export interface AgentFile {
  readonly path: string;
  readonly before: string | null;
}

/** What one file should become. `after === before` means nothing to write. */
export interface FileChange extends AgentFile {
  readonly agent: AgentName;
  readonly after: string;
}

/** A warning for the user that a planner found in a file (a setting that would get in the way). */
export interface PlanResult {
  readonly changes: readonly FileChange[];
  readonly warnings: readonly string[];
}

/** An agent's merge: its files as found (in the order its locator gives them) and the settings → the new texts. Pure. */
export type Planner = (files: readonly AgentFile[], settings: AgentSettings) => PlanResult;
