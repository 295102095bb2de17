/**
 * `mmx auth token`: prints the credential in use, for scripts, as `gh auth token` does: the API
 * key, or the OAuth access token, refreshed first when it expires within 5 minutes (under the
 * config lock, written back into the profile it came from). The same precedence as every command
 * (--api-key, MINIMAX_API_KEY, --profile / MMX_PROFILE, the active profile). One line on stdout.
 *
 * The token alone, even to a pipe (where other commands default to JSON): `KEY="$(mmx auth token)"`
 * must work whatever config.json's `output` says. JSON only when this run asks for it, with
 * `--output json` or MINIMAX_OUTPUT.
 *
 * It is a secret: when stdout is a terminal (a shared screen, a recorded session) it prints
 * nothing and exits 2 unless --show asks plainly; a pipe or a redirect gets it without asking.
 */
import { defineCommand } from '../../cli/command.js';
import { flag } from '../../cli/flags.js';
import { UsageError } from '../../errors.js';

export default defineCommand({
  path: ['auth', 'token'],
  summary: 'print the API key or OAuth access token in use, for scripts (refreshed first when about to expire)',
  flags: {
    show: flag.boolean('--show', 'print it even when stdout is a terminal (by default only to a pipe or a file)'),
  },
  examples: [
    'curl -H "Authorization: Bearer $(mmx auth token)" https://api.minimax.io/v1/…',
    'mmx auth token --profile work | pbcopy',
    'mmx auth token --output json | jq .expires   # JSON only when asked: the token alone by default, also to a pipe',
    'mmx auth token --show          # on the terminal, on purpose',
  ],
  needs: { key: false },
  async run(ctx, { show }) {
    // Before anything else (a refresh, a stdin read): nothing is fetched that would not be printed.
    if (ctx.deps.stdout.isTTY && show !== true) {
      throw new UsageError('mmx auth token prints a secret, and stdout is a terminal: nothing printed.', {
        hint: 'Pipe or redirect it (mmx auth token | pbcopy, KEY="$(mmx auth token)"), or pass --show to print it here.',
      });
    }
    const key = await ctx.key();
    const s = ctx.settings;
    const fromProfile = key.source === 'config' || key.source === 'oauth';
    const login = key.source === 'oauth' ? ctx.oauth : undefined;
    const asked = ctx.settings.origins.output?.source;
    if (s.output !== 'json' || (asked !== 'flag' && asked !== 'env')) {
      ctx.printCredential(`${key.value}\n`);
      return 0;
    }
    const result = {
      token: key.value,
      source: key.source,
      profile: fromProfile ? ctx.profileName : null,
      region: s.region,
      base_url: s.baseUrl,
      ...(login ? { expires: login.expires_at } : {}),
    };
    ctx.printCredential(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  },
});
