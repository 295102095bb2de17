/**
 * `mmx auth login` with OAuth, as mmx-cli 1.0.27 offers it: the menu on a terminal, `--recommend`
 * (with or without `--region`), the device-code flow on the region's account host (PKCE, the
 * code and page always on stderr, the browser opened unless `--no-browser`, polling on the
 * injected clock, `slow_down`, an expired or denied code, Ctrl-C) and the block stored as
 * mmx-cli stores it, so both CLIs then use it. The emulator shares the test's clock, so its
 * deadlines and poll intervals are the client's.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, EMULATOR_OAUTH_CLIENT_ID, type Emulator, type OAuthOptions } from '../../src/emulator/index.js';
import { ACCOUNT_CN, ACCOUNT_GLOBAL, CN_PREVIOUS, GLOBAL, useEmulators } from '../helpers/api.js';
import { expectNoKeyLeak } from '../helpers/leak.js';
import { type RunOptions, type RunResult, fakeClock, fileMode, runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators();
const NOW = Date.parse('2026-11-28T12:00:00Z');
const DEVICE = '/oauth2/device/code';
const TOKEN = '/oauth2/token';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

type Clock = ReturnType<typeof fakeClock>;

/** The region's emulator on the test's clock; `onSleep(n)` runs after the client's n-th wait. */
function setup(region: 'cn' | 'global', onSleep: (n: number, emulator: Emulator) => void = () => undefined, oauth: OAuthOptions = {}) {
  const clock = fakeClock(NOW);
  const emulator = api.use(region, { region, now: clock.now, oauth });
  const sleep = clock.sleep;
  const shared: Clock = Object.assign(clock, {
    sleep: async (ms: number) => {
      await sleep(ms);
      onSleep(clock.sleeps.length, emulator);
    },
  });
  return { clock: shared, emulator };
}

/** A terminal on stdin and stderr (what the menu and the device flow need). */
const terminal = (clock: Clock, options: RunOptions = {}): RunOptions => ({
  stderrTTY: true,
  clock,
  ...options,
  env: { NO_COLOR: '1', ...options.env },
});

async function login(args: string[], options: RunOptions): Promise<RunResult> {
  const result = await runCli(['auth', 'login', ...args], options);
  expectNoKeyLeak(result, ...Object.values(EMULATOR_KEYS));
  return result;
}

function form(body: unknown): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(String(body)));
}

function readConfig(dir: string): any {
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
}

/** The approving user: approves the code as soon as the browser opens its page. */
const approveInBrowser = (emulator: Emulator) => () => {
  expect(emulator.oauth.approve()).toBe(true);
};

