/**
 * Image generation (`POST /v1/image_generation`, model image-01): one request
 * makes 1–9 images, answered as signed CDN links or as base64. It is paid work,
 * so it is never sent again once it may have reached the server.
 * Fields: docs/minimax-api-notes.md, Media endpoints.
 */
import { isPlainObject } from '../../json.js';
import { type ApiRequest, ResponseShapeError, post } from '../request.js';

export interface ImageGenerationBody {
  model: string;
  prompt: string;
  aspect_ratio?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  n: number;
  seed?: number | undefined;
  prompt_optimizer?: true | undefined;
  aigc_watermark?: true | undefined;
  response_format: 'url' | 'base64';
  subject_reference?: Array<{ type: string; image_url?: string; image_file?: string }> | undefined;
}

/** What the command needs from the answer; `payload` is the whole answer as received. */
export interface ImageResult {
  /** The generation's id: `data.task_id` (what mmx-cli reads) or the top-level `id` (what the API sends). */
  id: string | undefined;
  urls: string[];
  base64: string[];
  successCount: number | undefined;
  failedCount: number | undefined;
}

function strings(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new ResponseShapeError(`${field} is not a list of strings`);
  return value as string[];
}

/** A count the API sends as a number or a decimal string (`metadata.success_count: "1"`). */
function count(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

export function parseImageResult(payload: unknown): ImageResult {
  if (!isPlainObject(payload) || !isPlainObject(payload.data)) throw new ResponseShapeError('no "data" object');
  const data = payload.data;
  const metadata = isPlainObject(payload.metadata) ? payload.metadata : {};
  const id = data.task_id ?? payload.id;
  return {
    id: typeof id === 'string' || typeof id === 'number' ? String(id) : undefined,
    urls: strings(data.image_urls, 'data.image_urls'),
    base64: strings(data.image_base64, 'data.image_base64'),
    successCount: count(data.success_count ?? metadata.success_count),
    failedCount: count(data.failed_count ?? metadata.failed_count),
  };
}

export const images = {
  generate(body: ImageGenerationBody): ApiRequest<ImageResult> {
    return post('/v1/image_generation', { json: body }, { retry: 'refused-only', parse: parseImageResult });
  },
};
