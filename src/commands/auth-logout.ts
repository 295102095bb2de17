/** `mmx auth logout`: removes the stored key; every other setting stays. Idempotent. */
import type { Context } from '../context.js';

export async function authLogout(ctx: Context): Promise<number> {
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
