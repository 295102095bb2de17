/**
 * The Token Plan tools: web search (`POST /v1/coding_plan/search`, `{q}` →
 * `organic[] {title, link, snippet, date}` and `related_searches[] {query}`) and
 * image understanding (`POST /v1/coding_plan/vlm`, `{prompt, image_url}` with a
 * `data:` URI, or `{prompt, file_id}` → `{content}`). Shapes: docs/minimax-api-notes.md,
 * Media endpoints.
 *
 * As the real API: only Token Plan keys may use them; a pay-as-you-go key gets
 * HTTP 200 with `base_resp` 2057 "not token plan token" (the message: MiniMax-AI/cli#52;
 * the code: hAcKlyc/MyAgents#8, "2057-not coding plan token"). Missing or malformed
 * fields are 2013 "invalid params". The sensitivity filter is modelled by marker
 * words: text containing SENSITIVE_INPUT is refused as input (1026), SENSITIVE_OUTPUT
 * as output (1027, "output new_sensitive", as a benign search got in MiniMax-AI/cli#234).
 */
import { SUCCESS_BASE_RESP, baseRespError, jsonResponse, type EmuResponse } from '../responses.js';
import type { RouteContext, RouteModule } from './types.js';

export const NOT_TOKEN_PLAN_CODE = 2057;
export const NOT_TOKEN_PLAN_MESSAGE = 'not token plan token';
/** A query or prompt containing this is refused by the input filter (1026). */
export const SENSITIVE_INPUT = 'emulator-sensitive-input';
/** A query or prompt containing this is refused by the output filter (1027). */
export const SENSITIVE_OUTPUT = 'emulator-sensitive-output';
/** A query containing this finds nothing (`organic: []`). */
export const NO_RESULTS = 'emulator-no-results';
/** Results per search: the real API returns at most 10 and has no paging. */
export const SEARCH_RESULTS = 3;

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The filter's answer for `text`, if it is refused. */
function filtered(text: string): EmuResponse | undefined {
  if (text.includes(SENSITIVE_INPUT)) return baseRespError(200, 1026, 'input new_sensitive');
  if (text.includes(SENSITIVE_OUTPUT)) return baseRespError(200, 1027, 'output new_sensitive');
  return undefined;
}

function search(ctx: RouteContext): EmuResponse {
  if (ctx.keyKind === 'payg') return baseRespError(200, NOT_TOKEN_PLAN_CODE, NOT_TOKEN_PLAN_MESSAGE);
  const q = record(ctx.body)?.q;
  if (typeof q !== 'string' || q.trim() === '') return baseRespError(200, 2013, 'invalid params, q is required');
  const refused = filtered(q);
  if (refused) return refused;
  const count = q.includes(NO_RESULTS) ? 0 : SEARCH_RESULTS;
  const organic = Array.from({ length: count }, (_, i) => ({
    title: `${q}: result ${i + 1}`,
    link: `https://search.example/${i + 1}?q=${encodeURIComponent(q)}`,
    snippet: `What the emulator knows about ${q}, part ${i + 1}.`,
    date: `2026-11-${String(20 + i).padStart(2, '0')}`,
  }));
  return jsonResponse(200, { organic, related_searches: count === 0 ? [] : [{ query: `${q} news` }], base_resp: SUCCESS_BASE_RESP });
}

/** `data:image/png;base64,…` → its type and decoded size; undefined when it is not a base64 image data URI. */
function imageDataUri(value: string): { mime: string; bytes: number } | undefined {
  const m = /^data:(image\/[\w.+-]+);base64,([A-Za-z0-9+/]+={0,2})$/.exec(value);
  if (!m?.[1] || m[2] === undefined) return undefined;
  const bytes = Buffer.from(m[2], 'base64').length;
  return bytes === 0 ? undefined : { mime: m[1], bytes };
}

function vlm(ctx: RouteContext): EmuResponse {
  if (ctx.keyKind === 'payg') return baseRespError(200, NOT_TOKEN_PLAN_CODE, NOT_TOKEN_PLAN_MESSAGE);
  const body = record(ctx.body);
  const prompt = body?.prompt;
  if (typeof prompt !== 'string' || prompt.trim() === '') return baseRespError(200, 2013, 'invalid params, prompt is required');
  const imageUrl = body?.image_url;
  const fileId = body?.file_id;
  if ((imageUrl === undefined) === (fileId === undefined)) {
    return baseRespError(200, 2013, 'invalid params, exactly one of image_url and file_id is required');
  }
  let seen: string;
  if (imageUrl !== undefined) {
    const image = typeof imageUrl === 'string' ? imageDataUri(imageUrl) : undefined;
    if (!image) return baseRespError(200, 2013, 'invalid params, image_url must be a base64 data URI of an image');
    seen = `an ${image.mime} image of ${image.bytes} bytes`;
  } else {
    if ((typeof fileId !== 'string' && typeof fileId !== 'number') || String(fileId).trim() === '') {
      return baseRespError(200, 2013, 'invalid params, file_id');
    }
    seen = `the image in file ${String(fileId)}`;
  }
  const refused = filtered(prompt);
  if (refused) return refused;
  return jsonResponse(200, {
    content: `The emulator looked at ${seen}. Asked "${prompt}", it sees a test pattern.`,
    base_resp: SUCCESS_BASE_RESP,
  });
}

export const codingPlanRoutes: RouteModule = () => ({
  'POST /v1/coding_plan/search': search,
  'POST /v1/coding_plan/vlm': vlm,
});
