/**
 * `mmx config show`: every setting in effect and where it came from. JSON keeps
 * mmx-cli 1.0.27's fields (region, base_url, output, timeout, config_file,
 * api_key, default_*_model, proxy) and adds `<key>_source` beside each, and
 * mmx's own settings (idle_timeout, max_retries, auth_style, auth_styles).
 */
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { cell, renderTable } from '../../output/table.js';
import { type SettingView, settingsView } from './settings-view.js';

const SOURCE_TEXT: Readonly<Record<string, string>> = {
  flag: 'flag',
  env: 'environment',
  config: 'config file',
  default: 'default',
  host: 'inferred from the base URL',
  region: "the region's host",
  stdin: 'stdin',
  prompt: 'prompt',
};

export default defineCommand({
  path: ['config', 'show'],
  summary: 'show every setting in effect and where it comes from',
  flags: {},
  examples: ['mmx config show', 'mmx config show --output json | jq -r .region_source'],
  needs: { key: false },
  warmup: [['config', 'show', '--output', 'json']],
  async run(ctx: Context) {
    const views = await settingsView(ctx);
    const json: Record<string, unknown> = {};
    for (const view of views) {
      if (view.key === 'auth_styles') continue;
      if (view.value !== undefined) json[view.key] = view.value;
      json[`${view.key}_source`] = view.source;
    }
    json.config_file = ctx.configPath;
    json.auth_styles = views.find((v) => v.key === 'auth_styles')?.value ?? {};
    ctx.result(json, () => renderText(ctx, views));
  },
});

function renderText(ctx: Context, views: SettingView[]): string {
  const t = ctx.outTheme;
  const rows = views
    .filter((v) => v.key !== 'auth_styles')
    .map((v) => {
      const from = v.setBy && v.source !== 'config' ? `${SOURCE_TEXT[v.source]}: ${v.setBy}` : (SOURCE_TEXT[v.source] ?? v.source);
      return v.value === undefined
        ? [cell(v.key, t.bold), cell('(not set)', t.dim)]
        : [cell(v.key, t.bold), cell(String(v.value)), cell(`(${from})`, t.dim)];
    });
  rows.push([cell('config_file', t.bold), cell(ctx.configPath)]);
  const styles = (views.find((v) => v.key === 'auth_styles')?.value ?? {}) as Record<string, Record<string, string>>;
  const remembered = Object.entries(styles).flatMap(([origin, families]) =>
    Object.entries(families).map(([family, style]) => `  ${origin} ${family === 'v1' ? 'native' : family}: ${style}`),
  );
  const table = renderTable({ rows, ...(ctx.deps.stdout.columns ? { width: ctx.deps.stdout.columns } : {}), shrinkColumn: 1 });
  return [table, ...(remembered.length > 0 ? [t.bold('auth_styles (remembered after a switch)'), ...remembered] : [])].join('\n');
}
