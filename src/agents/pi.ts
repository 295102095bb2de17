/**
 * Pi: `models.json` and `settings.json` in `$PI_CODING_AGENT_DIR` (else `~/.pi/agent`). As
 * mmx-cli 1.0.27: the region's provider (`minimax-cn` or `minimax`) on the Anthropic-compatible
 * base URL of the stored host, the catalog's models (entries of the same id updated in place, the
 * user's others kept), and the default provider and model. One addition: `authHeader: true`. Pi's
 * Anthropic client sends its `apiKey` as `x-api-key`, which cn's `/anthropic` refuses (1033);
 * `authHeader` makes Pi send `Authorization: Bearer` with it, the header both regions accept.
 */
import { AGENT_LABELS, type AgentSettings, CATALOG, regionalProvider, endpoints } from './catalog.js';
import { AgentFileError, type JsonEdit, editJson, isObject, parseJsonObject, requireArray, requireObject } from './formats.js';
import type { AgentFile, PlanResult } from './types.js';

function piModel(m: (typeof CATALOG)[number]): Record<string, unknown> {
  return {
    id: m.id,
    name: m.id,
    reasoning: true,
    ...(m.id === 'MiniMax-M3' ? { compat: { forceAdaptiveThinking: true } } : { thinkingLevelMap: { off: null } }),
    input: [...m.input],
    contextWindow: m.contextWindow,
    maxTokens: m.maxTokens,
  };
}

export function planPi(files: readonly AgentFile[], settings: AgentSettings): PlanResult {
  const models = files[0] as AgentFile;
  const piSettings = files[1] as AgentFile;
  const label = `${AGENT_LABELS.pi} models.json`;
  const doc = parseJsonObject(models.before ?? '{}', label, models.path);
  const provider = regionalProvider(settings.region);
  const providers = requireObject(doc.providers, 'providers', models.path);
  const ours = requireObject(providers?.[provider], `providers.${provider}`, models.path);
  const list = requireArray(ours?.models, `providers.${provider}.models`, models.path);

  const at = ['providers', provider];
  const edits: JsonEdit[] = [
    { path: [...at, 'name'], value: 'MiniMax' },
    { path: [...at, 'baseUrl'], value: endpoints(settings.baseUrl).anthropic },
    { path: [...at, 'apiKey'], value: settings.apiKey },
    { path: [...at, 'api'], value: 'anthropic-messages' },
    { path: [...at, 'authHeader'], value: true },
  ];
  if (list === undefined) edits.push({ path: [...at, 'models'], value: CATALOG.map(piModel) });
  else {
    let next = list.length;
    for (const m of CATALOG) {
      const wanted = piModel(m);
      const index = list.findIndex((e) => isObject(e) && e.id === m.id);
      if (index < 0) {
        edits.push({ path: [...at, 'models', next++], value: wanted });
        continue;
      }
      const existing = list[index];
      if (!isObject(existing)) throw new AgentFileError(models.path, `The Pi model ${m.id} in ${models.path} must be an object.`);
      for (const [field, value] of Object.entries(wanted)) {
        if (field === 'id') continue;
        if (isObject(value)) {
          requireObject(existing[field], `${m.id}.${field}`, models.path);
          for (const [k, v] of Object.entries(value)) edits.push({ path: [...at, 'models', index, field, k], value: v });
        } else edits.push({ path: [...at, 'models', index, field], value });
      }
    }
  }
  parseJsonObject(piSettings.before ?? '{}', `${AGENT_LABELS.pi} settings.json`, piSettings.path);
  return {
    changes: [
      { agent: 'pi', ...models, after: editJson(models.before, label, models.path, edits) },
      {
        agent: 'pi',
        ...piSettings,
        after: editJson(piSettings.before, `${AGENT_LABELS.pi} settings.json`, piSettings.path, [
          { path: ['defaultProvider'], value: provider },
          { path: ['defaultModel'], value: settings.model },
        ]),
      },
    ],
    warnings: [],
  };
}
