/**
 * Region detection over real sockets with the built bin/mmx: one region's host
 * answers at once, the other accepts the connection and never replies. The
 * login must finish on the answer (not at --timeout, 300 s by default) and
 * close the silent connection.
 */
import { type Socket, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { EmulatorServer } from '../../src/emulator/index.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

/** A TCP server that takes every connection and request and never writes a byte back. */
async function silentServer() {
  const sockets: Socket[] = [];
  const closed: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('close', () => closed.push(socket));
    socket.resume(); // read the request, answer nothing
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    closed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let silent: Awaited<ReturnType<typeof silentServer>>;
let global: EmulatorServer;

beforeAll(async () => {
  silent = await silentServer();
  global = await startEmulatorServer(createEmulator({ region: 'global', strictAuth: true }));
});
afterAll(async () => {
  await silent.close();
  await global.close();
});

describe('auth login with one region host silent', () => {
  it('takes the region that accepts the key at once, cancels the silent request, and exits 0', async () => {
    const env = { ...isolatedHome(), MINIMAX_GLOBAL_BASE_URL: global.url, MINIMAX_CN_BASE_URL: silent.url };
    const started = Date.now();
    const r = await spawnMmx(['auth', 'login', '--api-key', EMULATOR_KEYS.global, '--output', 'json'], { env, timeoutMs: 20_000 });
    const elapsed = Date.now() - started;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ logged_in: true, verified: true, region: 'global', base_url: global.url });
    expect(r.stderr).toBe(`Checking the key with ${global.url} and ${silent.url} to find its region…\n`);
    // Well under the 300 s --timeout; a second or two is Node's start-up on a loaded machine.
    expect(elapsed).toBeLessThan(5_000);
    // The silent host did get the request, and its connection was closed by mmx, not left open.
    expect(silent.sockets.length).toBeGreaterThan(0);
    expect(silent.closed.length).toBe(silent.sockets.length);
    expect(JSON.parse(readFileSync(join(env.MMX_CONFIG_DIR, 'config.json'), 'utf8'))).toEqual({
      api_key: EMULATOR_KEYS.global,
      region: 'global',
    });
  });
});
