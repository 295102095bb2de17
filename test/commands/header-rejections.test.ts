/**
 * Every reported shape of "wrong header" (S1–S6, docs/minimax-api-notes.md, Auth
 * headers → Header-rejection signatures), end to end: the emulator answers a
 * header its policy does not take in that shape, and mmx switches once to the
 * other header, succeeds and remembers it. The same shape naming the header that
 * *was* sent is how MiniMax answers a bad key: exit 3, one request, no switch.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, type AuthFamily, type AuthPolicy, type HeaderRejection } from '../../src/emulator/index.js';
import { CN, GLOBAL, useEmulators } from '../helpers/api.js';
import { runCli, tempConfigDir } from '../helpers/run-cli.js';

const api = useEmulators();

const CHAT = ['text', 'chat', '--message', 'hi', '--output', 'json'];
const QUOTA = ['quota', '--output', 'json'];
const CARRY = (field: string) => `login fail: Please carry the API secret key in the '${field}' field of the request header`;

interface Case {
  id: string;
  signature: HeaderRejection;
  region: 'global' | 'cn';
  /** The family whose policy wants the other header. */
  family: AuthFamily;
  policy: AuthPolicy;
  argv: string[];
  /** Sent first (the region table), then after the switch. */
  styles: ['bearer' | 'x-api-key', 'bearer' | 'x-api-key'];
  /** The message the server rejected the first header with, as the user's error would quote it. */
  message: string;
}

const CASES: Case[] = [
  {
    id: 'S1',
    signature: 'system-error-1033',
    region: 'global',
    family: 'anthropic',
    policy: 'bearer-only',
    argv: CHAT,
    styles: ['x-api-key', 'bearer'],
    message: 'system error (1033)',
  },
  {
    id: 'S2',
    signature: 'carry',
    region: 'global',
    family: 'anthropic',
    policy: 'bearer-only',
    argv: CHAT,
    styles: ['x-api-key', 'bearer'],
    message: CARRY('Authorization'),
  },
  {
    id: 'S3',
    signature: 'carry-1004',
    region: 'global',
    family: 'anthropic',
    policy: 'bearer-only',
    argv: CHAT,
    styles: ['x-api-key', 'bearer'],
    message: `${CARRY('Authorization')} (1004)`,
  },
  {
    id: 'S4',
    signature: 'carry-bearer-scheme',
    region: 'global',
    family: 'anthropic',
    policy: 'bearer-only',
    argv: CHAT,
    styles: ['x-api-key', 'bearer'],
    message: `${CARRY('Authorization')}, using the 'Bearer' authentication scheme.`,
  },
  {
    id: 'S5',
    signature: 'carry',
    region: 'cn',
    family: 'anthropic',
    policy: 'x-api-key-only',
    argv: CHAT,
    styles: ['bearer', 'x-api-key'],
    message: CARRY('X-Api-Key'),
  },
  {
    id: 'S6',
    signature: 'base-resp-1004',
    region: 'global',
    family: 'v1',
    policy: 'x-api-key-only',
    argv: QUOTA,
    styles: ['bearer', 'x-api-key'],
    message: CARRY('X-Api-Key'),
  },
];

const hostOf = (region: 'global' | 'cn') => (region === 'cn' ? CN : GLOBAL);
const keyOf = (region: 'global' | 'cn') => (region === 'cn' ? EMULATOR_KEYS.cn : EMULATOR_KEYS.global);
const label = (style: 'bearer' | 'x-api-key') => (style === 'bearer' ? 'Authorization: Bearer' : 'x-api-key');

describe.each(CASES)('$id ($signature): a $family server that wants the other header', (c) => {
  it(`${c.styles[0]} is rejected → one retry with ${c.styles[1]} → success, remembered, one notice`, async () => {
    const emulator = api.use(c.region, { authPolicy: { [c.family]: c.policy }, headerRejection: c.signature });
    const configDir = tempConfigDir();
    const r = await runCli([...c.argv, '--region', c.region], { env: { MINIMAX_API_KEY: keyOf(c.region) }, configDir });
    expect(r.code).toBe(0);
    expect(emulator.requests.map((q) => q.authStyle)).toEqual(c.styles);
    expect(emulator.requests[1]?.path).toBe(emulator.requests[0]?.path);
    const family = c.family === 'v1' ? 'native (/v1, /v2)' : '/anthropic/*';
    expect(r.stderr).toBe(
      `mmx: ${hostOf(c.region)} rejected ${label(c.styles[0])} on ${family}; switched to ${label(c.styles[1])}, which will be used there from now on.\n`,
    );
    expect(JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'))).toEqual({
      auth_styles: { [hostOf(c.region)]: { [c.family]: c.styles[1] } },
    });
  });

  it('--verbose quotes the rejection it switched on', async () => {
    api.use(c.region, { authPolicy: { [c.family]: c.policy }, headerRejection: c.signature });
    const r = await runCli([...c.argv, '--region', c.region, '--verbose'], { env: { MINIMAX_API_KEY: keyOf(c.region) } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `* ${hostOf(c.region)} rejected ${label(c.styles[0])} (${c.message}); retrying once with ${label(c.styles[1])}\n`,
    );
  });
});

describe.each(CASES.filter((c) => c.signature !== 'system-error-1033'))(
  '$id ($signature) naming the header that was sent: the key is bad',
  (c) => {
    it('exit 3, one request, no switch, nothing remembered', async () => {
      const sent = c.styles[0];
      const emulator = api.use(c.region, {});
      emulator.setFault({ kind: 'header-rejection', signature: c.signature, field: sent === 'bearer' ? 'Authorization' : 'X-Api-Key' });
      const configDir = tempConfigDir();
      const r = await runCli([...c.argv, '--region', c.region], { env: { MINIMAX_API_KEY: keyOf(c.region) }, configDir });
      expect(r.code).toBe(3);
      expect(emulator.requests.map((q) => q.authStyle)).toEqual([sent]);
      const error = JSON.parse(r.stderr).error;
      expect(error.code).toBe(3);
      expect(error.message).toContain('login fail: Please carry the API secret key');
      expect(error.hint).not.toContain('were tried');
      expect(existsSync(join(configDir, 'config.json'))).toBe(false);
    });
  },
);

it('S1 after Bearer is not a header rejection either: exit 1 (a server error), one request', async () => {
  const emulator = api.use('cn', {});
  emulator.setFault({ kind: 'header-rejection', signature: 'system-error-1033', field: 'Authorization' });
  const r = await runCli([...CHAT, '--region', 'cn'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.cn } });
  expect(r.code).toBe(1);
  expect(emulator.requests.map((q) => q.authStyle)).toEqual(['bearer']);
  expect(JSON.parse(r.stderr).error.message).toBe('API error: system error (1033) (HTTP 500)');
});
