import type { KeyKind, KeyRegistry } from './types.js';

/**
 * Demo keys accepted by a default emulator. They look like real keys (prefix decides the kind) so the CLI's
 * key-kind routing is exercised, but contain `emulator` so nobody mistakes them for credentials.
 */
export const EMULATOR_KEYS = Object.freeze({
  cn: 'sk-cp-emulator-cn-demo-7Qm2Lp9Vt4Rk8Nw3Zs6Hb1Jd5Fg0YaXe',
  global: 'sk-cp-emulator-global-demo-4Hq8Ns2Kw6Pv0Rb3Tz7Lm1Xc5Dj9',
  cnPayg: 'sk-api-emulator-cn-demo-2Wd7Kx4Nr9Pq1Vs6Lz3Bt8Hm0Fj5Gc',
  globalPayg: 'sk-api-emulator-global-demo-9Jf3Lt6Qp0Wx4Rm8Vk2Nb7Hs1Dz',
} as const);

export const EMULATOR_KEY_REGISTRY: KeyRegistry = Object.freeze({
  [EMULATOR_KEYS.cn]: Object.freeze({ region: 'cn' }),
  [EMULATOR_KEYS.global]: Object.freeze({ region: 'global' }),
  [EMULATOR_KEYS.cnPayg]: Object.freeze({ region: 'cn' }),
  [EMULATOR_KEYS.globalPayg]: Object.freeze({ region: 'global' }),
});

/** Mirrors MiniMax's own CLI: `sk-api-` is a pay-as-you-go secret key, anything else a Token Plan key. */
export function keyKind(key: string): KeyKind {
  return key.startsWith('sk-api-') ? 'payg' : 'token-plan';
}
