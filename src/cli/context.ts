/**
 * Per-invocation context, derived from Deps and the global flags: resolved
 * settings, output helpers (data → stdout, everything human → stderr), the one
 * stdin claim, and a lazily built API client.
 */
import { ApiClient } from '../api/client.js';
import type { OAuthIo } from '../api/oauth.js';
import { type OAuthBlock, needsRefresh, readOAuthBlock } from '../auth/oauth.js';
import type { RefreshedBy } from '../auth/oauth-session.js';
import { DEFAULT_LIMITS, type ResponseLimits } from '../api/limits.js';
import type { AuthStyle, EndpointFamily, RememberedStyles } from '../auth/strategy.js';
import { familyLabel, maskKnownKeys, otherStyle, redactKeys, styleLabel } from '../auth/strategy.js';
import { assertKeyCharacters } from '../auth/key-check.js';
import {
  CONFIG_FILE_NAME,
  type ConfigFile,
  ConfigFileError,
  type ConfigPatch,
  configPath,
  permissionWarnings,
  readConfig,
  updateConfig,
  updateConfigLocked,
} from '../config/file.js';
import {
  type AskedProfile,
  type Credential,
  type ProfileView,
  type SelectedProfile,
  noSuchProfile,
  profileView,
  readProfiles,
  selectProfile,
  spelled,
} from '../config/profiles.js';
import type { SavedLogin } from '../config/profile-store.js';
import { type Region, accountHost } from '../config/regions.js';
import { type GlobalFlags, type KeySetting, type Settings, askedProfile, resolveSettings } from '../config/settings.js';
import type { Deps } from '../deps.js';
import { AuthError, UsageError } from '../errors.js';
import { withProxy } from '../http/proxy.js';
import type { Transport } from '../http/transport.js';
import type { Progress } from '../output/progress.js';
import { terminalSafe } from '../output/terminal-text.js';
import { type Theme, colorLevel, loadTheme } from '../output/theme.js';
import { USER_AGENT } from '../version.js';

export class Context {
  readonly settings: Settings;
  /**
   * The settings file as this run sees it: config.json, with the credential fields (key or OAuth
   * login, region, base URL) of the profile asked for by --profile or MMX_PROFILE in place of its own.
   */
  readonly file: ConfigFile;
  /**
   * The profile this run uses: the active one (config.json) unless --profile or MMX_PROFILE named
   * another; `name` and `setBy` only when one was named (see `profileName`).
   */
  readonly profile: { name?: string; place: SelectedProfile['place']; setBy?: string | undefined };
  /** config.json as read (its credential is the active profile's). */
  private readonly configFile: ConfigFile;
  private profilesRead: ProfileView | undefined;
  /** Styles for stdout and stderr, each from its own TTY. */
  readonly outTheme: Theme;
  readonly errTheme: Theme;
  readonly transport: Transport;
  /** How much of a response may be held in memory (api/limits.ts, or the deps' own). */
  readonly limits: ResponseLimits;
  private stdinClaim: string | undefined;
  private resolvedKey: string | undefined;
  /** The OAuth login as this run knows it: as read, then as refreshed. */
  private oauthBlock: OAuthBlock | undefined;
  /** Every key this run has seen (any source, read from stdin, typed at the prompt): masked in all it prints. */
  private readonly keys = new Set<string>();
  /** Origins already warned about for a key sent over plain http:// (once each per run). */
  private readonly plainHttpWarned = new Set<string>();

  /** Set when a command that may replace the config file found it broken (see `saveConfig`). */
  private readonly brokenConfig: ConfigFileError | undefined;

  /** Builds a context; the themes load chalk only when a stream will be coloured. */
  static async create(
    deps: Deps,
    flags: GlobalFlags,
    options: { mayReplaceBrokenConfig?: boolean; mayCreateProfile?: boolean } = {},
  ): Promise<Context> {
    const [out, err] = await Promise.all([
      loadTheme(colorLevel(deps.env, flags.color === false ? false : undefined, deps.stdout.isTTY)),
      loadTheme(colorLevel(deps.env, flags.color === false ? false : undefined, deps.stderr.isTTY)),
    ]);
    return new Context(deps, flags, { out, err }, options);
  }

