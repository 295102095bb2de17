/**
 * `mmx config get KEY`: one setting's value in effect, for scripts
 * (`region=$(mmx config get region)`). A single value prints plain unless JSON
 * is asked for explicitly; JSON adds where it came from. Keys stay masked.
 */
import { defineCommand } from '../../cli/command.js';
import { arg } from '../../cli/flags.js';
import { UsageError } from '../../errors.js';
import { VIEW_KEYS, requireKey, settingsView } from './settings-view.js';

export default defineCommand({
  path: ['config', 'get'],
  summary: 'print one setting in effect (keys masked)',
  flags: {},
  args: { key: arg.optional('[key]', `a setting: ${VIEW_KEYS.join(', ')}`, { choices: VIEW_KEYS }) },
  examples: ['mmx config get region', 'mmx config get base_url --region cn', 'mmx config get timeout --output json'],
  needs: { key: false },
  async run(ctx, { key: raw }) {
    if (raw === undefined) throw new UsageError('Which setting? Pass its name.', { hint: `Keys: ${VIEW_KEYS.join(', ')}` });
    const key = requireKey(raw, VIEW_KEYS);
    const value =
      key === 'config_file'
        ? { key, value: ctx.configPath, source: 'default' as const }
        : (await settingsView(ctx)).find((v) => v.key === key);
    if (ctx.json && ctx.settings.origins.output?.source !== 'default') {
      ctx.printJson({ key, value: value?.value ?? null, source: value?.source ?? 'default' });
      return;
    }
    if (value?.value === undefined) return 1; // unset: nothing to print, like `git config`
    ctx.print(`${typeof value.value === 'object' ? JSON.stringify(value.value) : String(value.value)}\n`);
  },
});
