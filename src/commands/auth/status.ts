/**
 * `mmx auth status`: where the key comes from and what it shadows, the region
 * and base URL with their sources, the proxy requests to it go through (masked),
 * the header each endpoint family gets and why, and (as mmx-cli and `gh auth
 * status`) whether the server accepts the key: one quota (or balance) request,
 * whose payload is mmx-cli's `usage`.
 *
 * Exit codes as mmx-cli 1.0.27: without a key, 3; with one, 0 even when it is
 * rejected or the host cannot be reached (`authenticated: false` and the
 * reason), so `set -e` scripts keep going; `--exit-status` makes a rejected key
 * exit 3 and an unreachable host 6. `--offline` skips the check.
 *
 * It lists the profiles too (config/profiles.ts): JSON `profiles: [{name, region, base_url, method,
 * key (masked), active}]` and `profile` (the one whose credential this run used, or null), added to
 * mmx-cli's shape; text shows them once there is more than config.json's, the active one marked.
 */
import { account } from '../../api/resources/account.js';
import { describeExpiry, expiresAtMs } from '../../auth/oauth.js';
import { FAMILIES, chooseAuth, familyLabel, maskKey, styleLabel } from '../../auth/strategy.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { flag } from '../../cli/flags.js';
import type { Source } from '../../config/settings.js';
import { type CredentialSummary, DEFAULT_PROFILE, type ProfileView, profileNames, summarize } from '../../config/profiles.js';
import { AuthError, CliError, ExitCode } from '../../errors.js';
import { maskProxyUrl } from '../../http/mask-url.js';
import { proxyFor } from '../../http/proxy.js';
import { terminalSafe } from '../../output/terminal-text.js';

const SOURCE_LABEL: Readonly<Record<Source, string>> = {
  flag: 'flag',
  env: 'environment',
  config: 'config file',
  oauth: 'the OAuth login in the config file',
  default: 'default',
  host: 'inferred from the base URL host',
  region: 'the region host',
  stdin: 'stdin',
  prompt: 'prompt',
};

const KEY_SOURCE_NAME: Partial<Record<Source, string>> = {
  flag: '--api-key',
  env: 'MINIMAX_API_KEY',
  oauth: 'the OAuth login (config.json)',
  config: 'config.json',
};
const keySourceName = (source: Source): string => KEY_SOURCE_NAME[source] ?? source;

/** Where the key came from, by name: a stored profile's key or login is named by its profile. */
function keyFrom(ctx: Context, source: Source): string {
  if (ctx.profile.place === 'stored' && (source === 'config' || source === 'oauth')) {
    return `profile ${ctx.profile.name ?? ''} (${source === 'oauth' ? 'an OAuth login, ' : ''}profiles.json)`;
  }
  return keySourceName(source);
}

/** mmx-cli's `source` values (`flag`, `config.json`), and ours for the sources it does not have. */
const MMX_CLI_SOURCE: Partial<Record<Source, string>> = {
  flag: 'flag',
  env: 'env',
  oauth: 'config.json',
  config: 'config.json',
  stdin: 'stdin',
};

/** A source as text; `config` and `oauth` name the profile when a stored one is in use. */
function sourceLabel(ctx: Context, source: Source): string {
  if (ctx.profile.place === 'stored' && (source === 'config' || source === 'oauth')) return `profile ${ctx.profile.name ?? ''}`;
  return SOURCE_LABEL[source];
}

type Check =
  { state: 'skipped' } | { state: 'accepted'; usage: unknown } | { state: 'rejected' | 'unreachable' | 'failed'; error: CliError };

