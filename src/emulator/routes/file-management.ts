/**
 * File management: `POST /v1/files/upload` (multipart `file` and `purpose`),
 * `GET /v1/files/list` (optional `purpose` filter) and `POST /v1/files/delete`
 * (JSON `{file_id, purpose?}`). Shapes from MiniMax's File Management pages
 * (platform.minimax.io/docs/api-reference/file-management-*): a file is
 * `{file_id, bytes, created_at (epoch s), filename, purpose}`, ids are int64.
 *
 * Files are kept per key, for the life of the emulator, so a list shows what
 * that account uploaded and a delete removes it. What the real API answers for an
 * unknown id is not documented; the emulator answers 2013 "file not found" [L].
 */
import { SUCCESS_BASE_RESP, baseRespError, jsonResponse, type EmuResponse } from '../responses.js';
import type { RouteContext, RouteEnv, RouteModule } from './types.js';

export interface StoredFile {
  file_id: number;
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
}

/** Ids look like the real ones (15 digits, well below 2^53, so JSON numbers keep them exact). */
const FIRST_FILE_ID = 176_844_028_768_320;

interface Part {
  name: string;
  filename?: string;
  data: Uint8Array;
}

/** The parts of a multipart/form-data body; undefined when the body is not one. */
export function parseMultipart(contentType: string | null, raw: Uint8Array | undefined): Part[] | undefined {
  const boundary = /^multipart\/form-data;.*\bboundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!boundary || !raw) return undefined;
  const body = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts; // the closing delimiter
    const headEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headEnd);
    if (headEnd < 0 || next < 0) return undefined;
    const head = body.subarray(start, headEnd).toString('utf8');
    const name = /\bname="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) return undefined;
    const filename = /\bfilename="([^"]*)"/i.exec(head)?.[1];
    parts.push({ name, ...(filename === undefined ? {} : { filename }), data: body.subarray(headEnd + 4, next) });
    at = next + 2;
  }
}

export const fileManagementRoutes: RouteModule = (env: RouteEnv) => {
  const accounts = new Map<string, Map<number, StoredFile>>();
  let uploaded = 0;
  const filesOf = (key: string): Map<number, StoredFile> => {
    let files = accounts.get(key);
    if (!files) accounts.set(key, (files = new Map()));
    return files;
  };
  const invalid = (detail: string): EmuResponse => baseRespError(200, 2013, `invalid params, ${detail}`);

  return {
    'POST /v1/files/upload': (ctx: RouteContext) => {
      const parts = parseMultipart(ctx.headers.get('content-type'), ctx.rawBody);
      if (!parts) return invalid('the body must be multipart/form-data');
      const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
      const purpose = parts.find((p) => p.name === 'purpose' && p.filename === undefined);
      if (!file) return invalid('file is required');
      const purposeText = purpose ? Buffer.from(purpose.data).toString('utf8').trim() : '';
      if (purposeText === '') return invalid('purpose is required');
      const stored: StoredFile = {
        file_id: FIRST_FILE_ID + uploaded++ * 1_009,
        bytes: file.data.byteLength,
        created_at: Math.floor(env.now() / 1000),
        filename: file.filename ?? 'file',
        purpose: purposeText,
      };
      filesOf(ctx.key).set(stored.file_id, stored);
      return jsonResponse(200, { file: stored, base_resp: SUCCESS_BASE_RESP });
    },
    'GET /v1/files/list': (ctx: RouteContext) => {
      const purpose = ctx.query.get('purpose');
      const files = [...filesOf(ctx.key).values()].filter((f) => purpose === null || f.purpose === purpose);
      return jsonResponse(200, { files, base_resp: SUCCESS_BASE_RESP });
    },
    'POST /v1/files/delete': (ctx: RouteContext) => {
      const body = typeof ctx.body === 'object' && ctx.body !== null ? (ctx.body as Record<string, unknown>) : {};
      const id = body.file_id;
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) return invalid('file_id must be an integer');
      const files = filesOf(ctx.key);
      const found = files.get(id);
      if (!found || (body.purpose !== undefined && body.purpose !== found.purpose)) return baseRespError(200, 2013, 'file not found');
      files.delete(id);
      return jsonResponse(200, { file_id: id, base_resp: SUCCESS_BASE_RESP });
    },
  };
};
