/**
 * multipart/form-data bodies from text fields and files on disk, as a stream of
 * known length: files are read while sending (never held whole in memory), and
 * the body is built anew for every attempt (an auth switch, a retry).
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import type { MultipartPart, StreamBody } from './request.js';

const CRLF = '\r\n';

/** A boundary no file is likely to contain. Web Crypto's global is read only here: importing node:crypto costs every run ~3 ms. */
function randomBoundary(): string {
  return `mmx-${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(12))).toString('hex')}`;
}

/** Quotes a header parameter: `"` and line breaks would end it early. */
function quoted(value: string): string {
  return `"${value.replace(/["\r\n\\]/g, (c) => (c === '"' ? '%22' : c === '\\' ? '\\\\' : ' '))}"`;
}

function sizeOf(path: string): number {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`${path} is not a file.`);
    return stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `File not found: ${path}` : `Cannot read ${path}: ${(error as Error).message}`);
  }
}

/** The body of `parts`; `boundary` is random unless given (tests). File sizes are read now, so a missing file fails before sending. */
export function multipartBody(parts: readonly MultipartPart[], boundary = randomBoundary()): StreamBody {
  const pieces = parts.map((part) => {
    if ('value' in part) {
      const head = `--${boundary}${CRLF}Content-Disposition: form-data; name=${quoted(part.name)}${CRLF}${CRLF}`;
      return { head: Buffer.from(head + part.value + CRLF), file: undefined };
    }
    const size = sizeOf(part.path);
    const filename = part.filename ?? basename(part.path);
    const head =
      `--${boundary}${CRLF}Content-Disposition: form-data; name=${quoted(part.name)}; filename=${quoted(filename)}${CRLF}` +
      `Content-Type: ${part.contentType ?? 'application/octet-stream'}${CRLF}${CRLF}`;
    return { head: Buffer.from(head), file: { path: part.path, size } };
  });
  const tail = Buffer.from(`--${boundary}--${CRLF}`);
  const length = pieces.reduce((n, p) => n + p.head.length + (p.file ? p.file.size + CRLF.length : 0), 0) + tail.length;
  return {
    length,
    contentType: `multipart/form-data; boundary=${boundary}`,
    async *open() {
      for (const piece of pieces) {
        yield piece.head;
        if (piece.file) {
          let read = 0;
          for await (const chunk of createReadStream(piece.file.path)) {
            read += (chunk as Buffer).length;
            yield chunk as Buffer;
          }
          // The declared length must hold: a file that changed since it was measured would corrupt the body.
          if (read !== piece.file.size) throw new UsageError(`${piece.file.path} changed while it was being sent; try again.`);
          yield Buffer.from(CRLF);
        }
      }
      yield tail;
    },
    describe() {
      const out: Record<string, unknown> = {};
      const files = parts.filter((p) => !('value' in p));
      for (const part of parts) {
        if ('value' in part) out[part.name] = part.value;
        else if (files.length === 1) Object.assign(out, { [part.name]: part.path, bytes: sizeOf(part.path) });
        else out[part.name] = { file: part.path, bytes: sizeOf(part.path) };
      }
      return out;
    },
  };
}
