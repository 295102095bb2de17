/**
 * What `mmx agent setup` knows about the coding agents and MiniMax's models: the agent names
 * (and mmx-cli 1.0.27's spellings of them), the model catalog each agent's file lists, and the
 * two endpoints an agent may talk to, both derived from the stored base URL (never a built-in
 * host: a cn key stored on api.minimaxi.com, a gateway, or the emulator all keep working).
 * Pure values and functions; facts and sources: docs/agents.md.
 */
import type { Region } from '../config/regions.js';

export const AGENTS = ['claude-code', 'codex', 'grok', 'opencode', 'hermes', 'pi'] as const;
export type AgentName = (typeof AGENTS)[number];

/** mmx-cli 1.0.27 accepts these spellings for `--agent` (case-insensitive, trimmed). */
const AGENT_SPELLINGS: Readonly<Record<string, AgentName>> = {
  claude: 'claude-code',
  claudecode: 'claude-code',
  'claude-code': 'claude-code',
  codex: 'codex',
  grok: 'grok',
  'grok-build': 'grok',
  'grok-cli': 'grok',
  opencode: 'opencode',
  hermes: 'hermes',
  pi: 'pi',
};

export const AGENT_LABELS: Readonly<Record<AgentName, string>> = {
  'claude-code': 'Claude Code',
  codex: 'Codex',
  grok: 'Grok CLI (Grok Build)',
  opencode: 'OpenCode',
  hermes: 'Hermes Agent',
  pi: 'Pi',
};

/** The agent a spelling names, or undefined. */
export function agentNamed(spelling: string): AgentName | undefined {
  const key = spelling.trim().toLowerCase();
  return Object.hasOwn(AGENT_SPELLINGS, key) ? AGENT_SPELLINGS[key] : undefined;
}

/** The agent names of `--agent` values, in the order given, each once; the first unknown spelling is returned as `unknown`. */
export function parseAgents(spellings: readonly string[]): { agents: AgentName[]; unknown?: string } {
  const agents: AgentName[] = [];
  for (const spelling of spellings) {
    const agent = agentNamed(spelling);
    if (agent === undefined) return { agents, unknown: spelling };
    if (!agents.includes(agent)) agents.push(agent);
  }
  return { agents };
}

/** The executables that show an agent is installed (mmx-cli 1.0.27 looks for the same names on PATH). */
export const AGENT_EXECUTABLES: Readonly<Record<AgentName, readonly string[]>> = {
  'claude-code': ['claude'],
  codex: ['codex'],
  grok: ['grok', 'grok-build', 'grok-cli'],
  opencode: ['opencode'],
  hermes: ['hermes'],
  pi: ['pi'],
};

/** How to install an agent by hand: mmx prints these and never runs them (README, differences). */
export const AGENT_INSTALL: Readonly<Record<AgentName, string>> = {
  'claude-code': 'curl -fsSL https://claude.ai/install.sh | bash',
  codex: 'npm install -g @openai/codex',
  grok: 'curl -fsSL https://x.ai/cli/install.sh | bash',
  opencode: 'npm install -g opencode-ai',
  hermes: 'see https://hermes-agent.nousresearch.com (its install.sh)',
  pi: 'npm install -g @earendil-works/pi-coding-agent',
};

export const MODEL_IDS = ['MiniMax-M3.1-Flash-Preview', 'MiniMax-M3', 'MiniMax-M2.7', 'MiniMax-M2.7-highspeed'] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export interface ReasoningLevel {
  readonly effort: string;
  readonly description: string;
}

export interface CatalogModel {
  readonly id: ModelId;
  readonly contextWindow: number;
  readonly maxTokens: number;
  readonly input: readonly ('text' | 'image')[];
  readonly codexReasoning: { readonly default: string; readonly levels: readonly ReasoningLevel[] };
}

/** mmx-cli 1.0.27's catalog, in its order (the first is the default for Token Plan keys). */
export const CATALOG: readonly CatalogModel[] = [
  {
    id: 'MiniMax-M3.1-Flash-Preview',
    contextWindow: 524_288,
    maxTokens: 128_000,
    input: ['text', 'image'],
    codexReasoning: {
      default: 'max',
      levels: [
        { effort: 'low', description: 'Low' },
        { effort: 'medium', description: 'Medium' },
        { effort: 'high', description: 'High' },
        { effort: 'xhigh', description: 'Extra high' },
        { effort: 'max', description: 'Maximum' },
      ],
    },
  },
  {
    id: 'MiniMax-M3',
    contextWindow: 1_000_000,
    maxTokens: 128_000,
    input: ['text', 'image'],
    codexReasoning: {
      default: 'high',
      levels: [
        { effort: 'none', description: 'Think-Off' },
        { effort: 'high', description: 'Deep' },
      ],
    },
  },
  {
    id: 'MiniMax-M2.7',
    contextWindow: 204_800,
    maxTokens: 131_072,
    input: ['text'],
    codexReasoning: { default: 'high', levels: [{ effort: 'high', description: 'Always on' }] },
  },
  {
    id: 'MiniMax-M2.7-highspeed',
    contextWindow: 204_800,
    maxTokens: 131_072,
    input: ['text'],
    codexReasoning: { default: 'high', levels: [{ effort: 'high', description: 'Always on' }] },
  },
];

export function catalogModel(id: ModelId): CatalogModel {
  return CATALOG.find((m) => m.id === id) as CatalogModel;
}

export function isModelId(value: string): value is ModelId {
  return (MODEL_IDS as readonly string[]).includes(value);
}

/** M3.1 Flash Preview needs a Token Plan: a pay-as-you-go key (`sk-api-`) gets M3 by default, as in mmx-cli 1.0.27. */
export function defaultModel(key: string): ModelId {
  return key.startsWith('sk-api-') ? 'MiniMax-M3' : 'MiniMax-M3.1-Flash-Preview';
}

export const M31_WINDOWS = { '512k': 524_288, '1m': 1_000_000 } as const;
export type M31Window = (typeof M31_WINDOWS)[keyof typeof M31_WINDOWS];

/** The agents `--m31-context-window` applies to (mmx-cli 1.0.27 refuses it for the others). */
export const WINDOW_AGENTS: readonly AgentName[] = ['claude-code', 'codex', 'opencode'];

/** A model's context window as the agents' files state it: M3.1's is the chosen one. */
export function contextWindowOf(model: CatalogModel, m31Window: M31Window): number {
  return model.id === 'MiniMax-M3.1-Flash-Preview' ? m31Window : model.contextWindow;
}

/** Everything an agent's files are built from. */
export interface AgentSettings {
  /** The API key (never an OAuth token: agents cannot refresh one). */
  readonly apiKey: string;
  /** The stored region's base URL, without a trailing slash. */
  readonly baseUrl: string;
  readonly region: Region;
  readonly model: ModelId;
  readonly m31Window: M31Window;
}

/**
 * The two protocols' base URLs on the stored host: Anthropic-compatible (`/anthropic`, where
 * cn refuses x-api-key) and OpenAI-compatible (`/v1`, Bearer everywhere).
 */
export function endpoints(baseUrl: string): { anthropic: string; openai: string } {
  const base = baseUrl.replace(/\/+$/, '');
  return { anthropic: `${base}/anthropic`, openai: `${base}/v1` };
}

/** Hermes and Pi have a provider per region; mmx-cli 1.0.27 uses these names. */
export function regionalProvider(region: Region): 'minimax-cn' | 'minimax' {
  return region === 'cn' ? 'minimax-cn' : 'minimax';
}
