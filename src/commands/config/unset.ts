/**
 * `mmx config unset KEY`: removes a stored setting, so the next source (env,
 * default) applies. `auth_styles` clears the header styles remembered after
 * auto-switches, all of them or one base URL's (`--origin`).
 */
import { defineCommand } from '../../cli/command.js';
import { arg, flag } from '../../cli/flags.js';
import { UsageError } from '../../errors.js';
import { STORED_KEYS, refuseOtherProfileCredential, requireKey } from './settings-view.js';

const KEYS = [...STORED_KEYS, 'auth_styles'];

function originOf(raw: string): string {
  try {
    return new URL(raw).origin;
  } catch {
    throw new UsageError(`--origin must be a URL such as https://api.minimax.io (got "${raw}").`);
  }
}

export default defineCommand({
  path: ['config', 'unset'],
  summary: 'remove a stored setting (auth_styles: forget remembered auth headers)',
  flags: {
    origin: flag.string('--origin <url>', "with auth_styles: forget only this base URL's styles"),
  },
  args: { key: arg.optional('[key]', `the setting: ${KEYS.join(', ')}`, { choices: KEYS }) },
  examples: ['mmx config unset timeout', 'mmx config unset auth_styles', 'mmx config unset auth_styles --origin https://api.minimax.io'],
  needs: { key: false },
  validate({ key, origin }) {
    if (key === undefined) throw new UsageError('Which setting? Pass its name.', { hint: `Keys: ${KEYS.join(', ')}` });
    if (origin !== undefined && key.replace(/-/g, '_').toLowerCase() !== 'auth_styles') {
      throw new UsageError('--origin applies only to auth_styles.');
    }
  },
  async run(ctx, input) {
    const key = requireKey(input.key as string, KEYS);
    refuseOtherProfileCredential(ctx, key);
    const origin = input.origin === undefined ? undefined : originOf(input.origin);
    const styles = ctx.file.auth_styles ?? {};
    const present = origin === undefined ? ctx.file[key] !== undefined : Object.hasOwn(styles, origin);
    const what = origin === undefined ? key : `${key} of ${origin}`;
    if (ctx.settings.dryRun) {
      ctx.result({ would_unset: key, ...(origin ? { origin } : {}), present }, () =>
        present ? `Would remove ${what} from ${ctx.configPath} (dry run).` : `${what} is not set; nothing to remove.`,
      );
      return;
    }
    if (present) {
      await ctx.saveConfig((current) => {
        if (origin === undefined) return { [key]: undefined };
        const { [origin]: _removed, ...rest } = (current.auth_styles ?? {}) as Record<string, unknown>;
        return { auth_styles: Object.keys(rest).length > 0 ? rest : undefined };
      });
    }
    ctx.result({ unset: key, ...(origin ? { origin } : {}), removed: present }, () =>
      present ? `Removed ${what} from ${ctx.configPath}.` : `${what} is not set; nothing to remove.`,
    );
  },
});
