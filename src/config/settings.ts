/**
 * The settings registry and their resolution. `SETTINGS` is the one table of
 * every setting (flag, environment variable, config key, default, parser,
 * help): the global flags, the flag > env > config > default lookup with its
 * source, `mmx config show/get/set/unset`, the config file's schema and the
 * README's settings table are all derived from it, so each default is written
 * once. `resolveSettings` is a pure function of flags, environment and file;
 * region and base URL resolve as a pair.
 */
import * as z from 'zod/mini';
import { readOAuthBlock } from '../auth/oauth.js';
import { AUTH_STYLE_SETTINGS, type AuthStyleSetting } from '../auth/strategy.js';
import { UsageError } from '../errors.js';
import { REGIONS, type Region, isRegion, regionHost, regionOfHost, stripSlash } from './regions.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type OutputFormat = 'text' | 'json';
/** Where a value came from; `oauth` is the OAuth login (the `oauth` block of config.json). */
export type Source = 'flag' | 'env' | 'config' | 'oauth' | 'default' | 'host' | 'region' | 'stdin' | 'prompt';

/** Global flags as commander hands them over (raw strings, validated here), by commander attribute name. */
export type GlobalFlags = Readonly<Record<string, string | boolean | undefined>>;

export interface SettingSpec<T = unknown> {
  /** The config key, also the setting's name in `mmx config` (snake_case, as mmx-cli's config.json). */
  readonly key: string;
  /** Commander syntax of its global flag, if it has one. */
  readonly flag?: string;
  readonly help: string;
  readonly env?: string;
  /** Stored in config.json (and settable with `mmx config set`). */
  readonly stored: boolean;
  readonly default?: T;
  /** The default as help and README show it, when it is not `String(default)`. */
  readonly defaultHelp?: string;
  /** `false` when the help text already says what happens by default (region, base URL, auth style). */
  readonly defaultInHelp?: false;
  readonly choices?: readonly string[];
  /** What a valid value is, for messages: `must be ${allowed}`. */
  readonly allowed: string;
  /** Parses a value typed as text (flag, env, `config set`); throws a message (without the name). */
  readonly parse: (raw: string) => T;
  /** How a rejected value is quoted back in the error, when not as typed (a URL's password is not). */
  readonly quote?: (raw: string) => string;
  /** The value's type in config.json: one description, from which the zod check and the JSON Schema are made. */
  readonly type: ValueType;
  /** A credential: masked wherever it is shown. */
  readonly secret?: boolean;
  /** A flag without a value (`--quiet`); env values are read as truthy text (1, true, yes, on). */
  readonly boolean?: boolean;
  /** Shell completion offers values known only at run time, from this source (`profiles`; see cli/flags.ts). */
  readonly dynamic?: string;
}

/** The JSON type of a stored value, with its bounds. */
export type ValueType =
  | { readonly kind: 'string'; readonly minLength?: number; readonly pattern?: string }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'number'; readonly exclusiveMinimum?: number; readonly maximum?: number }
  | { readonly kind: 'integer'; readonly minimum?: number; readonly maximum?: number }
  | { readonly kind: 'boolean' };

/** The zod (mini) check of a value type, for reading config.json. */
export function zodOf(type: ValueType): z.ZodMiniType {
  switch (type.kind) {
    case 'string': {
      const checks = [
        ...(type.minLength !== undefined ? [z.minLength(type.minLength)] : []),
        ...(type.pattern !== undefined ? [z.regex(new RegExp(type.pattern, 'i'))] : []),
      ];
      return checks.length > 0 ? z.string().check(...checks) : z.string();
    }
    case 'enum':
      return z.enum(type.values as [string, ...string[]]);
    case 'number':
      return z
        .number()
        .check(
          ...(type.exclusiveMinimum !== undefined ? [z.gt(type.exclusiveMinimum)] : []),
          ...(type.maximum !== undefined ? [z.lte(type.maximum)] : []),
        );
    case 'integer':
      return z
        .number()
        .check(
          z.int(),
          ...(type.minimum !== undefined ? [z.gte(type.minimum)] : []),
          ...(type.maximum !== undefined ? [z.lte(type.maximum)] : []),
        );
    case 'boolean':
      return z.boolean();
  }
}

