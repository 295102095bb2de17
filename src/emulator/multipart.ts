/**
 * multipart/form-data as the emulator's upload routes read it (the emulator
 * imports nothing from the client, so it parses bodies on its own): text
 * fields, and files with their name, type and exact bytes. Undefined for a body
 * that is not well-formed multipart, which a route answers as invalid params.
 */

export interface FormFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface FormData {
  fields: Record<string, string>;
  files: Record<string, FormFile>;
}

/** The boundary of a `multipart/form-data; boundary=…` content type, unquoted. */
export function boundaryOf(contentType: string | null): string | undefined {
  if (contentType === null || !/^\s*multipart\/form-data\b/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

function indexOf(haystack: Buffer, needle: Buffer, from: number): number {
  return haystack.indexOf(needle, from);
}

function headerParam(header: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(header);
  return m?.[1];
}

export function parseMultipart(raw: Uint8Array | undefined, contentType: string | null): FormData | undefined {
  const boundary = boundaryOf(contentType);
  if (raw === undefined || boundary === undefined) return undefined;
  const body = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const out: FormData = { fields: {}, files: {} };
  let at = indexOf(body, delimiter, 0);
  if (at !== 0) return undefined;
  for (;;) {
    at += delimiter.length;
    // `--` after a delimiter closes the body.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return out;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) return undefined;
    at += 2;
    const headEnd = indexOf(body, Buffer.from('\r\n\r\n'), at);
    if (headEnd < 0) return undefined;
    const head = body.subarray(at, headEnd).toString('utf8');
    const next = indexOf(body, Buffer.from(`\r\n--${boundary}`), headEnd + 4);
    if (next < 0) return undefined;
    const content = body.subarray(headEnd + 4, next);
    const disposition = /^content-disposition:(.*)$/im.exec(head)?.[1] ?? '';
    const name = headerParam(disposition, 'name');
    if (name === undefined) return undefined;
    const filename = headerParam(disposition, 'filename');
    if (filename === undefined) out.fields[name] = content.toString('utf8');
    else {
      const type = /^content-type:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? 'application/octet-stream';
      out.files[name] = { filename, contentType: type, bytes: new Uint8Array(content) };
    }
    at = next + 2;
  }
}
