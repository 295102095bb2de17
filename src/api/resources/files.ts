/**
 * File management (`/v1/files/*`), as mmx-cli 1.0.27 calls it: a multipart
 * upload of `file` and `purpose`, a list with no parameters, and a delete by a
 * JSON `{file_id: <number>}`. MiniMax's pages also name a `purpose` for the list
 * (query) and the delete (body); mmx sends one only when given.
 *
 * Retries: an upload stores a file (and may start paid work downstream), so it is
 * `refused-only`; a delete is too, because a second delete after one that may have
 * reached the server would report "not found" for a file that was deleted. The
 * list is a read.
 */
import { isPlainObject } from '../../json.js';
import { type ApiRequest, type Parsed, ResponseShapeError, get, post } from '../request.js';

/** mmx-cli's default purpose for an upload. */
export const DEFAULT_UPLOAD_PURPOSE = 'retrieval';

/** The platform's documented limit for one file. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export interface FileEntry {
  fileId: number | string;
  filename: string;
  purpose: string;
  bytes?: number | undefined;
  /** Epoch seconds. */
  createdAt?: number | undefined;
}

function entry(value: unknown, where: string): FileEntry {
  if (!isPlainObject(value)) throw new ResponseShapeError(`${where} is not an object`);
  const id = value.file_id;
  if (typeof id !== 'number' && typeof id !== 'string') throw new ResponseShapeError(`${where} has no file_id`);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    fileId: id,
    filename: typeof value.filename === 'string' ? value.filename : '',
    purpose: typeof value.purpose === 'string' ? value.purpose : '',
    bytes: num(value.bytes),
    createdAt: num(value.created_at),
  };
}

/** `{file: {...}}` of an upload. */
export function parseUpload(payload: unknown): Parsed<FileEntry> {
  if (!isPlainObject(payload)) throw new ResponseShapeError('expected a JSON object');
  return { payload, value: entry(payload.file, '"file"') };
}

/** `{files: [...]}` of a list; a missing list is no files. */
export function parseList(payload: unknown): Parsed<FileEntry[]> {
  if (!isPlainObject(payload)) throw new ResponseShapeError('expected a JSON object');
  const files = payload.files ?? [];
  if (!Array.isArray(files)) throw new ResponseShapeError('"files" is not a list');
  return { payload, value: files.map((f: unknown, i) => entry(f, `files[${i}]`)) };
}

/** `{file_id}` of a delete (undefined when the answer leaves it out). */
export function parseDelete(payload: unknown): Parsed<number | string | undefined> {
  if (!isPlainObject(payload)) throw new ResponseShapeError('expected a JSON object');
  const id = payload.file_id;
  return { payload, value: typeof id === 'number' || typeof id === 'string' ? id : undefined };
}

export const files = {
  /** The file goes first, then the purpose, as mmx-cli sends them; the part's file name is the path's. */
  upload(path: string, purpose: string): ApiRequest<Parsed<FileEntry>> {
    return post(
      '/v1/files/upload',
      {
        multipart: [
          { name: 'file', path },
          { name: 'purpose', value: purpose },
        ],
      },
      { retry: 'refused-only', parse: parseUpload },
    );
  },
  list(purpose?: string): ApiRequest<Parsed<FileEntry[]>> {
    return get('/v1/files/list', { query: { purpose }, parse: parseList });
  },
  /** `fileId` is a whole number (int64 in the API; ids seen are 15 digits, exact as JSON numbers). */
  delete(fileId: number, purpose?: string): ApiRequest<Parsed<number | string | undefined>> {
    const body = purpose === undefined ? { file_id: fileId } : { file_id: fileId, purpose };
    return post('/v1/files/delete', { json: body }, { retry: 'refused-only', parse: parseDelete });
  },
};
