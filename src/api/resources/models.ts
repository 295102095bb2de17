/**
 * The model list of MiniMax's Anthropic-compatible API (`GET /anthropic/v1/models`,
 * paged with `limit` and `after_id`): what the endpoint serves, which is not what
 * a Token Plan allows (a model outside the plan fails on use with 2061).
 */
import { isPlainObject } from '../../json.js';
import { type ApiRequest, ResponseShapeError, get } from '../request.js';

export interface ModelInfo {
  id: string;
  display_name?: string;
  created_at?: string;
  max_input_tokens?: number;
  max_tokens?: number;
  [field: string]: unknown;
}

export interface ModelPage {
  data: ModelInfo[];
  has_more: boolean;
  last_id: string | null;
  [field: string]: unknown;
}

function parsePage(payload: unknown): ModelPage {
  if (!isPlainObject(payload) || !Array.isArray(payload.data)) throw new ResponseShapeError('no "data" array of models');
  const data = payload.data.filter((m): m is ModelInfo => isPlainObject(m) && typeof m.id === 'string');
  return { ...payload, data, has_more: payload.has_more === true, last_id: typeof payload.last_id === 'string' ? payload.last_id : null };
}

export const models = {
  page(afterId?: string): ApiRequest<ModelPage> {
    return get('/anthropic/v1/models', { query: { limit: 100, after_id: afterId }, parse: parsePage });
  },
};
