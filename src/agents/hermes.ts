/**
 * Hermes Agent: `config.yaml` and `.env` in `$HERMES_HOME` (else `~/.hermes`), as mmx-cli 1.0.27
 * writes them: the region's provider (`minimax-cn` or `minimax`) with the Anthropic-compatible
 * base URL of the stored host, the model and its context length, per-model overrides, and the
 * key in the provider's variable in `.env` (`MINIMAX_CN_API_KEY` or `MINIMAX_API_KEY`). Hermes
 * sends MiniMax keys as `Authorization: Bearer` on both regions (its `_requires_bearer_auth`).
 * The YAML is edited as a document, so comments and the order of keys stay.
 */
import { parseDocument } from 'yaml';
import { AGENT_LABELS, type AgentSettings, CATALOG, catalogModel, regionalProvider, endpoints } from './catalog.js';
import { AgentFileError, isObject, requireObject, setEnvLine } from './formats.js';
import type { AgentFile, PlanResult } from './types.js';

/** Hermes counts M3.1 and M3 at 1M (mmx-cli 1.0.27). */
function hermesWindow(id: string, fallback: number): number {
  return id === 'MiniMax-M3.1-Flash-Preview' || id === 'MiniMax-M3' ? 1_000_000 : fallback;
}

export function mergeHermesYaml(before: string | null, path: string, settings: AgentSettings): string {
  const label = `${AGENT_LABELS.hermes} config.yaml`;
  const doc = parseDocument(before ?? '');
  const problem = doc.errors[0];
  if (problem !== undefined) {
    throw new AgentFileError(path, `${label} (${path}) is not valid YAML: ${problem.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS();
  const root = value === null || value === undefined ? {} : value;
  if (!isObject(root)) throw new AgentFileError(path, `${label} (${path}) must hold a mapping at its top level.`);
  const provider = regionalProvider(settings.region);
  // `model: some-id` (Hermes's short form) becomes the mapping in its place, keeping its comments.
  if (typeof root.model === 'string') doc.setIn(['model'], doc.createNode({}));
  else requireObject(root.model, 'model', path);
  requireObject(root.providers, 'providers', path);
  const overrides = requireObject(root.model_overrides, 'model_overrides', path);
  const agent = requireObject(root.agent, 'agent', path);
  const reasoning = requireObject(agent?.reasoning_overrides, 'agent.reasoning_overrides', path);
  const ours = requireObject(overrides?.[provider], `model_overrides.${provider}`, path);
  doc.setIn(['model', 'default'], settings.model);
  doc.setIn(['model', 'provider'], provider);
  doc.setIn(['model', 'base_url'], endpoints(settings.baseUrl).anthropic);
  doc.setIn(['model', 'context_length'], hermesWindow(settings.model, catalogModel(settings.model).contextWindow));
  for (const m of CATALOG) {
    requireObject(ours?.[m.id], `model_overrides.${provider}.${m.id}`, path);
    doc.setIn(['model_overrides', provider, m.id, 'context_window'], hermesWindow(m.id, m.contextWindow));
    doc.setIn(['model_overrides', provider, m.id, 'supports_vision'], m.input.includes('image'));
  }
  if (reasoning?.['MiniMax-M3'] === undefined) doc.setIn(['agent', 'reasoning_overrides', 'MiniMax-M3'], 'none');
  return doc.toString();
}

export function planHermes(files: readonly AgentFile[], settings: AgentSettings): PlanResult {
  const config = files[0] as AgentFile;
  const env = files[1] as AgentFile;
  const variable = settings.region === 'cn' ? 'MINIMAX_CN_API_KEY' : 'MINIMAX_API_KEY';
  return {
    changes: [
      { agent: 'hermes', ...config, after: mergeHermesYaml(config.before, config.path, settings) },
      { agent: 'hermes', ...env, after: setEnvLine(env.before, variable, settings.apiKey) },
    ],
    warnings: [],
  };
}
