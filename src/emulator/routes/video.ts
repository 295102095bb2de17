/**
 * Video generation, v1 and v2, with tasks that move on as they are checked:
 *
 * - `POST /v1/video_generation` → `{task_id, base_resp}`; `GET /v1/query/video_generation?task_id=`
 *   → `Queueing`, `Processing` …, then `Success` with a `file_id` (or `Fail`);
 *   `GET /v1/files/retrieve?file_id=` → `{file: {file_id, bytes, created_at, filename, purpose,
 *   download_url}}`, a signed link to the CDN stand-in. Errors: HTTP 200 with `base_resp`.
 * - `POST /v2/video_generation` (MiniMax-H3, `content[]`) → `{task_id}`;
 *   `GET /v2/query/video_generation/{id}` → `{task: {id, model, status (queued, running,
 *   succeeded, failed), content.url, resolution, duration, ratio, error}}`. Errors: the
 *   `{type: "error", error: {type, message "… (code)", http_code}}` envelope with its HTTP status
 *   (400 invalid params 2013, 422 sensitive content 1026).
 *
 * Tasks and files belong to the key that made them. Options (`media`): `videoPolls` (checks
 * before done, default 2), `videoOutcome` (`fail`), `contentFilter` (`input`: 1026 at creation;
 * `output`: the task ends with 1027), `videoBytes`, `linkTtlMs`.
 */
import { anthropicError, baseRespError, jsonResponse, SUCCESS_BASE_RESP, type EmuResponse } from '../responses.js';
import { fakeMp4, isMediaRef, numericId } from '../media.js';
import type { RouteContext, RouteEnv, RouteModule } from './types.js';

const V1_MODELS = new Set([
  'MiniMax-Hailuo-2.3',
  'MiniMax-Hailuo-2.3-Fast',
  'MiniMax-Hailuo-02',
  'T2V-01',
  'T2V-01-Director',
  'I2V-01',
  'I2V-01-Director',
  'I2V-01-live',
  'S2V-01',
]);
const NEEDS_FIRST_FRAME = new Set(['MiniMax-Hailuo-2.3-Fast', 'I2V-01', 'I2V-01-Director', 'I2V-01-live']);
const H3_RATIOS = new Set(['adaptive', '21:9', '16:9', '4:3', '1:1', '3:4', '9:16']);
const IMAGE_ROLES = new Set(['first_frame', 'last_frame', 'reference_image']);
/** What the v1 API reports for a 768P video. */
const V1_SIZE = { width: 1366, height: 768 };

interface Task {
  id: string;
  key: string;
  version: 1 | 2;
  model: string;
  checks: number;
  created: number;
  duration: number;
  ratio: string;
  fileId?: string;
}

