/**
 * Codex: `config.toml` and `mmx-model-catalog.json` in `$CODEX_HOME` (else `~/.codex`), as
 * mmx-cli 1.0.27 writes them: a `minimax` model provider on the OpenAI-compatible `/v1` of the
 * stored host with the key in `experimental_bearer_token` (sent as `Authorization: Bearer`, which
 * both regions accept), the Responses wire API, the model and its reasoning effort, and a model
 * catalog file mmx owns (marked `_managed_by`; a catalog of the user's is never overwritten).
 */
import { AGENT_LABELS, type AgentSettings, CATALOG, catalogModel, contextWindowOf, endpoints } from './catalog.js';
import { AgentFileError, mergeToml, parseJsonObject, readToml } from './formats.js';
import type { AgentFile, PlanResult } from './types.js';

export const CODEX_CATALOG_FILE = 'mmx-model-catalog.json';
const MANAGED_BY = 'mmx agent setup';
const LABEL = `${AGENT_LABELS.codex} config.toml`;

/** The catalog mmx-cli 1.0.27 writes for Codex, field for field. */
export function codexCatalog(settings: AgentSettings): string {
  const models = CATALOG.map((m, index) => {
    const window = contextWindowOf(m, settings.m31Window);
    return {
      slug: m.id,
      display_name: m.id,
      description: m.id === 'MiniMax-M3.1-Flash-Preview' ? 'MiniMax M3.1 Flash Preview' : 'MiniMax',
      default_reasoning_level: m.codexReasoning.default,
      supported_reasoning_levels: m.codexReasoning.levels,
      shell_type: 'shell_command',
      visibility: 'list',
      supported_in_api: true,
      priority: index,
      base_instructions: `You are Codex, a coding agent based on ${m.id}. You and the user share the same workspace and collaborate to achieve the user's goals.`,
      supports_reasoning_summaries: true,
      default_reasoning_summary: 'none',
      support_verbosity: false,
      truncation_policy: { mode: 'tokens', limit: 10_000 },
      supports_parallel_tool_calls: true,
      experimental_supported_tools: [],
      prefer_websockets: false,
      apply_patch_tool_type: 'freeform',
      web_search_tool_type: 'text',
      supports_image_detail_original: false,
      tool_mode: 'code_mode_only',
      multi_agent_version: 'v2',
      use_responses_lite: false,
      effective_context_window_percent: window === 1_000_000 ? 85 : 95,
      auto_compact_token_limit: null,
      reasoning_summary_format: 'experimental',
      supports_search_tool: true,
      context_window: window,
      max_context_window: window,
      input_modalities: [...m.input],
    };
  });
  return `${JSON.stringify({ _managed_by: MANAGED_BY, models }, null, 2)}\n`;
}

export function planCodex(files: readonly AgentFile[], settings: AgentSettings): PlanResult {
  const config = files[0] as AgentFile;
  const catalog = files[1] as AgentFile;
  const model = catalogModel(settings.model);
  const after = mergeToml(config.before, LABEL, config.path, {
    top: {
      model: settings.model,
      model_reasoning_effort: model.codexReasoning.default,
      model_provider: 'minimax',
      model_catalog_json: CODEX_CATALOG_FILE,
      // A window of the user's would override the catalog's for every model (mmx-cli removes them too).
      model_context_window: undefined,
      model_auto_compact_token_limit: undefined,
    },
    sections: [
      {
        name: 'model_providers.minimax',
        entries: {
          name: 'MiniMax',
          base_url: endpoints(settings.baseUrl).openai,
          experimental_bearer_token: settings.apiKey,
          wire_api: 'responses',
        },
      },
    ],
  });
  if (config.before !== null) {
    const existing = readToml(config.before.replace(/^\uFEFF/, '')).model_catalog_json;
    if (existing !== undefined && existing !== CODEX_CATALOG_FILE) {
      throw new AgentFileError(
        config.path,
        `${config.path} already uses a model catalog of its own (model_catalog_json = ${JSON.stringify(existing)}).`,
        'Remove model_catalog_json to let mmx manage a MiniMax catalog, or configure Codex by hand. No files were changed.',
      );
    }
  }
  if (catalog.before !== null && parseJsonObject(catalog.before, `Codex ${CODEX_CATALOG_FILE}`, catalog.path)._managed_by !== MANAGED_BY) {
    throw new AgentFileError(
      catalog.path,
      `${catalog.path} was not written by mmx agent setup; mmx will not overwrite it.`,
      'Rename or remove it, then run mmx agent setup again. No files were changed.',
    );
  }
  const warnings: string[] = [];
  const provider = readToml(after).model_providers;
  const minimax = typeof provider === 'object' && provider !== null ? (provider as Record<string, unknown>).minimax : undefined;
  if (typeof minimax === 'object' && minimax !== null && 'env_key' in minimax) {
    warnings.push(`${config.path}: [model_providers.minimax] has an env_key; Codex may read the key from that variable instead.`);
  }
  return {
    changes: [
      { agent: 'codex', ...config, after },
      { agent: 'codex', ...catalog, after: codexCatalog(settings) },
    ],
    warnings,
  };
}
