/** Model catalogue served by the list endpoints (ids and dates from the public docs, docs/minimax-api-notes.md, Models list). */
const MODELS = [
  { id: 'MiniMax-M3', created: '2026-06-01T00:00:00Z', name: 'MiniMax M3', input: 1_000_000, output: 131_072 },
  { id: 'MiniMax-M2.7', created: '2026-03-18T02:00:00Z', name: 'MiniMax M2.7', input: 204_800, output: 131_072 },
  { id: 'MiniMax-M2.7-highspeed', created: '2026-03-18T02:00:00Z', name: 'MiniMax M2.7 Highspeed', input: 204_800, output: 131_072 },
  { id: 'MiniMax-M2.5', created: '2026-02-13T00:00:00Z', name: 'MiniMax M2.5', input: 204_800, output: 131_072 },
  { id: 'MiniMax-M2.1', created: '2025-12-23T00:00:00Z', name: 'MiniMax M2.1', input: 204_800, output: 131_072 },
  { id: 'MiniMax-M2', created: '2025-10-27T00:00:00Z', name: 'MiniMax M2', input: 204_800, output: 131_072 },
] as const;

type ModelRow = (typeof MODELS)[number];

function anthropicShape(m: ModelRow) {
  return {
    id: m.id,
    created_at: m.created,
    display_name: m.name,
    max_input_tokens: m.input,
    max_tokens: m.output,
    type: 'model',
  };
}

/** One page of the Anthropic-style list: `limit` (1–1000, default 20) models after `after_id`. */
export function anthropicModelList(query: URLSearchParams = new URLSearchParams(), maxLimit = 1000) {
  const all = MODELS.map(anthropicShape);
  const limit = Math.min(maxLimit, Math.max(1, Number(query.get('limit') ?? 20) || 20));
  const after = query.get('after_id');
  const start = after === null ? 0 : all.findIndex((m) => m.id === after) + 1;
  const data = all.slice(start, start + limit);
  return { data, first_id: data[0]?.id ?? null, has_more: start + limit < all.length, last_id: data[data.length - 1]?.id ?? null };
}

export function anthropicModel(id: string) {
  const found = MODELS.find((m) => m.id === id);
  return found === undefined ? undefined : anthropicShape(found);
}

export function openAiModelList() {
  return {
    object: 'list',
    data: MODELS.map((m) => ({
      id: m.id,
      object: 'model',
      created: Math.floor(Date.parse(m.created) / 1000),
      owned_by: 'minimax',
    })),
  };
}
