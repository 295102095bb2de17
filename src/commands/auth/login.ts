/**
 * `mmx auth login`: OAuth or an API key, as mmx-cli 1.0.27 offers them. On a terminal without
 * flags, a menu (OAuth global, OAuth China, API key); `--recommend` goes straight to OAuth.
 * OAuth is the device-code flow on the region's account host (api/oauth.ts). A key (flag,
 * stdin or a hidden prompt) is validated where the settings say (a given base URL, a given
 * region, or both region hosts at once) and stored with its region in one write. Either login
 * replaces the other, so mmx-cli, which prefers OAuth, uses the same credential as mmx.
 * `--profile NAME` (or MMX_PROFILE) stores the login into that profile instead of the active one
 * (config/profiles.ts): profiles.json, or config.json when that profile is the active one, or
 * when no credential is active yet (the new profile becomes the active one).
 */
import type { ApiClient } from '../../api/client.js';
import type { ApiRequest } from '../../api/request.js';
import { account } from '../../api/resources/account.js';
import { OAUTH_CLIENT_NAME, blockFromToken } from '../../auth/oauth.js';
import { assertKeyCharacters } from '../../auth/key-check.js';
import { maskKey } from '../../auth/strategy.js';
import type { SavedLogin } from '../../config/profile-store.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { flag } from '../../cli/flags.js';
import { REGIONS, type Region, accountHost, isRegion, regionHost, regionHosts } from '../../config/regions.js';
import { AuthError, CliError, ExitCode, NetworkError, UsageError } from '../../errors.js';
import { printDryRun } from '../../output/dry-run.js';
import { type Progress, startProgress } from '../../output/progress.js';
import { USER_AGENT } from '../../version.js';
import { orAbort } from '../../wait.js';

/** A region to check the key in, and its hosts in the order to try them (a given base URL is the only one). */
interface Target {
  region: Region;
  hosts: readonly string[];
}

/** How a person at a terminal can log in: mmx-cli 1.0.27's menu. */
type Choice = { kind: 'oauth'; region: Region } | { kind: 'api-key' };

/** The prompts read the terminal: one claim covers the menu, the region question and the key. */
const PROMPTS = 'the login prompts';

/** A key given with --api-key (or read from stdin with --api-key -). */
async function flagKey(ctx: Context): Promise<string> {
  return (await ctx.key()).value;
}

/** The hidden prompt (a terminal on stdin and stderr, checked by the caller). */
async function promptKey(ctx: Context): Promise<string> {
  ctx.claimStdin(PROMPTS);
  const key = (await ctx.deps.stdin.readSecret('MiniMax API key (input hidden): ')).trim();
  ctx.addSecret(key);
  if (key === '') throw new UsageError('No API key entered.');
  assertKeyCharacters(key, 'prompt');
  return key;
}

