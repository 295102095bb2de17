/**
 * OpenCode: `opencode.json`, or `opencode.jsonc` when that exists (comments kept), in
 * `$XDG_CONFIG_HOME/opencode` (else `~/.config/opencode`), or the file `$OPENCODE_CONFIG` names.
 * As mmx-cli 1.0.27: a `minimax` provider through `@ai-sdk/openai-compatible` on the
 * OpenAI-compatible `/v1` of the stored host (its `apiKey` goes out as `Authorization: Bearer`,
 * accepted by both regions; OpenCode's built-in MiniMax providers use the Anthropic SDK's
 * x-api-key, which cn refuses), the catalog's models, and `model`.
 */
import { AGENT_LABELS, type AgentSettings, CATALOG, contextWindowOf, endpoints } from './catalog.js';
import { type JsonEdit, editJson, parseJsonObject, requireObject } from './formats.js';
import type { AgentFile, PlanResult } from './types.js';

const M31 = 'MiniMax-M3.1-Flash-Preview';

export function planOpenCode(files: readonly AgentFile[], settings: AgentSettings): PlanResult {
  const file = files[0] as AgentFile;
  const label = `${AGENT_LABELS.opencode} ${file.path.endsWith('.jsonc') ? 'opencode.jsonc' : 'opencode.json'}`;
  const doc = parseJsonObject(file.before ?? '{}', label, file.path);
  const provider = requireObject(doc.provider, 'provider', file.path);
  const minimax = requireObject(provider?.minimax, 'provider.minimax', file.path);
  requireObject(minimax?.options, 'provider.minimax.options', file.path);
  const models = requireObject(minimax?.models, 'provider.minimax.models', file.path);
  for (const m of CATALOG) {
    const entry = requireObject(models?.[m.id], `provider.minimax.models["${m.id}"]`, file.path);
    requireObject(entry?.limit, `provider.minimax.models["${m.id}"].limit`, file.path);
    requireObject(entry?.modalities, `provider.minimax.models["${m.id}"].modalities`, file.path);
    if (m.id === M31) requireObject(entry?.variants, `provider.minimax.models["${m.id}"].variants`, file.path);
  }

  const base = ['provider', 'minimax'];
  const edits: JsonEdit[] = [
    { path: [...base, 'npm'], value: '@ai-sdk/openai-compatible' },
    { path: [...base, 'name'], value: 'MiniMax' },
    { path: [...base, 'options', 'baseURL'], value: endpoints(settings.baseUrl).openai },
    { path: [...base, 'options', 'apiKey'], value: settings.apiKey },
    { path: [...base, 'options', 'setCacheKey'], value: undefined },
  ];
  for (const m of CATALOG) {
    const at = [...base, 'models', m.id];
    edits.push(
      { path: [...at, 'name'], value: m.id },
      { path: [...at, 'reasoning'], value: true },
      { path: [...at, 'temperature'], value: true },
      { path: [...at, 'attachment'], value: m.input.includes('image') },
      { path: [...at, 'modalities', 'input'], value: [...m.input] },
      { path: [...at, 'modalities', 'output'], value: ['text'] },
      { path: [...at, 'limit', 'context'], value: contextWindowOf(m, settings.m31Window) },
      { path: [...at, 'limit', 'output'], value: m.maxTokens },
    );
  }
  const m31 = [...base, 'models', M31];
  edits.push(
    { path: [...m31, 'interleaved'], value: { field: 'reasoning_content' } },
    { path: [...m31, 'variants', 'none', 'disabled'], value: true },
    { path: [...m31, 'variants', 'thinking', 'disabled'], value: true },
    { path: [...m31, 'variants', 'default', 'reasoningEffort'], value: 'max' },
    ...['low', 'medium', 'high', 'xhigh', 'max'].map((effort) => ({
      path: [...m31, 'variants', effort, 'reasoningEffort'],
      value: effort,
    })),
    { path: ['model'], value: `minimax/${settings.model}` },
  );
  // setCacheKey is removed only when present: jsonc-parser would otherwise create the options object to delete from.
  const applicable = edits.filter(
    (e) => e.value !== undefined || requireObject(minimax?.options, '', file.path)?.setCacheKey !== undefined,
  );
  return { changes: [{ agent: 'opencode', ...file, after: editJson(file.before, label, file.path, applicable) }], warnings: [] };
}
