import { describe, it, expect } from 'vitest';
import {
  createEmulator,
  defaultReply,
  EMULATOR_KEYS,
  EMULATOR_KEY_REGISTRY,
  PAYG_ON_QUOTA_MESSAGE,
  TOKEN_PLAN_ON_BALANCE_MESSAGE,
  type Emulator,
  type HeaderRejection,
} from '../../src/emulator/index.js';
import { parseSse } from '../helpers/sse-text.js';

/** `Response.json()` is typed `unknown`; tests poke into bodies freely. */
async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}

const BASE = 'http://emulator.test';
const HEX32 = /^0[0-9a-f]{31}$/;

function bearer(key: string) {
  return { authorization: `Bearer ${key}` };
}

function apiKey(key: string) {
  return { 'x-api-key': key };
}

function chat(
  emulator: Emulator,
  headers: Record<string, string>,
  body: unknown = { model: 'MiniMax-M2.7', max_tokens: 64, messages: [{ role: 'user', content: '你好' }] },
): Promise<Response> {
  return emulator.handle(
    new Request(`${BASE}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

function get(emulator: Emulator, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return emulator.handle(new Request(`${BASE}${path}`, { headers }));
}

describe('demo keys', () => {
  it('look like real keys, are clearly fake and are all in the default registry', () => {
    for (const key of Object.values(EMULATOR_KEYS)) {
      expect(key.length).toBeGreaterThanOrEqual(40);
      expect(key).toContain('emulator');
      expect(EMULATOR_KEY_REGISTRY[key]).toBeDefined();
    }
    expect(EMULATOR_KEYS.cnPayg.startsWith('sk-api-')).toBe(true);
    expect(EMULATOR_KEYS.cn.startsWith('sk-cp-')).toBe(true);
    expect(EMULATOR_KEY_REGISTRY[EMULATOR_KEYS.global]?.region).toBe('global');
  });
});

describe('auth: cn region defaults', () => {
  it('rejects x-api-key on /anthropic with HTTP 500 system error (1033)', async () => {
    const emulator = createEmulator();
    expect(emulator.region).toBe('cn');
    const res = await chat(emulator, apiKey(EMULATOR_KEYS.cn));
    expect(res.status).toBe(500);
    const body = await json(res);
    expect(body).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'system error (1033)' },
      request_id: expect.stringMatching(HEX32),
    });
    expect(res.headers.get('trace-id')).toMatch(HEX32);
  });

  it('accepts Bearer on /anthropic, and Bearer + x-api-key together', async () => {
    const emulator = createEmulator({ region: 'cn' });
    expect((await chat(emulator, bearer(EMULATOR_KEYS.cn))).status).toBe(200);
    const both = await chat(emulator, { ...bearer(EMULATOR_KEYS.cn), ...apiKey(EMULATOR_KEYS.cn) });
    expect(both.status).toBe(200);
    expect(emulator.requests.map((r) => r.authStyle)).toEqual(['bearer', 'both']);
  });

  it('answers /v1 without Authorization with HTTP 200 base_resp 1004', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const res = await get(emulator, '/v1/token_plan/remains', apiKey(EMULATOR_KEYS.cn));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      base_resp: {
        status_code: 1004,
        status_msg: "login fail: Please carry the API secret key in the 'Authorization' field of the request header",
      },
    });
    const balance = await get(emulator, '/account/query_balance', apiKey(EMULATOR_KEYS.cnPayg));
    expect(balance.status).toBe(200);
    expect((await json(balance)).base_resp.status_code).toBe(1004);
  });

  it('answers no credential at all with 401 on every family', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const anthropic = await chat(emulator, {});
    expect(anthropic.status).toBe(401);
    const body = await json(anthropic);
    expect(body.error.type).toBe('authentication_error');
    expect(body.error.message).toContain("'Authorization' field");
    expect(body.request_id).toMatch(HEX32);

    const v1 = await get(emulator, '/v1/token_plan/remains');
    expect(v1.status).toBe(401);
    expect(await json(v1)).toEqual({
      base_resp: {
        status_code: 1004,
        status_msg: "login fail: Please carry the API secret key in the 'Authorization' field of the request header",
      },
    });
    // A bare key without the Bearer scheme is not a credential.
    const bare = await get(emulator, '/v1/token_plan/remains', { authorization: EMULATOR_KEYS.cn });
    expect(bare.status).toBe(401);
    expect(emulator.requests.at(-1)?.authStyle).toBe('none');
  });
});

describe('auth: global region', () => {
  it('accepts either header on every family', async () => {
    const emulator = createEmulator({ region: 'global' });
    for (const headers of [bearer(EMULATOR_KEYS.global), apiKey(EMULATOR_KEYS.global)]) {
      expect((await chat(emulator, headers)).status).toBe(200);
      const quota = await json(get(emulator, '/v1/token_plan/remains', headers));
      expect(quota.base_resp.status_code).toBe(0);
    }
    for (const headers of [bearer(EMULATOR_KEYS.globalPayg), apiKey(EMULATOR_KEYS.globalPayg)]) {
      const balance = await json(get(emulator, '/account/query_balance', headers));
      expect(balance.base_resp.status_code).toBe(0);
    }
  });
});

describe('auth: keys', () => {
  it('rejects a key registered to the other region with 2049', async () => {
    const emulator = createEmulator({ region: 'global' });
    const res = await chat(emulator, bearer(EMULATOR_KEYS.cn));
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({
      type: 'error',
      error: { type: 'authorized_error', message: 'invalid api key (2049)', http_code: '401' },
      request_id: expect.stringMatching(HEX32),
    });
    const quota = await get(emulator, '/v1/token_plan/remains', bearer(EMULATOR_KEYS.cn));
    expect(quota.status).toBe(200);
    expect(await json(quota)).toEqual({ base_resp: { status_code: 2049, status_msg: 'invalid api key' } });
  });

  it('rejects an unknown key with 401', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const res = await chat(emulator, bearer('sk-cp-not-a-registered-key'));
    expect(res.status).toBe(401);
    const body = await json(res);
    expect(body.error).toEqual({ type: 'authentication_error', message: 'invalid api key' });
    const quota = await get(emulator, '/v1/token_plan/remains', bearer('sk-cp-not-a-registered-key'));
    expect(quota.status).toBe(401);
    expect(await json(quota)).toEqual({ base_resp: { status_code: 2049, status_msg: 'invalid api key' } });
  });

  it('uses a custom registry instead of the demo keys', async () => {
    const emulator = createEmulator({ region: 'cn', keys: { 'sk-cp-custom-emulator-key': { region: 'cn' } } });
    expect((await chat(emulator, bearer('sk-cp-custom-emulator-key'))).status).toBe(200);
    expect((await chat(emulator, bearer(EMULATOR_KEYS.cn))).status).toBe(401);
  });
});

describe('auth: policy overrides', () => {
  it('bearer-only on /anthropic answers x-api-key with 401 authorized_error (1004)', async () => {
    const emulator = createEmulator({ region: 'global', authPolicy: { anthropic: 'bearer-only' } });
    const res = await chat(emulator, apiKey(EMULATOR_KEYS.global));
    expect(res.status).toBe(401);
    expect((await json(res)).error).toEqual({
      type: 'authorized_error',
      message: "login fail: Please carry the API secret key in the 'Authorization' field of the request header (1004)",
      http_code: '401',
    });
    expect((await chat(emulator, bearer(EMULATOR_KEYS.global))).status).toBe(200);
  });

  it('x-api-key-only names the X-Api-Key field on every family', async () => {
    const emulator = createEmulator({
      region: 'cn',
      authPolicy: { anthropic: 'x-api-key-only', v1: 'x-api-key-only' },
    });
    const res = await chat(emulator, bearer(EMULATOR_KEYS.cn));
    expect(res.status).toBe(401);
    expect((await json(res)).error.message).toBe(
      "login fail: Please carry the API secret key in the 'X-Api-Key' field of the request header (1004)",
    );
    expect((await chat(emulator, apiKey(EMULATOR_KEYS.cn))).status).toBe(200);

    const quota = await get(emulator, '/v1/token_plan/remains', bearer(EMULATOR_KEYS.cn));
    expect(quota.status).toBe(200);
    expect(await json(quota)).toEqual({
      base_resp: {
        status_code: 1004,
        status_msg: "login fail: Please carry the API secret key in the 'X-Api-Key' field of the request header",
      },
    });
    const none = await chat(emulator, {});
    expect((await json(none)).error.message).toContain("'X-Api-Key' field");
  });

  it('either on cn lifts the 1033', async () => {
    const emulator = createEmulator({ region: 'cn', authPolicy: { anthropic: 'either' } });
    expect((await chat(emulator, apiKey(EMULATOR_KEYS.cn))).status).toBe(200);
  });
});

describe('auth: strict mode (only what the real service is known to accept)', () => {
  it('global: either header on /anthropic, Bearer only on /v1 and /account', async () => {
    const strict = createEmulator({ region: 'global', strictAuth: true });
    expect((await chat(strict, apiKey(EMULATOR_KEYS.global))).status).toBe(200);
    expect((await chat(strict, bearer(EMULATOR_KEYS.global))).status).toBe(200);
    expect((await get(strict, '/anthropic/v1/models', apiKey(EMULATOR_KEYS.global))).status).toBe(200);
    expect(await json(get(strict, '/v1/token_plan/remains', apiKey(EMULATOR_KEYS.global)))).toEqual({
      base_resp: {
        status_code: 1004,
        status_msg: "login fail: Please carry the API secret key in the 'Authorization' field of the request header",
      },
    });
    expect((await json(get(strict, '/account/query_balance', apiKey(EMULATOR_KEYS.globalPayg)))).base_resp.status_code).toBe(1004);
    expect((await json(get(strict, '/v1/token_plan/remains', bearer(EMULATOR_KEYS.global)))).base_resp.status_code).toBe(0);
    // Without strict mode global takes x-api-key on the native API too.
    const lax = createEmulator({ region: 'global' });
    expect((await json(get(lax, '/v1/token_plan/remains', apiKey(EMULATOR_KEYS.global)))).base_resp.status_code).toBe(0);
  });

  it('cn is the same with or without it', async () => {
    const strict = createEmulator({ region: 'cn', strictAuth: true });
    expect((await chat(strict, apiKey(EMULATOR_KEYS.cn))).status).toBe(500);
    expect((await json(get(strict, '/v1/token_plan/remains', apiKey(EMULATOR_KEYS.cn)))).base_resp.status_code).toBe(1004);
    expect((await chat(strict, bearer(EMULATOR_KEYS.cn))).status).toBe(200);
  });
});

describe('auth: the shape of a header rejection (headerRejection, and the header-rejection fault)', () => {
  const CARRY = (field: string) => `login fail: Please carry the API secret key in the '${field}' field of the request header`;
  const wantsBearer = (headerRejection: HeaderRejection) =>
    createEmulator({ region: 'global', authPolicy: { anthropic: 'bearer-only' }, headerRejection });

  it.each([
    ['system-error-1033', 500, { type: 'error', error: { type: 'api_error', message: 'system error (1033)' } }],
    ['carry', 401, { type: 'error', error: { type: 'authentication_error', message: CARRY('Authorization') } }],
    [
      'carry-1004',
      401,
      { type: 'error', error: { type: 'authorized_error', message: `${CARRY('Authorization')} (1004)`, http_code: '401' } },
    ],
    [
      'carry-bearer-scheme',
      401,
      {
        type: 'error',
        error: { type: 'authentication_error', message: `${CARRY('Authorization')}, using the 'Bearer' authentication scheme.` },
      },
    ],
    ['base-resp-1004', 200, { base_resp: { status_code: 1004, status_msg: CARRY('Authorization') } }],
  ] as const)('%s', async (signature, status, body) => {
    const emulator = wantsBearer(signature);
    const res = await chat(emulator, apiKey(EMULATOR_KEYS.global));
    expect(res.status).toBe(status);
    expect(await json(res)).toMatchObject(body);
    expect((await chat(emulator, bearer(EMULATOR_KEYS.global))).status).toBe(200);
  });

  it('carry and carry-1004 name X-Api-Key when that is the header wanted; the Bearer scheme text only goes with Authorization', async () => {
    const wantsApiKey = (headerRejection: HeaderRejection) =>
      createEmulator({ region: 'global', authPolicy: { anthropic: 'x-api-key-only' }, headerRejection });
    expect((await json(chat(wantsApiKey('carry'), bearer(EMULATOR_KEYS.global)))).error.message).toBe(CARRY('X-Api-Key'));
    expect((await json(chat(wantsApiKey('carry-bearer-scheme'), bearer(EMULATOR_KEYS.global)))).error.message).toBe(CARRY('X-Api-Key'));
  });

  it("cn's 1033 takes the configured shape instead", async () => {
    const emulator = createEmulator({ region: 'cn', headerRejection: 'carry' });
    const res = await chat(emulator, apiKey(EMULATOR_KEYS.cn));
    expect(res.status).toBe(401);
    expect((await json(res)).error.message).toBe(CARRY('Authorization'));
  });

  it('the fault answers with a shape whatever was sent (the same text a bad key gets)', async () => {
    const emulator = createEmulator({ region: 'global' });
    emulator.enqueueFault({ kind: 'header-rejection', signature: 'carry', field: 'X-Api-Key' });
    const res = await chat(emulator, apiKey(EMULATOR_KEYS.global));
    expect(res.status).toBe(401);
    expect((await json(res)).error).toEqual({ type: 'authentication_error', message: CARRY('X-Api-Key') });
    expect((await chat(emulator, apiKey(EMULATOR_KEYS.global))).status).toBe(200);
  });
});

describe('POST /anthropic/v1/messages (JSON)', () => {
  it('returns the documented shape with a deterministic reply', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const res = await chat(emulator, bearer(EMULATOR_KEYS.cn));
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = await json(res);
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'MiniMax-M2.7',
      stop_reason: 'end_turn',
      base_resp: { status_code: 0, status_msg: 'success' },
    });
    expect(body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(body.content).toHaveLength(2);
    expect(body.content[0]).toEqual({
      thinking: expect.any(String),
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      type: 'thinking',
    });
    expect(body.content[1]).toEqual({ text: '你好！我是 MiniMax 模拟器。有什么可以帮你的？', type: 'text' });
    expect(body.usage.input_tokens).toBeGreaterThan(0);
    expect(body.usage.output_tokens).toBeGreaterThan(0);
  });

  it('echoes other input and records the request', async () => {
    const emulator = createEmulator({ region: 'global' });
    const res = await chat(emulator, apiKey(EMULATOR_KEYS.global), {
      model: 'MiniMax-M3',
      system: 'be brief',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'what is 2+2?' }] },
      ],
    });
    const body = await json(res);
    expect(body.content.at(-1).text).toBe('Echo: what is 2+2?');
    const [recorded] = emulator.requests;
    expect(recorded).toMatchObject({
      method: 'POST',
      path: '/anthropic/v1/messages',
      authStyle: 'x-api-key',
      key: EMULATOR_KEYS.global,
      body: { model: 'MiniMax-M3', system: 'be brief' },
    });
    expect(recorded?.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('uses a custom reply function and omits the thinking block when there is none', async () => {
    const emulator = createEmulator({
      region: 'cn',
      reply: (req) => ({ text: `${req.model}:${req.lastUserText}:${String(req.max_tokens)}` }),
    });
    const body = await json(chat(emulator, bearer(EMULATOR_KEYS.cn)));
    expect(body.content).toEqual([{ text: 'MiniMax-M2.7:你好:64', type: 'text' }]);
  });

  it('cuts the reply at max_tokens * 4 characters with stop_reason max_tokens', async () => {
    const emulator = createEmulator({ region: 'cn', reply: () => ({ text: 'x'.repeat(100) }) });
    const body = await json(
      chat(emulator, bearer(EMULATOR_KEYS.cn), {
        model: 'MiniMax-M2.7',
        max_tokens: 5,
        messages: [{ role: 'user', content: 'go' }],
      }),
    );
    expect(body.stop_reason).toBe('max_tokens');
    expect(body.content[0].text).toBe('x'.repeat(20));
  });

  it.each([
    [{ model: 'MiniMax-M2.7', messages: [] }, 'invalid params, messages must not be empty (2013)'],
    [{ model: 'MiniMax-M2.7' }, 'invalid params, messages must not be empty (2013)'],
    [{ messages: [{ role: 'user', content: 'hi' }] }, 'invalid params, model is required (2013)'],
    [
      { model: 'MiniMax-M2.7', temperature: 0, messages: [{ role: 'user', content: 'hi' }] },
      'invalid params, temperature must be in (0, 1] (2013)',
    ],
    [
      { model: 'MiniMax-M2.7', temperature: 1.5, messages: [{ role: 'user', content: 'hi' }] },
      'invalid params, temperature must be in (0, 1] (2013)',
    ],
  ])('rejects bad params %j with 400 2013', async (payload, message) => {
    const emulator = createEmulator({ region: 'cn' });
    const res = await chat(emulator, bearer(EMULATOR_KEYS.cn), payload);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message },
      request_id: expect.stringMatching(HEX32),
    });
  });

  it('accepts temperature 1 and records a non-JSON body as raw text', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const ok = await chat(emulator, bearer(EMULATOR_KEYS.cn), {
      model: 'MiniMax-M2.7',
      temperature: 1,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(ok.status).toBe(200);
    const bad = await chat(emulator, bearer(EMULATOR_KEYS.cn), 'not json');
    expect(bad.status).toBe(400);
    expect(emulator.requests.at(-1)?.body).toBe('not json');
  });
});

describe('POST /anthropic/v1/messages (stream)', () => {
  const longInput = 'Tell me something long enough to need several deltas, please. 好的，谢谢！';

  it('emits the captured event sequence, LF framed, without [DONE]', async () => {
    const emulator = createEmulator({ region: 'cn', textDeltaSize: 8 });
    const res = await chat(emulator, bearer(EMULATOR_KEYS.cn), {
      model: 'MiniMax-M2.7',
      stream: true,
      messages: [{ role: 'user', content: longInput }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const raw = await res.text();
    expect(raw).not.toContain('\r');
    expect(raw).not.toContain('[DONE]');
    const frames = parseSse(raw);
    for (const frame of frames) expect(frame.data.type).toBe(frame.event);

    const compact: string[] = [];
    for (const f of frames) {
      const name = f.event === 'content_block_delta' ? f.data.delta.type : f.event;
      if (compact.at(-1) !== name) compact.push(name);
    }
    expect(compact).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'thinking_delta',
      'signature_delta',
      'content_block_stop',
      'content_block_start',
      'text_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);

    const start = frames[0]?.data.message;
    expect(start.id).toMatch(/^[0-9a-f]{32}$/);
    expect(start.usage.input_tokens).toBeGreaterThan(0);
    expect(start.usage.output_tokens).toBe(0);
    expect(frames[2]?.data.content_block).toEqual({ type: 'thinking', thinking: '' });

    const textDeltas = frames.filter((f) => f.data.delta?.type === 'text_delta');
    expect(textDeltas.length).toBeGreaterThan(3);
    expect(textDeltas.every((f) => f.data.index === 1)).toBe(true);
    const text = textDeltas.map((f) => f.data.delta.text).join('');
    const expected = defaultReply({ model: 'MiniMax-M2.7', messages: [], lastUserText: longInput });
    expect(text).toBe((expected as { text: string }).text);

    const thinking = frames
      .filter((f) => f.data.delta?.type === 'thinking_delta')
      .map((f) => f.data.delta.thinking)
      .join('');
    expect(thinking).toBe((expected as { thinking: string }).thinking);
    const signature = frames.find((f) => f.data.delta?.type === 'signature_delta')?.data.delta.signature;
    expect(signature).toMatch(/^[0-9a-f]{64}$/);

    const delta = frames.find((f) => f.event === 'message_delta')?.data;
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage.input_tokens).toBe(start.usage.input_tokens);
    expect(delta.usage.output_tokens).toBeGreaterThan(0);
    expect(frames.at(-1)).toEqual({ event: 'message_stop', data: { type: 'message_stop' } });
  });

  it('streams a text-only reply at index 0', async () => {
    const emulator = createEmulator({ region: 'global', reply: () => ({ text: 'just text' }) });
    const res = await chat(emulator, bearer(EMULATOR_KEYS.global), {
      model: 'MiniMax-M3',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const frames = parseSse(await res.text());
    expect(frames[2]?.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(frames.some((f) => f.data.delta?.type === 'thinking_delta')).toBe(false);
  });

  it('never splits a surrogate pair across deltas', async () => {
    const emoji = '😀🎉👍'.repeat(5);
    const emulator = createEmulator({ region: 'cn', textDeltaSize: 1, reply: () => ({ text: emoji }) });
    const res = await chat(emulator, bearer(EMULATOR_KEYS.cn), {
      model: 'MiniMax-M2.7',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    const deltas = parseSse(await res.text())
      .filter((f) => f.data.delta?.type === 'text_delta')
      .map((f) => f.data.delta.text as string);
    expect(deltas).toHaveLength(15);
    expect(deltas.join('')).toBe(emoji);
  });
});

describe('GET /v1/token_plan/remains', () => {
  // An arbitrary instant that is not on an hour boundary, so remains_time is a non-trivial number.
  const now = Date.UTC(2026, 3, 16, 7, 38, 48, 46);

  it('serves the count era (Generation B) with windows from the injected clock', async () => {
    const emulator = createEmulator({ region: 'cn', quotaEra: 'count', now: () => now });
    const res = await get(emulator, '/v1/token_plan/remains', bearer(EMULATOR_KEYS.cn));
    const body = await json(res);
    expect(body.base_resp).toEqual({ status_code: 0, status_msg: 'success' });
    const names = body.model_remains.map((b: { model_name: string }) => b.model_name);
    expect(names).toEqual(['MiniMax-M*', 'speech-hd', 'image-01']);
    const text = body.model_remains[0];
    expect(text).toMatchObject({ current_interval_total_count: 1500, current_interval_usage_count: 228 });
    expect(text.end_time - text.start_time).toBe(5 * 3_600_000);
    expect(text.start_time).toBeLessThanOrEqual(now);
    expect(text.remains_time).toBe(text.end_time - now);
    expect(text.start_time % 3_600_000).toBe(0);
    expect(text.weekly_end_time - text.weekly_start_time).toBe(7 * 86_400_000);
    expect(text.weekly_remains_time).toBe(text.weekly_end_time - now);
    // Weekly windows start on Monday 00:00 China time.
    const weekStartCst = new Date(text.weekly_start_time + 8 * 3_600_000);
    expect(weekStartCst.getUTCDay()).toBe(1);
    expect(weekStartCst.getUTCHours()).toBe(0);
    expect(text).not.toHaveProperty('current_interval_remaining_percent');
    expect(body.model_remains[1].end_time - body.model_remains[1].start_time).toBe(86_400_000);
  });

  it('serves the percent era (Generation C) by default', async () => {
    const emulator = createEmulator({ region: 'global', now: () => now, quota: { intervalRemainingPercent: 42 } });
    const body = await json(get(emulator, '/v1/token_plan/remains', bearer(EMULATOR_KEYS.global)));
    const general = body.model_remains[0];
    expect(general).toMatchObject({
      model_name: 'general',
      current_interval_status: 1,
      current_interval_remaining_percent: 42,
      current_weekly_remaining_percent: 96,
      interval_boost_permille: 2000,
      weekly_boost_permille: 3000,
    });
    expect(general.remains_time).toBe(general.end_time - now);
    expect(body.model_remains[1].model_name).toBe('video');
  });

  it('answers a pay-as-you-go key with HTTP 200 base_resp 1004', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const res = await get(emulator, '/v1/token_plan/remains', bearer(EMULATOR_KEYS.cnPayg));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ base_resp: { status_code: 1004, status_msg: PAYG_ON_QUOTA_MESSAGE } });
  });

  it('serves the legacy coding_plan path with remaining-count semantics', async () => {
    const emulator = createEmulator({ region: 'cn', now: () => now });
    const body = await json(get(emulator, '/v1/api/openplatform/coding_plan/remains', bearer(EMULATOR_KEYS.cn)));
    expect(body.model_remains[0].current_interval_usage_count).toBe(1500 - 228);
  });
});

describe('GET /account/query_balance', () => {
  it('returns decimal-string amounts for a pay-as-you-go key', async () => {
    const emulator = createEmulator({ region: 'cn', balance: { available_amount: '12.50' } });
    const body = await json(get(emulator, '/account/query_balance', bearer(EMULATOR_KEYS.cnPayg)));
    expect(body).toEqual({
      available_amount: '12.50',
      cash_balance: '0.00',
      voucher_balance: '98.00',
      credit_balance: '0.00',
      owed_amount: '0.00',
      balance_alert_switch: false,
      balance_alert_threshold: '5.00',
      base_resp: { status_code: 0, status_msg: 'success' },
    });
  });

  it('answers a Token Plan key with HTTP 200 base_resp 1004', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const res = await get(emulator, '/account/query_balance', bearer(EMULATOR_KEYS.cn));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      base_resp: { status_code: 1004, status_msg: TOKEN_PLAN_ON_BALANCE_MESSAGE },
    });
  });
});

describe('other routes', () => {
  it('lists models', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const list = await json(get(emulator, '/anthropic/v1/models', bearer(EMULATOR_KEYS.cn)));
    expect(list.data.map((m: { id: string }) => m.id)).toContain('MiniMax-M2.7');
    expect(list.has_more).toBe(false);
    const one = await json(get(emulator, '/anthropic/v1/models/MiniMax-M3', bearer(EMULATOR_KEYS.cn)));
    expect(one).toMatchObject({ id: 'MiniMax-M3', type: 'model' });
    const openai = await json(get(emulator, '/v1/models', bearer(EMULATOR_KEYS.cn)));
    expect(openai.object).toBe('list');
  });

  it.each([
    ['GET', '/nope'],
    ['POST', '/v1/messages'],
    ['GET', '/anthropic/v1/messages'],
    ['POST', '/v1/token_plan/remains'],
  ])('answers %s %s with a plain 404 even without auth', async (method, path) => {
    const emulator = createEmulator();
    const res = await emulator.handle(new Request(`${BASE}${path}`, { method }));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.headers.get('trace-id')).toMatch(HEX32);
    expect(await res.text()).toBe('404 page not found');
  });

  it('works with any origin and records the query', async () => {
    const emulator = createEmulator({ region: 'cn' });
    const res = await emulator.handle(
      new Request('https://api.minimaxi.com/v1/token_plan/remains?GroupId=123', {
        headers: bearer(EMULATOR_KEYS.cn),
      }),
    );
    expect((await json(res)).base_resp.status_code).toBe(0);
    expect(emulator.requests[0]).toMatchObject({ method: 'GET', query: { GroupId: '123' }, body: undefined });
  });

  it('reset() clears requests', async () => {
    const emulator = createEmulator();
    await get(emulator, '/nope');
    const requests = emulator.requests;
    emulator.reset();
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.requests).toBe(requests);
  });

  it('seeded emulators produce reproducible ids', async () => {
    const ids = async () => {
      const emulator = createEmulator({ seed: 'fixed' });
      return (await get(emulator, '/nope')).headers.get('trace-id');
    };
    expect(await ids()).toBe(await ids());
  });

  it('turns a throwing reply into a 500 api_error', async () => {
    const emulator = createEmulator({
      region: 'cn',
      reply: () => {
        throw new Error('boom');
      },
    });
    const res = await chat(emulator, bearer(EMULATOR_KEYS.cn));
    expect(res.status).toBe(500);
    expect((await json(res)).error.type).toBe('api_error');
  });
});
