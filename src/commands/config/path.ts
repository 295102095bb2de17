/** `mmx config path`: where config.json is (`$MMX_CONFIG_DIR`, else `~/.mmx`), whether or not it exists. */
import { defineCommand } from '../../cli/command.js';

export default defineCommand({
  path: ['config', 'path'],
  summary: 'print the path of config.json',
  flags: {},
  examples: ['mmx config path', '$EDITOR "$(mmx config path)"'],
  needs: { key: false },
  async run(ctx) {
    // A single value prints plain unless JSON is asked for explicitly, so "$(mmx config path)" works in scripts.
    if (ctx.json && ctx.settings.origins.output?.source !== 'default') ctx.printJson({ config_file: ctx.configPath });
    else ctx.print(`${ctx.configPath}\n`);
  },
});
