/**
 * `mmx agent setup`: configures coding agents (Claude Code, Codex, Grok CLI, OpenCode, Hermes,
 * Pi) to use MiniMax with the key and the region mmx uses, mmx-cli 1.0.27's flags and JSON.
 * What mmx adds: the base URL is the stored region's (never a built-in host), each agent gets
 * its key where it sends `Authorization: Bearer` (which both regions accept; cn refuses
 * x-api-key on /anthropic), `--dry-run` shows the diff of every file, and `--undo` puts back
 * what the last setup changed. It never installs an agent (README, differences).
 *
 * Order: check the flags, merge every file in memory (a file mmx cannot merge stops everything
 * before the network is used), check the key with one request, then under a lock read the
 * files again, merge, back up and write.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { account } from '../../api/resources/account.js';
import {
  AGENTS,
  AGENT_EXECUTABLES,
  AGENT_INSTALL,
  AGENT_LABELS,
  type AgentName,
  type AgentSettings,
  M31_WINDOWS,
  MODEL_IDS,
  WINDOW_AGENTS,
  defaultModel,
  parseAgents,
} from '../../agents/catalog.js';
import type { FileChange } from '../../agents/types.js';
import { maskKey } from '../../auth/strategy.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { flag } from '../../cli/flags.js';
import { CliError, ExitCode, InterruptedError, UsageError } from '../../errors.js';

const NOTHING_CHANGED = 'No agent configuration files were changed.';

/** The agents a run configures: `--all`, else the `--agent` values (usage errors for the rest). Pure. */
export function selectAgents(input: { agent: string[]; all: boolean | undefined }): AgentName[] {
  const { agents, unknown } = parseAgents(input.agent);
  if (unknown !== undefined) {
    throw new UsageError(`Unsupported agent "${unknown}".`, { hint: `Supported agents: ${AGENTS.join(', ')} (or --all).` });
  }
  return input.all ? [...AGENTS] : agents;
}

