/** Config safety: permissions, broken files kept aside and never overwritten silently, concurrent logins. */
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { useEmulators } from '../helpers/api.js';
import { fileMode, runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators();

function writeConfig(dir: string, text: string, mode = 0o600): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'config.json');
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  return path;
}

describe('config safety', () => {
  it('warns about a config file others can read, naming the fix', async () => {
    const dir = tempConfigDir();
    const path = writeConfig(dir, JSON.stringify({ region: 'cn' }), 0o644);
    const r = await runCli(['auth', 'status', '--output', 'json'], { configDir: dir });
    expect(r.stderr).toContain(`warning: ${path} is accessible to other users (mode 644); fix: chmod 600 ${path}`);
  });

  it('a directory that exists (MMX_CONFIG_DIR) is warned about, never chmodded; one mmx creates is 0700', async () => {
    const dir = tempConfigDir();
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const r = await runCli(['config', 'set', 'region', 'cn'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(fileMode(dir)).toBe(0o755);
    expect(r.stderr).toContain(`warning: ${dir} is accessible to other users (mode 755); fix: chmod 700 ${dir}`);
    expect(fileMode(join(dir, 'config.json'))).toBe(0o600);

    const fresh = tempConfigDir();
    expect((await runCli(['config', 'set', 'region', 'cn'], { configDir: fresh })).code).toBe(0);
    expect(fileMode(fresh)).toBe(0o700);
  });

  it('a UTF-8 byte order mark at the start (a Windows editor) is read, and a write keeps every key', async () => {
    const dir = tempConfigDir();
    writeConfig(dir, `\uFEFF${JSON.stringify({ region: 'cn', default_text_model: 'MiniMax-M2.5' }, null, 2)}`);
    const show = await runCli(['config', 'get', 'region'], { configDir: dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toBe('cn\n');
    const set = await runCli(['config', 'set', 'timeout', '90'], { configDir: dir });
    expect(set.code).toBe(0);
    expect(set.config()).toEqual({ region: 'cn', default_text_model: 'MiniMax-M2.5', timeout: 90 });
  });

  it('a broken file stops read commands with the file and line, and is left as it was', async () => {
    const dir = tempConfigDir();
    const broken = '{\n  "region": "cn",\n  "api_key": \n}\n';
    const path = writeConfig(dir, broken);
    const r = await runCli(['quota', '--output', 'text'], { configDir: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Error: ${path} is not valid JSON at line 4`);
    expect(readFileSync(path, 'utf8')).toBe(broken);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('a value of the wrong kind names the key', async () => {
    const dir = tempConfigDir();
    writeConfig(dir, JSON.stringify({ region: 'eu' }));
    const r = await runCli(['auth', 'status', '--output', 'text'], { configDir: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/config\.json: region: /);
  });

  it.each([['timeout'], ['idle_timeout']])('a %s past what a timer can hold names the key and the limit', async (key) => {
    const dir = tempConfigDir();
    const path = writeConfig(dir, JSON.stringify({ [key]: 99999999999 }));
    const r = await runCli(['quota', '--output', 'text'], { configDir: dir, env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Error: ${path}: ${key}: must be a positive number of seconds, at most 2147483 (24 days) (got 99999999999).`,
    );
    expect(api.cn.requests).toHaveLength(0);
  });

  it('login over a broken file keeps it as a backup, then writes a valid one', async () => {
    const dir = tempConfigDir();
    const broken = '{"region": "cn", oops';
    writeConfig(dir, broken);
    const r = await runCli(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--region', 'cn', '--output', 'json'], { configDir: dir });
    expect(r.code).toBe(0);
    expect(r.config()).toEqual({ api_key: EMULATOR_KEYS.cn, region: 'cn' });
    const backups = readdirSync(dir).filter((f) => f.startsWith('config.json.broken-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dir, backups[0] as string), 'utf8')).toBe(broken);
    expect(r.stderr).toContain(`kept the unreadable config as ${backups[0]}`);
    expect(fileMode(join(dir, 'config.json'))).toBe(0o600);
  });

  it('logout refuses to touch a broken file', async () => {
    const dir = tempConfigDir();
    const path = writeConfig(dir, '{"api_key": "sk-cp-…');
    const r = await runCli(['auth', 'logout'], { configDir: dir });
    expect(r.code).toBe(1);
    expect(readFileSync(path, 'utf8')).toBe('{"api_key": "sk-cp-…');
  });

  it('concurrent logins leave a valid file holding one of the two keys', async () => {
    const dir = tempConfigDir();
    writeConfig(dir, JSON.stringify({ default_text_model: 'MiniMax-M2.5' }));
    const keys = [EMULATOR_KEYS.cn, EMULATOR_KEYS.cnPayg];
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        runCli(['auth', 'login', '--api-key', keys[i % 2] as string, '--region', 'cn', '--output', 'json'], { configDir: dir }),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual(Array(8).fill(0));
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(keys).toContain(config.api_key);
    expect(config).toEqual({ default_text_model: 'MiniMax-M2.5', api_key: config.api_key, region: 'cn' });
  });
});
