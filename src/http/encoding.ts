/**
 * Compressed responses. mmx asks for none (`accept-encoding: identity`), but a proxy or gateway
 * may compress anyway: gzip, deflate and br are decoded (node:zlib, loaded only then), as the
 * body streams, so an SSE answer still arrives event by event and the size limits apply to the
 * decoded bytes (a decompression bomb is cut like any other oversized answer). Any other coding
 * is refused with a message instead of being shown as garbage.
 */
import type { Readable, Transform } from 'node:stream';
import { ApiError, CliError, ExitCode } from '../errors.js';
import { type HttpResponse, readText } from './transport.js';

/** What the client asks for: nothing compressed. */
export const ACCEPT_ENCODING = 'identity';

const DECODABLE = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/** The codings of a Content-Encoding header, in the order they were applied; `identity` left out. */
export function contentCodings(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
}

/** `response` with its body decoded; unchanged when it is not compressed. */
export async function decodeBody(response: HttpResponse): Promise<HttpResponse> {
  const codings = contentCodings(response.headers['content-encoding']);
  if (codings.length === 0) return response;
  const unknown = codings.find((coding) => !DECODABLE.has(coding));
  if (unknown !== undefined) {
    (response.body as { destroy?: () => void }).destroy?.();
    throw new ApiError(ExitCode.GENERAL, `The server sent its answer compressed with "${unknown}", which mmx cannot read.`, {
      hint: 'mmx asks for no compression (accept-encoding: identity); a proxy or gateway on the way compressed it.',
    });
  }
  const zlib = await import('node:zlib');
  const { pipeline } = await import('node:stream');
  // Undone in reverse order of application.
  const decoders: Transform[] = codings
    .reverse()
    .map((coding) => (coding === 'br' ? zlib.createBrotliDecompress() : coding === 'deflate' ? zlib.createInflate() : zlib.createGunzip()));
  const source = response.body as Readable;
  // The connection's own failure (a reset) stays a network error; any other is the decoder's.
  let sourceError: unknown;
  source.once('error', (error) => (sourceError ??= error));
  // pipeline destroys every stream when one fails or is destroyed: destroying the last (an idle
  // timeout, Ctrl-C, a size limit) closes the connection too.
  pipeline([source, ...decoders], () => undefined);
  const last = decoders[decoders.length - 1] as Transform;
  const body = readDecoded(last, codings.join(', '), () => sourceError);
  const headers = { ...response.headers };
  delete headers['content-encoding'];
  delete headers['content-length'];
  return { status: response.status, headers, body, text: () => readText(body) };
}

/** The decoded chunks; a corrupt body is the server's error (exit 1), not a network failure. */
function readDecoded(stream: Transform, codings: string, sourceError: () => unknown): AsyncIterable<Uint8Array> & { destroy: () => void } {
  const iterate = async function* () {
    try {
      for await (const chunk of stream) yield chunk as Uint8Array;
    } catch (error) {
      if (error instanceof CliError || error === sourceError()) throw error;
      const code = (error as { code?: unknown }).code;
      throw new ApiError(
        ExitCode.GENERAL,
        `The server's ${codings}-compressed answer is corrupt: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}.`,
        { cause: error },
      );
    }
  };
  // destroy() ends a pending read at once (see http/idle.ts): the generator alone could not.
  return Object.assign(iterate(), { destroy: () => stream.destroy() });
}
