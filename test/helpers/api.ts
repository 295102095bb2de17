/**
 * msw in front of two emulators, one per region: each serves its region's API host
 * and its account host (OAuth). The in-process tests talk to the same behaviour
 * model as the real-socket smoke tests, in strict mode (only the headers the real
 * service is known to accept).
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createCdn, createEmulator } from '../../src/emulator/index.js';
import type { Cdn, Emulator, EmulatorOptions } from '../../src/emulator/index.js';

export const GLOBAL = 'https://api.minimax.io';
export const CN = 'https://api.minimax.cn';
/** cn's host until 2026-09, still answering: what a stored `base_url` of an older login points at. */
export const CN_PREVIOUS = 'https://api.minimaxi.com';
/** The account hosts (OAuth), each served by its region's emulator, whose tokens then work on its API host. */
export const ACCOUNT_GLOBAL = 'https://account.minimax.io';
export const ACCOUNT_CN = 'https://account.minimaxi.com';

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
  /** An origin (`https://cdn.example`) served by a CDN stand-in that the region emulators hand out signed links to. */
  cdn?: string;
}

/**
 * An emulator of `region` in strict mode: it accepts only the headers the real service is known to
 * accept (global: Bearer only on the native API), so a client sending a wrong global header fails
 * here as it would there. `options` may turn it off (`strictAuth: false`).
 */
function emulatorOf(region: 'global' | 'cn', options: EmulatorOptions = {}): Emulator {
  return createEmulator({ region, strictAuth: true, ...options });
}

/** Registers msw for this test file and returns the live emulators (fresh for every test). */
export function useEmulators(options: UseEmulatorsOptions = {}): Emulators {
  const extraHosts = Object.entries(options.hosts ?? {});
  const cdnOrigin = options.cdn;
  let cdn = createCdn();
  // The media routes put files on the test's CDN and link to its origin.
  const emulator = (region: 'global' | 'cn', more: EmulatorOptions = {}) =>
    emulatorOf(region, { ...(cdnOrigin ? { cdn: { store: cdn, origin: cdnOrigin } } : {}), ...more });
  const freshExtras = () => new Map(extraHosts.map(([host, region]) => [host, emulator(region)]));
  const state = {
    global: emulator('global'),
    cn: emulator('cn'),
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
  // Extra hosts first: a test may give cn's previous host an emulator of its own.
  const server = setupServer(
    ...extraHosts.map(([host]) => forwardExtra(host)),
    forward('global', GLOBAL),
    forward('cn', CN),
    forward('cn', CN_PREVIOUS),
    forward('global', ACCOUNT_GLOBAL),
    forward('cn', ACCOUNT_CN),
    ...cdnHandlers,
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    cdn = createCdn();
    state.global = emulator('global');
    state.cn = emulator('cn');
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
      state[region] = emulator(region, options);
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
      const fresh = emulator(region, emulatorOptions);
      state.extra.set(url, fresh);
      return fresh;
    },
  };
}
