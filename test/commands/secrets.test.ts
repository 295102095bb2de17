/**
 * A canary key through every command and failure path, in text and JSON, with
 * --verbose and --dry-run: runCli fails any run whose stdout or stderr holds
 * the full key (assertNoKeyLeak), and these runs also check the files written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { CN, useEmulators } from '../helpers/api.js';
import { expectNoKeyLeak } from '../helpers/leak.js';
import { assertNoKeyLeak, runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators();
const CANARY = 'sk-cp-CANARY-do-not-print-0123456789abcdefghijklmnop';

const commands: string[][] = [
  ['auth', 'status'],
  ['quota'],
  ['text', 'chat', '--message', 'hi'],
  ['text', 'chat', '--message', 'hi', '--stream'],
  ['auth', 'login', '--region', 'cn'],
];

describe('the key is never printed', () => {
  it('assertNoKeyLeak really catches a leak', () => {
    expect(() => assertNoKeyLeak([CANARY], `Bearer ${CANARY}`)).toThrow(/full API key/);
    expect(() => assertNoKeyLeak([CANARY], 'Bearer sk-…mnop')).not.toThrow();
  });

  for (const output of ['text', 'json']) {
    for (const extra of [[], ['--verbose'], ['--dry-run'], ['--verbose', '--auth-style', 'x-api-key']]) {
      for (const command of commands) {
        it(`${command.join(' ')} ${extra.join(' ')} --output ${output}, key rejected`, async () => {
          const configDir = tempConfigDir();
          const r = await runCli([...command, '--api-key', CANARY, '--region', 'cn', '--output', output, ...extra], { configDir });
          expect([0, 1, 3]).toContain(r.code);
          if (!extra.includes('--dry-run') && command[0] !== 'auth') expect(api.cn.requests.length).toBeGreaterThan(0);
        });
      }
    }
  }

  it('a key from the environment is never written to disk, even after an auto-switch is remembered', async () => {
    const configDir = tempConfigDir();
    const r = await runCli(['text', 'chat', '--message', 'hi', '--region', 'global', '--base-url', CN, '--output', 'json'], {
      env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn },
      configDir,
    });
    expect(r.code).toBe(0);
    expect(r.config()).toEqual({ auth_styles: { [CN]: { anthropic: 'bearer' } } });
    // Every file under the config dir, the recorded conversation included.
    const files = readdirSync(configDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    expect(files.map((d) => d.name)).toContain('config.json');
    expect(files.some((d) => d.name.endsWith('.jsonl'))).toBe(true);
    for (const d of files) expect(readFileSync(join(d.parentPath, d.name), 'utf8')).not.toContain(EMULATOR_KEYS.cn);
  });

  it('network and timeout failures do not print the key either', async () => {
    api.down(CN);
    const down = await runCli(['quota', '--api-key', CANARY, '--region', 'cn', '--verbose', '--max-retries', '0']);
    expect(down.code).toBe(6);
  });

  describe('an old JWT key (eyJ…) echoed by a mistyped flag is masked like an sk- key', () => {
    // The shape of MiniMax's older platform keys (MiniMax-01 #69): a JWT, base64url parts joined by dots.
    const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJHcm91cE5hbWUiOiJjYW5hcnkiLCJHcm91cElEIjoiMTIzNDUifQ.c2lnbmF0dXJlLWNhbmFyeQ';
    // The same in standard base64 (+ / =), as a key copied through a tool that re-encoded it.
    const PADDED = 'eyJhbGciOiJSUzI1NiJ9.eyJHcm91cE5hbWUiOiJjYW5+YXJ5In0=.c2ln/bmF0dXJl+Y2FuYXJ5==';

    it.each([
      ['--apikey=KEY', (k: string) => ['auth', 'login', `--apikey=${k}`, '--region', 'cn']],
      ['--api_key KEY (an unexpected argument)', (k: string) => ['quota', '--api_key', k]],
      ['--region KEY (a bad choice)', (k: string) => ['quota', '--region', k]],
      ['--timeout KEY (a bad number)', (k: string) => ['quota', '--timeout', k]],
      ['--base-url KEY (not a URL)', (k: string) => ['quota', '--api-key', 'sk-cp-x', '--base-url', k]],
    ])('%s', async (_name, argv) => {
      for (const key of [JWT, PADDED]) {
        for (const output of ['text', 'json']) {
          const r = await runCli([...argv(key), '--output', output]);
          expect(r.code).toBe(2);
          expectNoKeyLeak(r, key);
          expect(`${r.stdout}${r.stderr}`).toContain(`…${key.slice(-4)}`);
        }
      }
      expect(api.cn.requests).toHaveLength(0);
    });
  });

  it('a timeout does not print the key', async () => {
    api.cn.setFault({ kind: 'slow-first-byte', ms: 300 });
    const slow = await runCli(['quota', '--api-key', CANARY, '--region', 'cn', '--verbose', '--timeout', '0.05']);
    expect(slow.code).toBe(5);
    expect(slow.stderr).toContain('sk-…mnop');
  });
});
