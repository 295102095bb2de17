/**
 * The agents' table: where each agent keeps its files (from the same environment variables the
 * agents read, as mmx-cli 1.0.27 finds them) and the planner that merges mmx's settings into
 * them. `planAgents` is the pure core of `mmx agent setup`: files as found → files as they should be.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { AgentName, AgentSettings } from './catalog.js';
import { planClaudeCode } from './claude-code.js';
import { CODEX_CATALOG_FILE, planCodex } from './codex.js';
import { AgentFileError } from './formats.js';
import { planGrok } from './grok.js';
import { planHermes } from './hermes.js';
import { planOpenCode } from './opencode.js';
import { planPi } from './pi.js';
import type { AgentFile, FileChange, Planner } from './types.js';

const PLANNERS: Readonly<Record<AgentName, Planner>> = {
  'claude-code': planClaudeCode,
  codex: planCodex,
  grok: planGrok,
  opencode: planOpenCode,
  hermes: planHermes,
  pi: planPi,
};

/** A directory from an environment variable (relative ones are relative to home, as mmx-cli reads them), else the default under home. */
function dirFrom(value: string | undefined, fallback: string, home: string): string {
  const v = value?.trim();
  if (!v) return fallback;
  return isAbsolute(v) ? v : resolve(home, v);
}

/**
 * The files an agent's setup reads and writes, in the order its planner takes them. `exists`
 * decides between OpenCode's `opencode.jsonc` and `opencode.json`.
 */
export function agentPaths(
  agent: AgentName,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
  exists: (path: string) => boolean,
): string[] {
  switch (agent) {
    case 'claude-code':
      return [join(dirFrom(env.CLAUDE_CONFIG_DIR, join(home, '.claude'), home), 'settings.json')];
    case 'codex': {
      const dir = dirFrom(env.CODEX_HOME, join(home, '.codex'), home);
      return [join(dir, 'config.toml'), join(dir, CODEX_CATALOG_FILE)];
    }
    case 'grok':
      return [join(dirFrom(env.GROK_HOME, join(home, '.grok'), home), 'config.toml')];
    case 'opencode': {
      const explicit = env.OPENCODE_CONFIG?.trim();
      if (explicit) return [isAbsolute(explicit) ? explicit : resolve(explicit)];
      const dir = join(dirFrom(env.XDG_CONFIG_HOME, join(home, '.config'), home), 'opencode');
      const jsonc = join(dir, 'opencode.jsonc');
      return [exists(jsonc) ? jsonc : join(dir, 'opencode.json')];
    }
    case 'hermes': {
      const dir = dirFrom(env.HERMES_HOME, join(home, '.hermes'), home);
      return [join(dir, 'config.yaml'), join(dir, '.env')];
    }
    case 'pi': {
      const dir = dirFrom(env.PI_CODING_AGENT_DIR, join(home, '.pi', 'agent'), home);
      return [join(dir, 'models.json'), join(dir, 'settings.json')];
    }
  }
}

export interface AgentPlan {
  readonly changes: FileChange[];
  readonly warnings: string[];
}

/**
 * Every agent's files as they should be. Throws AgentFileError (nothing to write for anyone) when
 * one file cannot be merged, or when two agents' files are the same file (`sameFile` compares
 * resolved paths: a symbolic link between them counts).
 */
export function planAgents(
  agents: readonly AgentName[],
  files: ReadonlyMap<AgentName, readonly AgentFile[]>,
  settings: AgentSettings,
  sameFile: (a: string) => string = (a) => a,
): AgentPlan {
  const changes: FileChange[] = [];
  const warnings: string[] = [];
  for (const agent of agents) {
    const planned = PLANNERS[agent](files.get(agent) ?? [], settings);
    changes.push(...planned.changes);
    warnings.push(...planned.warnings);
  }
  const seen = new Map<string, string>();
  for (const change of changes) {
    const target = sameFile(change.path);
    const earlier = seen.get(target);
    if (earlier !== undefined) {
      throw new AgentFileError(
        change.path,
        `${earlier} and ${change.path} are the same file; two agents cannot share it.`,
        'Give each agent its own configuration path. No files were changed.',
      );
    }
    seen.set(target, change.path);
  }
  return { changes, warnings };
}