  private constructor(
    readonly deps: Deps,
    readonly flags: GlobalFlags,
    themes: { out: Theme; err: Theme },
    options: { mayReplaceBrokenConfig?: boolean; mayCreateProfile?: boolean },
  ) {
    let file: ConfigFile = {};
    try {
      file = readConfig(deps.configDir);
    } catch (error) {
      if (!(error instanceof ConfigFileError) || !options.mayReplaceBrokenConfig) throw error;
      this.brokenConfig = error;
    }
    this.configFile = file;
    // profiles.json is read only when a profile is named: the commands that name none pay nothing.
    const asked = askedProfile(flags, deps.env);
    const selected = asked ? selectProfile(asked, this.profiles(), file) : undefined;
    if (asked && selected?.place === 'new' && !options.mayCreateProfile) throw noSuchProfile(asked, this.profiles());
    if (selected) {
      const { file: effective, ...profile } = selected;
      this.profile = profile;
      file = effective as ConfigFile;
    } else {
      this.profile = { place: 'config' };
    }
    this.file = file;
    this.oauthBlock = readOAuthBlock(file.oauth);
    this.settings = resolveSettings({
      flags,
      env: deps.env,
      file: this.file,
      stdoutIsTTY: deps.stdout.isTTY,
      configPath: configPath(deps.configDir),
    });
    if (this.settings.key) this.addSecret(this.settings.key.value);
    if (typeof file.api_key === 'string') this.addSecret(file.api_key);
    if (this.oauthBlock) {
      this.addSecret(this.oauthBlock.access_token);
      this.addSecret(this.oauthBlock.refresh_token);
    }
    this.outTheme = themes.out;
    this.errTheme = themes.err;
    this.transport = withProxy(deps.transport, deps.env, this.file.proxy, (line) => this.verbose(line));
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    for (const warning of this.settings.warnings) this.warn(warning);
    if (asked && selected) for (const warning of profileWarnings(asked, selected, this.settings, deps.env)) this.warn(warning);
    for (const warning of permissionWarnings(deps.configDir)) this.warn(warning);
    if (this.brokenConfig) this.warn(`${this.brokenConfig.message} Settings in it are ignored for this run.`);
  }

  /**
   * One atomic write of a config patch. A broken file (only possible for commands
   * that may replace it) is first kept as `config.json.broken-<time>`.
   */
  async saveConfig(patch: ConfigPatch): Promise<string> {
    if (!this.brokenConfig) return updateConfig(this.deps.configDir, patch);
    const backup = `${CONFIG_FILE_NAME}.broken-${new Date(this.deps.now()).toISOString().replace(/[:.]/g, '-')}`;
    const path = await updateConfig(this.deps.configDir, patch, { backupBrokenAs: backup });
    this.warn(`kept the unreadable config as ${backup} in ${this.deps.configDir}; ${CONFIG_FILE_NAME} was written anew.`);
    return path;
  }

  /** Both files' profiles, read once (on first use: most runs never need them). */
  profiles(): ProfileView {
    this.profilesRead ??= profileView(readProfiles(this.deps.configDir), this.configFile);
    return this.profilesRead;
  }

  /** The profile name a run without --profile uses: the name of config.json's credential. */
  get profileName(): string {
    return this.profile.name ?? this.profiles().current;
  }

  /**
   * Stores a login's credential into this run's profile: config.json for the active one (and for a
   * new profile when no credential is active), profiles.json for another. One locked write.
   */
  async saveLogin(credential: Credential): Promise<SavedLogin> {
    const { saveLogin } = await import('../config/profile-store.js');
    return saveLogin(
      this.deps.configDir,
      this.profile.name,
      credential,
      (patch) => this.saveConfigLocked(patch),
      this.brokenConfig !== undefined,
    );
  }

  /** `saveConfig` for a caller that holds the config lock (a login's write, see `saveLogin`). */
  private async saveConfigLocked(patch: ConfigPatch): Promise<string> {
    if (!this.brokenConfig) return updateConfigLocked(this.deps.configDir, patch);
    const backup = `${CONFIG_FILE_NAME}.broken-${new Date(this.deps.now()).toISOString().replace(/[:.]/g, '-')}`;
    const path = await updateConfigLocked(this.deps.configDir, patch, { backupBrokenAs: backup });
    this.warn(`kept the unreadable config as ${backup} in ${this.deps.configDir}; ${CONFIG_FILE_NAME} was written anew.`);
    return path;
  }

  get json(): boolean {
    return this.settings.output === 'json';
  }

  get configPath(): string {
    return configPath(this.deps.configDir);
  }

  /** A key this run knows (typed at the prompt, read from stdin, given to `config set`), from now on masked in its output. */
  addSecret(key: string): void {
    if (key !== '' && key !== '-') this.keys.add(key);
  }

  /** The keys to mask, for the error renderer. */
  get secrets(): readonly string[] {
    return [...this.keys];
  }

  /**
   * A line for a person: known keys and key-shaped text masked (a server may echo a key in its
   * message), and no control characters or escape sequences (it may carry server text).
   */
  private redact(line: string): string {
    return terminalSafe(redactKeys(line, this.keys), { multiline: true });
  }

  /** Data for stdout: only the keys this run knows are masked (key-shaped text in an answer is data). */
  print(text: string): void {
    this.deps.stdout.write(maskKnownKeys(text, this.keys));
  }

