/** Remembered auth styles are merged into the file as it is at write time, per origin and family. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { runCli, tempConfigDir } from '../helpers/run-cli.js';

const GW_A = 'https://gw-a.test';
const GW_B = 'https://gw-b.test';
const api = useEmulators({ hosts: { [GW_A]: 'cn', [GW_B]: 'cn' } });

describe('remembering', () => {
  it('two switches in one run (login probing two gateways) keep both origins', async () => {
    // Both "region hosts" are gateways that take the key only as x-api-key on /v1.
    api.useHost(GW_A, { region: 'cn', authPolicy: { v1: 'x-api-key-only' } });
    api.useHost(GW_B, { region: 'cn', authPolicy: { v1: 'x-api-key-only' } });
    // Login takes the first region that accepts and cancels the other check, except that it waits for the
    // stored region's (here global, GW_B): so both checks run to the end, whichever finishes first. The
    // grace period's sleep never ends by itself here, so the wait is decided by GW_B's answer alone.
    const configDir = tempConfigDir();
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ region: 'global' }), { mode: 0o600 });
    const waitForAbort = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
    const r = await runCli(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--output', 'json'], {
      configDir,
      env: { MINIMAX_CN_BASE_URL: GW_A, MINIMAX_GLOBAL_BASE_URL: GW_B },
      clock: { now: () => Date.parse('2026-11-28T12:00:00Z'), sleep: waitForAbort },
    });
    expect(r.code).toBe(0);
    expect(r.config().auth_styles).toEqual({ [GW_A]: { v1: 'x-api-key' }, [GW_B]: { v1: 'x-api-key' } });
    expect(api.host(GW_A).requests.map((q) => q.authStyle)).toEqual(['bearer', 'x-api-key']);
  });
});
