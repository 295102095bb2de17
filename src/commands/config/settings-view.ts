/**
 * The settings as `mmx config` shows them: each value in effect for this run
 * with where it came from, keys masked, in registry order. Shared by
 * `config show` and `config get`.
 */
import { maskKey } from '../../auth/strategy.js';
import type { Context } from '../../cli/context.js';
import { CREDENTIAL_KEYS } from '../../config/profiles.js';
import { SETTINGS, type Source, fallbackValue, settingSpec } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { maskProxyUrl } from '../../http/mask-url.js';
import { proxyFor } from '../../http/proxy.js';

export interface SettingView {
  key: string;
  /** undefined when the setting has no value at all (no key, no proxy). */
  value: unknown;
  source: Source;
  /** The spelling the value was set with (`--timeout`, `MINIMAX_TIMEOUT`, `config timeout`). */
  setBy?: string | undefined;
}

/** The stored settings (what `config set` accepts) and the others `config get` knows. */
export const STORED_KEYS: readonly string[] = SETTINGS.filter((s) => s.stored).map((s) => s.key);
export const VIEW_KEYS: readonly string[] = [...STORED_KEYS, 'auth_styles', 'config_file'];

/** `default-text-model` and `DEFAULT_TEXT_MODEL` name `default_text_model`, as mmx-cli accepts the hyphenated forms. */
export function normalizeKey(raw: string): string {
  return raw.trim().toLowerCase().replace(/-/g, '_');
}

export function requireKey(raw: string, allowed: readonly string[]): string {
  const key = normalizeKey(raw);
  if (!allowed.includes(key)) {
    throw new UsageError(`Invalid config key "${raw}". Valid keys: ${allowed.join(', ')}`, { hint: 'See "mmx config show".' });
  }
  return key;
}

export async function settingsView(ctx: Context): Promise<SettingView[]> {
  const s = ctx.settings;
  const { env } = ctx.deps;
  const origin = (key: string) => s.origins[key] ?? { source: 'default' as Source };
  const key = s.key ? await ctx.key() : undefined;
  const proxy = proxyFor(s.baseUrl, env, ctx.file.proxy);
  const views: SettingView[] = [];
  for (const spec of SETTINGS) {
    if (!spec.stored) continue;
    switch (spec.key) {
      case 'api_key':
        views.push({ key: spec.key, value: key ? maskKey(key.value) : undefined, source: key?.source ?? 'default' });
        break;
      case 'region':
        views.push({ key: spec.key, value: s.region, ...origin('region') });
        break;
      case 'base_url':
        views.push({ key: spec.key, value: s.baseUrl, ...origin('base_url') });
        break;
      case 'output':
        views.push({ key: spec.key, value: s.output, ...origin('output') });
        break;
      case 'timeout':
        views.push({ key: spec.key, value: s.timeoutMs / 1000, ...origin('timeout') });
        break;
      case 'idle_timeout':
        views.push({ key: spec.key, value: s.idleTimeoutMs / 1000, ...origin('idle_timeout') });
        break;
      case 'max_retries':
        views.push({ key: spec.key, value: s.maxRetries, ...origin('max_retries') });
        break;
      case 'auth_style':
        views.push({ key: spec.key, value: s.authStyle, ...origin('auth_style') });
        break;
      case 'proxy': {
        // The proxy a request to the base URL uses: the environment's, else the config's (see http/proxy.ts).
        views.push(
          proxy === undefined
            ? { key: spec.key, value: undefined, source: 'default' }
            : {
                key: spec.key,
                value: maskProxyUrl(proxy.url),
                source: proxy.setBy === 'config proxy' ? 'config' : 'env',
                setBy: proxy.setBy,
              },
        );
        break;
      }
      default: {
        const [value, from] = fallbackValue(spec.key, env, ctx.file);
        views.push({ key: spec.key, value, ...from });
      }
    }
  }
  views.push({ key: 'auth_styles', value: ctx.file.auth_styles ?? {}, source: ctx.file.auth_styles ? 'config' : 'default' });
  return views;
}

/**
 * `config set`/`unset` write config.json, whose credential fields (key, region, base URL) are the
 * active profile's: for a stored profile named by --profile or MMX_PROFILE they would change the
 * wrong one, so they are refused (exit 2). Shared settings (timeout, models, …) are fine.
 */
export function refuseOtherProfileCredential(ctx: Context, key: string): void {
  if (ctx.profile.place === 'config' || !(CREDENTIAL_KEYS as readonly string[]).includes(key)) return;
  const by = ctx.profile.setBy?.startsWith('--') ? `--profile ${ctx.profile.name}` : `MMX_PROFILE=${ctx.profile.name}`;
  throw new UsageError(`mmx config changes ${key} in config.json, which is the active profile's, not that of ${by}.`, {
    hint: `Log in again with: mmx auth login ${by.startsWith('--') ? by : `--profile ${ctx.profile.name}`} (or mmx auth switch ${ctx.profile.name} first).`,
  });
}

/** Whether a key names a secret, whose value is shown masked. */
export function isSecret(key: string): boolean {
  return settingSpec(key)?.secret === true;
}

/** A stored value as mmx prints it: a key masked, a proxy without its user and password. */
export function shownValue(key: string, value: unknown): unknown {
  if (isSecret(key)) return maskKey(String(value));
  return key === 'proxy' ? maskProxyUrl(String(value)) : value;
}
