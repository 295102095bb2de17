/** `mmx auth logout`: removes the stored key; every other setting stays. Idempotent. */
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { flag } from '../../cli/flags.js';

export default defineCommand({
  path: ['auth', 'logout'],
  summary: 'remove the stored key (other settings stay)',
  flags: {
    yes: flag.boolean('--yes', 'accepted for mmx-cli compatibility (there is no prompt)'),
  },
  examples: ['mmx auth logout'],
  needs: { key: false },
  run: logout,
});

async function logout(ctx: Context): Promise<number> {
  const had = ctx.file.api_key !== undefined;
  if (had && !ctx.settings.dryRun) await ctx.saveConfig({ api_key: undefined });
  if (ctx.json) {
    ctx.printJson({ logged_out: true, removed: had, config_file: ctx.configPath, ...(ctx.settings.dryRun ? { dry_run: true } : {}) });
  } else {
    const removed = ctx.settings.dryRun
      ? `Would remove the stored key from ${ctx.configPath} (dry run).`
      : `Removed the stored key from ${ctx.configPath}.`;
    ctx.print(`${had ? removed : 'No stored key; nothing to remove.'}\n`);
  }
  if (ctx.deps.env.MINIMAX_API_KEY?.trim()) ctx.warn('MINIMAX_API_KEY is still set in the environment and will be used.');
  return 0;
}
