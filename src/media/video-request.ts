/**
 * The video request, pure: which model and endpoint a run uses, which flag
 * combinations each allows, and the request body, following mmx-cli 1.0.27
 * (v1 `/v1/video_generation` for the Hailuo, S2V and older models; v2
 * `/v2/video_generation` with its multimodal `content[]` for MiniMax-H3). Every
 * check here runs before a file is read or anything is sent.
 */
import { UsageError } from '../errors.js';
import { MEDIA_LIMITS, megabytes } from './inputs.js';

export const H3_MODEL = 'MiniMax-H3';
export const FAST_MODEL = 'MiniMax-Hailuo-2.3-Fast';
/** First + last frame ("SEF"), chosen when --last-frame is given without --model. */
export const SEF_MODEL = 'MiniMax-Hailuo-02';
/** Subject reference, chosen when --subject-image is given without --model. */
export const S2V_MODEL = 'S2V-01';
export const H3_RATIOS = ['adaptive', '21:9', '16:9', '4:3', '1:1', '3:4', '9:16'] as const;
export const H3_MAX_TEXT = 7000;

/** Models served by the v2 endpoint (and queried at /v2/query/video_generation/{id}). */
export function isV2Model(model: string | undefined): boolean {
  return model === H3_MODEL;
}

/**
 * mmx-cli 1.0.27's choice: --model when given; else MiniMax-H3 when it is the configured
 * default; else Hailuo-02 with --last-frame, S2V-01 with --subject-image; else the configured
 * default (`default_video_model`, else MiniMax-Hailuo-2.3).
 */
export function chooseVideoModel(s: {
  explicit: string | undefined;
  configured: string;
  lastFrame: boolean;
  subjectImage: boolean;
}): string {
  if (s.explicit !== undefined) return s.explicit;
  if (isV2Model(s.configured)) return H3_MODEL;
  if (s.lastFrame) return SEF_MODEL;
  if (s.subjectImage) return S2V_MODEL;
  return s.configured;
}

/** What the flags ask for, media still as given (paths, links, data URIs). */
export interface VideoFlags {
  prompt: string;
  /** --model as given (undefined when the model was chosen). */
  explicitModel: string | undefined;
  image: string | undefined;
  lastFrame: string | undefined;
  subjectImage: string | undefined;
  referenceImages: readonly string[];
  referenceVideos: readonly string[];
  referenceAudios: readonly string[];
  duration: number | undefined;
  ratio: string | undefined;
  callbackUrl: string | undefined;
}

const H3_HINT = 'mmx video generate --model MiniMax-H3 --prompt <text>';

/** The flag combinations `model` allows; throws a UsageError with mmx-cli's messages. */
export function checkVideoFlags(model: string, f: VideoFlags): void {
  if (f.lastFrame !== undefined && f.subjectImage !== undefined) {
    throw new UsageError('--last-frame and --subject-image cannot be used together (SEF and S2V are different modes).', {
      hint: 'mmx video generate --prompt <text> --image <path> --last-frame <path>',
    });
  }
  if (f.explicitModel === FAST_MODEL && f.image === undefined) {
    throw new UsageError(`${FAST_MODEL} only supports I2V (image-to-video). Use --image to provide an input image.`, {
      hint: `mmx video generate --prompt <text> --model ${FAST_MODEL} --image <path>`,
    });
  }
  if (!isV2Model(model)) {
    const h3Only = f.referenceImages.length + f.referenceVideos.length + f.referenceAudios.length > 0 || f.duration !== undefined;
    if (h3Only || f.ratio !== undefined) {
      throw new UsageError('--reference-image, --reference-video, --reference-audio, --duration, and --ratio require --model MiniMax-H3.', {
        hint: H3_HINT,
      });
    }
    if (f.lastFrame !== undefined && f.image === undefined) {
      throw new UsageError('--last-frame requires --image (SEF mode).', {
        hint: 'mmx video generate --prompt <text> --image <path> --last-frame <path>',
      });
    }
    return;
  }
  const usage = (message: string) => new UsageError(message, { hint: H3_HINT });
  if (f.subjectImage !== undefined) {
    throw new UsageError('--subject-image is only supported by the legacy S2V-01 model. Use --reference-image for MiniMax-H3.', {
      hint: 'mmx video generate --model MiniMax-H3 --prompt <text> --reference-image <path>',
    });
  }
  if (f.prompt.trim() === '') throw usage('MiniMax-H3 requires a non-empty text content item.');
  if (f.prompt.length > H3_MAX_TEXT) throw usage(`MiniMax-H3 text content must not exceed ${H3_MAX_TEXT} characters.`);
  if (f.duration !== undefined && (!Number.isInteger(f.duration) || f.duration < 4 || f.duration > 15)) {
    throw usage('MiniMax-H3 duration must be an integer from 4 to 15 seconds.');
  }
  if (f.ratio !== undefined && !(H3_RATIOS as readonly string[]).includes(f.ratio)) {
    throw usage(`MiniMax-H3 ratio must be one of: ${H3_RATIOS.join(', ')}.`);
  }
  const frames = f.image !== undefined || f.lastFrame !== undefined;
  const references = f.referenceImages.length + f.referenceVideos.length + f.referenceAudios.length > 0;
  if (f.referenceImages.length > 9 || f.referenceVideos.length > 3 || f.referenceAudios.length > 3) {
    throw usage('MiniMax-H3 accepts up to 9 reference images, 3 reference videos, and 3 reference audios.');
  }
  if (frames && references) throw usage('MiniMax-H3 frame inputs and reference inputs cannot be used together.');
  if (f.referenceAudios.length > 0 && f.referenceImages.length === 0 && f.referenceVideos.length === 0) {
    throw usage('MiniMax-H3 reference audio requires at least one reference image or reference video.');
  }
  if (!frames && !references && f.ratio === 'adaptive') {
    throw usage('MiniMax-H3 text-to-video requires a concrete ratio; adaptive is not supported.');
  }
}

