/**
 * Claude Code: `settings.json` (in `$CLAUDE_CONFIG_DIR`, else `~/.claude`). Its `env` block is
 * what Claude Code exports to itself, so the credential goes in `ANTHROPIC_AUTH_TOKEN`, which it
 * sends as `Authorization: Bearer` (accepted by both regions' `/anthropic`), with
 * `ANTHROPIC_BASE_URL` on the stored host. `ANTHROPIC_API_KEY` would be sent as `x-api-key`,
 * which cn refuses (HTTP 500, 1033): one in this file is removed. The rest is mmx-cli 1.0.27's:
 * the timeout, the model for every tier, the compaction window and the model picker entries.
 */
import { AGENT_LABELS, type AgentSettings, CATALOG, type ModelId, catalogModel, contextWindowOf, endpoints } from './catalog.js';
import { type JsonEdit, editJson, isObject, parseJsonObject, requireArray, requireObject } from './formats.js';
import type { AgentFile, PlanResult } from './types.js';

const LABEL = `${AGENT_LABELS['claude-code']} settings.json`;

/** Claude Code's name for a model with its 1M-context variant (mmx-cli 1.0.27: M3.1 and M3). */
export function claudeModelName(id: ModelId): string {
  return id === 'MiniMax-M3.1-Flash-Preview' || id === 'MiniMax-M3' ? `${id}[1m]` : id;
}

function pickerDescription(id: ModelId, settings: AgentSettings): string {
  if (id.endsWith('-highspeed')) return '204.8K context · faster inference';
  if (id !== 'MiniMax-M3.1-Flash-Preview' && id !== 'MiniMax-M3') return '204.8K context';
  if (id !== settings.model) return '1M supported';
  return `1M supported · ${id === 'MiniMax-M3.1-Flash-Preview' && settings.m31Window !== 1_000_000 ? '512K' : '1M'} compact`;
}

export function planClaudeCode(files: readonly AgentFile[], settings: AgentSettings): PlanResult {
  const file = files[0] as AgentFile;
  const doc = parseJsonObject(file.before ?? '{}', LABEL, file.path);
  const env = requireObject(doc.env, 'env', file.path);
  const picker = requireObject(doc.modelPicker, 'modelPicker', file.path);
  const options = requireArray(picker?.options, 'modelPicker.options', file.path);
  const replaceBuiltIn = picker?.replaceBuiltInOptions;
  const model = claudeModelName(settings.model);
  const window = contextWindowOf(catalogModel(settings.model), settings.m31Window);

  const envValues: Record<string, string | undefined> = {
    ANTHROPIC_BASE_URL: endpoints(settings.baseUrl).anthropic,
    ANTHROPIC_AUTH_TOKEN: settings.apiKey,
    // Claude Code sends ANTHROPIC_API_KEY as x-api-key: cn's /anthropic refuses it (1033).
    ANTHROPIC_API_KEY: undefined,
    API_TIMEOUT_MS: '3000000',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_AUTO_COMPACT_WINDOW: String(window),
    ANTHROPIC_MODEL: model,
    ANTHROPIC_DEFAULT_SONNET_MODEL: model,
    ANTHROPIC_DEFAULT_OPUS_MODEL: model,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
  };
  const edits: JsonEdit[] = Object.entries(envValues)
    .filter(([name, value]) => value !== undefined || (env !== undefined && Object.hasOwn(env, name)))
    .map(([name, value]) => ({ path: ['env', name], value }));

  // The picker: MiniMax's entries replace earlier ones of the same models; the user's others stay.
  const entries = CATALOG.map((m) => ({ model: claudeModelName(m.id), label: m.id, description: pickerDescription(m.id, settings) }));
  const ours = new Set(CATALOG.flatMap((m) => [m.id, claudeModelName(m.id)]));
  if (options === undefined) edits.push({ path: ['modelPicker', 'options'], value: entries });
  else {
    const kept = options.filter((o) => !(isObject(o) && typeof o.model === 'string' && ours.has(o.model)));
    edits.push({ path: ['modelPicker', 'options'], value: [...kept, ...entries] });
  }
  edits.push({ path: ['modelPicker', 'replaceBuiltInOptions'], value: typeof replaceBuiltIn === 'boolean' ? replaceBuiltIn : true });

  const warnings: string[] = [];
  if (typeof doc.apiKeyHelper === 'string') {
    warnings.push(
      `${file.path} has an apiKeyHelper, whose output Claude Code sends instead of ANTHROPIC_AUTH_TOKEN; remove it to use the MiniMax key.`,
    );
  }
  return { changes: [{ agent: 'claude-code', ...file, after: editJson(file.before, LABEL, file.path, edits) }], warnings };
}
