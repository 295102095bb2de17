/**
 * The emulator's Token Plan tools (web search, vision) and file management, as
 * raw HTTP: the shapes, who may use them, the errors a client must handle, and
 * per-account file state.
 */
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator } from '../../src/emulator/index.js';
import {
  NOT_TOKEN_PLAN_MESSAGE,
  NO_RESULTS,
  SEARCH_RESULTS,
  SENSITIVE_INPUT,
  SENSITIVE_OUTPUT,
} from '../../src/emulator/routes/coding-plan.js';
import { parseMultipart } from '../../src/emulator/routes/file-management.js';

const HOST = 'https://api.minimaxi.com';
const bearer = (key: string = EMULATOR_KEYS.cn) => ({ authorization: `Bearer ${key}` });

async function call(emulator: ReturnType<typeof createEmulator>, method: string, path: string, init: RequestInit = {}) {
  const response = await emulator.handle(new Request(`${HOST}${path}`, { method, ...init }));
  return { status: response.status, body: (await response.json()) as any };
}

const postJson = (value: unknown, key?: string): RequestInit => ({
  headers: { ...bearer(key), 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

function multipart(parts: Array<{ name: string; value?: string; filename?: string; data?: Uint8Array }>, boundary = 'b0undary') {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(p.data ? Buffer.from(p.data) : Buffer.from(p.value ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('POST /v1/coding_plan/search', () => {
  it('answers organic results and related searches with base_resp 0', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const { status, body } = await call(emulator, 'POST', '/v1/coding_plan/search', postJson({ q: 'MiniMax AI' }));
    expect(status).toBe(200);
    expect(body.base_resp).toEqual({ status_code: 0, status_msg: 'success' });
    expect(body.organic).toHaveLength(SEARCH_RESULTS);
    expect(Object.keys(body.organic[0])).toEqual(['title', 'link', 'snippet', 'date']);
    expect(body.organic[0].link).toBe('https://search.example/1?q=MiniMax%20AI');
    expect(body.related_searches).toEqual([{ query: 'MiniMax AI news' }]);
  });

  it('no results, bad params, the filter and a pay-as-you-go key are HTTP 200 with base_resp codes', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const codeOf = async (init: RequestInit) => (await call(emulator, 'POST', '/v1/coding_plan/search', init)).body;
    expect((await codeOf(postJson({ q: `x ${NO_RESULTS}` }))).organic).toEqual([]);
    expect((await codeOf(postJson({}))).base_resp.status_code).toBe(2013);
    expect((await codeOf(postJson({ q: '  ' }))).base_resp.status_code).toBe(2013);
    expect((await codeOf(postJson({ q: SENSITIVE_INPUT }))).base_resp).toEqual({ status_code: 1026, status_msg: 'input new_sensitive' });
    expect((await codeOf(postJson({ q: SENSITIVE_OUTPUT }))).base_resp).toEqual({ status_code: 1027, status_msg: 'output new_sensitive' });
    expect((await codeOf(postJson({ q: 'hi' }, EMULATOR_KEYS.cnPayg))).base_resp).toEqual({
      status_code: 2057,
      status_msg: NOT_TOKEN_PLAN_MESSAGE,
    });
  });

  it('keys are region-bound and Bearer is required on cn, as for every native endpoint', async () => {
    const emulator = createEmulator({ region: 'cn' });
    expect(
      (await call(emulator, 'POST', '/v1/coding_plan/search', postJson({ q: 'x' }, EMULATOR_KEYS.global))).body.base_resp.status_code,
    ).toBe(2049);
    const xApiKey = { headers: { 'x-api-key': EMULATOR_KEYS.cn }, body: JSON.stringify({ q: 'x' }) };
    expect((await call(emulator, 'POST', '/v1/coding_plan/search', xApiKey)).body.base_resp.status_code).toBe(1004);
  });
});

describe('POST /v1/coding_plan/vlm', () => {
  const png = `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\nfake', 'latin1').toString('base64')}`;

  it('describes a data-URI image or a file id, quoting the prompt', async () => {
    const emulator = createEmulator({ region: 'global' });
    const key = EMULATOR_KEYS.global;
    const image = await call(emulator, 'POST', '/v1/coding_plan/vlm', postJson({ prompt: 'What is it?', image_url: png }, key));
    expect(image.body.base_resp.status_code).toBe(0);
    expect(image.body.content).toContain('an image/png image of 12 bytes');
    expect(image.body.content).toContain('"What is it?"');
    const file = await call(emulator, 'POST', '/v1/coding_plan/vlm', postJson({ prompt: 'Text?', file_id: '42' }, key));
    expect(file.body.content).toContain('file 42');
  });

  it('refuses a missing prompt, no image or both, a non-data URL, a flagged prompt and a pay-as-you-go key', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const code = async (body: unknown, key?: string) =>
      (await call(emulator, 'POST', '/v1/coding_plan/vlm', postJson(body, key))).body.base_resp.status_code;
    expect(await code({ image_url: png })).toBe(2013);
    expect(await code({ prompt: 'x' })).toBe(2013);
    expect(await code({ prompt: 'x', image_url: png, file_id: '1' })).toBe(2013);
    expect(await code({ prompt: 'x', image_url: 'https://example.com/a.png' })).toBe(2013);
    expect(await code({ prompt: 'x', image_url: 'data:text/plain;base64,aGk=' })).toBe(2013);
    expect(await code({ prompt: SENSITIVE_INPUT, image_url: png })).toBe(1026);
    expect(await code({ prompt: 'x', image_url: png }, EMULATOR_KEYS.cnPayg)).toBe(2057);
  });
});

describe('file management', () => {
  it('parseMultipart reads text fields and binary files; anything else is not multipart', () => {
    const data = new Uint8Array([0, 13, 10, 45, 45, 255]);
    const { body, contentType } = multipart([
      { name: 'file', filename: 'a.bin', data },
      { name: 'purpose', value: 'retrieval' },
    ]);
    const parts = parseMultipart(contentType, body);
    expect(parts?.map((p) => [p.name, p.filename, Buffer.from(p.data).toString('hex')])).toEqual([
      ['file', 'a.bin', Buffer.from(data).toString('hex')],
      ['purpose', undefined, Buffer.from('retrieval').toString('hex')],
    ]);
    expect(parseMultipart('application/json', body)).toBeUndefined();
    expect(parseMultipart(contentType, Buffer.from('no delimiter here'))).toBeUndefined();
  });

  it('upload → list (per key, filtered by purpose) → delete → list', async () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const emulator = createEmulator({ region: 'cn', now: () => now });
    const upload = async (filename: string, purpose: string, key?: string) => {
      const { body, contentType } = multipart([
        { name: 'file', filename, data: new TextEncoder().encode(`contents of ${filename}`) },
        { name: 'purpose', value: purpose },
      ]);
      return call(emulator, 'POST', '/v1/files/upload', { headers: { ...bearer(key), 'content-type': contentType }, body });
    };
    const a = await upload('a.txt', 'retrieval');
    expect(a.body).toEqual({
      file: {
        file_id: expect.any(Number),
        bytes: 'contents of a.txt'.length,
        created_at: now / 1000,
        filename: 'a.txt',
        purpose: 'retrieval',
      },
      base_resp: { status_code: 0, status_msg: 'success' },
    });
    expect(String(a.body.file.file_id)).toMatch(/^\d{15}$/);
    const b = await upload('b.mp3', 'voice_clone');
    await upload('other.txt', 'retrieval', EMULATOR_KEYS.cnPayg);

    const list = async (query = '') => (await call(emulator, 'GET', `/v1/files/list${query}`, { headers: bearer() })).body;
    expect((await list()).files.map((f: { filename: string }) => f.filename)).toEqual(['a.txt', 'b.mp3']);
    expect((await list('?purpose=voice_clone')).files.map((f: { filename: string }) => f.filename)).toEqual(['b.mp3']);

    const del = await call(emulator, 'POST', '/v1/files/delete', postJson({ file_id: b.body.file.file_id }));
    expect(del.body).toEqual({ file_id: b.body.file.file_id, base_resp: { status_code: 0, status_msg: 'success' } });
    expect((await list()).files.map((f: { filename: string }) => f.filename)).toEqual(['a.txt']);
    // Gone, never there, of another account, a wrong purpose, or not a number: errors inside HTTP 200.
    for (const body of [
      { file_id: b.body.file.file_id },
      { file_id: 1 },
      { file_id: a.body.file.file_id, purpose: 'voice_clone' },
      { file_id: String(a.body.file.file_id) },
    ]) {
      expect((await call(emulator, 'POST', '/v1/files/delete', postJson(body))).body.base_resp.status_code).toBe(2013);
    }
    const otherAccount = await call(emulator, 'POST', '/v1/files/delete', postJson({ file_id: a.body.file.file_id }, EMULATOR_KEYS.cnPayg));
    expect(otherAccount.body.base_resp.status_code).toBe(2013);
  });

  it('an upload without a file, without a purpose, or not multipart is 2013', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const send = async (parts: Parameters<typeof multipart>[0]) => {
      const { body, contentType } = multipart(parts);
      return (await call(emulator, 'POST', '/v1/files/upload', { headers: { ...bearer(), 'content-type': contentType }, body })).body;
    };
    expect((await send([{ name: 'purpose', value: 'retrieval' }])).base_resp.status_code).toBe(2013);
    expect((await send([{ name: 'file', filename: 'a', value: 'x' }])).base_resp.status_code).toBe(2013);
    const json = await call(emulator, 'POST', '/v1/files/upload', postJson({ file: 'a' }));
    expect(json.body.base_resp.status_code).toBe(2013);
  });
});