export default defineCommand({
  path: ['auth', 'status'],
  summary: 'show which key or OAuth login, region, base URL and auth headers are in use, and check it online',
  flags: {
    offline: flag.boolean('--offline', 'do not check the key with the API (no network)'),
    exitStatus: flag.boolean('--exit-status', 'exit 3 when the key is rejected, 6 when the API cannot be reached (default: 0)'),
  },
  examples: [
    'mmx auth status',
    'mmx auth status --output json | jq .authenticated',
    'mmx auth status --offline',
    'mmx auth status --exit-status >/dev/null || mmx auth login',
  ],
  needs: { key: false },
  warmup: [['auth', 'status', '--output', 'json', '--offline']],
  async run(ctx, input) {
    const s = ctx.settings;
    // The stored key or token as it is; the online check refreshes an expiring OAuth token first.
    const key = s.key ? await ctx.key({ refresh: false }) : undefined;
    const origin = new URL(s.baseUrl).origin;
    const auth = Object.fromEntries(
      FAMILIES.map((family) => {
        const choice = chooseAuth({
          region: s.region,
          family,
          setting: s.authStyle,
          setBy: s.authStyleSetBy,
          origin,
          remembered: ctx.file.auth_styles,
        });
        return [family, { header: styleLabel(choice.style), style: choice.style, reason: choice.reason, why: choice.why }];
      }),
    );
    // The proxy the check (and every request to the base URL) goes through, masked: its URL may hold a password.
    const proxy = proxyFor(s.baseUrl, ctx.deps.env, ctx.file.proxy);
    const check = key && !input.offline ? await checkKey(ctx) : ({ state: 'skipped' } as Check);
    const authenticated = key !== undefined && check.state !== 'rejected' && check.state !== 'unreachable' && check.state !== 'failed';
    // After the check: the token it refreshed, if it did.
    const login = key?.source === 'oauth' ? ctx.oauth : undefined;
    const shown = login ? login.access_token : key?.value;

    const profiles = listProfiles(ctx);
    const status: Record<string, unknown> = {
      authenticated,
      method: key ? (login ? 'oauth' : 'api-key') : null,
      source: key ? (MMX_CLI_SOURCE[key.source] ?? key.source) : null,
      key: shown !== undefined ? maskKey(shown) : null,
      // mmx-cli's OAuth fields.
      ...(login ? { token_expires: login.expires_at, ...(login.account ? { account: login.account } : {}) } : {}),
      key_source: key ? key.source : null,
      shadowed_sources: key ? key.shadows : [],
      checked: check.state !== 'skipped',
      ...(check.state === 'accepted' ? { usage: check.usage } : {}),
      ...(check.state === 'rejected' || check.state === 'unreachable' || check.state === 'failed'
        ? {
            message: check.error.message,
            hint: check.error.hint,
            error_code: check.error.exitCode,
            ...(check.error.apiCode ? { api_code: check.error.apiCode } : {}),
          }
        : {}),
      region: s.region,
      region_source: s.regionSource,
      base_url: s.baseUrl,
      base_url_source: s.baseUrlSource,
      proxy: proxy ? maskProxyUrl(proxy.url) : null,
      proxy_set_by: proxy ? proxy.setBy : null,
      auth_style: s.authStyle,
      auth,
      config_file: ctx.configPath,
      // Profiles (config/profiles.ts): the one this run used when the key came from one, and every one there is.
      profile: key && (key.source === 'config' || key.source === 'oauth') && 'entries' in profiles ? ctx.profileName : null,
      profiles: 'entries' in profiles ? profiles.entries : [],
    };
    if (!key) Object.assign(status, { message: 'Not authenticated.', hint: 'Run: mmx auth login\nOr set $MINIMAX_API_KEY' });
    if ('error' in profiles) ctx.warn(`profiles are not listed: ${profiles.error}`);

    if (ctx.json) ctx.printJson(status);
    else ctx.print(`${renderText(ctx, status, check, key === undefined)}\n`);

    if (!key) {
      throw new AuthError('Not logged in: no API key in --api-key, MINIMAX_API_KEY or the config file, and no OAuth login.', {
        hint: 'Log in with "mmx auth login", or set MINIMAX_API_KEY.',
      });
    }
    if (input.exitStatus && (check.state === 'rejected' || check.state === 'unreachable' || check.state === 'failed'))
      return check.error.exitCode;
    return 0;
  },
});

/** A profile as `auth status` lists it (masked). */
type ProfileEntry = { name: string } & CredentialSummary & { active: boolean };

/** Every profile: the active one (config.json's credential) first, then the others by name; undefined when profiles.json is unreadable. */
function listProfiles(ctx: Context): { entries: ProfileEntry[] } | { error: string } {
  let view: ProfileView;
  try {
    view = ctx.profiles();
  } catch (error) {
    return { error: (error as Error).message };
  }
  return {
    entries: profileNames(view).map((name) => {
      const active = name === view.current;
      return { name, ...summarize(active ? view.active : view.stored[name], ctx.deps.env), active };
    }),
  };
}