describe('auth login --recommend: the device-code flow', () => {
  it('cn: device code with PKCE at the account host, the page opened, polled every interval, the block stored as mmx-cli stores it', async () => {
    // Approved after the third wait: two "pending" answers first.
    const { clock, emulator } = setup('cn', (n, e) => n === 3 && e.oauth.approve());
    const r = await login(['--recommend', '--region', 'cn', '--output', 'text'], terminal(clock));
    expect(r.code, r.stderr).toBe(0);

    const [device, ...polls] = emulator.requests;
    expect(device).toMatchObject({ method: 'POST', path: DEVICE, authStyle: 'none' });
    expect(device?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const sent = form(device?.body);
    expect(sent).toEqual({
      client_id: EMULATOR_OAUTH_CLIENT_ID,
      scope: 'openid profile coding_plan',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    expect(polls.map((p) => p.path)).toEqual([TOKEN, TOKEN, TOKEN]);
    const poll = form(polls[0]?.body);
    expect(poll).toEqual({
      grant_type: DEVICE_GRANT,
      client_id: EMULATOR_OAUTH_CLIENT_ID,
      user_code: expect.any(String),
      code_verifier: expect.any(String),
    });
    // The verifier is the one behind the challenge (the emulator refuses it otherwise), and secret until then.
    expect(
      createHash('sha256')
        .update(poll.code_verifier as string)
        .digest('base64url'),
    ).toBe(sent.code_challenge);
    expect(r.stderr).not.toContain(poll.code_verifier);
    // The interval the server asked for (3 s), on the injected clock.
    expect(clock.sleeps).toEqual([3000, 3000, 3000]);

    // The page and the code on stderr, the page opened in the browser.
    const page = `${ACCOUNT_CN}/oauth2/device?user_code=${poll.user_code}`;
    expect(r.opened).toEqual([page]);
    expect(r.stderr).toContain(
      `To log in, open this page and approve the code:\n\n  ${page}\n\n  Code:   ${poll.user_code}\n  Client: MiniMax CLI\n`,
    );
    expect(r.stderr).toContain('Opened the page in your browser.\n');
    expect(r.stderr).toContain('Waiting for the approval (the code expires in 10 minutes; Ctrl-C cancels)…\n');

    const config = readConfig(r.configDir);
    expect(config).toEqual({
      region: 'cn',
      oauth: {
        access_token: expect.stringMatching(/^emu-oauth-at-/),
        refresh_token: expect.stringMatching(/^emu-oauth-rt-/),
        expires_at: new Date(NOW + 9000 + 60 * 60_000).toISOString(),
        region: 'cn',
        // The emulator names its account host's API sibling (account.minimaxi.com → api.minimaxi.com).
        resource_url: CN_PREVIOUS,
      },
    });
    expect(fileMode(join(r.configDir, 'config.json'))).toBe(0o600);
    expect(r.stdout).toBe(
      `Logged in to region cn (${CN_PREVIOUS}) with OAuth; the token is refreshed as needed.\nSaved to ${join(r.configDir, 'config.json')}.\n`,
    );

    // The stored login works: the next command sends its token.
    const quota = await runCli(['quota', '--output', 'json'], { configDir: r.configDir, clock });
    expect(quota.code, quota.stderr).toBe(0);
    expect(emulator.requests.at(-1)).toMatchObject({ path: '/v1/token_plan/remains', key: config.oauth.access_token });
  });

  it('JSON: one object on stdout; the page and the code still on stderr, also with --quiet', async () => {
    const { clock, emulator } = setup('global');
    const r = await login(
      ['--recommend', '--region', 'global', '--output', 'json', '--quiet'],
      terminal(clock, { onOpenUrl: approveInBrowser(emulator) }),
    );
    expect(r.code, r.stderr).toBe(0);
    const config = readConfig(r.configDir);
    expect(r.json()).toEqual({
      logged_in: true,
      method: 'oauth',
      region: 'global',
      base_url: GLOBAL,
      token_expires: config.oauth.expires_at,
      config_file: join(r.configDir, 'config.json'),
    });
    expect(r.stderr).toContain(`  ${ACCOUNT_GLOBAL}/oauth2/device?user_code=`);
    expect(r.stderr).toMatch(/ {2}Code: {3}[A-Z]{4}-[A-Z]{4}\n/);
    expect(api.cn.requests).toEqual([]);
  });

  it('--no-browser opens nothing and prints the page; a machine without a browser warns and goes on', async () => {
    const first = setup('cn', (n, e) => n === 1 && e.oauth.approve());
    const quiet = await login(['--recommend', '--region', 'cn', '--no-browser'], terminal(first.clock));
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.opened).toEqual([]);
    expect(quiet.stderr).toContain(`  ${ACCOUNT_CN}/oauth2/device?user_code=`);
    expect(quiet.stderr).not.toContain('Opened the page');

    const second = setup('cn', (n, e) => n === 1 && e.oauth.approve());
    const missing = await login(['--recommend', '--region', 'cn'], terminal(second.clock, { browser: 'missing' }));
    expect(missing.code, missing.stderr).toBe(0);
    expect(missing.stderr).toContain('warning: could not open a browser (spawn xdg-open ENOENT); open the page yourself.\n');
  });

  it('slow_down adds 5 s to the interval (RFC 8628); RFC-style authorization_pending is waited out like MiniMax\'s "pending"', async () => {
    const clock = fakeClock(NOW);
    const emulator = api.use('cn', { region: 'cn', now: clock.now, oauth: { pendingAs: 'rfc8628' } });
    emulator.enqueueFault({ kind: 'status', status: 400, path: TOKEN, body: { error: 'slow_down' } });
    const approveAfter = clock.sleep;
    clock.sleep = async (ms: number) => {
      await approveAfter(ms);
      if (clock.sleeps.length === 3) emulator.oauth.approve();
    };
    const r = await login(['--recommend', '--region', 'cn'], terminal(clock));
    expect(r.code, r.stderr).toBe(0);
    expect(clock.sleeps).toEqual([3000, 8000, 8000]);
    expect(emulator.requests.map((q) => q.path)).toEqual([DEVICE, TOKEN, TOKEN, TOKEN]);
  });

  it('a code nobody approves: polled until it expires, then exit 5; nothing saved', async () => {
    const { clock, emulator } = setup('cn', undefined, { codeTtlMs: 60_000 });
    const r = await login(['--recommend', '--region', 'cn', '--output', 'json'], terminal(clock));
    expect(r.code).toBe(5);
    expect(
      JSON.parse(
        r.stderr
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .at(-1) as string,
      ).error,
    ).toEqual({
      code: 5,
      message: 'The login code expired before it was approved.',
      hint: 'Run mmx auth login again, and approve the code in time.',
    });
    // The code's minute of 3-second waits, and no more.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(emulator.requests.filter((q) => q.path === TOKEN)).toHaveLength(20);
    expect(r.stdout).toBe('');
    expect(() => readConfig(r.configDir)).toThrow();
  });

  it('a code denied in the browser: exit 3, nothing saved', async () => {
    const { clock, emulator } = setup('cn');
    const r = await login(
      ['--recommend', '--region', 'cn', '--output', 'text'],
      terminal(clock, { onOpenUrl: () => emulator.oauth.deny() }),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Error: The login was denied in the browser.\n');
    expect(() => readConfig(r.configDir)).toThrow();
  });

  it('Ctrl-C while waiting: exit 130 at once, nothing saved', async () => {
    const controller = new AbortController();
    const { clock, emulator } = setup('cn', (n) => n === 2 && controller.abort());
    const r = await login(['--recommend', '--region', 'cn'], terminal(clock, { signal: controller.signal }));
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Interrupted.');
    expect(emulator.requests.map((q) => q.path)).toEqual([DEVICE, TOKEN]);
    expect(() => readConfig(r.configDir)).toThrow();
  });

  it('an answer with another state is refused (exit 3): it is not this login', async () => {
    const { clock, emulator } = setup('cn');
    emulator.enqueueFault({
      kind: 'status',
      status: 200,
      path: DEVICE,
      body: {
        user_code: 'ABCD-EFGH',
        verification_uri: 'https://evil.example/approve',
        expired_in: NOW + 600_000,
        interval: 3000,
        state: 'forged',
      },
    });
    const r = await login(['--recommend', '--region', 'cn'], terminal(clock));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('OAuth state mismatch');
    expect(r.opened).toEqual([]);
    expect(r.stderr).not.toContain('evil.example');
  });

  it('replaces a stored key and base URL, keeps other settings; a MINIMAX_API_KEY is said to win', async () => {
    const { clock, emulator } = setup('cn');
    const dir = tempConfigDir();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ api_key: EMULATOR_KEYS.global, region: 'global', base_url: GLOBAL, timeout: 30, future: [1] }),
      { mode: 0o600 },
    );
    const r = await login(
      ['--recommend', '--region', 'cn'],
      terminal(clock, { configDir: dir, env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn }, onOpenUrl: approveInBrowser(emulator) }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readConfig(dir)).toEqual({
      region: 'cn',
      timeout: 30,
      future: [1],
      oauth: expect.objectContaining({ region: 'cn', resource_url: CN_PREVIOUS }),
    });
    expect(r.stderr).toContain('The API key stored before was removed: the OAuth login replaces it.');
    expect(r.stderr).toContain('warning: MINIMAX_API_KEY is set; it takes precedence over the OAuth login until you unset it.');
  });

  it('--dry-run shows the device-code request and sends nothing', async () => {
    const { clock, emulator } = setup('cn');
    const r = await login(['--recommend', '--region', 'cn', '--dry-run', '--output', 'json'], terminal(clock));
    expect(r.code).toBe(0);
    expect(r.json().requests).toEqual([
      {
        method: 'POST',
        url: `${ACCOUNT_CN}${DEVICE}`,
        headers: expect.objectContaining({ 'content-type': 'application/x-www-form-urlencoded' }),
        body: expect.objectContaining({ client_id: EMULATOR_OAUTH_CLIENT_ID, code_challenge_method: 'S256' }),
      },
    ]);
    expect(emulator.requests).toEqual([]);
  });
});

