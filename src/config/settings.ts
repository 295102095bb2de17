/**
 * Settings are a pure function of flags, environment and config file:
 * flag > env > config > default, everywhere. Region and base URL resolve as a pair.
 */
import { AUTH_STYLE_SETTINGS, type AuthStyleSetting } from '../auth/strategy.js';
import { UsageError } from '../errors.js';
import type { ConfigFile } from './file.js';
import { type Region, isRegion, regionHost, regionOfHost, stripSlash } from './regions.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type OutputFormat = 'text' | 'json';
export type Source = 'flag' | 'env' | 'config' | 'default' | 'host' | 'region' | 'stdin' | 'prompt';

/** Global flags as commander hands them over (raw strings: validated here). */
export interface GlobalFlags {
  apiKey?: string | undefined;
  region?: string | undefined;
  baseUrl?: string | undefined;
  output?: string | undefined;
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
  timeout?: string | undefined;
  color?: boolean | undefined;
  nonInteractive?: boolean | undefined;
  dryRun?: boolean | undefined;
  authStyle?: string | undefined;
  maxRetries?: string | undefined;
  idleTimeout?: string | undefined;
}

export interface KeySetting {
  value: string;
  source: Source;
  /** Lower-precedence sources that also hold a key and are therefore not used. */
  shadows: Source[];
}

export interface Settings {
  /** undefined when there is no key anywhere; value '-' means "read it from stdin" (resolved later). */
  key: KeySetting | undefined;
  region: Region;
  regionSource: Source;
  baseUrl: string;
  baseUrlSource: Source;
  /** Whether a base URL was given by flag or env (login then validates against it alone). */
  baseUrlGiven: boolean;
  regionGiven: boolean;
  output: OutputFormat;
  outputSource: Source;
  timeoutMs: number;
  /** A stream that sends nothing for this long is ended (exit 5). */
  idleTimeoutMs: number;
  quiet: boolean;
  verbose: boolean;
  nonInteractive: boolean;
  dryRun: boolean;
  authStyle: AuthStyleSetting;
  authStyleSource: Source;
  /** Where an explicit style was set, as the user wrote it (`--auth-style`, `MINIMAX_AUTH_STYLE`, `config auth_style`). */
  authStyleFrom: string | undefined;
  /** Extra tries after a transient failure (429 rate limits, 5xx, 529, connection errors). */
  maxRetries: number;
  warnings: string[];
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

function pick<T>(...candidates: Array<[T | undefined, Source]>): [T, Source] | undefined {
  for (const [value, source] of candidates) if (value !== undefined) return [value, source];
  return undefined;
}

/** How a setting is named where it can be set: in errors the user sees the name they used. */
interface SettingNames {
  flag: string;
  env?: string;
  config: string;
}

interface Found {
  value: string;
  source: Source;
  name: string;
}

/** flag > env > config: the first place that sets it. */
function lookup(names: SettingNames, flag: string | undefined, env: Env, fileValue: unknown): Found | undefined {
  if (flag !== undefined) return { value: flag, source: 'flag', name: names.flag };
  const fromEnv = names.env === undefined ? undefined : nonEmpty(env[names.env]);
  if (fromEnv !== undefined && names.env !== undefined) return { value: fromEnv, source: 'env', name: names.env };
  if (fileValue !== undefined) return { value: String(fileValue), source: 'config', name: names.config };
  return undefined;
}

function checkRegion(value: string, from: string): Region {
  if (!isRegion(value)) throw new UsageError(`${from} must be "global" or "cn" (got "${value}").`);
  return value;
}

function checkUrl(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${from} is not a valid URL: "${value}".`, { hint: 'Example: --base-url https://api.minimaxi.com' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${from} must be an http:// or https:// URL (got "${value}").`);
  }
  return stripSlash(value);
}

