/**
 * Media given to a generation request (a first frame, a subject image, an H3
 * reference clip): a link or a data URI is sent as given, a local file is read
 * into a data URI. Files are checked before anything is sent (they exist, are
 * of a type the API takes, and within its size limit), so a bad path never
 * costs a paid request. The type tables and limits are pure data; only
 * `mediaUrl` reads the disk.
 */
import { basename, extname } from 'node:path';
import { UsageError } from '../errors.js';

export type MediaKind = 'image' | 'video' | 'audio';

/** The local files each kind accepts, by extension, and the MIME type of their data URI (mmx-cli 1.0.27's tables). */
export const MEDIA_TYPES: Readonly<Record<MediaKind, Readonly<Record<string, string>>>> = {
  image: {
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
    '.png': 'image/png',
    '.webp': 'image/webp',
    '.heic': 'image/heic',
    '.heif': 'image/heif',
  },
  video: { '.mp4': 'video/mp4', '.mov': 'video/quicktime' },
  audio: { '.mp3': 'audio/mp3', '.wav': 'audio/wav' },
};

const MiB = 1024 * 1024;

/**
 * Size limits of the API, per use (docs/minimax-api-notes.md, Media endpoints): image-01 subject
 * references 10 MB; v1 video frames and subject images 20 MB; MiniMax-H3 images 30 MB, videos
 * 50 MB, audio 15 MB, and its whole request body 64 MB.
 */
export const MEDIA_LIMITS = {
  imageSubject: 10 * MiB,
  videoV1Image: 20 * MiB,
  h3: { image: 30 * MiB, video: 50 * MiB, audio: 15 * MiB },
  h3Body: 64 * MiB,
} as const;

/** `12.3 MB`, the way the limits are written. */
export function megabytes(bytes: number): string {
  const mb = bytes / MiB;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** A reference sent as given: an http(s) link, or a file uploaded earlier (`mm_file://<id>`). */
export function isLink(ref: string): boolean {
  return /^https?:\/\//i.test(ref) || ref.startsWith('mm_file://');
}

/** The decoded size of a base64 data URI, or undefined when `uri` is not one. */
export function dataUriBytes(uri: string): number | undefined {
  const m = /^data:[^;,]+;base64,([\s\S]*)$/.exec(uri);
  if (!m) return undefined;
  const b64 = (m[1] ?? '').replace(/\s/g, '');
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((b64.length * 3) / 4) - padding);
}

export interface MediaRule {
  kind: MediaKind;
  maxBytes: number;
  /** The flag the reference came from, for messages (`--image`). */
  flag: string;
  /** Whose limit it is, for messages (`MiniMax-H3`, `image-01`). */
  owner: string;
}

function tooLarge(what: string, bytes: number, rule: MediaRule): UsageError {
  return new UsageError(
    `${rule.flag}: ${what} is ${megabytes(bytes)}; ${rule.owner} takes ${rule.kind} files up to ${megabytes(rule.maxBytes)}.`,
    {
      hint: 'Pass a public URL (or an mm_file:// file id, for MiniMax-H3) instead of a large local file.',
    },
  );
}

/** Checks a data URI given as is: the size its base64 decodes to. */
export function checkDataUri(uri: string, rule: MediaRule): void {
  const bytes = dataUriBytes(uri);
  if (bytes === undefined) throw new UsageError(`${rule.flag}: not a base64 data URI (data:<type>;base64,…).`);
  if (bytes > rule.maxBytes) throw tooLarge('the data URI', bytes, rule);
}

/** The MIME type of a local file by its extension, or a usage error naming what is accepted. */
export function mediaTypeOf(path: string, rule: Pick<MediaRule, 'kind' | 'flag'>): string {
  const ext = extname(path).toLowerCase();
  const type = MEDIA_TYPES[rule.kind][ext];
  if (type === undefined) {
    const accepted = Object.keys(MEDIA_TYPES[rule.kind])
      .map((e) => e.slice(1))
      .join(', ');
    throw new UsageError(`${rule.flag}: ${basename(path)} is not a supported ${rule.kind} (${accepted}).`);
  }
  return type;
}

/** A reference as the API takes it: links as given, data URIs checked, local files read into a data URI. */
export async function mediaUrl(ref: string, rule: MediaRule): Promise<string> {
  if (isLink(ref)) return ref;
  if (ref.startsWith('data:')) {
    checkDataUri(ref, rule);
    // mmx-cli's fix: the API knows mp3 audio as audio/mp3, not the standard audio/mpeg.
    return rule.kind === 'audio' ? ref.replace(/^data:audio\/mpeg;base64,/, 'data:audio/mp3;base64,') : ref;
  }
  const type = mediaTypeOf(ref, rule);
  const fs = await import('node:fs/promises');
  let size: number;
  try {
    const stat = await fs.stat(ref);
    if (!stat.isFile()) throw new UsageError(`${rule.flag}: ${ref} is not a file.`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${rule.flag}: ${ref} does not exist.` : `${rule.flag}: cannot read ${ref} (${(error as Error).message}).`,
    );
  }
  if (size > rule.maxBytes) throw tooLarge(basename(ref), size, rule);
  const bytes = await fs.readFile(ref);
  return `data:${type};base64,${bytes.toString('base64')}`;
}

/** `data:…;base64,<12 MB of text>` → `data:…;base64,… (9437184 bytes)`, so --dry-run shows a body, not megabytes of base64. */
export function abbreviateDataUris(value: unknown): unknown {
  if (typeof value === 'string') {
    const bytes = dataUriBytes(value);
    return bytes === undefined ? value : `${value.slice(0, value.indexOf(',') + 1)}… (${bytes} bytes)`;
  }
  if (Array.isArray(value)) return value.map(abbreviateDataUris);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviateDataUris(v)]));
  }
  return value;
}
