/**
 * `mmx auth status`: where the key comes from and what it shadows, the region
 * and base URL with their sources, and the header each endpoint family gets and
 * why. Offline. Exit 3 when there is no key, so scripts can test it.
 */
import { FAMILIES, chooseAuth, familyLabel, maskKey, styleLabel } from '../../auth/strategy.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import type { Source } from '../../config/settings.js';
import { AuthError } from '../../errors.js';

const SOURCE_LABEL: Readonly<Record<Source, string>> = {
  flag: 'flag',
  env: 'environment',
  config: 'config file',
  default: 'default',
  host: 'inferred from the base URL host',
  region: 'the region host',
  stdin: 'stdin',
  prompt: 'prompt',
};

const KEY_SOURCE_NAME: Partial<Record<Source, string>> = { flag: '--api-key', env: 'MINIMAX_API_KEY', config: 'config.json' };
const keySourceName = (source: Source): string => KEY_SOURCE_NAME[source] ?? source;

export default defineCommand({
  path: ['auth', 'status'],
  summary: 'show which key, region, base URL and auth headers are in use',
  flags: {},
  examples: ['mmx auth status', 'mmx auth status --output json | jq .key_source'],
  needs: { key: false },
  warmup: [['auth', 'status', '--output', 'json']],
  run: status,
});

async function status(ctx: Context): Promise<number> {
  const s = ctx.settings;
  const key = s.key ? await ctx.key() : undefined;
  const origin = new URL(s.baseUrl).origin;
  const auth = Object.fromEntries(
    FAMILIES.map((family) => {
      const choice = chooseAuth({
        region: s.region,
        family,
        setting: s.authStyle,
        setBy: s.authStyleSetBy,
        origin,
        remembered: ctx.file.auth_styles,
      });
      return [family, { header: styleLabel(choice.style), style: choice.style, reason: choice.reason, why: choice.why }];
    }),
  );
  const status = {
    authenticated: key !== undefined,
    key: key ? maskKey(key.value) : null,
    key_source: key ? key.source : null,
    shadowed_sources: key ? key.shadows : [],
    region: s.region,
    region_source: s.regionSource,
    base_url: s.baseUrl,
    base_url_source: s.baseUrlSource,
    auth_style: s.authStyle,
    auth,
    config_file: ctx.configPath,
  };

  if (ctx.json) {
    ctx.printJson(status);
  } else {
    const t = ctx.outTheme;
    const lines = [
      `${t.bold('Key')}        ${key ? `${status.key} from ${keySourceName(key.source)}` : t.bad('none')}`,
      ...(status.shadowed_sources.length > 0
        ? [`           ${t.dim(`(shadows the key in ${status.shadowed_sources.map(keySourceName).join(', ')})`)}`]
        : []),
      `${t.bold('Region')}     ${s.region} ${t.dim(`(${SOURCE_LABEL[s.regionSource]})`)}`,
      `${t.bold('Base URL')}   ${s.baseUrl} ${t.dim(`(${SOURCE_LABEL[s.baseUrlSource]})`)}`,
      `${t.bold('Auth')}`,
      ...FAMILIES.map((family) => {
        const a = auth[family] as { header: string; why: string };
        return `  ${familyLabel(family).padEnd(18)} ${a.header.padEnd(22)} ${t.dim(a.why)}`;
      }),
      `${t.bold('Config')}     ${ctx.configPath}`,
    ];
    ctx.print(`${lines.join('\n')}\n`);
  }
  if (!key) {
    throw new AuthError('Not logged in: no API key in --api-key, MINIMAX_API_KEY or the config file.', {
      hint: 'Log in with "mmx auth login", or set MINIMAX_API_KEY.',
    });
  }
  return 0;
}
