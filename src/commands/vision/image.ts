/**
 * What `vision describe --image` names, made into what the API takes: a `data:`
 * URI. mmx-cli 1.0.27's rules: a `data:` URI is sent as it is; an http(s) URL is
 * downloaded first (at most 50 MB, without the key) and sent inline with the type
 * its server gave (image/jpeg when none); a local file must be jpg, jpeg, png,
 * webp, heic or heif. mmx adds: a local file is also held to 50 MB, checked before
 * anything is sent; the type comes from the bytes when they say (a .png that is a
 * JPEG is sent as one); and a URL that answers with something that is not an
 * image (an HTML page) is refused instead of sent.
 */
import { extname } from 'node:path';
import { fetchBytes } from '../../api/download.js';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../errors.js';
import { maskUrl } from '../../http/mask-url.js';
import { MEDIA_TYPES } from '../../media/inputs.js';

export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;

/** Accepted local extensions and their types, as mmx-cli 1.0.27's table (the one image and video use too). */
export const IMAGE_TYPES: Readonly<Record<string, string>> = MEDIA_TYPES.image;

export type ImageSource =
  | { readonly kind: 'data-uri'; readonly uri: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'file'; readonly path: string };

/** How mmx-cli tells them apart: by prefix, anything else is a path. */
export function imageSource(value: string): ImageSource {
  if (value.startsWith('data:')) return { kind: 'data-uri', uri: value };
  if (value.startsWith('http://') || value.startsWith('https://')) return { kind: 'url', url: value };
  return { kind: 'file', path: value };
}

/** The type of a path's extension when it is an accepted one. */
export function typeOfPath(path: string): string | undefined {
  const ext = extname(path).toLowerCase();
  return Object.hasOwn(IMAGE_TYPES, ext) ? IMAGE_TYPES[ext] : undefined;
}

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** The image type the first bytes announce (JPEG, PNG, WebP, GIF, HEIC/HEIF), if any. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    if (['heic', 'heix', 'hevc', 'hevx'].includes(brand)) return 'image/heic';
    if (['mif1', 'msf1', 'heif'].includes(brand)) return 'image/heif';
  }
  return undefined;
}

/**
 * The type to send for a downloaded picture: what its bytes say, else the server's
 * image/* type, else (no type, or a generic binary one) the URL's extension or
 * image/jpeg as mmx-cli; undefined when the server said it is something else.
 */
export function typeOfDownload(contentType: string | undefined, bytes: Uint8Array, url: string): string | undefined {
  const sniffed = sniffImageType(bytes);
  if (sniffed) return sniffed;
  const sent = contentType?.split(';')[0]?.trim().toLowerCase();
  if (sent?.startsWith('image/')) return sent;
  if (sent === undefined || sent === '' || sent === 'application/octet-stream' || sent === 'binary/octet-stream') {
    let path = url;
    try {
      path = new URL(url).pathname;
    } catch {
      // not a URL: its extension is all there is
    }
    return typeOfPath(path) ?? 'image/jpeg';
  }
  return undefined;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const tooLarge = (what: string) => (bytes: number) =>
  new UsageError(`${what} is ${megabytes(bytes)}; the vision API takes at most ${megabytes(MAX_IMAGE_BYTES)}.`, {
    hint: 'Scale the picture down, or upload it with "mmx file upload" and pass --file-id.',
  });

/** Checks a local picture before anything is sent: it exists, is a file, of an accepted type, within the limit. */
export async function checkImageFile(path: string): Promise<{ size: number }> {
  const { stat } = await import('node:fs/promises');
  let size: number;
  try {
    const found = await stat(path);
    if (!found.isFile()) throw new UsageError(`${path} is not a file.`);
    size = found.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `File not found: ${path}` : `Cannot read ${path}: ${(error as Error).message}`);
  }
  const ext = extname(path).toLowerCase();
  if (typeOfPath(path) === undefined) {
    throw new UsageError(`Unsupported image format "${ext || '(none)'}". Supported: ${Object.keys(IMAGE_TYPES).join(', ')}.`, {
      hint: 'Pass a URL with --image, or a file uploaded before with --file-id.',
    });
  }
  if (size > MAX_IMAGE_BYTES) throw tooLarge(path)(size);
  return { size };
}

/** What --dry-run shows for the image, instead of megabytes of base64. */
export function describeImage(source: ImageSource, size?: number): string {
  switch (source.kind) {
    case 'data-uri':
      return source.uri.length <= 120 ? source.uri : `${source.uri.slice(0, 60)}… (${source.uri.length} characters)`;
    case 'url':
      return `data:<type>;base64,… (downloaded from ${source.url} first)`;
    case 'file':
      return `data:${typeOfPath(source.path) ?? 'image/jpeg'};base64,… (${size ?? '?'} bytes of ${source.path})`;
  }
}

/** The `data:` URI to send for `source`: read, or downloaded, and checked. */
export async function imageDataUri(ctx: Context, source: ImageSource): Promise<string> {
  switch (source.kind) {
    case 'data-uri':
      return source.uri;
    case 'url': {
      const fetched = await fetchBytes(ctx, source.url, { maxBytes: MAX_IMAGE_BYTES, tooLarge: tooLarge('The image') });
      const type = typeOfDownload(fetched.contentType, fetched.bytes, source.url);
      if (type === undefined) {
        throw new UsageError(`${maskUrl(source.url)} is not an image: its server sent ${fetched.contentType}.`, {
          hint: 'Pass the link of the picture itself (jpg, png, webp), not of a page showing it.',
        });
      }
      return `data:${type};base64,${Buffer.from(fetched.bytes).toString('base64')}`;
    }
    case 'file': {
      await checkImageFile(source.path);
      const { readFile } = await import('node:fs/promises');
      const bytes = await readFile(source.path);
      const type = sniffImageType(bytes) ?? typeOfPath(source.path) ?? 'image/jpeg';
      return `data:${type};base64,${bytes.toString('base64')}`;
    }
  }
}
