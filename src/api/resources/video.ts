/**
 * Video generation: a task is created (`POST /v1/video_generation`, or
 * `POST /v2/video_generation` for MiniMax-H3), checked until it is done
 * (`GET /v1/query/video_generation?task_id=`, `GET /v2/query/video_generation/{id}`),
 * and fetched: a v1 task gives a file id whose signed link `GET /v1/files/retrieve`
 * gives; a v2 task gives the link itself. Creating is paid work (never sent again
 * once it may have reached the server); the reads are retried like reads. Ids are
 * always percent-encoded. Fields: docs/minimax-api-notes.md, Media endpoints.
 */
import { isPlainObject } from '../../json.js';
import { type ApiRequest, ResponseShapeError, get, post } from '../request.js';

/** A v1 task as `video task get` prints it (mmx-cli 1.0.27's fields). */
export interface V1Task {
  task_id: string;
  status: string;
  file_id?: string | undefined;
  video_width?: number | undefined;
  video_height?: number | undefined;
}

/** A v2 task (`task` of the answer). */
export interface V2Task {
  id: string;
  model?: string | undefined;
  status: string;
  content?: { url?: string | undefined } | undefined;
  resolution?: string | undefined;
  duration?: number | undefined;
  ratio?: string | undefined;
  error?: { code?: string | undefined; message?: string | undefined } | undefined;
}

export interface VideoFile {
  file_id: string;
  bytes?: number | undefined;
  filename?: string | undefined;
  download_url?: string | undefined;
}

/** An id sent as a string or a number: always a string here (a number would lose digits past 2^53 anyway). */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const optionalNumber = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function parseCreated(payload: unknown): string {
  const id = isPlainObject(payload) ? idOf(payload.task_id) : undefined;
  if (id === undefined) throw new ResponseShapeError('no "task_id"');
  return id;
}

export function parseV1Task(payload: unknown): V1Task {
  if (!isPlainObject(payload) || typeof payload.status !== 'string') throw new ResponseShapeError('no "status"');
  return {
    task_id: idOf(payload.task_id) ?? '',
    status: payload.status,
    file_id: idOf(payload.file_id),
    video_width: optionalNumber(payload.video_width),
    video_height: optionalNumber(payload.video_height),
  };
}

export function parseV2Task(payload: unknown): V2Task {
  const task = isPlainObject(payload) ? payload.task : undefined;
  if (!isPlainObject(task) || typeof task.status !== 'string') throw new ResponseShapeError('no "task" with a "status"');
  const content = isPlainObject(task.content) ? { url: optionalString(task.content.url) } : undefined;
  const error = isPlainObject(task.error) ? { code: idOf(task.error.code), message: optionalString(task.error.message) } : undefined;
  return {
    id: idOf(task.id) ?? '',
    model: optionalString(task.model),
    status: task.status,
    content,
    resolution: optionalString(task.resolution),
    duration: optionalNumber(task.duration),
    ratio: optionalString(task.ratio),
    error,
  };
}

export function parseFile(payload: unknown): VideoFile {
  const file = isPlainObject(payload) ? payload.file : undefined;
  if (!isPlainObject(file)) throw new ResponseShapeError('no "file" object');
  return {
    file_id: idOf(file.file_id) ?? '',
    bytes: optionalNumber(file.bytes),
    filename: optionalString(file.filename),
    download_url: optionalString(file.download_url),
  };
}

export const videos = {
  create(body: Record<string, unknown>): ApiRequest<string> {
    return post('/v1/video_generation', { json: body }, { retry: 'refused-only', parse: parseCreated });
  },
  createV2(body: Record<string, unknown>): ApiRequest<string> {
    return post('/v2/video_generation', { json: body }, { retry: 'refused-only', parse: parseCreated });
  },
  query(taskId: string): ApiRequest<V1Task> {
    return get('/v1/query/video_generation', { query: { task_id: taskId }, parse: parseV1Task });
  },
  queryV2(taskId: string): ApiRequest<V2Task> {
    return get(`/v2/query/video_generation/${encodeURIComponent(taskId)}`, { parse: parseV2Task });
  },
  /** The file a v1 task made, with its signed download link. */
  file(fileId: string): ApiRequest<VideoFile> {
    return get('/v1/files/retrieve', { query: { file_id: fileId }, parse: parseFile });
  },
};
