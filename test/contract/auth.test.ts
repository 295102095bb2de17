/**
 * The mmx-cli script contract for `mmx auth status` and `mmx auth login`, pinned
 * through the built bin/mmx: the JSON fields scripts read, the exit codes they
 * branch on, what config.json holds afterwards, and which requests were sent.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTA } from '../../src/emulator/index.js';
import { masked } from '../helpers/leak.js';
import { DEAD_URL, KEY, REJECTED_KEY, jsonError, useContractApi } from './harness.js';

const api = useContractApi();
const rejected = { api_key: REJECTED_KEY, region: 'global' };

describe('mmx auth status --output json', () => {
  it('an accepted key: authenticated, method, source, key masked, usage = the quota payload; one quota request', async () => {
    const r = await api.sh(`mmx auth status --output json`);
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ authenticated: true, method: 'api-key', source: 'config.json', key: masked(KEY) });
    const usage = status.usage as {
      model_remains: { model_name: string; current_interval_remaining_percent?: number }[];
      base_resp: unknown;
    };
    expect(usage.base_resp).toEqual({ status_code: 0, status_msg: 'success' });
    expect(usage.model_remains.map((m) => m.model_name)).toEqual(['general', 'video']);
    expect(usage.model_remains[0]?.current_interval_remaining_percent).toBe(DEFAULT_QUOTA.intervalRemainingPercent);
    expect(api.requests.map((q) => `${q.method} ${q.path} ${q.authStyle}`)).toEqual(['GET /v1/token_plan/remains bearer']);
  });

  it('the key from MINIMAX_API_KEY: source "env"', async () => {
    const r = await api.sh(`mmx auth status --output json`, { config: null, env: { MINIMAX_API_KEY: KEY } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ authenticated: true, source: 'env', key: masked(KEY) });
  });

  it('a rejected key: {authenticated: false, message, hint}, exit 0 (set -e scripts go on)', async () => {
    const r = await api.sh(`mmx auth status --output json`, { config: rejected });
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(status).toMatchObject({
      authenticated: false,
      message: expect.stringContaining('invalid api key'),
      hint: expect.any(String),
      method: 'api-key',
      source: 'config.json',
      key: masked(REJECTED_KEY),
    });
    expect(api.requests).toHaveLength(1);
  });

  it('no key at all: exit 3, authenticated false, nothing sent', async () => {
    const r = await api.sh(`mmx auth status --output json`, { config: null });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ authenticated: false });
    expect(jsonError(r.stderr).code).toBe(3);
    expect(api.requests).toHaveLength(0);
  });

  it('--exit-status: 0 accepted, 3 rejected, 6 unreachable; stdout still the status', async () => {
    const script = `mmx auth status --exit-status --output json | head -c 1; echo " exit \${PIPESTATUS[0]}"`;
    const accepted = await api.sh(script);
    const bad = await api.sh(script, { config: rejected });
    const offline = await api.sh(script, { env: { MINIMAX_GLOBAL_BASE_URL: DEAD_URL } });
    expect([accepted.stdout, bad.stdout, offline.stdout]).toEqual(['{ exit 0\n', '{ exit 3\n', '{ exit 6\n']);
  });

  it('--offline checks nothing: authenticated is not claimed, no request', async () => {
    const r = await api.sh(`mmx auth status --offline --output json`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ key: masked(KEY), checked: false });
    expect(api.requests).toHaveLength(0);
  });
});

describe('mmx auth login --api-key … --region cn', () => {
  it('with the cn host unreachable: exit 0, saved, a warning on stderr, "verified": false', async () => {
    const r = await api.sh(`mmx auth login --api-key ${KEY} --region cn --output json`, { config: null });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verified: false, region: 'cn', key: masked(KEY) });
    expect(r.stderr).toMatch(/^warning: .*not verified/im);
    expect(r.config).toEqual({ api_key: KEY, region: 'cn' });
    expect(api.requests).toHaveLength(0);
  });

  it('a key the region rejects: exit 3, nothing saved', async () => {
    const r = await api.sh(`mmx auth login --api-key ${REJECTED_KEY} --region global`, { config: null });
    expect(r.code).toBe(3);
    expect(jsonError(r.stderr).code).toBe(3);
    expect(r.config).toBeUndefined();
    expect(api.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /v1/token_plan/remains']);
  });

  it('a rejected key leaves an existing login as it was', async () => {
    const before = { api_key: KEY, region: 'global' };
    const r = await api.sh(`mmx auth login --api-key ${REJECTED_KEY} --region global`, { config: before });
    expect(r.code).toBe(3);
    expect(r.config).toEqual(before);
  });

  it('an accepted key: exit 0, verified, saved with its region', async () => {
    const r = await api.sh(`mmx auth login --api-key ${KEY} --region global --output json`, { config: null });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verified: true, region: 'global' });
    expect(r.config).toEqual({ api_key: KEY, region: 'global' });
  });

  it('printenv KEY | mmx auth login --api-key - keeps the key off argv', async () => {
    const r = await api.sh(`printenv MY_KEY | mmx auth login --api-key - --region global --output json`, {
      config: null,
      env: { MY_KEY: KEY },
    });
    expect(r.code).toBe(0);
    expect(r.config).toEqual({ api_key: KEY, region: 'global' });
  });
});