interface StoredFile {
  id: string;
  key: string;
  path: string;
  bytes: number;
  created: number;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function v1Problem(body: Rec): string | undefined {
  const model = body.model;
  if (typeof model !== 'string' || !V1_MODELS.has(model)) return `model ${JSON.stringify(model)} is not supported`;
  if (body.prompt !== undefined && (typeof body.prompt !== 'string' || body.prompt.length > 2000))
    return 'prompt must be at most 2000 characters';
  if (typeof body.prompt !== 'string' && !body.first_frame_image) return 'prompt is required';
  for (const field of ['first_frame_image', 'last_frame_image'] as const) {
    if (body[field] !== undefined && !isMediaRef(body[field], 'image')) return `${field} must be a URL or a base64 data URI`;
  }
  if (NEEDS_FIRST_FRAME.has(model) && body.first_frame_image === undefined) return `${model} requires first_frame_image`;
  if (body.last_frame_image !== undefined && (model !== 'MiniMax-Hailuo-02' || body.first_frame_image === undefined)) {
    return 'last_frame_image needs MiniMax-Hailuo-02 and first_frame_image';
  }
  if (model === 'S2V-01') {
    const refs = body.subject_reference;
    const ref = Array.isArray(refs) && refs.length === 1 && isRec(refs[0]) ? refs[0] : undefined;
    const images = ref?.image;
    if (ref?.type !== 'character' || !Array.isArray(images) || images.length !== 1 || !isMediaRef(images[0], 'image')) {
      return 'S2V-01 requires subject_reference [{type: character, image: [one image]}]';
    }
  }
  if (body.callback_url !== undefined && (typeof body.callback_url !== 'string' || !/^https?:\/\//.test(body.callback_url))) {
    return 'callback_url';
  }
  return undefined;
}

function v2Problem(body: Rec): string | undefined {
  if (body.model !== 'MiniMax-H3') return `model ${JSON.stringify(body.model)} is not supported`;
  const content = body.content;
  if (!Array.isArray(content) || !content.every(isRec)) return 'content must be a list of items';
  const texts = content.filter((c) => c.type === 'text');
  if (texts.length !== 1 || typeof texts[0]?.text !== 'string' || texts[0].text.trim() === '') {
    return 'content must include a non-empty text item (prompt is required)';
  }
  if (texts[0].text.length > 7000) return 'text exceeds 7000 characters';
  const images = content.filter((c) => c.type === 'image_url');
  const videos = content.filter((c) => c.type === 'video_url');
  const audios = content.filter((c) => c.type === 'audio_url');
  if (texts.length + images.length + videos.length + audios.length !== content.length) return 'unknown content type';
  const url = (c: Rec, field: string) => (isRec(c[field]) ? (c[field] as Rec).url : undefined);
  if (images.some((c) => !IMAGE_ROLES.has(String(c.role)) || !isMediaRef(url(c, 'image_url'), 'image', true))) return 'image_url item';
  if (videos.some((c) => c.role !== 'reference_video' || !isMediaRef(url(c, 'video_url'), 'video', true))) return 'video_url item';
  if (audios.some((c) => c.role !== 'reference_audio' || !isMediaRef(url(c, 'audio_url'), 'audio', true))) return 'audio_url item';
  const frames = images.filter((c) => c.role !== 'reference_image');
  const references = images.length - frames.length + videos.length + audios.length;
  if (frames.filter((c) => c.role === 'first_frame').length > 1 || frames.filter((c) => c.role === 'last_frame').length > 1) {
    return 'at most one first_frame and one last_frame';
  }
  if (frames.length > 0 && references > 0) return 'frame and reference roles cannot be mixed';
  if (images.length - frames.length > 9 || videos.length > 3 || audios.length > 3) return 'too many references';
  if (audios.length > 0 && images.length - frames.length + videos.length === 0) return 'reference_audio needs a reference image or video';
  if (body.resolution !== undefined && body.resolution !== '2K' && body.resolution !== '768P') return 'resolution';
  const duration = body.duration ?? 5;
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 4 || duration > 15) return 'duration must be 4-15';
  if (body.ratio !== undefined && !H3_RATIOS.has(String(body.ratio))) return 'ratio';
  if (frames.length + references === 0 && (body.ratio === undefined || body.ratio === 'adaptive'))
    return 'text-to-video needs a concrete ratio';
  return undefined;
}

export const videoRoutes: RouteModule = (env: RouteEnv) => {
  const media = env.options.media ?? {};
  const polls = Math.max(0, media.videoPolls ?? 2);
  const tasks = new Map<string, Task>();
  const files = new Map<string, StoredFile>();

  const v1Invalid = (what: string) => baseRespError(200, 2013, `invalid params, ${what}`);
  const v2Error = (ctx: RouteContext, status: number, type: string, message: string) =>
    anthropicError(status, type, message, ctx.requestId, true);

  function create(ctx: RouteContext, version: 1 | 2): EmuResponse {
    const body = ctx.body;
    if (!isRec(body))
      return version === 1 ? v1Invalid('the body must be a JSON object') : v2Error(ctx, 400, 'bad_request_error', 'invalid params (2013)');
    const wrong = version === 1 ? v1Problem(body) : v2Problem(body);
    if (wrong) return version === 1 ? v1Invalid(wrong) : v2Error(ctx, 400, 'bad_request_error', `invalid params, ${wrong} (2013)`);
    if (media.contentFilter === 'input') {
      return version === 1
        ? baseRespError(200, 1026, 'input new_sensitive')
        : v2Error(ctx, 422, 'unprocessable_entity_error', 'video description contains sensitive content (1026)');
    }
    const id = numericId(env.nextId());
    tasks.set(id, {
      id,
      key: ctx.key,
      version,
      model: String(body.model),
      checks: 0,
      created: env.now(),
      duration: typeof body.duration === 'number' ? body.duration : version === 2 ? 5 : 6,
      ratio: typeof body.ratio === 'string' ? body.ratio : '16:9',
    });
    return jsonResponse(200, version === 1 ? { task_id: id, base_resp: SUCCESS_BASE_RESP } : { task_id: id });
  }

  /** One more check of `task`: its state now ('waiting' until `polls` checks have passed). */
  function advance(task: Task): 'queued' | 'running' | 'done' | 'failed' | 'withheld' {
    task.checks++;
    if (task.checks <= polls) return task.checks === 1 ? 'queued' : 'running';
    if (media.contentFilter === 'output') return 'withheld';
    return media.videoOutcome === 'fail' ? 'failed' : 'done';
  }

  /** The finished task's file, stored on the CDN once. */
  function fileOf(task: Task): StoredFile | undefined {
    const cdn = env.options.cdn;
    if (cdn === undefined) return undefined;
    if (task.fileId !== undefined) return files.get(task.fileId);
    const id = numericId(env.nextId());
    const path = `/video_generation/${task.id}/output.mp4`;
    const bytes = fakeMp4(`${task.id}:${task.model}`, media.videoBytes ?? 256 * 1024);
    cdn.store.put(path, bytes, 'video/mp4');
    const file = { id, key: task.key, path, bytes: bytes.byteLength, created: env.now() };
    files.set(id, file);
    task.fileId = id;
    return file;
  }

  const link = (file: StoredFile): string => {
    const cdn = env.options.cdn as NonNullable<typeof env.options.cdn>;
    return cdn.store.signedUrl(cdn.origin, file.path, media.linkTtlMs);
  };
  const noCdn = () => baseRespError(200, 1000, 'emulator: no CDN configured for video links (createEmulator({ cdn }))');

  return {
    'POST /v1/video_generation': (ctx) => create(ctx, 1),
    'POST /v2/video_generation': (ctx) => create(ctx, 2),

    'GET /v1/query/video_generation': (ctx) => {
      const id = ctx.query.get('task_id');
      if (!id) return v1Invalid('task_id is required');
      const task = tasks.get(id);
      if (task === undefined || task.key !== ctx.key || task.version !== 1) return v1Invalid(`task ${id} not found`);
      const state = advance(task);
      if (state === 'withheld')
        return jsonResponse(200, { task_id: id, status: 'Fail', base_resp: { status_code: 1027, status_msg: 'output new_sensitive' } });
      if (state !== 'done') {
        const status = state === 'queued' ? 'Queueing' : state === 'running' ? 'Processing' : 'Fail';
        return jsonResponse(200, { task_id: id, status, file_id: '', base_resp: SUCCESS_BASE_RESP });
      }
      const file = fileOf(task);
      if (file === undefined) return noCdn();
      return jsonResponse(200, {
        task_id: id,
        status: 'Success',
        file_id: file.id,
        video_width: V1_SIZE.width,
        video_height: V1_SIZE.height,
        base_resp: SUCCESS_BASE_RESP,
      });
    },

    'GET /v1/files/retrieve': (ctx) => {
      const id = ctx.query.get('file_id');
      if (!id) return v1Invalid('file_id is required');
      const file = files.get(id);
      if (file === undefined || file.key !== ctx.key) return baseRespError(200, 1000, `file ${id} not found`);
      return jsonResponse(200, {
        file: {
          file_id: Number(file.id),
          bytes: file.bytes,
          created_at: Math.floor(file.created / 1000),
          filename: 'output.mp4',
          purpose: 'video_generation',
          download_url: link(file),
        },
        base_resp: SUCCESS_BASE_RESP,
      });
    },

    'GET /v2/query/video_generation/:id': (ctx) => {
      const id = ctx.params.id ?? '';
      const task = tasks.get(id);
      if (task === undefined || task.key !== ctx.key || task.version !== 2) {
        return v2Error(ctx, 400, 'bad_request_error', `invalid params, invalid task_id (2013)`);
      }
      const state = advance(task);
      const view: Rec = {
        id,
        model: task.model,
        status: { queued: 'queued', running: 'running', done: 'succeeded', failed: 'failed', withheld: 'failed' }[state],
        resolution: '2K',
        duration: task.duration,
        ratio: task.ratio === 'adaptive' ? '16:9' : task.ratio,
        created_at: Math.floor(task.created / 1000),
        updated_at: Math.floor(env.now() / 1000),
      };
      if (state === 'failed') view.error = { code: '1000', message: 'video generation failed' };
      if (state === 'withheld') view.error = { code: '1027', message: 'output video contains sensitive content' };
      if (state === 'done') {
        const file = fileOf(task);
        if (file === undefined) return noCdn();
        view.content = { url: link(file) };
      }
      return jsonResponse(200, { task: view });
    },
  };
};
