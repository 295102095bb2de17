/** Region → host tables (API and account). No other module builds a MiniMax URL from a host name. */
export const REGIONS = ['global', 'cn'] as const;
export type Region = (typeof REGIONS)[number];

/**
 * Each region's API hosts, the default first. cn moved to api.minimax.cn in 2026-09 (MiniMax's docs,
 * mmx-cli 1.0.27); api.minimaxi.com, its host before, still answers, so login falls back to it when the
 * new host cannot be reached. Which hosts are live: docs/minimax-api-notes.md, Hosts.
 */
const REGION_HOSTS: Readonly<Record<Region, readonly [string, ...string[]]>> = {
  global: ['https://api.minimax.io'],
  cn: ['https://api.minimax.cn', 'https://api.minimaxi.com'],
};

/**
 * Every MiniMax API domain and its region, current and legacy, for inferring a region from a base URL.
 * Mind the near-identical pairs: minimax.chat is cn, minimaxi.chat is global.
 */
const HOST_DOMAINS: Readonly<Record<string, Region>> = {
  'minimax.cn': 'cn',
  'minimaxi.com': 'cn',
  'minimax.chat': 'cn',
  'minimax.io': 'global',
  'minimaxi.chat': 'global',
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

/** The region a recognised MiniMax host (or a subdomain of one) belongs to, or undefined for gateways and emulators. */
export function regionOfHost(baseUrl: string): Region | undefined {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  for (const [domain, region] of Object.entries(HOST_DOMAINS)) {
    if (host === domain || host.endsWith(`.${domain}`)) return region;
  }
  return undefined;
}

/** An override of a region's host from the environment, if set. */
function hostOverride(region: Region, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const override = region === 'cn' ? env.MINIMAX_CN_BASE_URL : env.MINIMAX_GLOBAL_BASE_URL;
  return override && override.trim() !== '' ? stripSlash(override.trim()) : undefined;
}

/**
 * The host each region is served on; `MINIMAX_GLOBAL_BASE_URL` and `MINIMAX_CN_BASE_URL` replace
 * it (gateways, and tests of region detection).
 */
export function regionHost(region: Region, env: Readonly<Record<string, string | undefined>>): string {
  return hostOverride(region, env) ?? REGION_HOSTS[region][0];
}

/**
 * The hosts a region's key may be checked on, in the order to try them: the default, then hosts it
 * replaced that still answer. An override is the only host.
 */
export function regionHosts(region: Region, env: Readonly<Record<string, string | undefined>>): readonly string[] {
  const override = hostOverride(region, env);
  return override === undefined ? REGION_HOSTS[region] : [override];
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
