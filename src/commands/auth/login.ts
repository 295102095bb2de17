/**
 * `mmx auth login`: take a key (flag, stdin or a hidden prompt), validate it
 * where the settings say (a given base URL, a given region, or both region
 * hosts at once), and store key + region in one write.
 */
import type { ApiClient } from '../../api/client.js';
import type { ApiRequest } from '../../api/request.js';
import { account } from '../../api/resources/account.js';
import { maskKey } from '../../auth/strategy.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { flag } from '../../cli/flags.js';
import { REGIONS, type Region, regionHost } from '../../config/regions.js';
import { AuthError, CliError, ExitCode, NetworkError, UsageError } from '../../errors.js';
import { printDryRun } from '../../output/dry-run.js';

interface Target {
  region: Region;
  baseUrl: string;
}

async function readKey(ctx: Context): Promise<string> {
  const { settings, deps } = ctx;
  if (settings.key?.source === 'flag') {
    const key = await ctx.key();
    return key.value;
  }
  const interactive = !settings.nonInteractive && deps.stdin.isTTY && deps.stderr.isTTY;
  if (!interactive) {
    const fromEnv = settings.key?.source === 'env';
    throw new UsageError('No API key given: pass --api-key KEY, or --api-key - to read it from stdin.', {
      hint: fromEnv
        ? 'MINIMAX_API_KEY is set and is used without logging in; to store it: printenv MINIMAX_API_KEY | mmx auth login --api-key -'
        : 'Example: mmx auth login --api-key sk-cp-… --region cn',
    });
  }
  ctx.claimStdin('the key prompt');
  const key = (await deps.stdin.readSecret('MiniMax API key (input hidden): ')).trim();
  if (key === '') throw new UsageError('No API key entered.');
  return key;
}

function targetsFor(ctx: Context): Target[] {
  const s = ctx.settings;
  if (s.baseUrlGiven) return [{ region: s.region, baseUrl: s.baseUrl }];
  if (s.regionGiven) return [{ region: s.region, baseUrl: regionHost(s.region, ctx.deps.env) }];
  return REGIONS.map((region) => ({ region, baseUrl: regionHost(region, ctx.deps.env) }));
}

function isUnreachable(error: CliError): boolean {
  return error.exitCode === ExitCode.NETWORK || error.exitCode === ExitCode.TIMEOUT;
}

type ProbeResult = { target: Target; ok: true } | { target: Target; ok: false; error: CliError };

async function probe(client: ApiClient, target: Target, request: ApiRequest): Promise<ProbeResult> {
  try {
    await client.send(request);
    return { target, ok: true };
  } catch (error) {
    if (error instanceof CliError && error.exitCode === ExitCode.INTERRUPTED) throw error;
    if (error instanceof CliError) return { target, ok: false, error };
    throw error;
  }
}

export default defineCommand({
  path: ['auth', 'login'],
  summary: 'validate an API key and store it with its region',
  // mmx-cli 1.0.27's options. --api-key and --region are the global flags, listed here for what they do at
  // login; --method and --no-browser are 1.0.12's spellings, still accepted. OAuth is not offered until it works.
  flags: {
    apiKey: flag.string(
      '--api-key <key>',
      'the key to check and store ("-" reads it from stdin); without it, a hidden prompt on a terminal',
    ),
    region: flag.choice(
      '--region <region>',
      REGIONS,
      "check only this region's host (default: try both, keep the one that accepts the key)",
    ),
    recommend: flag.boolean('--recommend', 'OAuth login (mmx-cli); not available in mmx yet', { hidden: true }),
    method: flag.choice('--method <method>', ['api-key', 'oauth'], 'login method (mmx-cli 1.0.12)', { hidden: true }),
    noBrowser: flag.boolean('--no-browser', 'accepted for mmx-cli 1.0.12 compatibility', { hidden: true }),
  },
  examples: [
    'mmx auth login --api-key sk-cp-… --region cn',
    'printenv MY_KEY | mmx auth login --api-key -      # keeps the key out of shell history',
    'mmx auth login                                     # prompts for the key, detects the region',
    'mmx auth login --api-key sk-… --base-url https://gateway.example/minimax',
  ],
  needs: { key: false, replaceBrokenConfig: true, interactive: true },
  validate({ method, recommend }) {
    if (method === 'oauth' || recommend) {
      throw new UsageError('OAuth login is not available in mmx yet; log in with an API key.', {
        hint: 'mmx auth login --api-key sk-… (create a key on platform.minimax.io or platform.minimaxi.com)',
      });
    }
  },
  run: login,
});

async function login(ctx: Context): Promise<number> {
  const { settings, deps } = ctx;
  const key = await readKey(ctx);
  if (/\s/.test(key)) throw new UsageError('The API key contains white space; pass the key alone.');
  const targets = targetsFor(ctx);
  const check = account.check(key);
  const clients = await Promise.all(targets.map((t) => ctx.client({ ...t, key })));

  if (settings.dryRun)
    return printDryRun(
      ctx,
      clients.map((client) => client.describe(check)),
    );

  const where = targets.map((t) => t.baseUrl).join(' and ');
  ctx.info(targets.length > 1 ? `Checking the key with ${where} to find its region…` : `Checking the key with ${where}…`);
  const results = await Promise.all(clients.map((client, i) => probe(client, targets[i] as Target, check)));
  const accepted = results.filter((r) => r.ok);
  // A key belongs to one region; if two hosts accept it (a gateway answering both), keep the stored region.
  const chosen = accepted.find((r) => r.target.region === ctx.file.region) ?? accepted[0];

  // A host named by --region or --base-url that cannot be reached (an offline CI image, a firewall): the key is
  // saved unverified, with a warning, as mmx-cli does. A key the server rejects is never saved.
  let unverified: CliError | undefined;
  if (!chosen && targets.length === 1 && results[0] && !results[0].ok && isUnreachable(results[0].error)) unverified = results[0].error;

  if (!chosen && !unverified) {
    const failures = results.filter((r): r is Extract<ProbeResult, { ok: false }> => !r.ok);
    if (failures.length === 1 && failures[0]) throw failures[0].error;
    const summary = failures.map((f) => `${f.target.region} (${f.target.baseUrl}): ${f.error.message}`).join('; ');
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

  const { region, baseUrl } = (chosen?.target ?? targets[0]) as Target;
  const storeBase = settings.baseUrlSource === 'flag' ? settings.baseUrl : undefined;
  const file = await ctx.saveConfig({ api_key: key, region, base_url: storeBase });
  const masked = maskKey(key);
  if (ctx.json) {
    ctx.printJson({ logged_in: true, verified: unverified === undefined, key: masked, region, base_url: baseUrl, config_file: file });
  } else if (unverified) {
    ctx.print(`Saved key ${masked} for region ${region} (${baseUrl}) to ${file}, without checking it.\n`);
  } else {
    ctx.print(`Logged in to region ${region} (${baseUrl}) with key ${masked}.\nSaved to ${file}.\n`);
  }
  if (unverified) {
    ctx.warn(`the key was not verified: ${unverified.message} Check it later with "mmx auth status".`);
  }
  if (settings.key?.source === 'env' || deps.env.MINIMAX_API_KEY?.trim()) {
    ctx.warn('MINIMAX_API_KEY is set; it takes precedence over the stored key until you unset it.');
  }
  if (settings.baseUrlSource === 'env') {
    ctx.info('MINIMAX_BASE_URL was used for the check but is not stored; pass --base-url to store a base URL.');
  }
  return 0;
}
