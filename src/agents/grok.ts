/**
 * Grok CLI (Grok Build): `config.toml` in `$GROK_HOME` (else `~/.grok`), as mmx-cli 1.0.27
 * writes it: `[models] default` and one `[model.<slug>]` table per catalog model on the
 * OpenAI-compatible `/v1` of the stored host, with the key as `api_key` of the Chat Completions
 * backend (an OpenAI-style client: `Authorization: Bearer`, accepted by both regions).
 */
import { AGENT_LABELS, type AgentSettings, CATALOG, type ModelId, endpoints } from './catalog.js';
import { mergeToml } from './formats.js';
import type { AgentFile, PlanResult } from './types.js';

/** mmx-cli 1.0.27's table names: `minimax` for M3, else the id in lower case with dashes for dots. */
export function grokSlug(id: ModelId): string {
  return id === 'MiniMax-M3' ? 'minimax' : id.toLowerCase().replaceAll('.', '-');
}

export function planGrok(files: readonly AgentFile[], settings: AgentSettings): PlanResult {
  const file = files[0] as AgentFile;
  const openai = endpoints(settings.baseUrl).openai;
  const after = mergeToml(file.before, `${AGENT_LABELS.grok} config.toml`, file.path, {
    top: {},
    sections: [
      { name: 'models', entries: { default: grokSlug(settings.model) } },
      ...CATALOG.map((m) => ({
        name: `model.${grokSlug(m.id)}`,
        entries: {
          model: m.id,
          base_url: openai,
          name: m.id,
          api_key: settings.apiKey,
          api_backend: 'chat_completions',
          context_window: m.contextWindow,
          max_completion_tokens: m.maxTokens,
        },
      })),
    ],
  });
  return { changes: [{ agent: 'grok', ...file, after }], warnings: [] };
}
