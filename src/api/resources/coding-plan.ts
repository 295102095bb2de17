/**
 * The Token Plan tools: web search (`POST /v1/coding_plan/search`) and image
 * understanding (`POST /v1/coding_plan/vlm`). Both answer at once and create no
 * lasting work, so, like chat, they are retried as reads. Only Token Plan keys
 * (`sk-cp-`) may use them: a pay-as-you-go key gets "not token plan token".
 * Shapes: docs/minimax-api-notes.md, Media endpoints.
 */
import { isPlainObject } from '../../json.js';
import { type ApiRequest, type Parsed, ResponseShapeError, post } from '../request.js';

export interface SearchResult {
  title: string;
  link: string;
  snippet?: string | undefined;
  date?: string | undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** `organic[]` of a search payload; a missing list is no results (as mmx-cli reads it). */
export function parseSearch(payload: unknown): Parsed<SearchResult[]> {
  if (!isPlainObject(payload)) throw new ResponseShapeError('expected a JSON object');
  const organic = payload.organic ?? [];
  if (!Array.isArray(organic)) throw new ResponseShapeError('"organic" is not a list');
  const value = organic.map((item: unknown, i): SearchResult => {
    if (!isPlainObject(item)) throw new ResponseShapeError(`organic[${i}] is not an object`);
    return { title: text(item.title) ?? '', link: text(item.link) ?? '', snippet: text(item.snippet), date: text(item.date) };
  });
  return { payload, value };
}

/** `content` of a vision payload: the description. */
export function parseVision(payload: unknown): Parsed<string> {
  if (!isPlainObject(payload) || typeof payload.content !== 'string') throw new ResponseShapeError('no "content" text');
  return { payload, value: payload.content };
}

/** What the vision model looks at: an image as a `data:` URI, or a file uploaded before. */
export type VisionImage = { readonly imageUrl: string } | { readonly fileId: string };

export const codingPlan = {
  search(q: string): ApiRequest<Parsed<SearchResult[]>> {
    return post('/v1/coding_plan/search', { json: { q } }, { retry: 'transient', parse: parseSearch });
  },
  /** Body fields in mmx-cli 1.0.27's order: prompt, then the image. */
  vision(prompt: string, image: VisionImage): ApiRequest<Parsed<string>> {
    const body = 'imageUrl' in image ? { prompt, image_url: image.imageUrl } : { prompt, file_id: image.fileId };
    return post('/v1/coding_plan/vlm', { json: body }, { retry: 'transient', parse: parseVision });
  },
};
