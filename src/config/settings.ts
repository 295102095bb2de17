/**
 * Settings are a pure function of flags, environment and config file:
 * flag > env > config > default, everywhere. Region and base URL resolve as a pair.
 */
import type { AuthStyleSetting } from '../auth/strategy.js';
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
  /** Extra tries after a transient failure (429 rate limits, 5xx, 529, connection errors). */
  maxRetries: number;
  warnings: string[];
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

function pick<T>(...candidates: Array<[T | undefined, Source]>): [T, Source] | undefined {
  for (const [value, source] of candidates) if (value !== undefined) return [value, source];
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

export function resolveSettings(input: {
  flags: GlobalFlags;
  env: Env;
  file: ConfigFile;
  stdoutIsTTY: boolean;
}): Settings {
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
  const givenBase = baseGivenPair
    ? checkUrl(baseGivenPair[0], baseGivenPair[1] === 'flag' ? '--base-url' : 'MINIMAX_BASE_URL')
    : undefined;

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
  const outputPair = pick<string>([nonEmpty(flags.output), 'flag'], [nonEmpty(env.MINIMAX_OUTPUT), 'env'], [file.output, 'config']);
  let output: OutputFormat = input.stdoutIsTTY ? 'text' : 'json';
  let outputSource: Source = 'default';
  if (outputPair) {
    const [value, source] = outputPair;
    if (value !== 'text' && value !== 'json') {
      throw new UsageError(`${source === 'flag' ? '--output' : 'MINIMAX_OUTPUT'} must be "text" or "json" (got "${value}").`);
    }
    [output, outputSource] = [value, source];
  }

  const timeoutPair = pick<string>(
    [flags.timeout, 'flag'],
    [nonEmpty(env.MINIMAX_TIMEOUT), 'env'],
    [file.timeout === undefined ? undefined : String(file.timeout), 'config'],
  );
  const timeoutMs = timeoutPair
    ? parseSeconds(timeoutPair[0], timeoutPair[1] === 'flag' ? '--timeout' : timeoutPair[1] === 'env' ? 'MINIMAX_TIMEOUT' : 'config timeout') * 1000
    : 300_000;

  const idlePair = pick<string>(
    [flags.idleTimeout, 'flag'],
    [nonEmpty(env.MINIMAX_IDLE_TIMEOUT), 'env'],
    [file.idle_timeout === undefined ? undefined : String(file.idle_timeout), 'config'],
  );
  const idleTimeoutMs = idlePair
    ? parseSeconds(idlePair[0], idlePair[1] === 'flag' ? '--idle-timeout' : idlePair[1] === 'env' ? 'MINIMAX_IDLE_TIMEOUT' : 'config idle_timeout') * 1000
    : 60_000;

  const stylePair = pick<string>(
    [nonEmpty(flags.authStyle), 'flag'],
    [nonEmpty(env.MINIMAX_AUTH_STYLE), 'env'],
    [file.auth_style, 'config'],
  );
  let authStyle: AuthStyleSetting = 'auto';
  let authStyleSource: Source = 'default';
  if (stylePair) {
    const [value, source] = stylePair;
    if (value !== 'auto' && value !== 'bearer' && value !== 'x-api-key') {
      throw new UsageError(
        `${source === 'flag' ? '--auth-style' : 'MINIMAX_AUTH_STYLE'} must be auto, bearer or x-api-key (got "${value}").`,
      );
    }
    [authStyle, authStyleSource] = [value, source];
  }

  let maxRetries = 2;
  const retriesPair = pick<string>(
    [flags.maxRetries, 'flag'],
    [file.max_retries === undefined ? undefined : String(file.max_retries), 'config'],
  );
  if (retriesPair) {
    const n = Number(retriesPair[0]);
    if (!/^\d+$/.test(retriesPair[0].trim()) || n > 10) {
      throw new UsageError(`${retriesPair[1] === 'flag' ? '--max-retries' : 'config max_retries'} must be a whole number from 0 to 10 (got "${retriesPair[0]}").`);
    }
    maxRetries = n;
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
    outputSource,
    timeoutMs,
    idleTimeoutMs,
    quiet: flags.quiet === true,
    verbose: flags.verbose === true || truthy(env.MINIMAX_VERBOSE),
    nonInteractive: flags.nonInteractive === true || truthy(env.CI),
    dryRun: flags.dryRun === true,
    authStyle,
    authStyleSource,
    maxRetries,
    warnings,
  };
}
