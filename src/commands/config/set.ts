/**
 * `mmx config set KEY VALUE` (or `--key K --value V`), as mmx-cli 1.0.27: it
 * prints `{KEY: VALUE}` (keys masked), `{would_set: {…}}` on a dry run, takes
 * the hyphenated `default-*-model` spellings, and setting `api_key` also drops
 * the `oauth` block and the stored region (the new key may be another
 * region's). Values are checked against the settings registry; `-` reads the
 * value from stdin (a key stays out of shell history).
 */
import { assertKeyCharacters } from '../../auth/key-check.js';
import { defineCommand } from '../../cli/command.js';
import { arg, flag } from '../../cli/flags.js';
import { type SettingSpec, ValueError, settingSpec } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { STORED_KEYS, isSecret, refuseOtherProfileCredential, requireKey, shownValue } from './settings-view.js';

/** The value as config.json stores it, or a usage error naming the key, the value and what is allowed. */
function storedValue(spec: SettingSpec, raw: string): unknown {
  try {
    return spec.parse(raw);
  } catch (error) {
    const problem = error instanceof ValueError && error.problem ? `; ${error.problem}` : '';
    const got = spec.quote ? spec.quote(raw) : raw.trim();
    throw new UsageError(`Invalid value for ${spec.key}: "${got}" (must be ${spec.allowed}${problem}).`);
  }
}

export default defineCommand({
  path: ['config', 'set'],
  summary: 'store a setting in config.json',
  flags: {
    key: flag.string('--key <key>', `the setting: ${STORED_KEYS.join(', ')}`),
    value: flag.string('--value <value>', 'its value ("-" reads it from stdin)'),
  },
  args: {
    keyArg: arg.optional('[key]', 'the setting (instead of --key)', { choices: STORED_KEYS }),
    valueArg: arg.optional('[value]', 'its value (instead of --value)'),
  },
  examples: [
    'mmx config set region cn',
    'mmx config set --key timeout --value 600',
    'mmx config set --key proxy --value http://127.0.0.1:7890',
    'printenv MY_KEY | mmx config set api_key -',
  ],
  needs: { key: false },
  validate({ key, keyArg, value, valueArg }) {
    if ((key ?? keyArg) === undefined || (value ?? valueArg) === undefined) {
      throw new UsageError('--key and --value are required.', {
        hint: 'mmx config set --key <key> --value <value>, or mmx config set <key> <value>',
      });
    }
  },
  async run(ctx, input) {
    const key = requireKey((input.key ?? input.keyArg) as string, STORED_KEYS);
    refuseOtherProfileCredential(ctx, key);
    const spec = settingSpec(key) as SettingSpec;
    let raw = (input.value ?? input.valueArg) as string;
    const fromStdin = raw === '-';
    if (fromStdin) {
      ctx.claimStdin('config set … -');
      raw = (await ctx.deps.stdin.readAll()).trim();
    }
    if (isSecret(key)) ctx.addSecret(raw.trim());
    const value = storedValue(spec, raw);
    if (key === 'api_key') assertKeyCharacters(String(value), fromStdin ? 'the value read from stdin' : 'the value given');
    const shown = shownValue(key, value);
    if (ctx.settings.dryRun) {
      ctx.result({ would_set: { [key]: shown } }, () => `Would set ${key} to ${String(shown)} in ${ctx.configPath} (dry run).`);
      return;
    }
    await ctx.saveConfig(key === 'api_key' ? { api_key: value, oauth: undefined, region: undefined } : { [key]: value });
    if (key === 'api_key' && ctx.file.region !== undefined) {
      ctx.warn(`the stored region (${ctx.file.region}) was removed with the old key; "mmx auth login" checks a key and stores its region.`);
    }
    if (!ctx.settings.quiet) ctx.result({ [key]: shown }, () => `Set ${key} to ${String(shown)} in ${ctx.configPath}.`);
  },
});
