/**
 * The image request, pure: mmx-cli 1.0.27's checks of the image flags and the
 * body it sends to `POST /v1/image_generation` (always model image-01).
 */
import type { ImageGenerationBody } from '../api/resources/image.js';
import { UsageError } from '../errors.js';

export const IMAGE_MODEL = 'image-01';
export const MAX_IMAGES = 9;

/** `type=character,image=face.png` → `{type: 'character', image: 'face.png'}` (type defaults to character). */
export function parseSubjectRef(raw: string): { type: string; image: string } {
  const fields = new Map<string, string>();
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    fields.set((eq < 0 ? pair : pair.slice(0, eq)).trim(), eq < 0 ? '' : pair.slice(eq + 1).trim());
  }
  const image = fields.get('image') ?? '';
  if (image === '') {
    throw new UsageError('--subject-ref needs an image: type=character,image=<path-or-url>.', {
      hint: 'mmx image generate --prompt "…" --subject-ref type=character,image=face.jpg',
    });
  }
  return { type: fields.get('type') || 'character', image };
}

export interface ImageFlags {
  n: number;
  width: number | undefined;
  height: number | undefined;
  out: string | undefined;
  subjectRef: string | undefined;
}

/** The flag combinations mmx-cli 1.0.27 refuses, with its messages (and --n within what the API makes). */
export function checkImageFlags(f: ImageFlags): void {
  if (f.width !== undefined && f.height === undefined) throw new UsageError('--width requires --height. Both must be specified together.');
  if (f.height !== undefined && f.width === undefined) throw new UsageError('--height requires --width. Both must be specified together.');
  for (const [name, value] of [
    ['width', f.width],
    ['height', f.height],
  ] as const) {
    if (value === undefined) continue;
    if (value < 512 || value > 2048) throw new UsageError(`--${name} must be between 512 and 2048, got ${value}.`);
    if (value % 8 !== 0) throw new UsageError(`--${name} must be a multiple of 8, got ${value}.`);
  }
  if (f.n > MAX_IMAGES)
    throw new UsageError(`--n must be at most ${MAX_IMAGES} (image-01 makes 1 to ${MAX_IMAGES} images a request), got ${f.n}.`);
  if (f.out !== undefined && f.n > 1) throw new UsageError('--out cannot be used with --n > 1. Use --out-dir instead.');
  if (f.subjectRef !== undefined) parseSubjectRef(f.subjectRef);
}

/** The body: width and height replace the aspect ratio; switches are sent only when on. */
export function imageBody(s: {
  prompt: string;
  aspectRatio: string | undefined;
  width: number | undefined;
  height: number | undefined;
  n: number;
  seed: number | undefined;
  promptOptimizer: boolean | undefined;
  aigcWatermark: boolean | undefined;
  responseFormat: 'url' | 'base64';
  /** The subject image as the API takes it: a link (`image_url`) or a data URI (`image_file`). */
  subject?: { type: string; url: string } | undefined;
}): ImageGenerationBody {
  const sized = s.width !== undefined && s.height !== undefined;
  const body: ImageGenerationBody = {
    model: IMAGE_MODEL,
    prompt: s.prompt,
    ...(sized ? { width: s.width, height: s.height } : s.aspectRatio ? { aspect_ratio: s.aspectRatio } : {}),
    n: s.n,
    ...(s.seed === undefined ? {} : { seed: s.seed }),
    ...(s.promptOptimizer ? { prompt_optimizer: true as const } : {}),
    ...(s.aigcWatermark ? { aigc_watermark: true as const } : {}),
    response_format: s.responseFormat,
  };
  if (s.subject) {
    const link = /^https?:\/\//i.test(s.subject.url);
    body.subject_reference = [{ type: s.subject.type, ...(link ? { image_url: s.subject.url } : { image_file: s.subject.url }) }];
  }
  return body;
}
