/** Region → host tables (API and account). No other module builds a MiniMax URL from a host name. */
export const REGIONS = ['global', 'cn'] as const;
export type Region = (typeof REGIONS)[number];

/** Which hosts are live, and the 2026-09 cn move to api.minimax.cn: docs/minimax-api-notes.md, Hosts. */
const REGION_HOSTS: Readonly<Record<Region, string>> = {
  global: 'https://api.minimax.io',
  cn: 'https://api.minimaxi.com',
};

/**
 * The account hosts, where mmx-cli 1.0.27 runs OAuth (device code, token, refresh): not `.cn` for cn
 * (docs/minimax-api-notes.md, Hosts).
 */
const ACCOUNT_HOSTS: Readonly<Record<Region, string>> = {
  global: 'https://account.minimax.io',
  cn: 'https://account.minimaxi.com',
};

export function isRegion(value: unknown): value is Region {
  return value === 'global' || value === 'cn';
}

/** The region a recognised MiniMax host belongs to, or undefined for gateways and emulators. */
export function regionOfHost(baseUrl: string): Region | undefined {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  const under = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  if (under('minimaxi.com') || under('minimax.chat') || under('minimax.cn')) return 'cn';
  if (under('minimax.io')) return 'global';
  return undefined;
}

/**
 * The host each region is probed and served on; `MINIMAX_GLOBAL_BASE_URL` and
 * `MINIMAX_CN_BASE_URL` replace them (gateways, and tests of region detection).
 */
export function regionHost(region: Region, env: Readonly<Record<string, string | undefined>>): string {
  const override = region === 'cn' ? env.MINIMAX_CN_BASE_URL : env.MINIMAX_GLOBAL_BASE_URL;
  return stripSlash(override && override.trim() !== '' ? override.trim() : REGION_HOSTS[region]);
}

export function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The account host of a region's OAuth endpoints; `MINIMAX_GLOBAL_ACCOUNT_URL` and
 * `MINIMAX_CN_ACCOUNT_URL` replace them (a gateway, or an emulator in tests).
 */
export function accountHost(region: Region, env: Readonly<Record<string, string | undefined>>): string {
  const override = region === 'cn' ? env.MINIMAX_CN_ACCOUNT_URL : env.MINIMAX_GLOBAL_ACCOUNT_URL;
  return stripSlash(override && override.trim() !== '' ? override.trim() : ACCOUNT_HOSTS[region]);
}
