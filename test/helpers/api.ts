/**
 * msw in front of two emulators, one per region host: the in-process tests talk
 * to the same behaviour model as the real-socket smoke tests.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createCdn, createEmulator } from '../../src/emulator/index.js';
import type { Cdn, Emulator, EmulatorOptions } from '../../src/emulator/index.js';

export const GLOBAL = 'https://api.minimax.io';
export const CN = 'https://api.minimaxi.com';

export interface Emulators {
  global: Emulator;
  cn: Emulator;
  /** Replace a region's emulator (e.g. with other options) for the current test. */
  use(region: 'global' | 'cn', options: EmulatorOptions): Emulator;
  /** Make a host refuse connections for the current test. */
  down(host: string): void;
  /** The emulator behind an extra host passed to `useEmulators({ hosts })` (fresh for every test). */
  host(url: string): Emulator;
  /** Replace an extra host's emulator for the current test (its region stays unless options say otherwise). */
  useHost(url: string, options: EmulatorOptions): Emulator;
  /** The CDN stand-in behind `useEmulators({ cdn })` (fresh for every test), where the media routes put files. */
  readonly cdn: Cdn;
}

export interface UseEmulatorsOptions {
  /** Extra hosts (gateways, region-host overrides), each with its own emulator of the given region. */
  hosts?: Readonly<Record<string, 'global' | 'cn'>>;
  /** An origin for a CDN stand-in that every emulator's media routes link to (e.g. `http://oss.example.com`). */
  cdn?: string;
}

/** Registers msw for this test file and returns the live emulators (fresh for every test). */
export function useEmulators(options: UseEmulatorsOptions = {}): Emulators {
  const extraHosts = Object.entries(options.hosts ?? {});
  const cdnOrigin = options.cdn;
  let cdn = createCdn();
  // Every emulator links generated files to the CDN stand-in, when the file asked for one.
  const media = (): EmulatorOptions => (cdnOrigin === undefined ? {} : { cdn: { store: cdn, origin: cdnOrigin } });
  const freshExtras = () => new Map(extraHosts.map(([host, region]) => [host, createEmulator({ region, ...media() })]));
  const state = {
    global: createEmulator({ region: 'global', ...media() }),
    cn: createEmulator({ region: 'cn', ...media() }),
    down: new Set<string>(),
    extra: freshExtras(),
  };
  const forward = (region: 'global' | 'cn', host: string) =>
    http.all(`${host}/*`, ({ request }) => {
      // A network error (the request fails, no response), as when the connection is refused.
      if (state.down.has(host)) return HttpResponse.error();
      return state[region].handle(request);
    });
  const forwardExtra = (host: string) =>
    http.all(`${host}/*`, ({ request }) => {
      // A network error (the request fails, no response), as when the connection is refused.
      if (state.down.has(host)) return HttpResponse.error();
      return (state.extra.get(host) as Emulator).handle(request);
    });
  const cdnHandlers =
    cdnOrigin === undefined
      ? []
      : [
          http.all(`${cdnOrigin}/*`, ({ request }) => {
            if (state.down.has(cdnOrigin)) return HttpResponse.error();
            return cdn.handle(request);
          }),
        ];
  const server = setupServer(
    forward('global', GLOBAL),
    forward('cn', CN),
    ...extraHosts.map(([host]) => forwardExtra(host)),
    ...cdnHandlers,
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    cdn = createCdn();
    state.global = createEmulator({ region: 'global', ...media() });
    state.cn = createEmulator({ region: 'cn', ...media() });
    state.down.clear();
    state.extra = freshExtras();
  });
  afterAll(() => server.close());
  return {
    get global() {
      return state.global;
    },
    get cn() {
      return state.cn;
    },
    use(region, options) {
      state[region] = createEmulator({ region, ...media(), ...options });
      return state[region];
    },
    down(host) {
      state.down.add(host);
    },
    get cdn() {
      return cdn;
    },
    host(url) {
      const emulator = state.extra.get(url);
      if (!emulator) throw new Error(`useEmulators: ${url} is not one of the extra hosts`);
      return emulator;
    },
    useHost(url, emulatorOptions) {
      const region = options.hosts?.[url];
      if (!region) throw new Error(`useEmulators: ${url} is not one of the extra hosts`);
      const emulator = createEmulator({ region, ...media(), ...emulatorOptions });
      state.extra.set(url, emulator);
      return emulator;
    },
  };
}