  printJson(value: unknown): void {
    this.print(`${JSON.stringify(value, null, 2)}\n`);
  }

  /**
   * A credential printed on purpose, unmasked: `mmx auth token`, whose output is the key. The one
   * way a key reaches stdout whole; everything else goes through `print`, which masks it.
   */
  printCredential(text: string): void {
    this.deps.stdout.write(text);
  }

  /** A command's result: the value itself as JSON, or its text rendering (given as a function, so JSON runs never build it). */
  result(value: unknown, toText: () => string): void {
    if (this.json) this.printJson(value);
    else {
      const text = toText();
      this.print(text === '' || text.endsWith('\n') ? text : `${text}\n`);
    }
  }

  /** Progress and notices: stderr, silenced by --quiet. */
  info(line: string): void {
    if (!this.settings.quiet) this.deps.stderr.write(`${this.redact(line)}\n`);
  }

  warn(line: string): void {
    this.deps.stderr.write(`${this.errTheme.warn('warning:')} ${this.redact(line)}\n`);
  }

  verbose(line: string): void {
    if (this.settings.verbose) this.deps.stderr.write(`${this.errTheme.dim(this.redact(line))}\n`);
  }

  /** The progress line a command is showing, if any: notices go into it rather than under it. */
  activeProgress: Progress | undefined;

  /**
   * A notice for a person at a terminal (a retry and its wait): in the progress line
   * when one is shown, else one dim line on stderr; never in JSON mode, under
   * --quiet, or when stderr is not a terminal (scripts read --verbose instead).
   */
  notice(line: string): void {
    const shown = this.redact(line);
    if (this.activeProgress) this.activeProgress.status(shown);
    else if (!this.json && !this.settings.quiet && this.deps.stderr.isTTY) this.deps.stderr.write(`${this.errTheme.dim(shown)}\n`);
  }

  /** Only one of `--api-key -`, `--messages-file -`, stdin-as-prompt and the key prompt may read stdin. */
  claimStdin(who: string): void {
    if (this.stdinClaim !== undefined && this.stdinClaim !== who) {
      throw new UsageError(`${who} and ${this.stdinClaim} both want to read stdin; only one can.`);
    }
    this.stdinClaim = who;
  }

  get stdinClaimedBy(): string | undefined {
    return this.stdinClaim;
  }

  /** `--api-key -` reads the key from stdin: claim it before anything else reads stdin. */
  async readKeyFromStdinIfAsked(): Promise<void> {
    if (this.settings.key?.source !== 'flag' || this.settings.key.value !== '-' || this.resolvedKey !== undefined) return;
    this.claimStdin('--api-key -');
    const key = (await this.deps.stdin.readAll()).trim();
    if (key === '') throw new UsageError('--api-key - read an empty key from stdin.');
    this.addSecret(key); // before any check can quote it
    if (/\s/.test(key)) throw new UsageError('--api-key - read more than one word from stdin; pipe only the key.');
    this.resolvedKey = key;
  }

  /**
   * The key to use, with its source; exit 3 when there is none. An OAuth access token that
   * expires within 5 minutes is refreshed first (network), unless `refresh: false` (offline views).
   */
  async key(options: { refresh?: boolean } = {}): Promise<KeySetting> {
    await this.readKeyFromStdinIfAsked();
    const setting = this.settings.key;
    if (!setting) {
      throw new AuthError('No API key found.', {
        hint: 'Log in with "mmx auth login", or set MINIMAX_API_KEY.',
      });
    }
    if (setting.source === 'oauth' && this.oauthBlock) {
      if (options.refresh !== false && needsRefresh(this.oauthBlock, this.deps.now())) await this.refreshOAuth({ force: false });
      this.addSecret(this.oauthBlock.access_token);
      return { ...setting, value: this.oauthBlock.access_token };
    }
    const key: KeySetting = this.resolvedKey !== undefined ? { ...setting, value: this.resolvedKey, source: 'stdin' } : setting;
    assertKeyCharacters(key.value, key.source);
    return key;
  }

  /** The stored OAuth login (access token, expiry, region, …), as read or as this run refreshed it. */
  get oauth(): OAuthBlock | undefined {
    return this.oauthBlock;
  }

  /** How this run talks to the account host (OAuth): its transport, clock, Ctrl-C and --verbose. */
  oauthIo(): OAuthIo {
    return {
      transport: this.transport,
      signal: this.deps.signal,
      sleep: (ms, signal) => this.deps.sleep(ms, signal),
      now: () => this.deps.now(),
      userAgent: USER_AGENT,
      // mmx-cli gives the account host 10 s; --timeout may only shorten that.
      timeoutMs: Math.min(this.settings.timeoutMs, 10_000),
      log: this.settings.verbose ? (line) => this.verbose(line) : undefined,
    };
  }