describe('choosing OAuth or a key', () => {
  it("no flags on a terminal: mmx-cli's menu; 2 is OAuth in China", async () => {
    const { clock, emulator } = setup('cn');
    const r = await login(['--output', 'json'], terminal(clock, { answer: '2', onOpenUrl: approveInBrowser(emulator) }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'How do you want to log in?\n' +
        '  1. MiniMax OAuth, global (api.minimax.io): approve in the browser\n' +
        '  2. MiniMax OAuth, China (api.minimax.cn): approve in the browser\n' +
        '  3. API key (paste a key from the MiniMax platform)\n',
    );
    expect(r.prompts).toEqual(['Choose 1-3 [1]: ']);
    expect(r.json()).toMatchObject({ method: 'oauth', region: 'cn' });
    expect(api.global.requests).toEqual([]);
  });

  it('Enter takes the first choice, OAuth global; an answer not on offer is asked again', async () => {
    const { clock, emulator } = setup('global');
    const r = await login(['--output', 'json'], terminal(clock, { answer: '', onOpenUrl: approveInBrowser(emulator) }));
    expect(r.json()).toMatchObject({ method: 'oauth', region: 'global' });

    const wrong = await login([], terminal(clock, { answer: '7' }));
    expect(wrong.code).toBe(2);
    expect(wrong.prompts).toHaveLength(3);
    expect(wrong.stderr).toContain('Answer a number from 1 to 3.\n');
    expect(JSON.parse(wrong.stderr.split('\n').filter((l) => l.startsWith('{'))[0] as string).error.message).toBe(
      'No login method chosen.',
    );
  });

  it('3 is the API key: the hidden prompt, then the key is checked and stored', async () => {
    const r = await login(['--output', 'json'], { stderrTTY: true, answer: '3', secret: EMULATOR_KEYS.cn });
    expect(r.code, r.stderr).toBe(0);
    expect(r.prompts).toEqual(['Choose 1-3 [1]: ', 'MiniMax API key (input hidden): ']);
    expect(readConfig(r.configDir)).toEqual({ api_key: EMULATOR_KEYS.cn, region: 'cn' });
  });

  it('with --region, the menu offers that region only', async () => {
    const r = await login(['--region', 'cn', '--output', 'json'], { stderrTTY: true, answer: '2', secret: EMULATOR_KEYS.cn });
    expect(r.stderr).toContain(
      '  1. MiniMax OAuth, China (api.minimax.cn): approve in the browser\n  2. API key (paste a key from the MiniMax platform)\n',
    );
    expect(r.prompts).toEqual(['Choose 1-2 [1]: ', 'MiniMax API key (input hidden): ']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('--recommend without --region asks for the region; --method oauth is the same (mmx-cli 1.0.12)', async () => {
    const { clock, emulator } = setup('cn');
    const r = await login(['--recommend', '--output', 'json'], terminal(clock, { answer: '2', onOpenUrl: approveInBrowser(emulator) }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Which region is your MiniMax account in?\n  1. Global (api.minimax.io)\n  2. China (api.minimax.cn)\n');
    expect(r.json()).toMatchObject({ region: 'cn' });

    const again = setup('global');
    const method = await login(
      ['--method', 'oauth', '--region', 'global', '--output', 'json'],
      terminal(again.clock, { onOpenUrl: approveInBrowser(again.emulator) }),
    );
    expect(method.json()).toMatchObject({ method: 'oauth', region: 'global' });
    expect(method.prompts).toEqual([]);
  });

  it('--api-key wins over --recommend (as mmx-cli), with a warning', async () => {
    const r = await login(['--recommend', '--api-key', EMULATOR_KEYS.cn, '--region', 'cn', '--output', 'json'], {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: --api-key is given, so the login uses that key, not OAuth.');
    expect(readConfig(r.configDir)).toEqual({ api_key: EMULATOR_KEYS.cn, region: 'cn' });
    expect(api.cn.requests.map((q) => q.path)).toEqual(['/v1/token_plan/remains']);
  });

  it('without a terminal, --recommend is exit 2 with what works instead; nothing sent', async () => {
    for (const options of [{ stdin: '' }, { stderrTTY: true, env: { CI: 'true' } }, { stderrTTY: false }] as RunOptions[]) {
      const r = await login(['--recommend', '--region', 'cn', '--output', 'json'], options);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.stderr).error).toEqual({
        code: 2,
        message: 'OAuth login needs a terminal: it shows a code to approve in the browser, and waits.',
        hint: 'Run it in a terminal, or log in with a key: mmx auth login --api-key KEY (--api-key - reads it from stdin)',
      });
      expect(r.prompts).toEqual([]);
    }
    expect(api.cn.requests).toEqual([]);
    expect(api.global.requests).toEqual([]);
  });
});
