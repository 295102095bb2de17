#!/usr/bin/env node
// A smoke check for your own CI: `node test/smoke/smoke.mjs` (after `npm ci`).
// With MINIMAX_API_KEY set it checks login, quota and a one-line chat against
// the real MiniMax API (region from MINIMAX_REGION, else detected); without it,
// against the bundled emulator on loopback. One PASS/FAIL line per check; the
// exit code is the number of failures (0 = all passed). The key is read from
// the environment and handed to mmx on stdin, never on argv, and the config
// goes to a temporary directory that is removed afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const bin = join(root, 'bin', 'mmx');
const realKey = process.env.MINIMAX_API_KEY?.trim();
const home = mkdtempSync(join(tmpdir(), 'mmx-smoke-'));
const env = { PATH: process.env.PATH ?? '', HOME: home, MMX_CONFIG_DIR: join(home, '.mmx') };
for (const name of [
  'MINIMAX_REGION',
  'MINIMAX_BASE_URL',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'https_proxy',
  'http_proxy',
  'all_proxy',
  'no_proxy',
]) {
  if (process.env[name]) env[name] = process.env[name];
}

let server;
let key = realKey;
let target = 'the MiniMax API';
if (!realKey) {
  const { EMULATOR_KEYS, createEmulator, startEmulatorServer } = await import(join(root, 'dist/emulator/index.js'));
  server = await startEmulatorServer(createEmulator({ region: 'cn' }));
  key = EMULATOR_KEYS.cn;
  env.MINIMAX_BASE_URL = server.url;
  env.MINIMAX_REGION = 'cn';
  target = `the emulator at ${server.url}`;
}

function mmx(args, stdin) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const checks = [
  // An unreachable host saves the key unverified (exit 0, verified: false): for a smoke check that is a failure.
  ['login', ['auth', 'login', '--api-key', '-', '--output', 'json'], key, (r) => JSON.parse(r.stdout).verified === true],
  ['status', ['auth', 'status', '--output', 'json'], undefined, (r) => JSON.parse(r.stdout).authenticated === true],
  ['quota', ['quota', '--output', 'json'], undefined, (r) => typeof JSON.parse(r.stdout) === 'object'],
  [
    'chat',
    ['text', 'chat', '--message', 'Reply with the single word: pong', '--max-tokens', '512', '--output', 'json'],
    undefined,
    (r) => JSON.parse(r.stdout).content.some((b) => b.type === 'text'),
  ],
];

console.log(`mmx smoke test against ${target}`);
let failures = 0;
try {
  for (const [name, args, stdin, ok] of checks) {
    const started = Date.now();
    const r = await mmx(args, stdin);
    let passed = false;
    try {
      passed = r.code === 0 && ok(r);
    } catch {
      passed = false;
    }
    const ms = Date.now() - started;
    if (passed) console.log(`PASS ${name} (${ms} ms)`);
    else {
      failures++;
      // The error object or the warning, not the progress lines around it; else what the JSON says.
      const lines = r.stderr.trim().split('\n');
      let reason = lines.findLast((l) => /^(warning:|Error:|\{"error")/.test(l)) ?? '';
      if (reason === '') {
        try {
          reason = String(JSON.parse(r.stdout).message ?? '');
        } catch {
          reason = lines.at(-1) ?? '';
        }
      }
      const why = reason.replaceAll(key ?? '\u0000', '[key]');
      console.log(`FAIL ${name} (exit ${r.code}, ${ms} ms)${why ? `: ${why}` : ''}`);
    }
  }
} finally {
  await server?.close();
  rmSync(home, { recursive: true, force: true });
}
console.log(`${checks.length - failures} passed, ${failures} failed`);
process.exitCode = failures;
