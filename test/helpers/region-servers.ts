/**
 * One emulator per region on loopback, for tests that run the built bin/mmx over real sockets:
 * started once per test file, reset before each test, closed after. Strict unless told otherwise:
 * it accepts only the headers MiniMax is known to accept (cn's /anthropic refuses x-api-key with
 * 1033), so a client sending the wrong one fails here as it would there.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorOptions, EmulatorServer } from '../../src/emulator/index.js';

export type Region = 'cn' | 'global';
export const REGIONS: readonly Region[] = ['cn', 'global'];

export function useRegionServers(options: EmulatorOptions = {}): Record<Region, { emulator: Emulator; server: EmulatorServer }> {
  const apis = {} as Record<Region, { emulator: Emulator; server: EmulatorServer }>;
  beforeAll(async () => {
    for (const region of REGIONS) {
      const emulator = createEmulator({ region, strictAuth: true, ...options });
      apis[region] = { emulator, server: await startEmulatorServer(emulator) };
    }
  });
  afterAll(async () => {
    for (const region of REGIONS) await apis[region].server.close();
  });
  beforeEach(() => {
    for (const region of REGIONS) apis[region].emulator.reset();
  });
  return apis;
}