  /**
   * Refreshes the stored OAuth login under the config lock (see auth/oauth-session.ts): when it
   * is about to expire, or always with `force`. Returns the block now in use and who refreshed it.
   */
  async refreshOAuth(options: { force: boolean }): Promise<{ block: OAuthBlock; by: RefreshedBy }> {
    const seen = this.oauthBlock;
    if (!seen) throw new UsageError('Not logged in with OAuth.', { hint: 'Run mmx auth login first.' });
    // Loaded on first use: most runs never refresh.
    const [{ refreshStoredLogin }, { refreshTokens }] = await Promise.all([import('../auth/oauth-session.js'), import('../api/oauth.js')]);
    const io = this.oauthIo();
    const result = await refreshStoredLogin({
      configDir: this.deps.configDir,
      profile: this.profile.name,
      seen,
      force: options.force,
      now: () => this.deps.now(),
      exchange: (block) => refreshTokens(io, accountHost(block.region ?? 'global', this.deps.env), block.refresh_token),
    });
    this.oauthBlock = result.block;
    if (result.by === 'this') this.verbose(`* refreshed the OAuth token; it now expires at ${result.block.expires_at}`);
    if (result.by === 'another') this.verbose('* another mmx refreshed the OAuth token meanwhile; using its tokens');
    return result;
  }

  /**
   * An API client for the resolved settings, or for an explicit host (login probes). A target's
   * `signal` ends its requests as Ctrl-C does (a probe that is no longer needed); Ctrl-C still ends them too.
   */
  async client(target?: { baseUrl: string; region: Region; key?: string; signal?: AbortSignal }): Promise<ApiClient> {
    const key = target?.key ?? (await this.key()).value;
    const s = this.settings;
    return new ApiClient({
      baseUrl: target?.baseUrl ?? s.baseUrl,
      region: target?.region ?? s.region,
      key,
      authStyle: s.authStyle,
      authStyleSetBy: s.authStyleSetBy,
      remembered: this.file.auth_styles,
      transport: this.transport,
      timeoutMs: s.timeoutMs,
      idleTimeoutMs: s.idleTimeoutMs,
      maxBodyBytes: this.limits.bodyBytes,
      signal: target?.signal ? AbortSignal.any([this.deps.signal, target.signal]) : this.deps.signal,
      maxRetries: s.maxRetries,
      sleep: (ms, signal) => this.deps.sleep(ms, signal),
      random: this.deps.random,
      now: () => this.deps.now(),
      userAgent: USER_AGENT,
      log: s.verbose ? (line) => this.verbose(line) : undefined,
      notice: (line) => this.notice(line),
      remember: (origin, family, style) => this.remember(origin, family, style),
      plainHttp: (origin) => {
        if (this.plainHttpWarned.has(origin)) return;
        this.plainHttpWarned.add(origin);
        this.warn(`the key goes to ${origin}, a MiniMax host, over plain http://: anyone on the way can read it. Use https://.`);
      },
    });
  }

  /**
   * Stores a style that worked after a switch. Best-effort: a failed write never
   * fails the command; the notice goes to stderr, never into JSON on stdout.
   */
  async remember(origin: string, family: EndpointFamily, style: AuthStyle): Promise<void> {
    try {
      // Merged into the file as it is at write time: another switch in this run, or another
      // process, may have remembered a style for another origin meanwhile.
      await this.saveConfig((current) => {
        const styles = (current.auth_styles ?? {}) as RememberedStyles;
        return { auth_styles: { ...styles, [origin]: { ...styles[origin], [family]: style } } };
      });
      this.info(
        `mmx: ${origin} rejected ${styleLabel(otherStyle(style))} on ${familyLabel(family)}; switched to ${styleLabel(style)}, which will be used there from now on.`,
      );
    } catch (error) {
      this.verbose(`* could not remember the auth style: ${(error as Error).message}`);
    }
  }
}

/**
 * What a named profile does not decide this run, said once: an environment key is used instead of
 * the profile's, and a region or base URL from the environment replaces the profile's (a key works
 * only in its own region).
 */
function profileWarnings(asked: AskedProfile, selected: SelectedProfile, settings: Settings, env: Deps['env']): string[] {
  const warnings: string[] = [];
  if (settings.key?.source === 'env') warnings.push(`MINIMAX_API_KEY is set; it is used instead of the key of ${spelled(asked)}.`);
  for (const [name, key] of [
    ['MINIMAX_REGION', 'region'],
    ['MINIMAX_BASE_URL', 'base_url'],
  ] as const) {
    const value = env[name]?.trim();
    const own = selected.file[key];
    if (value && own !== undefined && String(own) !== value && settings.origins[key]?.source === 'env') {
      warnings.push(`${name}=${value} replaces ${key} ${String(own)} of ${spelled(asked)}; a key works only in its own region.`);
    }
  }
  return warnings;
}