/** Which of `agents` have an executable on PATH (as mmx-cli 1.0.27 looks for them). */
function detectInstalled(agents: readonly AgentName[], path: string | undefined): Set<AgentName> {
  const dirs = (path ?? '').split(delimiter).filter((d) => d !== '');
  const found = new Set<AgentName>();
  for (const agent of agents) {
    for (const exe of AGENT_EXECUTABLES[agent]) {
      const hit = dirs.some((dir) => {
        const file = join(dir, exe);
        try {
          if (!statSync(file).isFile()) return false;
          accessSync(file, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      });
      if (hit) {
        found.add(agent);
        break;
      }
    }
  }
  return found;
}

/** A key agents can be given in their files: one word of printable ASCII (it goes into TOML, YAML, .env and JSON). */
function checkKeyShape(key: string): void {
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new UsageError('The API key has spaces or characters an API key never has.', {
      hint: 'Pass the key exactly as MiniMax shows it.',
    });
  }
}

/** The failure of the key check, its exit code kept, with what it means here. */
function withNothingChanged(error: unknown): unknown {
  if (!(error instanceof CliError) || error instanceof InterruptedError) return error;
  const wrapped = new CliError(error.exitCode, error.message, {
    hint: error.hint === undefined ? NOTHING_CHANGED : `${error.hint} ${NOTHING_CHANGED}`,
    apiCode: error.apiCode,
    requestId: error.requestId,
    httpStatus: error.httpStatus,
    cause: error,
  });
  wrapped.name = error.name;
  return wrapped;
}

interface Prepared {
  agents: AgentName[];
  settings: AgentSettings;
  paths: Map<AgentName, string[]>;
}

async function prepare(ctx: Context, input: SetupInput): Promise<Prepared> {
  const agents = selectAgents(input);
  if (ctx.settings.key?.source === 'oauth') {
    throw new UsageError('mmx agent setup needs an API key: your login is an OAuth token, which expires and which agents cannot refresh.', {
      hint: 'Pass --api-key (or set MINIMAX_API_KEY) with a Token Plan or pay-as-you-go key.',
    });
  }
  const key = (await ctx.key({ refresh: false })).value;
  checkKeyShape(key);
  const home = ctx.deps.homeDir ?? ctx.deps.env.HOME;
  if (home === undefined || home.trim() === '') {
    throw new CliError(ExitCode.GENERAL, 'Cannot tell your home directory, where the agents keep their settings.', { hint: 'Set HOME.' });
  }
  const { agentPaths } = await import('../../agents/index.js');
  const paths = new Map(agents.map((a) => [a, agentPaths(a, ctx.deps.env, home, existsSync)] as const));
  return {
    agents,
    paths,
    settings: {
      apiKey: key,
      baseUrl: ctx.settings.baseUrl,
      region: ctx.settings.region,
      model: input.model ?? defaultModel(key),
      m31Window: M31_WINDOWS[input.m31ContextWindow ?? '512k'],
    },
  };
}

/** Reads the files as they are now and merges; throws AgentFileError for a file mmx cannot merge. */
async function plan(prepared: Prepared): Promise<{ changes: FileChange[]; warnings: string[] }> {
  const [{ planAgents }, { readAgentFiles, writeTarget }] = await Promise.all([
    import('../../agents/index.js'),
    import('../../agents/apply.js'),
  ]);
  return planAgents(prepared.agents, readAgentFiles(prepared.paths), prepared.settings, writeTarget);
}

type SetupInput = {
  agent: string[];
  all: boolean | undefined;
  model: (typeof MODEL_IDS)[number] | undefined;
  m31ContextWindow: keyof typeof M31_WINDOWS | undefined;
  undo: boolean | undefined;
};

async function runUndo(ctx: Context): Promise<number> {
  const { readManifest, planUndo, undo, withSetupLock, MANIFEST_FILE } = await import('../../agents/apply.js');
  const first = readManifest(ctx.deps.configDir);
  if (first === undefined) {
    throw new CliError(ExitCode.GENERAL, 'There is no mmx agent setup to undo.', {
      hint: `mmx records what it wrote in ${join(ctx.deps.configDir, MANIFEST_FILE)}; an undo forgets it.`,
    });
  }
  if (ctx.settings.dryRun) {
    const would = planUndo(first);
    ctx.result({ dry_run: true, undo: would }, () =>
      would.map((u) => `would ${u.removed ? `remove ${u.path}` : `restore ${u.path} from ${u.restored_from}`}`).join('\n'),
    );
    return 0;
  }
  const undone = await withSetupLock(ctx.deps.configDir, () => {
    const manifest = readManifest(ctx.deps.configDir);
    if (manifest === undefined) throw new CliError(ExitCode.GENERAL, 'There is no mmx agent setup to undo.');
    const steps = planUndo(manifest);
    undo(ctx.deps.configDir, manifest);
    return steps;
  });
  ctx.result({ undo: undone }, () =>
    undone
      .map((u) => (u.removed ? `removed ${u.path} (mmx agent setup had created it)` : `restored ${u.path} from ${u.restored_from}`))
      .join('\n'),
  );
  return 0;
}

async function runSetup(ctx: Context, input: SetupInput): Promise<number> {
  const prepared = await prepare(ctx, input);
  const { agents, settings } = prepared;
  // Broken or unmergeable files stop here, before the network.
  const draft = await plan(prepared);

  const client = await ctx.client();
  const check = account.check(settings.apiKey);
  const endpoint = client.describe(check).url;
  const verification = { region: settings.region, model: settings.model, endpoint, status: 'skipped' as 'skipped' | 'ok' };
  const installed = detectInstalled(agents, ctx.deps.env.PATH);
  const missing = agents.filter((a) => !installed.has(a));

  if (agents.includes('claude-code') && (ctx.deps.env.ANTHROPIC_API_KEY ?? '').trim() !== '') {
    ctx.warn(
      `ANTHROPIC_API_KEY is set in this shell. Claude Code sends it as x-api-key${settings.region === 'cn' ? ', which the cn host refuses (HTTP 500, 1033)' : ''}, and may prefer it to the key written to settings.json. Unset it (and remove it from your shell profile) before starting claude.`,
    );
  }
  for (const warning of draft.warnings) ctx.warn(warning);

  if (ctx.settings.dryRun) {
    const { unifiedDiff } = await import('../../agents/diff.js');
    const files = draft.changes.map((c) => ({
      agent: c.agent,
      path: c.path,
      status: c.after === c.before ? 'unchanged' : 'would-configure',
      ...(c.after === c.before ? {} : { diff: unifiedDiff(c, settings.apiKey) }),
    }));
    ctx.result({ dry_run: true, verification, agents, base_url: settings.baseUrl, files, not_detected: missing }, () =>
      files.map((f) => ('diff' in f ? f.diff : `${f.path}: unchanged\n`)).join('\n'),
    );
    ctx.info(`(dry run: the key was not checked and nothing was written; ${agents.length} agent(s), key ${maskKey(settings.apiKey)})`);
    return 0;
  }

  try {
    await client.send(check);
  } catch (error) {
    throw withNothingChanged(error);
  }
  verification.status = 'ok';

  const { withSetupLock, writeChanges } = await import('../../agents/apply.js');
  const files = await withSetupLock(ctx.deps.configDir, async () => {
    // Read again under the lock: another program may have changed a file since the draft.
    const { changes } = await plan(prepared);
    return writeChanges(ctx.deps.configDir, changes, ctx.deps.now());
  });

  ctx.result({ verification, agents, base_url: settings.baseUrl, files, not_detected: missing }, () => {
    const t = ctx.outTheme;
    const width = Math.max(...files.map((f) => AGENT_LABELS[f.agent].length));
    const lines = [
      `${t.bold('Key')} ${maskKey(settings.apiKey)} accepted by ${endpoint}; agents use ${settings.baseUrl} (${settings.region}), model ${settings.model}.`,
    ];
    for (const f of files) {
      lines.push(
        `${AGENT_LABELS[f.agent].padEnd(width)}  ${f.status === 'configured' ? t.ok('configured') : t.dim('unchanged ')}  ${f.path}${f.backup ? t.dim(`  (backup: ${f.backup})`) : ''}`,
      );
    }
    if (files.some((f) => f.status === 'configured')) lines.push(t.dim('Undo with: mmx agent setup --undo'));
    return lines.join('\n');
  });
  if (missing.length > 0) {
    ctx.info(
      `Not found on PATH: ${missing.map((a) => AGENT_LABELS[a]).join(', ')}. Their settings are written; mmx does not install agents. To install:\n${missing
        .map((a) => `  ${AGENT_LABELS[a]}: ${AGENT_INSTALL[a]}`)
        .join('\n')}`,
    );
  }
  return 0;
}

export default defineCommand({
  path: ['agent', 'setup'],
  summary: 'configure coding agents (Claude Code, Codex, Grok, OpenCode, Hermes, Pi) with your key and region',
  flags: {
    agent: flag.list('--agent <name>', `an agent to configure: ${AGENTS.join(', ')} (repeatable)`),
    all: flag.boolean('--all', 'configure every supported agent'),
    model: flag.choice('--model <model>', MODEL_IDS, 'the default model of the agents', {
      defaultHelp: 'MiniMax-M3.1-Flash-Preview; MiniMax-M3 for a pay-as-you-go sk-api- key',
    }),
    m31ContextWindow: flag.choice(
      '--m31-context-window <size>',
      ['512k', '1m'] as const,
      "MiniMax-M3.1-Flash-Preview's window for Claude Code, Codex and OpenCode",
      {
        defaultHelp: '512k',
      },
    ),
    undo: flag.boolean('--undo', 'restore the files the last setup changed, from its backups'),
  },
  examples: [
    'mmx agent setup --agent claude-code',
    'mmx agent setup --all --region cn --dry-run',
    'mmx agent setup --agent codex --agent opencode --api-key sk-cp-… --output json',
    'mmx agent setup --undo',
  ],
  notes:
    "The key is checked with one request first (exit 3 if refused; nothing is written). The base URL is the stored region's " +
    '(or --region / --base-url). Each changed file is backed up beside itself (<file>.bak.<time>) and written at 0600. ' +
    'Agents that are not installed are configured too; mmx never installs them.',
  // Not a tool for agents (config export-schema): it writes their files. It reads the key itself; --undo needs none.
  needs: { key: false },
  validate(input) {
    const agents = selectAgents(input);
    if (input.undo) {
      if (agents.length > 0 || input.model !== undefined || input.m31ContextWindow !== undefined) {
        throw new UsageError('--undo restores the whole last setup; it takes no --agent, --all, --model or --m31-context-window.');
      }
      return;
    }
    if (agents.length === 0) {
      throw new UsageError('Name the agents to configure: --agent NAME (repeatable) or --all.', {
        hint: `mmx agent setup --agent claude-code   (agents: ${AGENTS.join(', ')})`,
      });
    }
    if (input.m31ContextWindow !== undefined && !agents.some((a) => WINDOW_AGENTS.includes(a))) {
      throw new UsageError('--m31-context-window applies to Claude Code, Codex and OpenCode only.');
    }
  },
  async run(ctx, input) {
    return input.undo ? runUndo(ctx) : runSetup(ctx, input);
  },
});