/** The JSON Schema of a value type, for `mmx config schema`. */
export function jsonSchemaOf(type: ValueType): Record<string, unknown> {
  switch (type.kind) {
    case 'string':
      return {
        type: 'string',
        ...(type.minLength !== undefined ? { minLength: type.minLength } : {}),
        ...(type.pattern ? { pattern: type.pattern } : {}),
      };
    case 'enum':
      return { type: 'string', enum: [...type.values] };
    case 'number':
      return {
        type: 'number',
        ...(type.exclusiveMinimum !== undefined ? { exclusiveMinimum: type.exclusiveMinimum } : {}),
        ...(type.maximum !== undefined ? { maximum: type.maximum } : {}),
      };
    case 'integer':
      return {
        type: 'integer',
        ...(type.minimum !== undefined ? { minimum: type.minimum } : {}),
        ...(type.maximum !== undefined ? { maximum: type.maximum } : {}),
      };
    case 'boolean':
      return { type: 'boolean' };
  }
}

/** A value a setting does not take: `allowed` says what it takes, `problem` (when given) what is wrong with this one. */
export class ValueError extends Error {
  constructor(
    readonly allowed: string,
    readonly problem?: string,
  ) {
    super(allowed);
  }
}

const text =
  (allowed: string) =>
  (raw: string): string => {
    const value = raw.trim();
    if (value === '') throw new ValueError(allowed);
    return value;
  };

const choice =
  <C extends string>(choices: readonly C[]) =>
  (raw: string): C => {
    const value = raw.trim();
    if (!(choices as readonly string[]).includes(value)) throw new ValueError(quoteChoices(choices));
    return value as C;
  };

function quoteChoices(choices: readonly string[]): string {
  const quoted = choices.map((c) => `"${c}"`);
  return quoted.length === 2 ? `${quoted[0]} or ${quoted[1]}` : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/**
 * The longest wait a timer can hold: Node's timers take at most 2^31-1 ms, and a longer one
 * fires after 1 ms instead (`--timeout 99999999999` would time out at once). Longer values are
 * rejected, not clamped, so what the user asked for is never silently changed.
 */
export const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const SECONDS_ALLOWED = `a positive number of seconds, at most ${MAX_SECONDS} (24 days)`;

const seconds = (raw: string): number => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_SECONDS) throw new ValueError(SECONDS_ALLOWED);
  return n;
};

const HTTP_URL = 'an http:// or https:// URL';

/**
 * A base URL: http(s), a host, and nothing mmx would mangle or leak. A user name or password
 * would be printed (--verbose, --dry-run, status) and sent as a Basic header beside the key; a
 * query or fragment would end up in the middle of every request path (`…?a=1/v1/…`).
 */