/** Media as the API takes them (links, data URIs), in the flags' roles. */
export interface VideoMedia {
  image?: string | undefined;
  lastFrame?: string | undefined;
  subjectImage?: string | undefined;
  referenceImages: readonly string[];
  referenceVideos: readonly string[];
  referenceAudios: readonly string[];
}

/** The v1 body: `{model, prompt, first_frame_image?, last_frame_image?, subject_reference?, callback_url?}`. */
export function v1Body(model: string, prompt: string, media: VideoMedia, callbackUrl: string | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { model, prompt };
  if (media.image !== undefined) body.first_frame_image = media.image;
  if (media.lastFrame !== undefined) body.last_frame_image = media.lastFrame;
  if (media.subjectImage !== undefined) body.subject_reference = [{ type: 'character', image: [media.subjectImage] }];
  if (callbackUrl !== undefined) body.callback_url = callbackUrl;
  return body;
}

/**
 * The v2 body: the prompt and each medium as a `content[]` item with its role, 2K, 5 s by default,
 * and the ratio as mmx-cli sets it (adaptive with frames, which fix the shape; the given ratio,
 * else adaptive with references, else 16:9).
 */
export function v2Body(f: Pick<VideoFlags, 'prompt' | 'duration' | 'ratio' | 'callbackUrl'>, media: VideoMedia): Record<string, unknown> {
  const content: Array<Record<string, unknown>> = [
    { type: 'text', text: f.prompt },
    ...(media.image === undefined ? [] : [{ type: 'image_url', image_url: { url: media.image }, role: 'first_frame' }]),
    ...(media.lastFrame === undefined ? [] : [{ type: 'image_url', image_url: { url: media.lastFrame }, role: 'last_frame' }]),
    ...media.referenceImages.map((url) => ({ type: 'image_url', image_url: { url }, role: 'reference_image' })),
    ...media.referenceVideos.map((url) => ({ type: 'video_url', video_url: { url }, role: 'reference_video' })),
    ...media.referenceAudios.map((url) => ({ type: 'audio_url', audio_url: { url }, role: 'reference_audio' })),
  ];
  const frames = media.image !== undefined || media.lastFrame !== undefined;
  const references = media.referenceImages.length + media.referenceVideos.length + media.referenceAudios.length > 0;
  const body: Record<string, unknown> = {
    model: H3_MODEL,
    content,
    resolution: '2K',
    duration: f.duration ?? 5,
    ratio: frames ? 'adaptive' : (f.ratio ?? (references ? 'adaptive' : '16:9')),
  };
  if (f.callbackUrl !== undefined) body.callback_url = f.callbackUrl;
  return body;
}

/** The whole v2 body must stay within 64 MB (data URIs are most of it). */
export function checkV2BodySize(body: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > MEDIA_LIMITS.h3Body) {
    throw new UsageError(
      `MiniMax-H3 request body is ${megabytes(bytes)}; the maximum is ${megabytes(MEDIA_LIMITS.h3Body)}. Use public URLs or mm_file:// file IDs instead of local files.`,
      { hint: H3_HINT },
    );
  }
}
