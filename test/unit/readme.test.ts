/**
 * The README's settings table lists every setting of the registry, with its
 * flag, environment variable, config key and default, so the documentation
 * cannot fall behind the code.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS, type SettingSpec } from '../../src/config/settings.js';

const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
const table = readme
  .slice(readme.indexOf('## Global flags and environment'))
  .split('\n')
  .filter((line) => line.startsWith('|'));

describe('the README settings table', () => {
  it.each(SETTINGS.map((s) => [s.key, s as SettingSpec] as const))('lists %s', (_key, setting) => {
    const long = setting.flag ? /--[\w-]+/.exec(setting.flag)?.[0] : undefined;
    const row = table.find((line) => (setting.stored ? line.includes(`\`${setting.key}\``) : long !== undefined && line.includes(long)));
    expect(row, `no row for ${setting.key}`).toBeDefined();
    if (long) expect(row).toContain(long);
    if (setting.env) expect(row).toContain(setting.env);
    if (setting.default !== undefined && !setting.boolean) expect(row).toContain(String(setting.default));
  });
});
