/**
 * The emulator's image and video routes, through `handle()`: the answers'
 * shapes, tasks that move on as they are checked, files on the CDN stand-in at
 * signed links, ownership by key, the documented errors (2013, 1026, 1027), and
 * both regions.
 */
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createCdn, createEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions, Region } from '../../src/emulator/index.js';

const CDN = 'https://cdn.example';

function setup(region: Region = 'cn', options: EmulatorOptions = {}) {
  const store = createCdn();
  const emulator = createEmulator({ region, cdn: { store, origin: CDN }, ...options });
  const key = region === 'cn' ? EMULATOR_KEYS.cn : EMULATOR_KEYS.global;
  const call = async (method: string, path: string, body?: unknown, withKey: string = key): Promise<{ status: number; json: any }> => {
    const response = await emulator.handle(
      new Request(`https://api.example${path}`, {
        method,
        headers: { authorization: `Bearer ${withKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    return { status: response.status, json: await response.json() };
  };
  const fetchCdn = async (url: string) => {
    const response = await store.handle(new Request(url));
    return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), type: response.headers.get('content-type') };
  };
  return { emulator, store, call, fetchCdn };
}

describe('POST /v1/image_generation', () => {
  it.each(['cn', 'global'] as const)('%s: n signed JPEG links and the real answer shape', async (region) => {
    const { call, fetchCdn } = setup(region);
    const r = await call('POST', '/v1/image_generation', { model: 'image-01', prompt: 'a cat', n: 2, response_format: 'url' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      metadata: { success_count: '2', failed_count: '0' },
      base_resp: { status_code: 0, status_msg: 'success' },
    });
    expect(r.json.data.image_urls).toHaveLength(2);
    const file = await fetchCdn(r.json.data.image_urls[0]);
    expect(file).toMatchObject({ status: 200, type: 'image/jpeg' });
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([...file.bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
  });

  it('base64: the images inside the answer', async () => {
    const { call } = setup('cn', { media: { imageBytes: 100 } });
    const r = await call('POST', '/v1/image_generation', { model: 'image-01', prompt: 'a cat', response_format: 'base64' });
    expect(r.json.data.image_base64).toHaveLength(1);
    expect(Buffer.from(r.json.data.image_base64[0], 'base64')).toHaveLength(100);
  });

  it.each([
    [{ prompt: 'x' }, 'model undefined is not supported'],
    [{ model: 'image-01', prompt: '' }, 'prompt is required'],
    [{ model: 'image-01', prompt: 'x', n: 10 }, 'n must be an integer from 1 to 9'],
    [{ model: 'image-01', prompt: 'x', width: 1024 }, 'width and height must be set together'],
    [{ model: 'image-01', prompt: 'x', width: 1020, height: 1024 }, 'width must be 512-2048 and a multiple of 8'],
    [{ model: 'image-01', prompt: 'x', aspect_ratio: '5:4' }, 'aspect_ratio 5:4'],
    [
      { model: 'image-01', prompt: 'x', subject_reference: [{ type: 'character', image_file: 'face.png' }] },
      'subject_reference image must be a URL or a base64 data URI',
    ],
  ])('%j: 2013 invalid params', async (body, what) => {
    const { call } = setup();
    const r = await call('POST', '/v1/image_generation', body);
    expect(r.json).toEqual({ base_resp: { status_code: 2013, status_msg: `invalid params, ${what}` } });
  });

  it('the content filter: 1026 for the prompt, every image withheld for the output', async () => {
    const input = await setup('cn', { media: { contentFilter: 'input' } }).call('POST', '/v1/image_generation', {
      model: 'image-01',
      prompt: 'x',
    });
    expect(input.json.base_resp).toEqual({ status_code: 1026, status_msg: 'input new_sensitive' });
    const output = await setup('cn', { media: { contentFilter: 'output' } }).call('POST', '/v1/image_generation', {
      model: 'image-01',
      prompt: 'x',
      n: 3,
    });
    expect(output.json).toMatchObject({ data: { image_urls: [] }, metadata: { success_count: '0', failed_count: '3' } });
  });
});

describe('v1 video tasks', () => {
  it.each(['cn', 'global'] as const)(
    '%s: Queueing, Processing, then Success with a file whose signed link serves an MP4',
    async (region) => {
      const { call, fetchCdn } = setup(region, { media: { videoBytes: 4096 } });
      const created = await call('POST', '/v1/video_generation', { model: 'MiniMax-Hailuo-2.3', prompt: 'waves' });
      expect(created.json).toEqual({ task_id: expect.stringMatching(/^\d{15}$/), base_resp: { status_code: 0, status_msg: 'success' } });
      const id = created.json.task_id;
      const states = [];
      for (let i = 0; i < 3; i++) states.push((await call('GET', `/v1/query/video_generation?task_id=${id}`)).json);
      expect(states.map((s) => s.status)).toEqual(['Queueing', 'Processing', 'Success']);
      expect(states[2]).toMatchObject({ task_id: id, file_id: expect.stringMatching(/^\d{15}$/), video_width: 1366, video_height: 768 });
      const file = await call('GET', `/v1/files/retrieve?file_id=${states[2].file_id}`);
      expect(file.json.file).toMatchObject({
        file_id: Number(states[2].file_id),
        bytes: 4096,
        filename: 'output.mp4',
        purpose: 'video_generation',
      });
      const video = await fetchCdn(file.json.file.download_url);
      expect(video).toMatchObject({ status: 200, type: 'video/mp4' });
      expect(video.bytes).toHaveLength(4096);
      expect(Buffer.from(video.bytes.subarray(4, 8)).toString()).toBe('ftyp');
    },
  );

  it("another key's task or file is not found; a task id is required", async () => {
    const { call } = setup('cn');
    const id = (await call('POST', '/v1/video_generation', { model: 'MiniMax-Hailuo-2.3', prompt: 'x' })).json.task_id;
    const other = await call('GET', `/v1/query/video_generation?task_id=${id}`, undefined, EMULATOR_KEYS.cnPayg);
    expect(other.json.base_resp.status_code).toBe(2013);
    expect((await call('GET', '/v1/query/video_generation')).json.base_resp.status_msg).toBe('invalid params, task_id is required');
    expect((await call('GET', '/v1/files/retrieve?file_id=1')).json.base_resp.status_code).toBe(1000);
  });

  it.each([
    [{ model: 'MiniMax-Hailuo-2.3-Fast', prompt: 'x' }, 'MiniMax-Hailuo-2.3-Fast requires first_frame_image'],
    [
      { model: 'MiniMax-Hailuo-2.3', prompt: 'x', last_frame_image: 'https://a/b.png' },
      'last_frame_image needs MiniMax-Hailuo-02 and first_frame_image',
    ],
    [{ model: 'S2V-01', prompt: 'x' }, 'S2V-01 requires subject_reference [{type: character, image: [one image]}]'],
    [{ model: 'MiniMax-Hailuo-2.3', prompt: 'x', first_frame_image: 'start.png' }, 'first_frame_image must be a URL or a base64 data URI'],
    [{ model: 'Sora', prompt: 'x' }, 'model "Sora" is not supported'],
  ])('%j: 2013', async (body, what) => {
    const r = await setup().call('POST', '/v1/video_generation', body);
    expect(r.json.base_resp).toEqual({ status_code: 2013, status_msg: `invalid params, ${what}` });
  });

  it('outcomes: a failed task, the output filter (1027), the input filter (1026), the number of checks', async () => {
    const fail = setup('cn', { media: { videoPolls: 0, videoOutcome: 'fail' } });
    const id = (await fail.call('POST', '/v1/video_generation', { model: 'MiniMax-Hailuo-2.3', prompt: 'x' })).json.task_id;
    expect((await fail.call('GET', `/v1/query/video_generation?task_id=${id}`)).json).toMatchObject({
      status: 'Fail',
      base_resp: { status_code: 0 },
    });
    const withheld = setup('cn', { media: { videoPolls: 0, contentFilter: 'output' } });
    const id2 = (await withheld.call('POST', '/v1/video_generation', { model: 'MiniMax-Hailuo-2.3', prompt: 'x' })).json.task_id;
    expect((await withheld.call('GET', `/v1/query/video_generation?task_id=${id2}`)).json.base_resp.status_code).toBe(1027);
    const refused = setup('cn', { media: { contentFilter: 'input' } });
    expect(
      (await refused.call('POST', '/v1/video_generation', { model: 'MiniMax-Hailuo-2.3', prompt: 'x' })).json.base_resp.status_code,
    ).toBe(1026);
  });
});

describe('v2 (MiniMax-H3) video tasks', () => {
  const text = (t: string) => ({ type: 'text', text: t });

  it.each(['cn', 'global'] as const)('%s: queued, running, succeeded with content.url; the id is a path segment', async (region) => {
    const { call, fetchCdn } = setup(region);
    const created = await call('POST', '/v2/video_generation', {
      model: 'MiniMax-H3',
      content: [text('waves')],
      resolution: '2K',
      duration: 5,
      ratio: '16:9',
    });
    expect(created.json).toEqual({ task_id: expect.stringMatching(/^\d{15}$/) });
    const id = created.json.task_id;
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await call('GET', `/v2/query/video_generation/${id}`)).json.task);
    expect(states.map((s) => s.status)).toEqual(['queued', 'running', 'succeeded']);
    expect(states[2]).toMatchObject({ id, model: 'MiniMax-H3', resolution: '2K', duration: 5, ratio: '16:9' });
    expect((await fetchCdn(states[2].content.url)).status).toBe(200);
  });

  it.each([
    [{ model: 'MiniMax-H3', content: [text('x')], ratio: 'adaptive' }, 'text-to-video needs a concrete ratio'],
    [{ model: 'MiniMax-H3', content: [text('')], ratio: '16:9' }, 'content must include a non-empty text item (prompt is required)'],
    [{ model: 'MiniMax-H3', content: [text('x')], ratio: '16:9', duration: 20 }, 'duration must be 4-15'],
    [
      {
        model: 'MiniMax-H3',
        content: [
          text('x'),
          { type: 'image_url', image_url: { url: 'https://a/1.png' }, role: 'first_frame' },
          { type: 'image_url', image_url: { url: 'https://a/2.png' }, role: 'reference_image' },
        ],
      },
      'frame and reference roles cannot be mixed',
    ],
    [
      { model: 'MiniMax-H3', content: [text('x'), { type: 'audio_url', audio_url: { url: 'https://a/1.mp3' }, role: 'reference_audio' }] },
      'reference_audio needs a reference image or video',
    ],
  ])('%j: HTTP 400 invalid params (2013) in the error envelope', async (body, what) => {
    const r = await setup().call('POST', '/v2/video_generation', body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      type: 'error',
      error: { type: 'bad_request_error', message: `invalid params, ${what} (2013)`, http_code: '400' },
    });
  });

  it('the input filter is HTTP 422 (1026); a failed or withheld task carries an error; an unknown id is 400', async () => {
    const refused = await setup('cn', { media: { contentFilter: 'input' } }).call('POST', '/v2/video_generation', {
      model: 'MiniMax-H3',
      content: [text('x')],
      ratio: '1:1',
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({
      type: 'unprocessable_entity_error',
      message: 'video description contains sensitive content (1026)',
    });
    const withheld = setup('cn', { media: { videoPolls: 0, contentFilter: 'output' } });
    const id = (await withheld.call('POST', '/v2/video_generation', { model: 'MiniMax-H3', content: [text('x')], ratio: '1:1' })).json
      .task_id;
    expect((await withheld.call('GET', `/v2/query/video_generation/${id}`)).json.task).toMatchObject({
      status: 'failed',
      error: { code: '1027' },
    });
    expect((await withheld.call('GET', '/v2/query/video_generation/123')).status).toBe(400);
  });
});

describe('mmx-emulator (the CLI)', () => {
  it('serves a CDN stand-in on a port of its own; --video-polls and --video-bytes shape the tasks', async () => {
    const { main } = await import('../../src/emulator/index.js');
    const controller = new AbortController();
    const out: string[] = [];
    let url = '';
    const done = main(['--region', 'global', '--video-polls', '0', '--video-bytes', '1000'], {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: () => undefined },
      signal: controller.signal,
      onListening: (server) => (url = server.url),
    });
    await expect.poll(() => url).not.toBe('');
    const cdnOrigin = /CDN stand-in \(generated images and videos\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(out.join(''))?.[1];
    expect(cdnOrigin).toBeDefined();
    expect(cdnOrigin).not.toBe(url);
    const headers = { authorization: `Bearer ${EMULATOR_KEYS.global}`, 'content-type': 'application/json' };
    const created: any = await (
      await fetch(`${url}/v1/video_generation`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'MiniMax-Hailuo-2.3', prompt: 'x' }),
      })
    ).json();
    const task: any = await (await fetch(`${url}/v1/query/video_generation?task_id=${created.task_id}`, { headers })).json();
    expect(task.status).toBe('Success');
    const file: any = await (await fetch(`${url}/v1/files/retrieve?file_id=${task.file_id}`, { headers })).json();
    expect(file.file.download_url.startsWith(`${cdnOrigin}/`)).toBe(true);
    const video = await fetch(file.file.download_url);
    expect((await video.arrayBuffer()).byteLength).toBe(1000);
    controller.abort();
    expect(await done).toBe(0);
  });
});