export function parseBaseUrl(raw: string): string {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValueError(HTTP_URL);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValueError(HTTP_URL);
  if (url.hostname === '') throw new ValueError(HTTP_URL, 'it has no host');
  if (/^[a-z][a-z\d+.-]*:\/\/[^/?#]*@/i.test(value)) {
    throw new ValueError(HTTP_URL, 'it carries a user name or password, which would be sent and shown; a base URL takes none');
  }
  if (value.includes('?')) throw new ValueError(HTTP_URL, 'it has a query (?…), which would land inside every request path');
  if (value.includes('#')) throw new ValueError(HTTP_URL, 'it has a fragment (#…), which would land inside every request path');
  return stripSlash(value);
}

/** A URL as an error quotes it: user info, query and fragment replaced with `…` (they may be credentials). */
export function quoteUrl(raw: string): string {
  return raw
    .trim()
    .replace(/^([a-z][a-z\d+.-]*:\/\/)[^/?#]*@/i, '$1…@')
    .replace(/\?[^#]*/, '?…')
    .replace(/#.*$/, '#…');
}

const retries = (raw: string): number => {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > 10) throw new ValueError('a whole number from 0 to 10');
  return Number(raw);
};

/** A profile's name (config/profiles.ts): safe as a file-free JSON key and on a command line. */
export const PROFILE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
export const PROFILE_NAME_RULE = 'a profile name: a letter or digit, then letters, digits, ".", "_" or "-" (at most 64)';

const profileName = (raw: string): string => {
  const value = raw.trim();
  if (!new RegExp(PROFILE_NAME_PATTERN).test(value)) throw new ValueError(PROFILE_NAME_RULE);
  return value;
};

const truthy = (raw: string): boolean => /^(1|true|yes|on)$/i.test(raw.trim());

/** Keeps the key and `stored` as literal types, so the config file's type follows the table. */
function setting<T, const K extends string, const S extends boolean>(
  spec: SettingSpec<T> & { key: K; stored: S },
): SettingSpec<T> & { readonly key: K; readonly stored: S } {
  return spec;
}

const flagOnly = <const K extends string>(key: K, flag: string, help: string, env?: string) =>
  setting<boolean, K, false>({
    key,
    flag,
    help,
    stored: false,
    boolean: true,
    allowed: 'on or off',
    parse: truthy,
    type: { kind: 'boolean' },
    ...(env ? { env } : {}),
  });

/**
 * Every setting, in the order help lists the global flags. `stored` ones are
 * config.json keys; mmx-cli 1.0.27 knows api_key, region, base_url, output,
 * timeout, proxy and default_{text,speech,video}_model, the rest are ours.
 */
export const SETTINGS = [
  setting({
    key: 'api_key',
    flag: '--api-key <key>',
    help: 'API key for this run (never stored); "-" reads it from stdin',
    env: 'MINIMAX_API_KEY',
    stored: true,
    secret: true,
    allowed: 'a non-empty key',
    parse: text('a non-empty key'),
    type: { kind: 'string' },
  }),
  setting({
    key: 'region',
    defaultInHelp: false,
    flag: '--region <region>',
    help: 'API region',
    env: 'MINIMAX_REGION',
    stored: true,
    default: 'global',
    choices: REGIONS,
    allowed: quoteChoices(REGIONS),
    parse: choice(REGIONS),
    type: { kind: 'enum', values: REGIONS },
  }),
  setting({
    key: 'base_url',
    defaultInHelp: false,
    flag: '--base-url <url>',
    help: 'API base URL (gateways, emulators)',
    env: 'MINIMAX_BASE_URL',
    stored: true,
    defaultHelp: "the region's host",
    allowed: HTTP_URL,
    parse: parseBaseUrl,
    quote: quoteUrl,
    type: { kind: 'string', pattern: '^https?://' },
  }),
  setting({
    key: 'profile',
    flag: '--profile <name>',
    help: "use this profile's key or OAuth login, region and base URL (mmx auth status lists them)",
    env: 'MMX_PROFILE',
    stored: false,
    defaultHelp: 'the active one, config.json',
    allowed: PROFILE_NAME_RULE,
    parse: profileName,
    type: { kind: 'string', pattern: PROFILE_NAME_PATTERN },
    dynamic: 'profiles',
  }),
  setting({
    key: 'output',
    flag: '--output <format>',
    help: 'output format',
    env: 'MINIMAX_OUTPUT',
    stored: true,
    defaultHelp: 'text on a terminal, json otherwise',
    choices: ['text', 'json'],
    allowed: quoteChoices(['text', 'json']),
    parse: choice(['text', 'json'] as const),
    type: { kind: 'enum', values: ['text', 'json'] },
  }),
  flagOnly('quiet', '--quiet', 'print only the result'),
  flagOnly('verbose', '--verbose', 'log requests to stderr (keys masked)', 'MINIMAX_VERBOSE'),
  setting({
    key: 'timeout',
    flag: '--timeout <seconds>',
    help: 'seconds to wait for a response (for a video task: the whole wait)',
    env: 'MINIMAX_TIMEOUT',
    stored: true,
    default: 300,
    allowed: SECONDS_ALLOWED,
    parse: seconds,
    type: { kind: 'number', exclusiveMinimum: 0, maximum: MAX_SECONDS },
  }),
  setting({
    key: 'idle_timeout',
    flag: '--idle-timeout <seconds>',
    help: 'end a stream that sends nothing for this long',
    env: 'MINIMAX_IDLE_TIMEOUT',
    stored: true,
    default: 60,
    allowed: SECONDS_ALLOWED,
    parse: seconds,
    type: { kind: 'number', exclusiveMinimum: 0, maximum: MAX_SECONDS },
  }),
  setting({
    key: 'max_retries',
    flag: '--max-retries <n>',
    help: 'retries after a rate limit, overload, 5xx or dropped connection',
    stored: true,
    default: 2,
    allowed: 'a whole number from 0 to 10',
    parse: retries,
    type: { kind: 'integer', minimum: 0, maximum: 10 },
  }),
  flagOnly('color', '--no-color', 'no ANSI colours'),
  flagOnly('non_interactive', '--non-interactive', 'never prompt (also when CI is set)', 'CI'),
  flagOnly('dry_run', '--dry-run', 'print the request that would be sent, and send nothing'),
  setting({
    key: 'auth_style',
    defaultInHelp: false,
    flag: '--auth-style <style>',
    help: 'auth header: auto (by region, switching when rejected), bearer or x-api-key',
    env: 'MINIMAX_AUTH_STYLE',
    stored: true,
    default: 'auto',
    choices: AUTH_STYLE_SETTINGS,
    allowed: 'auto, bearer or x-api-key',
    parse: (raw) => {
      const value = raw.trim();
      if (!(AUTH_STYLE_SETTINGS as readonly string[]).includes(value)) throw new ValueError('auto, bearer or x-api-key');
      return value as AuthStyleSetting;
    },
    type: { kind: 'enum', values: AUTH_STYLE_SETTINGS },
  }),
  setting({
    key: 'proxy',
    help: 'proxy URL when no proxy variable applies (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY win)',
    stored: true,
    allowed: 'a URL (http://host:port)',
    parse: text('a URL (http://host:port)'),
    type: { kind: 'string' },
  }),
  setting({
    key: 'save_conversations',
    help: 'keep text chat and REPL exchanges as conversations (mmx text history)',
    env: 'MMX_SAVE_CONVERSATIONS',
    stored: true,
    default: true,
    allowed: 'true or false',
    parse: (raw) => {
      const value = raw.trim().toLowerCase();
      if (/^(1|true|yes|on)$/.test(value)) return true;
      if (/^(0|false|no|off)$/.test(value)) return false;
      throw new ValueError('true or false');
    },
    type: { kind: 'boolean' },
  }),
  setting({
    key: 'default_text_model',
    help: 'model of `text chat` when --model is not given',
    stored: true,
    default: 'MiniMax-M3',
    allowed: 'a model name',
    parse: text('a model name'),
    type: { kind: 'string', minLength: 1 },
  }),
  setting({
    key: 'default_speech_model',
    help: 'model of `speech synthesize` when --model is not given',
    stored: true,
    default: 'speech-2.8-hd',
    allowed: 'a model name',
    parse: text('a model name'),
    type: { kind: 'string', minLength: 1 },
  }),
  setting({
    key: 'default_video_model',
    help: 'model of `video generate` when --model is not given',
    stored: true,
    default: 'MiniMax-Hailuo-2.3',
    allowed: 'a model name',
    parse: text('a model name'),
    type: { kind: 'string', minLength: 1 },
  }),
] as const satisfies readonly SettingSpec[];

export type SettingKey = (typeof SETTINGS)[number]['key'];
type StoredSetting = Extract<(typeof SETTINGS)[number], { stored: true }>;
export type StoredKey = StoredSetting['key'];
/** The stored settings' values, typed from the table. */
export type StoredSettings = { [S in StoredSetting as S['key']]?: S extends SettingSpec<infer T> ? T : never };

const BY_KEY: ReadonlyMap<string, SettingSpec> = new Map(SETTINGS.map((s) => [s.key, s as SettingSpec]));

export function settingSpec(key: string): SettingSpec | undefined {
  return BY_KEY.get(key);
}

/** The commander attribute name of a flag (`--idle-timeout <seconds>` → `idleTimeout`, `--no-color` → `color`). */
export function flagAttribute(flags: string): string {
  const long = /--([\w-]+)/.exec(flags)?.[1] ?? '';
  const name = long.startsWith('no-') ? long.slice(3) : long;
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The help line of a setting: its text and, when it has one, its default. */
export function settingHelp(spec: SettingSpec): string {
  if (spec.defaultInHelp === false) return spec.help;
  const def = spec.defaultHelp ?? (spec.default === undefined || spec.boolean ? undefined : String(spec.default));
  return def === undefined ? spec.help : `${spec.help} (default: ${def})`;
}

/** How help shows a flag that falls back on a setting: `config default_text_model, else MiniMax-M3`. */
export function fallbackHelp(key: string): string {
  const d = BY_KEY.get(key)?.default;
  return d === undefined ? `config ${key}` : `config ${key}, else ${String(d)}`;
}

/** A config-file value that fails its setting's schema: the key, the value, and what is allowed. */
export function checkStoredValue(key: string, value: unknown): string | undefined {
  const spec = BY_KEY.get(key);
  if (!spec || !spec.stored) return undefined;
  return zodOf(spec.type).safeParse(value).success ? undefined : `must be ${spec.allowed} (got ${JSON.stringify(value)})`;
}

/** Where a value came from: the source, and the spelling the user used (`--timeout`, `MINIMAX_TIMEOUT`, `config timeout`). */
export interface Origin {
  source: Source;
  setBy?: string | undefined;
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
  authStyleSetBy: string | undefined;
  /** Extra tries after a transient failure (429 rate limits, 5xx, 529, connection errors). */
  maxRetries: number;
  /** The source of every registry setting, by key (`config show` reports them). */
  origins: Record<string, Origin>;
  warnings: string[];
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

interface Found {
  value: string;
  source: Source;
  setBy: string;
}

/**
 * The profile asked for by `--profile` or `MMX_PROFILE` (flag first), with the spelling used;
 * undefined for the active profile. A malformed name is a usage error naming where it was set.
 */
export function askedProfile(flags: GlobalFlags, env: Env): { name: string; setBy: string } | undefined {
  const s = spec('profile');
  const found = lookup(s, flags, env, {});
  return found ? { name: parseAs(s, found.value, found.setBy) as string, setBy: found.setBy } : undefined;
}

/** flag > env > config: the first place that sets it, as text. */
function lookup(spec: SettingSpec, flags: GlobalFlags, env: Env, file: Readonly<Record<string, unknown>>): Found | undefined {
  if (spec.flag !== undefined) {
    const value = flags[flagAttribute(spec.flag)];
    if (typeof value === 'string') return { value, source: 'flag', setBy: /--[\w-]+/.exec(spec.flag)?.[0] ?? spec.flag };
  }
  const fromEnv = spec.env === undefined ? undefined : nonEmpty(env[spec.env]);
  if (fromEnv !== undefined && spec.env !== undefined) return { value: fromEnv, source: 'env', setBy: spec.env };
  const stored = spec.stored ? file[spec.key] : undefined;
  if (stored !== undefined && stored !== null) return { value: String(stored), source: 'config', setBy: `config ${spec.key}` };
  return undefined;
}

/** A setting's value by flag > env > config > default, parsed; a bad value is a usage error naming where it was set. */
function resolveOne<T>(
  spec: SettingSpec<T>,
  flags: GlobalFlags,
  env: Env,
  file: Readonly<Record<string, unknown>>,
): [T | undefined, Origin] {
  const found = lookup(spec as SettingSpec, flags, env, file);
  if (!found) return [spec.default, { source: 'default' }];
  return [parseAs(spec, found.value, found.setBy), { source: found.source, setBy: found.setBy }];
}

/** Parses text for a setting; a bad value is a usage error naming `setBy` and what is allowed. */
export function parseAs<T>(spec: SettingSpec<T>, raw: string, setBy: string, hint?: string): T {
  try {
    return spec.parse(raw);
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    const got = spec.quote ? spec.quote(raw) : raw.trim();
    throw new UsageError(`${setBy} must be ${error.allowed}${error.problem ? `; ${error.problem}` : ''} (got "${got}").`, { hint });
  }
}

/** The region hosts' overrides (MINIMAX_GLOBAL_BASE_URL, MINIMAX_CN_BASE_URL), checked as base URLs are. */
const REGION_HOST_VARIABLES = ['MINIMAX_GLOBAL_BASE_URL', 'MINIMAX_CN_BASE_URL'] as const;

function spec(key: SettingKey): SettingSpec {
  return BY_KEY.get(key) as SettingSpec;
}

export function resolveSettings(input: {
  flags: GlobalFlags;
  env: Env;
  file: Readonly<Record<string, unknown>>;
  stdoutIsTTY: boolean;
  /** Where `file` was read from, for the hint of a bad stored value. */
  configPath?: string;
}): Settings {
  const { flags, env, file } = input;
  const warnings: string[] = [];
  const origins: Record<string, Origin> = {};
  const str = (value: unknown): string | undefined => (typeof value === 'string' ? nonEmpty(value) : undefined);

  // Key: flag > env > OAuth login > config api_key (mmx-cli: flag > oauth > api_key; our env sits
  // where mmx-cli has none). An env or flag key is never written anywhere.
  const oauth = readOAuthBlock(file.oauth);
  const keySources: Array<[string | undefined, Source]> = [
    [str(flags.apiKey), 'flag'],
    [nonEmpty(env.MINIMAX_API_KEY), 'env'],
    [oauth?.access_token, 'oauth'],
    [str(file.api_key), 'config'],
  ];
  const present = keySources.filter(([value]) => value !== undefined);
  const key: KeySetting | undefined = present[0]
    ? { value: present[0][0] as string, source: present[0][1], shadows: present.slice(1).map(([, source]) => source) }
    : undefined;
  origins.api_key = { source: key?.source ?? 'default' };
  const profile = askedProfile(flags, env);
  origins.profile = profile ? { source: profile.setBy.startsWith('--') ? 'flag' : 'env', setBy: profile.setBy } : { source: 'default' };

  // Region and base URL, as a pair. "Given" means flag or env.
  const regionSpec = spec('region');
  const baseSpec = spec('base_url');
  const givenOnly = (s: SettingSpec) => {
    const found = lookup(s, flags, env, {});
    return found ? { ...found, value: parseAs(s, found.value, found.setBy) as string } : undefined;
  };
  const givenRegion = givenOnly(regionSpec) as (Found & { value: Region }) | undefined;
  const givenBase = givenOnly(baseSpec);
  // Every source of a base URL is checked before any is used, whichever wins: a bad one is named now,
  // not met later as an invalid URL in the middle of a request.
  for (const name of REGION_HOST_VARIABLES) {
    const override = nonEmpty(env[name]);
    if (override !== undefined) parseAs(baseSpec, override, name);
  }
  const storedBaseText = str(file.base_url);
  const storedBase =
    storedBaseText === undefined
      ? undefined
      : (parseAs(
          baseSpec,
          storedBaseText,
          'config base_url',
          `Fix or remove "base_url" in ${input.configPath ?? 'config.json'}.`,
        ) as string);

  let region: Region;
  let regionSource: Source;
  let baseUrl: string;
  let baseUrlSource: Source;
  if (givenRegion && givenBase) {
    [region, regionSource, baseUrl, baseUrlSource] = [givenRegion.value, givenRegion.source, givenBase.value, givenBase.source];
  } else if (givenRegion) {
    // A stored base_url belongs to the stored region: a given region replaces both.
    [region, regionSource] = [givenRegion.value, givenRegion.source];
    [baseUrl, baseUrlSource] = [regionHost(region, env), 'region'];
  } else if (givenBase) {
    [baseUrl, baseUrlSource] = [givenBase.value, givenBase.source];
    const fromHost = regionOfHost(givenBase.value);
    if (fromHost) [region, regionSource] = [fromHost, 'host'];
    else if (isRegion(file.region)) [region, regionSource] = [file.region, 'config'];
    else if (oauth?.region) [region, regionSource] = [oauth.region, 'oauth'];
    else [region, regionSource] = ['global', 'default'];
  } else {
    // The OAuth login's region and API base URL (`resource_url`) apply when the file names none:
    // mmx-cli writes the top-level region at login, so they normally agree.
    const fileBase = storedBase;
    if (isRegion(file.region)) [region, regionSource] = [file.region, 'config'];
    else if (fileBase && regionOfHost(fileBase)) [region, regionSource] = [regionOfHost(fileBase) as Region, 'host'];
    else if (oauth?.region) [region, regionSource] = [oauth.region, 'oauth'];
    else [region, regionSource] = ['global', 'default'];
    // A resource_url belongs to the login's region: a region set apart from it gets its own host.
    const loginBase = oauth?.resource_url && (oauth.region === undefined || oauth.region === region) ? oauth.resource_url : undefined;
    if (fileBase) [baseUrl, baseUrlSource] = [fileBase, 'config'];
    else if (loginBase) [baseUrl, baseUrlSource] = [loginBase, 'oauth'];
    else [baseUrl, baseUrlSource] = [regionHost(region, env), 'region'];
  }
  origins.region = { source: regionSource, setBy: givenRegion?.setBy };
  origins.base_url = { source: baseUrlSource, setBy: givenBase?.setBy };
  const hostRegion = regionOfHost(baseUrl);
  if (hostRegion && hostRegion !== region) {
    warnings.push(`region ${region} does not match ${baseUrl}, a ${hostRegion} host; a key works only in its own region.`);
  }

  // The rest are plain flag > env > config > default lookups.
  const simple = <T>(k: SettingKey): T | undefined => {
    const [value, origin] = resolveOne(spec(k), flags, env, file);
    origins[k] = origin;
    return value as T | undefined;
  };
  const bool = (k: SettingKey): boolean => {
    const s = spec(k);
    const fromFlag = s.flag === undefined ? undefined : flags[flagAttribute(s.flag)];
    const fromEnv = s.env === undefined ? undefined : env[s.env];
    const on = fromFlag === true || (fromEnv !== undefined && truthy(fromEnv));
    origins[k] = { source: fromFlag === true ? 'flag' : fromEnv !== undefined && truthy(fromEnv) ? 'env' : 'default' };
    return on;
  };

  // Output: flag > env > config > text on a terminal, json otherwise (as mmx-cli).
  const output = simple<OutputFormat>('output') ?? (input.stdoutIsTTY ? 'text' : 'json');
  const timeout = simple<number>('timeout') as number;
  const idle = simple<number>('idle_timeout') as number;
  const maxRetries = simple<number>('max_retries') as number;
  const authStyle = simple<AuthStyleSetting>('auth_style') as AuthStyleSetting;
  for (const k of ['proxy', 'default_text_model', 'default_speech_model', 'default_video_model'] as const) simple(k);
  origins.color = { source: flags.color === false ? 'flag' : 'default' };

  return {
    key,
    region,
    regionSource,
    baseUrl,
    baseUrlSource,
    baseUrlGiven: givenBase !== undefined,
    regionGiven: givenRegion !== undefined,
    output,
    timeoutMs: timeout * 1000,
    idleTimeoutMs: idle * 1000,
    quiet: bool('quiet'),
    verbose: bool('verbose'),
    nonInteractive: bool('non_interactive'),
    dryRun: bool('dry_run'),
    authStyle,
    authStyleSource: origins.auth_style?.source ?? 'default',
    authStyleSetBy: origins.auth_style?.source === 'default' ? undefined : origins.auth_style?.setBy,
    maxRetries,
    origins,
    warnings,
  };
}

/**
 * Running under CI: `CI` set to anything non-empty. `--non-interactive` follows `CI` only when
 * it reads as true (1, true, yes, on); what draws on or asks at a terminal also steps back
 * for other values (`CI=github`), which CI systems set too.
 */
export function inCi(env: Env): boolean {
  return nonEmpty(env.CI) !== undefined;
}

/**
 * A setting's value for a command flag that falls back on it (`--model` on
 * `default_text_model`): env > config > default, with where it came from.
 */
export function fallbackValue(key: string, env: Env, file: Readonly<Record<string, unknown>>): [unknown, Origin] {
  const s = BY_KEY.get(key);
  if (!s) throw new Error(`no setting ${key}`);
  return resolveOne(s, {}, env, file);
}
