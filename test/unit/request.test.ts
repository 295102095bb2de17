/**
 * Request values and their bodies: query strings, multipart from files (read
 * while sending, re-opened for the auth switch), and what --dry-run shows.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { multipartBody } from '../../src/api/multipart.js';
import { get, pathWithQuery, post } from '../../src/api/request.js';
import { nodeTransport } from '../../src/http/transport.js';

const KEY = 'sk-cp-unit-test-key-1234567890';

function tempFile(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mmx-req-')), name);
  writeFileSync(path, content);
  return path;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

describe('pathWithQuery', () => {
  it('encodes every value and leaves undefined ones out', () => {
    expect(pathWithQuery('/v1/files/retrieve', { file_id: 'a b&c=d', page: 2, x: undefined })).toBe(
      '/v1/files/retrieve?file_id=a+b%26c%3Dd&page=2',
    );
    expect(pathWithQuery('/v1/x', { a: undefined })).toBe('/v1/x');
    expect(pathWithQuery('/v1/x', undefined)).toBe('/v1/x');
  });
});

describe('multipartBody', () => {
  it('is valid multipart/form-data of the declared length, and reads the same bytes each time it is opened', async () => {
    const file = tempFile('voice "sample".wav', Buffer.from([0, 1, 2, 255, 13, 10]));
    const body = multipartBody(
      [
        { name: 'purpose', value: 'retrieval' },
        { name: 'file', path: file, contentType: 'audio/wav' },
      ],
      'BOUNDARY',
    );
    const first = await collect(body.open());
    expect(first.length).toBe(body.length);
    expect(await collect(body.open())).toEqual(first);
    const form = await new Request('http://x/', { method: 'POST', body: first, headers: { 'content-type': body.contentType } }).formData();
    expect(form.get('purpose')).toBe('retrieval');
    const part = form.get('file') as File;
    expect(part.name).toBe('voice "sample".wav'); // quotes travel as %22, as browsers send them
    expect(part.type).toBe('audio/wav');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255, 13, 10]));
  });

  it('describes itself without the bytes: {file, bytes, purpose}', () => {
    const file = tempFile('doc.pdf', 'x'.repeat(1234));
    expect(
      multipartBody([
        { name: 'purpose', value: 'retrieval' },
        { name: 'file', path: file },
      ]).describe(),
    ).toEqual({
      purpose: 'retrieval',
      file,
      bytes: 1234,
    });
  });

  it('a missing file is a usage error before anything is sent', () => {
    expect(() => multipartBody([{ name: 'file', path: '/nonexistent/x.mp3' }])).toThrow(/File not found: \/nonexistent\/x\.mp3/);
  });
});

describe('ApiClient with request values', () => {
  it('describe() and send() use the same URL, headers and body; the key is masked in the description', async () => {
    const file = tempFile('a.txt', 'hello');
    const seen: Array<{ url: string; headers: Record<string, string | string[] | undefined>; body: Buffer }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        // The first answer rejects Bearer and asks for x-api-key: the body must be sent again, whole.
        const reject = seen.length === 1;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify(
            reject
              ? {
                  base_resp: {
                    status_code: 1004,
                    status_msg: "login fail: Please carry the API secret key in the 'X-Api-Key' field of the request header",
                  },
                }
              : { base_resp: { status_code: 0, status_msg: 'success' }, file: { file_id: 7 } },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = new ApiClient({
        baseUrl: base,
        region: 'global',
        key: KEY,
        authStyle: 'auto',
        transport: nodeTransport(),
        timeoutMs: 5000,
        signal: new AbortController().signal,
        now: () => 0,
        userAgent: 'mmx-test',
      });
      const upload = post(
        '/v1/files/upload',
        {
          multipart: [
            { name: 'purpose', value: 'retrieval' },
            { name: 'file', path: file },
          ],
        },
        { retry: 'refused-only', query: { group: 'a b' } },
      );
      const described = client.describe(upload);
      expect(described.url).toBe(`${base}/v1/files/upload?group=a+b`);
      expect(described.body).toEqual({ purpose: 'retrieval', file, bytes: 5 });
      expect(described.headers.authorization).toBe('Bearer sk-…7890');
      expect(JSON.stringify(described)).not.toContain(KEY);

      expect(await client.send(upload)).toMatchObject({ file: { file_id: 7 } });
      expect(seen).toHaveLength(2);
      expect(seen.map((s) => s.url)).toEqual(['/v1/files/upload?group=a+b', '/v1/files/upload?group=a+b']);
      expect(seen[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(seen[1]?.headers['x-api-key']).toBe(KEY);
      for (const s of seen) {
        expect(Number(s.headers['content-length'])).toBe(s.body.length);
        expect(s.body.toString()).toContain('hello');
      }
      expect(seen[0]?.body.toString().replace(/mmx-[0-9a-f]+/g, 'B')).toBe(seen[1]?.body.toString().replace(/mmx-[0-9a-f]+/g, 'B'));

      const read = get('/v1/files/list', { query: { purpose: 'retrieval' } });
      expect(client.describe(read).url).toBe(`${base}/v1/files/list?purpose=retrieval`);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
