/**
 * Config writes from many processes at once lose nothing: every write re-reads
 * config.json under a cross-process lock. A key removed at logout never comes
 * back, and each process's setting survives the others'.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const SETS: Array<[string, string]> = [
  ['region', 'cn'],
  ['output', 'json'],
  ['timeout', '77'],
  ['idle_timeout', '33'],
  ['max_retries', '4'],
  ['auth_style', 'bearer'],
  ['proxy', 'http://127.0.0.1:7890'],
  ['default_text_model', 'MiniMax-M3'],
  ['default_speech_model', 'speech-2.8-turbo'],
  ['default_video_model', 'MiniMax-Hailuo-02'],
];

describe('concurrent config writes', () => {
  it.each([1, 2, 3])(
    'round %i: ten `config set` and one `auth logout` at once: every setting kept, the key gone',
    async () => {
      const home = isolatedHome();
      mkdirSync(home.MMX_CONFIG_DIR, { recursive: true, mode: 0o700 });
      writeFileSync(join(home.MMX_CONFIG_DIR, 'config.json'), JSON.stringify({ api_key: EMULATOR_KEYS.cn, other: 'kept' }), {
        mode: 0o600,
      });
      const runs = [
        ...SETS.map(([key, value]) => spawnMmx(['config', 'set', key, value], { env: home })),
        spawnMmx(['auth', 'logout'], { env: home }),
      ];
      const results = await Promise.all(runs);
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const config = JSON.parse(readFileSync(join(home.MMX_CONFIG_DIR, 'config.json'), 'utf8'));
      expect(config.api_key).toBeUndefined();
      expect(config.other).toBe('kept');
      for (const [key, value] of SETS) expect(String(config[key]), key).toBe(value);
    },
    60_000,
  );
});
