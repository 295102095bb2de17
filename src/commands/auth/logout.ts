/**
 * `mmx auth logout`: removes the stored credentials, the API key and the OAuth login (mmx-cli
 * clears both), in one write; every other setting stays. Idempotent.
 */
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { flag } from '../../cli/flags.js';

/** How each stored credential is named to a person. */
const NAMES = { api_key: 'the stored key', oauth: 'the OAuth login' } as const;

export default defineCommand({
  path: ['auth', 'logout'],
  summary: 'remove the stored key and OAuth login (other settings stay)',
  flags: {
    yes: flag.boolean('--yes', 'accepted for mmx-cli compatibility (there is no prompt)'),
  },
  examples: ['mmx auth logout'],
  needs: { key: false },
  run: logout,
});

async function logout(ctx: Context): Promise<number> {
  const cleared = (['oauth', 'api_key'] as const).filter((key) => ctx.file[key] !== undefined);
  if (cleared.length > 0 && !ctx.settings.dryRun) await ctx.saveConfig({ api_key: undefined, oauth: undefined });
  if (ctx.json) {
    ctx.printJson({
      logged_out: true,
      removed: cleared.length > 0,
      cleared,
      config_file: ctx.configPath,
      ...(ctx.settings.dryRun ? { dry_run: true } : {}),
    });
  } else {
    const what = cleared.map((key) => NAMES[key]).join(' and ');
    const removed = ctx.settings.dryRun
      ? `Would remove ${what} from ${ctx.configPath} (dry run).`
      : `Removed ${what} from ${ctx.configPath}.`;
    ctx.print(`${cleared.length > 0 ? removed : 'No stored key or OAuth login; nothing to remove.'}\n`);
  }
  if (ctx.deps.env.MINIMAX_API_KEY?.trim()) ctx.warn('MINIMAX_API_KEY is still set in the environment and will be used.');
  return 0;
}