export function parseSeconds(value: string, from: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${from} must be a positive number of seconds (got "${value}").`);
  }
  return seconds;
}

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

export function resolveSettings(input: { flags: GlobalFlags; env: Env; file: ConfigFile; stdoutIsTTY: boolean }): Settings {
  const { flags, env, file } = input;
  const warnings: string[] = [];

  // Key: flag > env > config. An env or flag key is never written anywhere.
  const keySources: Array<[string | undefined, Source]> = [
    [nonEmpty(flags.apiKey), 'flag'],
    [nonEmpty(env.MINIMAX_API_KEY), 'env'],
    [nonEmpty(file.api_key), 'config'],
  ];
  const present = keySources.filter(([value]) => value !== undefined);
  const key: KeySetting | undefined = present[0]
    ? { value: present[0][0] as string, source: present[0][1], shadows: present.slice(1).map(([, source]) => source) }
    : undefined;

  // Region and base URL, as a pair. "Given" means flag or env.
  const regionGivenPair = pick<string>([nonEmpty(flags.region), 'flag'], [nonEmpty(env.MINIMAX_REGION), 'env']);
  const baseGivenPair = pick<string>([nonEmpty(flags.baseUrl), 'flag'], [nonEmpty(env.MINIMAX_BASE_URL), 'env']);
  const givenRegion = regionGivenPair
    ? checkRegion(regionGivenPair[0], regionGivenPair[1] === 'flag' ? '--region' : 'MINIMAX_REGION')
    : undefined;
  const givenBase = baseGivenPair ? checkUrl(baseGivenPair[0], baseGivenPair[1] === 'flag' ? '--base-url' : 'MINIMAX_BASE_URL') : undefined;

  let region: Region;
  let regionSource: Source;
  let baseUrl: string;
  let baseUrlSource: Source;
  if (givenRegion && regionGivenPair && givenBase && baseGivenPair) {
    [region, regionSource, baseUrl, baseUrlSource] = [givenRegion, regionGivenPair[1], givenBase, baseGivenPair[1]];
  } else if (givenRegion && regionGivenPair) {
    // A stored base_url belongs to the stored region: a given region replaces both.
    [region, regionSource] = [givenRegion, regionGivenPair[1]];
    [baseUrl, baseUrlSource] = [regionHost(region, env), 'region'];
  } else if (givenBase && baseGivenPair) {
    [baseUrl, baseUrlSource] = [givenBase, baseGivenPair[1]];
    const fromHost = regionOfHost(givenBase);
    if (fromHost) [region, regionSource] = [fromHost, 'host'];
    else if (file.region) [region, regionSource] = [file.region, 'config'];
    else [region, regionSource] = ['global', 'default'];
  } else {
    const fileBase = file.base_url ? stripSlash(file.base_url) : undefined;
    if (file.region) [region, regionSource] = [file.region, 'config'];
    else if (fileBase && regionOfHost(fileBase)) [region, regionSource] = [regionOfHost(fileBase) as Region, 'host'];
    else [region, regionSource] = ['global', 'default'];
    if (fileBase) [baseUrl, baseUrlSource] = [fileBase, 'config'];
    else [baseUrl, baseUrlSource] = [regionHost(region, env), 'region'];
  }
  const hostRegion = regionOfHost(baseUrl);
  if (hostRegion && hostRegion !== region) {
    warnings.push(`region ${region} does not match ${baseUrl}, a ${hostRegion} host; a key works only in its own region.`);
  }

  // Output: flag > env > config > text on a terminal, json otherwise (as mmx-cli).
  const outputFound = lookup({ flag: '--output', env: 'MINIMAX_OUTPUT', config: 'config output' }, flags.output, env, file.output);
  if (outputFound && outputFound.value !== 'text' && outputFound.value !== 'json') {
    throw new UsageError(`${outputFound.name} must be "text" or "json" (got "${outputFound.value}").`);
  }
  const output: OutputFormat = outputFound ? (outputFound.value as OutputFormat) : input.stdoutIsTTY ? 'text' : 'json';

  const timeout = lookup({ flag: '--timeout', env: 'MINIMAX_TIMEOUT', config: 'config timeout' }, flags.timeout, env, file.timeout);
  const idle = lookup(
    { flag: '--idle-timeout', env: 'MINIMAX_IDLE_TIMEOUT', config: 'config idle_timeout' },
    flags.idleTimeout,
    env,
    file.idle_timeout,
  );

  const style = lookup(
    { flag: '--auth-style', env: 'MINIMAX_AUTH_STYLE', config: 'config auth_style' },
    flags.authStyle,
    env,
    file.auth_style,
  );
  if (style && !AUTH_STYLE_SETTINGS.includes(style.value as AuthStyleSetting)) {
    throw new UsageError(`${style.name} must be auto, bearer or x-api-key (got "${style.value}").`);
  }

  const retries = lookup({ flag: '--max-retries', config: 'config max_retries' }, flags.maxRetries, env, file.max_retries);
  if (retries && (!/^\d+$/.test(retries.value.trim()) || Number(retries.value) > 10)) {
    throw new UsageError(`${retries.name} must be a whole number from 0 to 10 (got "${retries.value}").`);
  }

  return {
    key,
    region,
    regionSource,
    baseUrl,
    baseUrlSource,
    baseUrlGiven: givenBase !== undefined,
    regionGiven: givenRegion !== undefined,
    output,
    outputSource: outputFound?.source ?? 'default',
    timeoutMs: timeout ? parseSeconds(timeout.value, timeout.name) * 1000 : 300_000,
    idleTimeoutMs: idle ? parseSeconds(idle.value, idle.name) * 1000 : 60_000,
    quiet: flags.quiet === true,
    verbose: flags.verbose === true || truthy(env.MINIMAX_VERBOSE),
    nonInteractive: flags.nonInteractive === true || truthy(env.CI),
    dryRun: flags.dryRun === true,
    authStyle: style ? (style.value as AuthStyleSetting) : 'auto',
    authStyleSource: style?.source ?? 'default',
    authStyleFrom: style?.name,
    maxRetries: retries ? Number(retries.value) : 2,
    warnings,
  };
}
