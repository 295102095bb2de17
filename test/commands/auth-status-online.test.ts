/**
 * `mmx auth status` checks the key online by default, as mmx-cli and
 * `gh auth status` do: one quota (or balance) request, mmx-cli's JSON fields
 * (`method`, `source`, `key`, `usage`; `authenticated: false` with `message` and
 * `hint`), and mmx-cli's exit codes (0 with a key, whatever the check says; 3
 * without one), with `--exit-status` for scripts that want the check in the code.
 */
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { CN, useEmulators } from '../helpers/api.js';
import { masked } from '../helpers/leak.js';
import { runCli } from '../helpers/run-cli.js';

const api = useEmulators();
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };

describe('auth status online', () => {
  it("an accepted key: authenticated, mmx-cli's method/source/key/usage, one Bearer quota request", async () => {
    const r = await runCli(['auth', 'status', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const status = r.json();
    expect(status).toMatchObject({ authenticated: true, checked: true, method: 'api-key', source: 'env', key: masked(EMULATOR_KEYS.cn) });
    expect(status.usage.base_resp.status_code).toBe(0);
    expect(status.usage.model_remains.length).toBeGreaterThan(0);
    expect(api.cn.requests.map((q) => `${q.method} ${q.path} ${q.authStyle}`)).toEqual(['GET /v1/token_plan/remains bearer']);
  });

  it('a pay-as-you-go key is checked with its balance', async () => {
    const r = await runCli(['auth', 'status', '--output', 'json'], { env: { ...env, MINIMAX_API_KEY: EMULATOR_KEYS.cnPayg } });
    expect(r.json()).toMatchObject({ authenticated: true, usage: { available_amount: expect.any(String) } });
    expect(api.cn.requests.map((q) => q.path)).toEqual(['/account/query_balance']);
  });

  it('a rejected key is never "authenticated": false with the reason, exit 0 (as mmx-cli), 3 with --exit-status', async () => {
    const wrong = { ...env, MINIMAX_API_KEY: EMULATOR_KEYS.global }; // the other region's key: 2049
    const r = await runCli(['auth', 'status', '--output', 'json'], { env: wrong });
    expect(r.code).toBe(0);
    const status = r.json();
    expect(status).toMatchObject({ authenticated: false, checked: true, error_code: 3, api_code: 2049 });
    expect(status.message).toMatch(/invalid api key/);
    expect(status.hint).toMatch(/--region global/);
    expect(status.usage).toBeUndefined();
    const strict = await runCli(['auth', 'status', '--exit-status', '--output', 'json'], { env: wrong });
    expect(strict.code).toBe(3);
    expect(strict.json().authenticated).toBe(false);
  });

  it('an unreachable host: authenticated false, exit 0; 6 with --exit-status', async () => {
    api.down(CN);
    const r = await runCli(['auth', 'status', '--output', 'json', '--max-retries', '0'], { env });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ authenticated: false, checked: true, error_code: 6 });
    expect((await runCli(['auth', 'status', '--exit-status', '--max-retries', '0'], { env })).code).toBe(6);
  });

  it('text: a Check line says what the server said', async () => {
    const ok = await runCli(['auth', 'status', '--output', 'text'], { env });
    expect(ok.stdout).toContain(`Check      accepted by ${CN}\n`);
    const bad = await runCli(['auth', 'status', '--output', 'text'], { env: { ...env, MINIMAX_API_KEY: EMULATOR_KEYS.global } });
    expect(bad.code).toBe(0);
    expect(bad.stdout).toMatch(/^Check {6}rejected: API error: invalid api key/m);
  });

  it('no key: exit 3 and no request, online or not', async () => {
    const r = await runCli(['auth', 'status', '--output', 'json'], { env: { MINIMAX_REGION: 'cn' } });
    expect(r.code).toBe(3);
    expect(r.json()).toMatchObject({ authenticated: false, message: 'Not authenticated.', checked: false });
    expect(api.cn.requests).toEqual([]);
  });

  it('--offline sends nothing', async () => {
    const r = await runCli(['auth', 'status', '--offline', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ authenticated: true, checked: false });
    expect(api.cn.requests).toEqual([]);
  });
});
