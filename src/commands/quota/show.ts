/**
 * `mmx quota show` (and the group shortcut `mmx quota`): Token Plan usage from
 * /v1/token_plan/remains, or the balance of a pay-as-you-go (`sk-api-`) key.
 * JSON prints the payload as received.
 */
import { account, isPayAsYouGo, parseBalance, parseQuota, sentIntervals } from '../../api/resources/account.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { printDryRun } from '../../output/dry-run.js';
import { renderBalance, renderQuotaQuiet, renderQuotaTable } from '../../output/quota.js';

export default defineCommand({
  path: ['quota', 'show'],
  summary: 'same as "mmx quota"',
  flags: {},
  examples: ['mmx quota', 'mmx quota --output json', 'mmx quota --output text --quiet | cut -f1,4'],
  needs: { key: true },
  warmup: [
    ['quota', '--output', 'json'],
    ['quota', '--output', 'text'],
  ],
  run: show,
});

async function show(ctx: Context): Promise<number> {
  const key = await ctx.key();
  const client = await ctx.client();
  const payg = isPayAsYouGo(key.value);
  const request = account.check(key.value);
  if (ctx.settings.dryRun) return printDryRun(ctx, [client.describe(request)]);

  const payload = await client.send(request);
  if (ctx.json) {
    ctx.printJson(payload);
    return 0;
  }
  // The request checked the payload's shape (account.ts), so the parsers below do not throw.
  const now = ctx.deps.now();
  if (payg) {
    ctx.print(`${renderBalance(parseBalance(payload), ctx.outTheme)}\n`);
  } else if (ctx.settings.quiet) {
    const rows = renderQuotaQuiet(sentIntervals(payload));
    if (rows !== '') ctx.print(`${rows}\n`);
  } else {
    const table = renderQuotaTable(parseQuota(payload), {
      color: ctx.outTheme,
      now,
      ...(ctx.deps.stdout.columns ? { width: ctx.deps.stdout.columns } : {}),
    });
    ctx.print(`${ctx.outTheme.bold(`Token Plan quota (${ctx.settings.region})`)}\n${table}\n`);
  }
  return 0;
}