/** The host a region is served on, without its scheme, for menus. */
function hostLabel(ctx: Context, region: Region): string {
  return regionHost(region, ctx.deps.env).replace(/^https?:\/\//, '');
}

/**
 * A numbered question on stderr, answered on the terminal; Enter takes the first option.
 * Three answers that are not a number on offer end the login (exit 2).
 */
async function ask<T>(ctx: Context, question: string, options: ReadonlyArray<{ label: string; value: T }>): Promise<T> {
  ctx.claimStdin(PROMPTS);
  const { stderr, stdin } = ctx.deps;
  stderr.write(`${question}\n${options.map((o, i) => `  ${i + 1}. ${o.label}`).join('\n')}\n`);
  for (let tries = 0; tries < 3; tries++) {
    const answer = (await stdin.readLine(`Choose 1-${options.length} [1]: `)).trim();
    const index = answer === '' ? 0 : /^\d+$/.test(answer) ? Number(answer) - 1 : -1;
    const option = options[index];
    if (option) return option.value;
    stderr.write(`Answer a number from 1 to ${options.length}.\n`);
  }
  throw new UsageError('No login method chosen.', { hint: 'mmx auth login --recommend (OAuth), or mmx auth login --api-key KEY' });
}

/** mmx-cli's menu: OAuth in either region, or an API key; with a region given, only that region's OAuth. */
function menu(ctx: Context, region: Region | undefined): Promise<Choice> {
  const oauth = (r: Region) => ({
    label: `MiniMax OAuth, ${r === 'cn' ? 'China' : 'global'} (${hostLabel(ctx, r)}): approve in the browser`,
    value: { kind: 'oauth', region: r } as Choice,
  });
  const regions = region ? [region] : REGIONS;
  return ask(ctx, 'How do you want to log in?', [
    ...regions.map(oauth),
    { label: 'API key (paste a key from the MiniMax platform)', value: { kind: 'api-key' } as Choice },
  ]);
}

function pickRegion(ctx: Context): Promise<Region> {
  return ask(
    ctx,
    'Which region is your MiniMax account in?',
    REGIONS.map((r) => ({ label: `${r === 'cn' ? 'China' : 'Global'} (${hostLabel(ctx, r)})`, value: r })),
  );
}

/** Without a terminal there is no menu, no prompt and no code to approve: exit 2, saying what works. */
function noTerminal(ctx: Context, wantsOAuth: boolean): UsageError {
  if (wantsOAuth) {
    return new UsageError('OAuth login needs a terminal: it shows a code to approve in the browser, and waits.', {
      hint: 'Run it in a terminal, or log in with a key: mmx auth login --api-key KEY (--api-key - reads it from stdin)',
    });
  }
  const fromEnv = ctx.settings.key?.source === 'env';
  return new UsageError('No API key given: pass --api-key KEY, or --api-key - to read it from stdin.', {
    hint: fromEnv
      ? 'MINIMAX_API_KEY is set and is used without logging in; to store it: printenv MINIMAX_API_KEY | mmx auth login --api-key -'
      : 'Example: mmx auth login --api-key sk-cp-… --region cn',
  });
}

function targetsFor(ctx: Context): Target[] {
  const s = ctx.settings;
  if (s.baseUrlGiven) return [{ region: s.region, hosts: [s.baseUrl] }];
  if (s.regionGiven) return [{ region: s.region, hosts: regionHosts(s.region, ctx.deps.env) }];
  return REGIONS.map((region) => ({ region, hosts: regionHosts(region, ctx.deps.env) }));
}

function isUnreachable(error: CliError): boolean {
  return error.exitCode === ExitCode.NETWORK || error.exitCode === ExitCode.TIMEOUT;
}

/** A region's verdict: the host that gave it, and the hosts before it that could not be reached. */
type ProbeResult = { target: Target; host: string; skipped: HostFailure[] } & ({ ok: true } | { ok: false; error: CliError });
interface HostFailure {
  host: string;
  error: CliError;
}

/** Where each region's check stands, for `detectionOutcome`. */
export type ProbeState = 'pending' | 'accepted' | 'failed';

/** What to do next in a login's check: take a region, keep waiting (`grace`: only for the stored region), or give up. */
export type DetectionOutcome = { kind: 'chosen'; index: number } | { kind: 'wait'; grace: boolean } | { kind: 'none' };

/**
 * The login's decision from the region checks so far (pure). A region is taken as soon as its
 * host accepts the key, and the other checks are cancelled, so a host that never answers cannot
 * hold the login up. One exception keeps a stored region: when another region accepted first
 * while the stored region's check is still running, wait for it (within a grace period, then
 * take the one that accepted), since a gateway answering both regions accepts the key twice.
 * With no acceptance, wait until every check has failed. Invariant: `chosen` always names an
 * accepted check, and a pending check is never chosen.
 */
export function detectionOutcome(
  checks: readonly { region: Region; state: ProbeState }[],
  stored: Region | undefined,
  graceOver: boolean,
): DetectionOutcome {
  const storedIndex = checks.findIndex((c) => c.region === stored);
  const storedCheck = checks[storedIndex];
  if (storedCheck?.state === 'accepted') return { kind: 'chosen', index: storedIndex };
  const accepted = checks.findIndex((c) => c.state === 'accepted');
  if (accepted >= 0) {
    return storedCheck?.state === 'pending' && !graceOver ? { kind: 'wait', grace: true } : { kind: 'chosen', index: accepted };
  }
  return checks.some((c) => c.state === 'pending') ? { kind: 'wait', grace: false } : { kind: 'none' };
}

/** How long an acceptance elsewhere waits for the stored region's check (see `detectionOutcome`). */
export const STORED_REGION_GRACE_MS = 2_000;

/** `cn (https://api.minimax.cn and https://api.minimaxi.com): Cannot reach …` — every host a region's check tried. */
function describeFailure(f: Extract<ProbeResult, { ok: false }>): string {
  const tried = [...f.skipped, { host: f.host, error: f.error }];
  return `${f.target.region} (${tried.map((t) => t.host).join(' and ')}): ${tried.map((t) => t.error.message).join(' ')}`;
}

/** One host's answer to the key check: accepted, or the error (Ctrl-C and bugs are thrown). */
async function probeHost(client: ApiClient, request: ApiRequest): Promise<{ ok: true } | { ok: false; error: CliError }> {
  try {
    await client.send(request);
    return { ok: true };
  } catch (error) {
    if (error instanceof CliError && error.exitCode === ExitCode.INTERRUPTED) throw error;
    if (error instanceof CliError) return { ok: false, error };
    throw error;
  }
}

/** A region's check: its hosts in order, moving on only from a host that cannot be reached. */
async function probeTarget(
  ctx: Context,
  target: Target,
  key: string,
  request: ApiRequest,
  signal: AbortSignal,
  onHost: (host: string) => void,
): Promise<ProbeResult> {
  const skipped: HostFailure[] = [];
  for (const [i, host] of target.hosts.entries()) {
    onHost(host);
    const client = await ctx.client({ region: target.region, baseUrl: host, key, signal });
    const answer = await probeHost(client, request);
    if (!answer.ok && isUnreachable(answer.error) && i < target.hosts.length - 1) {
      skipped.push({ host, error: answer.error });
      continue;
    }
    return { target, host, skipped, ...answer };
  }
  throw new Error('a login target without hosts');
}

/**
 * Runs every region's check at once and returns as soon as `detectionOutcome` decides: the chosen
 * check's result, or every result when none accepted. The checks still running are cancelled
 * (their requests aborted); Ctrl-C ends the whole race with exit 130.
 */
async function runChecks(
  ctx: Context,
  targets: readonly Target[],
  key: string,
  request: ApiRequest,
  progress: Progress,
): Promise<{ chosen: ProbeResult } | { failed: Extract<ProbeResult, { ok: false }>[] }> {
  const cancel = targets.map(() => new AbortController());
  const grace = new AbortController();
  const results: (ProbeResult | undefined)[] = targets.map(() => undefined);
  const current = targets.map((t) => t.hosts[0] as string);
  let thrown: { error: unknown } | undefined;
  let graceOver = false;
  let graceStarted = false;
  let wake: () => void = () => undefined;
  const changed = () => wake();
  const showPending = () => {
    const pending = current.filter((_, i) => results[i] === undefined);
    if (pending.length > 0) progress.status(`waiting for ${pending.join(' and ')}`);
  };

  targets.forEach((target, i) => {
    const signal = (cancel[i] as AbortController).signal;
    const onHost = (host: string) => {
      current[i] = host;
      showPending();
    };
    probeTarget(ctx, target, key, request, signal, onHost).then(
      (result) => {
        results[i] = result;
        showPending();
        changed();
      },
      (error: unknown) => {
        // A check cancelled because another region was taken is no news; anything else (Ctrl-C, a bug) is.
        if (!signal.aborted || ctx.deps.signal.aborted) thrown ??= { error };
        changed();
      },
    );
  });

  try {
    for (;;) {
      if (thrown) throw thrown.error;
      const checks = targets.map((t, i) => {
        const result = results[i];
        return { region: t.region, state: (result === undefined ? 'pending' : result.ok ? 'accepted' : 'failed') as ProbeState };
      });
      const outcome = detectionOutcome(checks, isRegion(ctx.file.region) ? ctx.file.region : undefined, graceOver);
      if (outcome.kind === 'chosen') return { chosen: results[outcome.index] as ProbeResult };
      if (outcome.kind === 'none') return { failed: results as Extract<ProbeResult, { ok: false }>[] };
      const next = new Promise<void>((resolve) => (wake = resolve));
      if (outcome.grace && !graceStarted) {
        graceStarted = true;
        ctx.deps.sleep(STORED_REGION_GRACE_MS, grace.signal).then(() => {
          graceOver = true;
          changed();
        }, changed);
      }
      await next;
    }
  } finally {
    grace.abort();
    cancel.forEach((c, i) => results[i] === undefined && c.abort());
  }
}

export default defineCommand({
  path: ['auth', 'login'],
  summary: 'log in with OAuth in the browser, or with an API key (checked, stored with its region)',
  // mmx-cli 1.0.27's options. --api-key and --region are the global flags, listed here for what they do at
  // login; --method is 1.0.12's spelling of --recommend (and of --api-key's prompt), still accepted.
  flags: {
    apiKey: flag.string('--api-key <key>', 'the key to check and store ("-" reads it from stdin); without it, a menu on a terminal'),
    region: flag.choice(
      '--region <region>',
      REGIONS,
      "OAuth: log in to this region; a key: check only this region's host (default: try both, keep the one that accepts it)",
    ),
    recommend: flag.boolean(
      '--recommend',
      'log in with OAuth straight away, without the menu (with --region, without the region question)',
    ),
    method: flag.choice('--method <method>', ['api-key', 'oauth'], 'login method (mmx-cli 1.0.12)', { hidden: true }),
    noBrowser: flag.boolean('--no-browser', 'OAuth: print the page to open and the code, without opening a browser'),
  },
  examples: [
    'mmx auth login                                     # a menu: OAuth (global or China) or an API key',
    'mmx auth login --recommend --region cn             # OAuth: approve a code in the browser',
    'mmx auth login --api-key sk-cp-… --region cn',
    'printenv MY_KEY | mmx auth login --api-key -      # keeps the key out of shell history',
    'mmx auth login --api-key sk-… --base-url https://gateway.example/minimax',
    'mmx auth login --profile work --region cn --api-key -   # a second credential, beside the active one',
  ],
  needs: { key: false, replaceBrokenConfig: true, interactive: true, createsProfile: true },
  run: login,
});

async function login(
  ctx: Context,
  input: { recommend: boolean | undefined; method: string | undefined; noBrowser: boolean | undefined },
): Promise<number> {
  const { settings, deps } = ctx;
  const wantsOAuth = input.recommend === true || input.method === 'oauth';
  if (settings.key?.source === 'flag') {
    // As mmx-cli: a key given wins over --recommend.
    if (wantsOAuth) ctx.warn('--api-key is given, so the login uses that key, not OAuth.');
    return loginWithKey(ctx, await flagKey(ctx));
  }
  const interactive = !settings.nonInteractive && deps.stdin.isTTY && deps.stderr.isTTY;
  if (!interactive) throw noTerminal(ctx, wantsOAuth);
  if (input.method === 'api-key') return loginWithKey(ctx, await promptKey(ctx));
  const given = settings.regionGiven ? settings.region : undefined;
  let region = given;
  if (!wantsOAuth) {
    const choice = await menu(ctx, given);
    if (choice.kind === 'api-key') return loginWithKey(ctx, await promptKey(ctx));
    region = choice.region;
  }
  return loginWithOAuth(ctx, region ?? (await pickRegion(ctx)), input.noBrowser !== true);
}

/**
 * The device-code flow of mmx-cli 1.0.27 on the region's account host: a code to approve in
 * the browser, polled for on the injected clock, then the block stored as mmx-cli stores it
 * (the key and a stored base URL removed, the region set), so mmx-cli keeps working with it.
 */
async function loginWithOAuth(ctx: Context, region: Region, openBrowser: boolean): Promise<number> {
  const { settings, deps } = ctx;
  const { createPkce, describeForm, oauthRequests, requestDeviceCode, waitForApproval } = await import('../../api/oauth.js');
  const host = accountHost(region, deps.env);
  const pkce = await createPkce();
  if (settings.dryRun) return printDryRun(ctx, [describeForm(oauthRequests.deviceCode(host, pkce), USER_AGENT)]);

  const io = ctx.oauthIo();
  const device = await requestDeviceCode(io, host, pkce);
  // Always on stderr, whatever --quiet and --output say: the login cannot go on without them.
  deps.stderr.write(
    `\nTo log in, open this page and approve the code:\n\n  ${device.verificationUri}\n\n  Code:   ${device.userCode}\n  Client: ${OAUTH_CLIENT_NAME}\n\n`,
  );
  if (openBrowser) {
    try {
      await orAbort(deps.openUrl(device.verificationUri), deps.signal);
      ctx.info('Opened the page in your browser.');
    } catch (error) {
      if (error instanceof CliError) throw error;
      ctx.warn(`could not open a browser (${(error as Error).message}); open the page yourself.`);
    }
  }
  const minutes = Math.max(1, Math.round((device.deadline - deps.now()) / 60_000));
  deps.stderr.write(`Waiting for the approval (the code expires in ${minutes} minute${minutes === 1 ? '' : 's'}; Ctrl-C cancels)…\n`);
  const token = await waitForApproval(io, host, device, pkce);

  const block = blockFromToken(token, region);
  const storeBase = settings.baseUrlSource === 'flag' ? settings.baseUrl : undefined;
  const saved = await ctx.saveLogin({ oauth: block, region, ...(storeBase !== undefined ? { base_url: storeBase } : {}) });
  const file = saved.file;
  const baseUrl = storeBase ?? block.resource_url ?? regionHost(region, deps.env);
  if (ctx.json) {
    ctx.printJson({
      logged_in: true,
      method: 'oauth',
      region,
      base_url: baseUrl,
      token_expires: block.expires_at,
      config_file: file,
      ...profileFields(ctx, saved),
    });
  } else {
    ctx.print(`Logged in to region ${region} (${baseUrl}) with OAuth; the token is refreshed as needed.\n${savedLine(ctx, saved)}\n`);
  }
  if (ctx.file.api_key !== undefined) ctx.info('The API key stored before was removed: the OAuth login replaces it.');
  if (deps.env.MINIMAX_API_KEY?.trim()) ctx.warn('MINIMAX_API_KEY is set; it takes precedence over the OAuth login until you unset it.');
  return 0;
}

/** The JSON fields of a login into a named profile (`--profile`): which one, and whether it is the active one now. */
function profileFields(ctx: Context, saved: SavedLogin): Record<string, unknown> {
  if (ctx.profile.setBy === undefined) return {};
  return { profile: saved.name, active: saved.place === 'config' };
}

/** " (profile work, not active: mmx auth switch work)": where a login into a named profile went. */
function profileNote(ctx: Context, saved: SavedLogin): string {
  if (ctx.profile.setBy === undefined) return '';
  if (saved.place === 'stored') return ` Profile ${saved.name}; make it the active one with: mmx auth switch ${saved.name}`;
  return saved.activated ? ` Profile ${saved.name}, now the active one (no other login was).` : ` Profile ${saved.name}, the active one.`;
}

function savedLine(ctx: Context, saved: SavedLogin): string {
  return `Saved to ${saved.file}.${profileNote(ctx, saved)}`;
}

async function loginWithKey(ctx: Context, key: string): Promise<number> {
  const { settings, deps } = ctx;
  const targets = targetsFor(ctx);
  const check = account.check(key);

  if (settings.dryRun) {
    const clients = await Promise.all(targets.map((t) => ctx.client({ region: t.region, baseUrl: t.hosts[0] as string, key })));
    return printDryRun(
      ctx,
      clients.map((client) => client.describe(check)),
    );
  }

  const where = targets.map((t) => t.hosts[0]).join(' and ');
  ctx.info(targets.length > 1 ? `Checking the key with ${where} to find its region…` : `Checking the key with ${where}…`);
  const progress = await startProgress(ctx, { kind: 'wait', label: 'Checking the key' });
  let outcome: Awaited<ReturnType<typeof runChecks>>;
  try {
    outcome = await runChecks(ctx, targets, key, check, progress);
  } finally {
    progress.stop();
  }
  const chosen = 'chosen' in outcome ? outcome.chosen : undefined;
  const failures = 'failed' in outcome ? outcome.failed : [];

  // A region or base URL given whose every host cannot be reached (an offline CI image, a firewall): the key
  // is saved unverified, with a warning, as mmx-cli does. A key the server rejects is never saved.
  const [only] = failures;
  const unverified =
    !chosen && targets.length === 1 && only && isUnreachable(only.error)
      ? [...only.skipped, { host: only.host, error: only.error }]
      : undefined;

  if (!chosen && !unverified) {
    if (failures.length === 1 && only) throw only.error;
    const summary = failures.map(describeFailure).join('; ');
    if (failures.every((f) => f.error.exitCode === ExitCode.AUTH)) {
      throw new AuthError(`The key was rejected in every region: ${summary}`, {
        hint: 'Check the key on the MiniMax platform it was created on (platform.minimax.io or platform.minimaxi.com).',
      });
    }
    const unreachable = failures.filter((f) => isUnreachable(f.error));
    if (unreachable.length > 0) {
      throw new NetworkError(`Could not confirm the key's region: ${summary}`, {
        hint: `Pass the region to check only its host: mmx auth login --region ${unreachable[0]?.target.region ?? 'cn'}`,
      });
    }
    throw failures[0]?.error ?? new AuthError('The key was not accepted.');
  }

  const region = (chosen ?? only)?.target.region as Region;
  // The host the key was checked on; a region's later host (cn's api.minimaxi.com) answered because the
  // ones before it could not be reached: it is stored, so every later command goes where the key works.
  const fellBack = chosen && chosen.skipped.length > 0 && !settings.baseUrlGiven ? chosen : undefined;
  const baseUrl = chosen?.host ?? (targets[0]?.hosts[0] as string);
  const storeBase = settings.baseUrlSource === 'flag' ? settings.baseUrl : fellBack?.host;
  // Both CLIs prefer an OAuth login to api_key: the new key replaces it, or mmx-cli would ignore the key.
  const saved = await ctx.saveLogin({ api_key: key, region, ...(storeBase !== undefined ? { base_url: storeBase } : {}) });
  const file = saved.file;
  const masked = maskKey(key);
  if (ctx.json) {
    ctx.printJson({
      logged_in: true,
      verified: unverified === undefined,
      key: masked,
      region,
      base_url: baseUrl,
      config_file: file,
      ...profileFields(ctx, saved),
    });
  } else if (unverified) {
    ctx.print(`Saved key ${masked} for region ${region} (${baseUrl}) to ${file}, without checking it.${profileNote(ctx, saved)}\n`);
  } else {
    ctx.print(`Logged in to region ${region} (${baseUrl}) with key ${masked}.\n${savedLine(ctx, saved)}\n`);
  }
  if (fellBack) {
    const down = fellBack.skipped.map((f) => f.host).join(' and ');
    ctx.info(
      `${down} could not be reached, so the key was checked on ${fellBack.host}, which is stored as base_url (mmx config unset base_url goes back to ${down}).`,
    );
  }
  if (unverified) {
    ctx.warn(`the key was not verified: ${unverified.map((f) => f.error.message).join(' ')} Check it later with "mmx auth status".`);
  }
  if (settings.key?.source === 'env' || deps.env.MINIMAX_API_KEY?.trim()) {
    ctx.warn('MINIMAX_API_KEY is set; it takes precedence over the stored key until you unset it.');
  }
  if (ctx.file.oauth !== undefined) ctx.info('The OAuth login stored before was removed: the key replaces it.');
  if (settings.baseUrlSource === 'env') {
    ctx.info('MINIMAX_BASE_URL was used for the check but is not stored; pass --base-url to store a base URL.');
  }
  return 0;
}
