/**
 * `POST /v1/image_generation` (image-01): checks the body as the API documents
 * it (2013 `invalid params` otherwise), then makes `n` stand-in JPEGs, answered
 * as signed links to the CDN stand-in or as base64, with the real answer's
 * shape: `{id, data: {image_urls | image_base64}, metadata: {success_count,
 * failed_count} (decimal strings), base_resp}`. Options: `media.contentFilter`
 * (`input`: 1026; `output`: every image withheld), `media.imageBytes`.
 */
import { SUCCESS_BASE_RESP, baseRespError, jsonResponse } from '../responses.js';
import { fakeJpeg, isMediaRef } from '../media.js';
import type { RouteModule } from './types.js';

const MODELS = new Set(['image-01', 'image-01-live']);
const RATIOS = new Set(['1:1', '16:9', '4:3', '3:2', '2:3', '3:4', '9:16', '21:9']);

const invalid = (what: string) => baseRespError(200, 2013, `invalid params, ${what}`);

/** The first problem with a request body, in the API's words, or undefined. */
function problem(body: Record<string, unknown>): string | undefined {
  if (typeof body.model !== 'string' || !MODELS.has(body.model)) return `model ${JSON.stringify(body.model)} is not supported`;
  if (typeof body.prompt !== 'string' || body.prompt.trim() === '') return 'prompt is required';
  if (body.prompt.length > 1500) return 'prompt exceeds 1500 characters';
  const n = body.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 9) return 'n must be an integer from 1 to 9';
  if (body.aspect_ratio !== undefined && !RATIOS.has(String(body.aspect_ratio))) return `aspect_ratio ${String(body.aspect_ratio)}`;
  if ((body.width === undefined) !== (body.height === undefined)) return 'width and height must be set together';
  for (const side of ['width', 'height'] as const) {
    const v = body[side];
    if (v !== undefined && (typeof v !== 'number' || v < 512 || v > 2048 || v % 8 !== 0))
      return `${side} must be 512-2048 and a multiple of 8`;
  }
  if (body.response_format !== undefined && body.response_format !== 'url' && body.response_format !== 'base64') return 'response_format';
  if (body.subject_reference !== undefined) {
    const refs = body.subject_reference;
    if (!Array.isArray(refs) || refs.length !== 1) return 'subject_reference must hold one item';
    const ref = refs[0] as Record<string, unknown> | null;
    if (ref?.type !== 'character') return 'subject_reference type must be character';
    const image = ref.image_file ?? ref.image_url;
    if (!isMediaRef(image, 'image') || (ref.image_file !== undefined && !String(ref.image_file).startsWith('data:'))) {
      return 'subject_reference image must be a URL or a base64 data URI';
    }
  }
  return undefined;
}

export const imageRoutes: RouteModule = (env) => {
  const media = env.options.media ?? {};
  return {
    'POST /v1/image_generation': (ctx) => {
      const body = ctx.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('the body must be a JSON object');
      const wrong = problem(body as Record<string, unknown>);
      if (wrong) return invalid(wrong);
      const request = body as { prompt: string; n?: number; response_format?: string };
      if (media.contentFilter === 'input') return baseRespError(200, 1026, 'input new_sensitive');
      const n = request.n ?? 1;
      const id = env.nextId();
      const withheld = media.contentFilter === 'output' ? n : 0;
      const files = Array.from({ length: n - withheld }, (_, i) => fakeJpeg(`${id}:${i}:${request.prompt}`, media.imageBytes ?? 32 * 1024));
      const metadata = { success_count: String(files.length), failed_count: String(withheld) };
      if (request.response_format === 'base64') {
        return jsonResponse(200, {
          id,
          data: { image_base64: files.map((f) => Buffer.from(f).toString('base64')) },
          metadata,
          base_resp: SUCCESS_BASE_RESP,
        });
      }
      const cdn = env.options.cdn;
      if (cdn === undefined) return baseRespError(200, 1000, 'emulator: no CDN configured for image links (createEmulator({ cdn }))');
      const urls = files.map((file, i) => {
        const path = `/image_inference_output/${id}/output_${i + 1}.jpeg`;
        cdn.store.put(path, file, 'image/jpeg');
        return cdn.store.signedUrl(cdn.origin, path, media.linkTtlMs);
      });
      return jsonResponse(200, { id, data: { image_urls: urls }, metadata, base_resp: SUCCESS_BASE_RESP });
    },
  };
};