/** The profiles section of the text view: shown once there is more than the one in config.json. */
function profileLines(ctx: Context, entries: ProfileEntry[]): string[] {
  if (entries.length === 0 || (entries.length === 1 && entries[0]?.active && entries[0].name === DEFAULT_PROFILE)) return [];
  const t = ctx.outTheme;
  const width = Math.max(...entries.map((e) => e.name.length));
  return [
    `${t.bold('Profiles')}   ${t.dim('(* active; mmx auth switch NAME)')}`,
    ...entries.map((e) => {
      const what = e.method === 'oauth' ? `OAuth ${e.key ?? ''}` : (e.key ?? '');
      const line = `${e.active ? '*' : ' '} ${e.name.padEnd(width)}  ${(e.region ?? '').padEnd(6)}  ${what}  ${t.dim(e.base_url ?? '')}`;
      return `  ${e.active ? t.bold(line) : line}`;
    }),
  ];
}

/** One request that proves the key (its quota, or a pay-as-you-go key's balance), never an exception. */
async function checkKey(ctx: Context): Promise<Check> {
  try {
    // Inside: an OAuth token that cannot be refreshed is a failed check, not a failed command.
    const key = await ctx.key();
    const client = await ctx.client();
    return { state: 'accepted', usage: await client.send(account.check(key.value)) };
  } catch (error) {
    if (!(error instanceof CliError) || error.exitCode === ExitCode.INTERRUPTED) throw error;
    if (error.exitCode === ExitCode.AUTH) return { state: 'rejected', error };
    if (error.exitCode === ExitCode.NETWORK || error.exitCode === ExitCode.TIMEOUT) return { state: 'unreachable', error };
    return { state: 'failed', error };
  }
}

function renderText(ctx: Context, status: Record<string, unknown>, check: Check, noKey: boolean): string {
  const t = ctx.outTheme;
  const s = ctx.settings;
  const auth = status.auth as Record<string, { header: string; why: string }>;
  const keySource = status.key_source as Source | null;
  const shadows = status.shadowed_sources as Source[];
  // The server's message, shown on a terminal: no escape sequence of its own reaches it (JSON keeps it as sent).
  const why = check.state === 'skipped' || check.state === 'accepted' ? '' : terminalSafe(check.error.message);
  const checkLine = (): string | undefined => {
    switch (check.state) {
      case 'skipped':
        return noKey ? undefined : t.dim('not checked (--offline)');
      case 'accepted':
        return t.ok(`accepted by ${s.baseUrl}`);
      case 'rejected':
        return t.bad(`rejected: ${why}`);
      case 'unreachable':
        return t.warn(`not checked, the API could not be reached: ${why}`);
      case 'failed':
        return t.warn(`not checked: ${why}`);
    }
  };
  const line = checkLine();
  const login = keySource === 'oauth' ? ctx.oauth : undefined;
  const loginLines = (): string[] => {
    if (!login) return [];
    const expires = expiresAtMs(login);
    const now = ctx.deps.now();
    const when =
      expires === undefined
        ? t.warn(`unreadable expiry (${login.expires_at}); refreshed on next use`)
        : expires > now
          ? `${login.expires_at} (${describeExpiry(expires, now)}; refreshed as needed)`
          : t.warn(`${login.expires_at} (expired ${describeExpiry(expires, now)}; refreshed on next use)`);
    return [`${t.bold('Method')}     OAuth${login.account ? `, account ${login.account}` : ''}`, `${t.bold('Expires')}    ${when}`];
  };
  return [
    `${t.bold('Key')}        ${keySource ? `${status.key} from ${keyFrom(ctx, keySource)}` : t.bad('none')}`,
    ...(shadows.length > 0 ? [`           ${t.dim(`(shadows the key in ${shadows.map(keySourceName).join(', ')})`)}`] : []),
    ...loginLines(),
    ...(line ? [`${t.bold('Check')}      ${line}`] : []),
    `${t.bold('Region')}     ${s.region} ${t.dim(`(${sourceLabel(ctx, s.regionSource)})`)}`,
    `${t.bold('Base URL')}   ${s.baseUrl} ${t.dim(`(${sourceLabel(ctx, s.baseUrlSource)})`)}`,
    ...(status.proxy ? [`${t.bold('Proxy')}      ${status.proxy as string} ${t.dim(`(${status.proxy_set_by as string})`)}`] : []),
    `${t.bold('Auth')}`,
    ...FAMILIES.map((family) => {
      const a = auth[family] as { header: string; why: string };
      return `  ${familyLabel(family).padEnd(18)} ${a.header.padEnd(22)} ${t.dim(a.why)}`;
    }),
    `${t.bold('Config')}     ${ctx.configPath}`,
    ...profileLines(ctx, status.profiles as ProfileEntry[]),
  ].join('\n');
}
