/**
 * `mmx auth refresh`: trades the stored OAuth login's refresh token for new tokens now (mmx
 * does it by itself when a token has less than 5 minutes left). Under config.json's lock, as
 * every refresh (auth/oauth-session.ts). mmx-cli 1.0.27's output: `{status, expires}`, the
 * expiry alone with --quiet; exit 2 without an OAuth login.
 */
import { defineCommand } from '../../cli/command.js';
import { accountHost } from '../../config/regions.js';
import { UsageError } from '../../errors.js';
import { printDryRun } from '../../output/dry-run.js';
import { USER_AGENT } from '../../version.js';

export default defineCommand({
  path: ['auth', 'refresh'],
  summary: 'refresh the OAuth login now (mmx refreshes it by itself when needed)',
  flags: {},
  examples: ['mmx auth refresh', 'mmx auth refresh --quiet   # prints the new expiry alone'],
  needs: { key: false },
  async run(ctx) {
    const login = ctx.oauth;
    if (!login) {
      throw new UsageError('Not applicable: not logged in with OAuth.', {
        hint: 'Log in with "mmx auth login" (OAuth is its first choice); an API key needs no refresh.',
      });
    }
    if (ctx.settings.dryRun) {
      const { describeForm, oauthRequests } = await import('../../api/oauth.js');
      const host = accountHost(login.region ?? 'global', ctx.deps.env);
      return printDryRun(ctx, [describeForm(oauthRequests.refresh(host, login.refresh_token), USER_AGENT)]);
    }
    const { block } = await ctx.refreshOAuth({ force: true });
    if (ctx.settings.quiet) {
      ctx.print(`${block.expires_at}\n`);
      return 0;
    }
    ctx.result({ status: 'Token refreshed', expires: block.expires_at }, () => `status: Token refreshed\nexpires: ${block.expires_at}`);
    return 0;
  },
});
