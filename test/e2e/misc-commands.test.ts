/**
 * search, vision, file and update over real sockets: the API emulator of each
 * region on loopback, a CDN stand-in on another origin for pictures named by
 * URL, and the built bin/mmx as a process. The key goes to the API only.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createCdn, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Cdn, Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { runCli } from '../helpers/run-cli.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

type Region = 'cn' | 'global';
const REGIONS: readonly Region[] = ['cn', 'global'];
const KEYS = { cn: EMULATOR_KEYS.cn, global: EMULATOR_KEYS.global } as const;
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('pixels')]);

const apis = {} as Record<Region, { emulator: Emulator; server: EmulatorServer }>;
let cdn: Cdn;
let cdnServer: EmulatorServer;

beforeAll(async () => {
  for (const region of REGIONS) {
    const emulator = createEmulator({ region });
    apis[region] = { emulator, server: await startEmulatorServer(emulator) };
  }
  cdn = createCdn();
  cdnServer = await startEmulatorServer(cdn);
  cdn.put('/img/photo.png', PNG, 'image/png');
  cdn.put('/img/octet', PNG, 'application/octet-stream');
  cdn.put('/page.html', Buffer.from('<html><body><img src="photo.png"></body></html>'), 'text/html; charset=utf-8');
  cdn.put('/img/huge.jpg', Buffer.alloc(50 * 1024 * 1024 + 1), 'image/jpeg');
});
afterAll(async () => {
  await cdnServer.close();
  for (const region of REGIONS) await apis[region].server.close();
});
beforeEach(() => {
  for (const region of REGIONS) apis[region].emulator.reset();
  cdn.requests.length = 0;
});

const envFor = (region: Region) => ({ MINIMAX_API_KEY: KEYS[region], MINIMAX_REGION: region, MINIMAX_BASE_URL: apis[region].server.url });
const link = (path: string) => cdn.signedUrl(cdnServer.url, path);

describe('vision describe --image URL (in process, real sockets)', () => {
  it('downloads the picture without the key, then sends it inline as a data URI', async () => {
    const r = await runCli(['vision', 'describe', '--image', link('/img/photo.png'), '--output', 'json'], { env: envFor('cn') });
    expect(r.code).toBe(0);
    expect(cdn.requests).toHaveLength(1);
    const fetched = cdn.requests[0]!;
    expect(fetched.headers.authorization).toBeUndefined();
    expect(fetched.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(fetched)).not.toContain(KEYS.cn);
    expect(apis.cn.emulator.requests.map((q) => q.body)).toEqual([
      { prompt: 'Describe the image.', image_url: `data:image/png;base64,${PNG.toString('base64')}` },
    ]);
  });

  it('a generic binary type is typed by the bytes', async () => {
    await runCli(['vision', link('/img/octet')], { env: envFor('cn') });
    expect((apis.cn.emulator.requests[0]!.body as { image_url: string }).image_url.startsWith('data:image/png;base64,')).toBe(true);
  });

  it('a page instead of a picture: exit 2, and the vision API is not called', async () => {
    const page = link('/page.html');
    const r = await runCli(['vision', page, '--output', 'text'], { env: envFor('cn') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not an image: its server sent text/html');
    expect(r.stderr).toContain('Signature=…'); // a signed link's query is its credential: masked
    expect(r.stderr).not.toContain(new URL(page).searchParams.get('Signature'));
    expect(apis.cn.emulator.requests).toHaveLength(0);
  });

  it('over 50 MB by its Content-Length: exit 2 before the body is read', async () => {
    const r = await runCli(['vision', link('/img/huge.jpg'), '--output', 'text'], { env: envFor('cn') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The image is 50.0 MB; the vision API takes at most 50.0 MB');
    expect(apis.cn.emulator.requests).toHaveLength(0);
  });

  it('a link the CDN refuses: exit 1 naming the HTTP status, the vision API is not called', async () => {
    const r = await runCli(['vision', `${cdnServer.url}/img/photo.png?Expires=1&Signature=bad`, '--output', 'text'], {
      env: envFor('cn'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HTTP 403');
    expect(apis.cn.emulator.requests).toHaveLength(0);
  });

  it('a cut download: exit 6, nothing sent', async () => {
    cdn.cutNext(3);
    const r = await runCli(['vision', link('/img/photo.png'), '--output', 'text'], { env: envFor('cn') });
    expect(r.code).toBe(6);
    expect(apis.cn.emulator.requests).toHaveLength(0);
  });
});

describe.each(REGIONS)('bin/mmx, region %s', (region) => {
  it('vision: a local picture and a URL, Bearer on the API, nothing on the CDN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmx-e2e-'));
    writeFileSync(join(dir, 'photo.png'), PNG);
    const env = { ...isolatedHome(), ...envFor(region) };
    const local = await spawnMmx(['vision', join(dir, 'photo.png'), '--output', 'text'], { env });
    expect(local.code).toBe(0);
    expect(local.stdout).toContain(`an image/png image of ${PNG.length} bytes`);
    const remote = await spawnMmx(['vision', 'describe', '--image', link('/img/photo.png'), '--prompt', 'What?', '--output', 'json'], {
      env,
    });
    expect(remote.code).toBe(0);
    expect(JSON.parse(remote.stdout).content).toContain('Asked "What?"');
    expect(apis[region].emulator.requests.map((q) => [q.path, q.authStyle])).toEqual([
      ['/v1/coding_plan/vlm', 'bearer'],
      ['/v1/coding_plan/vlm', 'bearer'],
    ]);
    expect(cdn.requests.map((q) => q.headers.authorization ?? q.headers['x-api-key'] ?? 'none')).toEqual(['none']);
  });

  it('search: the group shortcut and the web alias, Bearer', async () => {
    const env = { ...isolatedHome(), ...envFor(region) };
    const text = await spawnMmx(['search', 'MiniMax', 'AI', '--output', 'text', '--quiet'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('MiniMax AI: result 1\thttps://search.example/1?q=MiniMax%20AI');
    const json = await spawnMmx(['search', 'web', '--q', 'hi'], { env });
    expect(JSON.parse(json.stdout).organic).toHaveLength(3);
    expect(apis[region].emulator.requests.map((q) => [q.path, q.authStyle, q.body])).toEqual([
      ['/v1/coding_plan/search', 'bearer', { q: 'MiniMax AI' }],
      ['/v1/coding_plan/search', 'bearer', { q: 'hi' }],
    ]);
  });

  it('file: a multipart upload over a socket, then list and delete it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmx-e2e-'));
    const contents = Buffer.concat([Buffer.from('binary\r\n--not-a-boundary\r\n'), Buffer.from([0, 255, 13, 10])]);
    writeFileSync(join(dir, 'data.bin'), contents);
    const env = { ...isolatedHome(), ...envFor(region) };
    const up = await spawnMmx(['file', 'upload', '--file', join(dir, 'data.bin'), '--purpose', 'retrieval', '--output', 'json'], { env });
    expect(up.code).toBe(0);
    const uploaded = JSON.parse(up.stdout);
    expect(uploaded).toMatchObject({ filename: 'data.bin', bytes: contents.length, purpose: 'retrieval' });
    const list = await spawnMmx(['file', 'list', '--output', 'text', '--quiet'], { env });
    expect(list.stdout).toBe(`${uploaded.file_id}\n`);
    const del = await spawnMmx(['file', 'delete', '--file-id', String(uploaded.file_id)], { env });
    expect(JSON.parse(del.stdout)).toEqual({ file_id: uploaded.file_id, deleted: true });
    expect(apis[region].emulator.requests.map((q) => [q.method, q.path, q.authStyle])).toEqual([
      ['POST', '/v1/files/upload', 'bearer'],
      ['GET', '/v1/files/list', 'bearer'],
      ['POST', '/v1/files/delete', 'bearer'],
    ]);
  });
});
