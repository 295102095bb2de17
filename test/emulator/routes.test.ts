/**
 * The emulator's route machinery (route modules with `:param` segments, the raw
 * body, the /v2 native family) and its CDN stand-in (signed, expiring links on
 * an origin of their own, recording every request).
 */
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createCdn, createEmulator } from '../../src/emulator/index.js';
import type { RouteModule } from '../../src/emulator/index.js';

const echo: RouteModule = () => ({
  'GET /v2/query/video_generation/:id': (ctx) => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: { kind: 'text', text: JSON.stringify({ id: ctx.params.id, q: ctx.query.get('x'), key: ctx.key === EMULATOR_KEYS.cn }) },
  }),
  'POST /v1/files/upload': (ctx) => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: { kind: 'text', text: JSON.stringify({ bytes: ctx.rawBody?.length ?? 0 }) },
  }),
});

const bearer = { authorization: `Bearer ${EMULATOR_KEYS.cn}` };

describe('route modules', () => {
  it('a :param segment is matched and decoded; /v2 is the native family (Bearer)', async () => {
    const emulator = createEmulator({ region: 'cn', routes: [echo] });
    const ok = await emulator.handle(new Request('https://api.example/v2/query/video_generation/ab%20c?x=1', { headers: bearer }));
    expect(await ok.json()).toEqual({ id: 'ab c', q: '1', key: true });
    const noAuth = await emulator.handle(new Request('https://api.example/v2/query/video_generation/1'));
    expect(((await noAuth.json()) as { base_resp: { status_code: number } }).base_resp.status_code).toBe(1004);
    const unknown = await emulator.handle(new Request('https://api.example/v2/query/video_generation/1/extra', { headers: bearer }));
    expect(unknown.status).toBe(404);
  });

  it('the raw body reaches the route (multipart uploads)', async () => {
    const emulator = createEmulator({ region: 'cn', routes: [echo] });
    const r = await emulator.handle(
      new Request('https://api.example/v1/files/upload', { method: 'POST', headers: bearer, body: new Uint8Array([1, 2, 3, 255]) }),
    );
    expect(await r.json()).toEqual({ bytes: 4 });
  });
});

describe('the CDN stand-in', () => {
  it('serves a file at its signed link, refuses a wrong or expired signature, records every request', async () => {
    let now = Date.parse('2026-11-30T00:00:00Z');
    const cdn = createCdn({ now: () => now });
    cdn.put('/v/abc.mp4', new Uint8Array([9, 8, 7]), 'video/mp4');
    const url = cdn.signedUrl('https://cdn.example', '/v/abc.mp4', 60_000);
    expect(url).toMatch(/^https:\/\/cdn\.example\/v\/abc\.mp4\?Expires=\d+&OSSAccessKeyId=\w+&Signature=[0-9a-f]{32}$/);
    const ok = await cdn.handle(new Request(url));
    expect(ok.headers.get('content-type')).toBe('video/mp4');
    expect(new Uint8Array(await ok.arrayBuffer())).toEqual(new Uint8Array([9, 8, 7]));
    expect((await cdn.handle(new Request(url.replace(/Signature=\w+/, 'Signature=0')))).status).toBe(403);
    now += 120_000;
    const expired = await cdn.handle(new Request(url));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Code>AccessDenied</Code>');
    expect((await cdn.handle(new Request('https://cdn.example/missing'))).status).toBe(404);
    expect(cdn.requests).toHaveLength(4);
  });

  it('cutNext: the next download announces its length and breaks off', async () => {
    const cdn = createCdn();
    cdn.put('/f', new Uint8Array(100), 'application/octet-stream');
    cdn.cutNext(10);
    const r = await cdn.handle(new Request(cdn.signedUrl('https://cdn.example', '/f')));
    expect(r.headers.get('content-length')).toBe('100');
    await expect(r.arrayBuffer()).rejects.toThrow();
  });
});
