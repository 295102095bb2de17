/**
 * `mmx auth logout`: removes the stored credentials, the API key and the OAuth login (mmx-cli
 * clears both), in one write; every other setting stays. Idempotent. With `--profile NAME` (or
 * MMX_PROFILE) it removes that profile instead: its entry in profiles.json, or config.json's
 * credential when it is the active one; the other profiles stay.
 */
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { flag } from '../../cli/flags.js';

/** How each stored credential is named to a person. */
const NAMES = { api_key: 'the stored key', oauth: 'the OAuth login' } as const;

export default defineCommand({
  path: ['auth', 'logout'],
  summary: 'remove the stored key and OAuth login (other settings stay); --profile NAME removes that profile',
  flags: {
    yes: flag.boolean('--yes', 'accepted for mmx-cli compatibility (there is no prompt)'),
  },
  examples: ['mmx auth logout', 'mmx auth logout --profile work   # the other profiles stay'],
  needs: { key: false },
  run: logout,
});

async function logout(ctx: Context): Promise<number> {
  const { removeLogin } = await import('../../config/profile-store.js');
  const dryRun = ctx.settings.dryRun;
  const named = ctx.profile.setBy !== undefined;
  const removed = await removeLogin(ctx.deps.configDir, ctx.profile.name, dryRun);
  const { cleared } = removed;
  if (ctx.json) {
    ctx.printJson({
      logged_out: true,
      removed: cleared.length > 0,
      cleared,
      config_file: removed.file,
      ...(named ? { profile: removed.name } : {}),
      ...(dryRun ? { dry_run: true } : {}),
    });
  } else {
    const what = cleared.map((key) => NAMES[key]).join(' and ');
    const where = removed.place === 'stored' ? `profile ${removed.name} (${removed.file})` : removed.file;
    const done = dryRun ? `Would remove ${what} from ${where} (dry run).` : `Removed ${what} from ${where}.`;
    ctx.print(`${cleared.length > 0 ? done : 'No stored key or OAuth login; nothing to remove.'}\n`);
  }
  if (removed.place === 'config' && cleared.length > 0) {
    const others = otherProfiles(ctx);
    if (others.length > 0) ctx.info(`Other profiles stay: ${others.join(', ')} (mmx auth switch NAME makes one active).`);
  }
  if (ctx.deps.env.MINIMAX_API_KEY?.trim()) ctx.warn('MINIMAX_API_KEY is still set in the environment and will be used.');
  return 0;
}

/** The stored profiles' names, for a note; none when profiles.json cannot be read (the logout is done either way). */
function otherProfiles(ctx: Context): string[] {
  try {
    return Object.keys(ctx.profiles().stored).sort();
  } catch {
    return [];
  }
}
