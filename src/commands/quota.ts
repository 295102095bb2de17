/**
 * `mmx quota` (and `mmx quota show`): Token Plan usage from /v1/token_plan/remains,
 * or the balance of a pay-as-you-go (`sk-api-`) key. JSON prints the payload as received.
 */
import type { Context } from '../context.js';
import { ApiError, ExitCode } from '../errors.js';
import { printDryRun } from '../output/dry-run.js';
import { QuotaShapeError, parseBalance, parseQuota } from '../api/resources/account.js';
import { renderBalance, renderQuotaQuiet, renderQuotaTable } from '../output/quota.js';
import { validationPath } from './auth-login.js';

export async function quota(ctx: Context): Promise<number> {
  const key = await ctx.key();
  const client = await ctx.client();
  const path = validationPath(key.value);
  const payg = path === '/account/query_balance';
  if (ctx.settings.dryRun) return printDryRun(ctx, [client.describe({ method: 'GET', path })]);

  const { json } = await client.json({ method: 'GET', path });
  if (ctx.json) {
    ctx.printJson(json);
    return 0;
  }
  const now = ctx.deps.now();
  try {
    if (payg) {
      ctx.print(`${renderBalance(parseBalance(json), ctx.outTheme)}\n`);
    } else if (ctx.settings.quiet) {
      const rows = renderQuotaQuiet(parseQuota(json), { now });
      if (rows !== '') ctx.print(`${rows}\n`);
    } else {
      const table = renderQuotaTable(parseQuota(json), {
        color: ctx.outTheme,
        now,
        ...(ctx.deps.stdout.columns ? { width: ctx.deps.stdout.columns } : {}),
      });
      ctx.print(`${ctx.outTheme.bold(`Token Plan quota (${ctx.settings.region})`)}\n${table}\n`);
    }
  } catch (error) {
    if (error instanceof QuotaShapeError) {
      throw new ApiError(ExitCode.GENERAL, `The quota response has an unexpected shape: ${error.message}`, {
        hint: 'Run with --output json to see the payload as received.',
      });
    }
    throw error;
  }
  return 0;
}
