/**
 * Profiles: named credentials (an API key or an OAuth login, each with its region and base URL)
 * beside the one in config.json, so a cn key and a global key, or work and personal keys, can
 * live side by side.
 *
 * Where they live, and why:
 * - The ACTIVE profile is config.json's credential fields (`api_key` or `oauth`, `region`,
 *   `base_url`), exactly as mmx-cli 1.0.27 reads and writes them: mmx-cli keeps working on it
 *   unchanged, and follows `mmx auth switch` (a switch copies the chosen profile into config.json).
 *   An OAuth refresh of the active profile, by mmx or by mmx-cli, lands in config.json, where both
 *   read it.
 * - Every other profile is in `profiles.json` beside config.json (0600 in the 0700 directory),
 *   written atomically under config.json's cross-process lock (`withConfigLock`), which every
 *   read-decide-write of either file takes. mmx-cli rewrites config.json with only the keys it
 *   knows on every login, `config set`, logout and refresh, so nothing of the profiles is in
 *   config.json: a separate file is never touched by mmx-cli (it ignores unknown files).
 * - profiles.json also holds `current`: the NAME of the credential config.json holds ("default"
 *   until a switch names it). A switch saves config.json's credential under that name, then
 *   copies the chosen one in. Whatever writes config.json's credential (an mmx-cli login)
 *   replaces the active profile's credential, as it always did.
 * - Remembered auth styles (`auth_styles`, per origin) stay in config.json, shared by profiles.
 *
 * Invariants: a name matches PROFILE_NAME_PATTERN; a stored credential has exactly one of
 * `api_key` and `oauth`; the profile named `current` is never read from profiles.json (config.json
 * is its only copy). A switch writes three times under the lock (save the old credential; copy the
 * new one into config.json; name it current): each write is atomic, nothing is lost at any point,
 * and `profileView` reads a switch cut between the last two writes (a SIGKILL) by which stored
 * credential config.json now holds.
 */
import { join } from 'node:path';
import * as z from 'zod/mini';
import { type OAuthBlock, readOAuthBlock } from '../auth/oauth.js';
import { maskKey } from '../auth/strategy.js';
import { UsageError } from '../errors.js';
import { ConfigFileError, readJsonFile } from './file.js';
import { type Region, isRegion, regionHost, stripSlash } from './regions.js';
import { PROFILE_NAME_PATTERN, PROFILE_NAME_RULE } from './settings.js';

export const PROFILES_FILE_NAME = 'profiles.json';
/** The name of config.json's credential before any switch named it. */
export const DEFAULT_PROFILE = 'default';
/** The config.json keys that make up a profile: a credential and where it works. */
export const CREDENTIAL_KEYS = ['api_key', 'oauth', 'region', 'base_url'] as const;

export function profilesPath(configDir: string): string {
  return join(configDir, PROFILES_FILE_NAME);
}

/** A profile: an API key or an OAuth login, and the region and base URL it works with. */
export interface Credential {
  api_key?: string;
  oauth?: OAuthBlock;
  region?: Region;
  base_url?: string;
}

export interface ProfilesFile {
  /** The name of config.json's credential (absent: "default"). */
  current?: string;
  profiles: Record<string, Credential>;
  /** Fields a newer mmx wrote are kept. */
  [field: string]: unknown;
}

const NAME_PATTERN = new RegExp(PROFILE_NAME_PATTERN);

/** The file's schema, built when a run reads the file (most never do: start-up pays nothing). */
function fileSchema() {
  return z.looseObject({
    version: z.optional(z.number()),
    current: z.optional(z.string().check(z.regex(NAME_PATTERN))),
    profiles: z.optional(z.record(z.string().check(z.regex(NAME_PATTERN)), z.looseObject({}))),
  });
}

/** A credential as config.json or profiles.json hold it, or undefined when there is no key and no OAuth login. */
export function credentialOf(record: Readonly<Record<string, unknown>>): Credential | undefined {
  const oauth = readOAuthBlock(record.oauth);
  const apiKey = typeof record.api_key === 'string' && record.api_key.trim() !== '' ? record.api_key.trim() : undefined;
  if (!oauth && apiKey === undefined) return undefined;
  // As both CLIs read config.json: an OAuth login wins over a key beside it.
  const credential: Credential = oauth ? { oauth } : { api_key: apiKey as string };
  if (isRegion(record.region)) credential.region = record.region;
  if (typeof record.base_url === 'string' && /^https?:\/\//i.test(record.base_url.trim())) {
    credential.base_url = stripSlash(record.base_url.trim());
  }
  return credential;
}

/** profiles.json, parsed; an empty store when it does not exist; a broken file is an error naming it. */
export function readProfiles(configDir: string): ProfilesFile {
  const path = profilesPath(configDir);
  const data = readJsonFile(path);
  if (data === undefined) return { profiles: {} };
  const parsed = fileSchema().safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the top level';
    throw new ConfigFileError(`${path}: ${where}: names must be ${PROFILE_NAME_RULE}.`, 'Fix the name, or remove the profile.');
  }
  const profiles: Record<string, Credential> = {};
  for (const [name, record] of Object.entries(parsed.data.profiles ?? {})) {
    const credential = credentialOf(record);
    if (credential) profiles[name] = credential;
  }
  const { profiles: _raw, ...rest } = parsed.data;
  return { ...rest, profiles };
}

/** Whether two credentials are the same login: the same key, or the same OAuth tokens. */
export function sameCredential(a: Credential | undefined, b: Credential | undefined): boolean {
  if (!a || !b) return false;
  if (a.api_key !== undefined || b.api_key !== undefined) return a.api_key === b.api_key;
  return a.oauth?.refresh_token === b.oauth?.refresh_token || a.oauth?.access_token === b.oauth?.access_token;
}

/** The profiles as they stand: the active one's name (config.json's credential) and the others. */
export interface ProfileView {
  current: string;
  /** config.json's credential, if it holds one. */
  active: Credential | undefined;
  /** The other profiles (never one named `current`). */
  stored: Readonly<Record<string, Credential>>;
}

/**
 * The profiles from both files (pure). profiles.json holds an entry under the current name only
 * when a switch was cut between its writes: then the entry whose credential config.json holds
 * names the active profile (the saved old one, or the new one already copied in).
 */
export function profileView(store: ProfilesFile, config: Readonly<Record<string, unknown>>): ProfileView {
  const active = credentialOf(config);
  let current = store.current ?? DEFAULT_PROFILE;
  if (store.profiles[current] !== undefined && active && !sameCredential(store.profiles[current], active)) {
    const holder = Object.keys(store.profiles).find((name) => sameCredential(store.profiles[name], active));
    if (holder !== undefined) current = holder;
  }
  const stored = Object.fromEntries(Object.entries(store.profiles).filter(([name]) => name !== current));
  return { current, active, stored };
}

/** Every profile name there is: the active one when it holds a credential, then the others, sorted. */
export function profileNames(view: ProfileView): string[] {
  return [...(view.active ? [view.current] : []), ...Object.keys(view.stored).sort()];
}

/** How a profile was asked for: the name and the spelling (`--profile`, `MMX_PROFILE`). */
export interface AskedProfile {
  name: string;
  setBy: string;
}

/** The profile a run uses: the active one (config.json), a stored one, or one a login is about to create. */
export interface SelectedProfile {
  name: string;
  place: 'config' | 'stored' | 'new';
  /** Where it was asked for; undefined for the active profile by default. */
  setBy?: string | undefined;
  /** config.json with the profile's credential in place of its own: what settings resolve from. */
  file: Record<string, unknown>;
}

/** config.json with `credential` in place of its own credential fields; every other setting stays. */
export function withCredential(config: Readonly<Record<string, unknown>>, credential: Credential | undefined): Record<string, unknown> {
  const file: Record<string, unknown> = { ...config };
  for (const key of CREDENTIAL_KEYS) delete file[key];
  return { ...file, ...credential };
}

/** `--profile work` / `MMX_PROFILE=work`: how an error names what the user typed. */
export function spelled(asked: AskedProfile): string {
  return asked.setBy.startsWith('--') ? `${asked.setBy} ${asked.name}` : `${asked.setBy}=${asked.name}`;
}

/** The profile of this run (pure): none asked is the active one; a name not found is `new`. */
export function selectProfile(
  asked: AskedProfile | undefined,
  view: ProfileView,
  config: Readonly<Record<string, unknown>>,
): SelectedProfile {
  if (asked === undefined) return { name: view.current, place: 'config', file: { ...config } };
  if (asked.name === view.current) return { name: asked.name, place: 'config', setBy: asked.setBy, file: { ...config } };
  const credential = view.stored[asked.name];
  return { name: asked.name, place: credential ? 'stored' : 'new', setBy: asked.setBy, file: withCredential(config, credential) };
}

/** The usage error for a profile that does not exist: what was typed, and the names there are (exit 2). */
export function noSuchProfile(asked: AskedProfile, view: ProfileView): UsageError {
  const names = profileNames(view);
  return new UsageError(
    `${spelled(asked)}: no such profile; ${names.length > 0 ? `profiles: ${names.join(', ')}` : 'there are no profiles yet'}.`,
    { hint: `Create it with: mmx auth login --profile ${asked.name}` },
  );
}

/** The base URL a credential is used with: its own, its OAuth login's, else its region's host. */
export function credentialBaseUrl(credential: Credential, env: Readonly<Record<string, string | undefined>>): string {
  const region = credential.region ?? credential.oauth?.region ?? 'global';
  return credential.base_url ?? credential.oauth?.resource_url ?? regionHost(region, env);
}

export function credentialRegion(credential: Credential): Region {
  return credential.region ?? credential.oauth?.region ?? 'global';
}

/** The secret of a credential: its key, or its OAuth access token. */
export function credentialSecret(credential: Credential): string {
  return credential.oauth ? credential.oauth.access_token : (credential.api_key as string);
}

/** A profile as `auth status` and `auth switch` show it: its method, its key masked, where it works. */
export interface CredentialSummary {
  method: 'oauth' | 'api-key' | null;
  key: string | null;
  region: Region | null;
  base_url: string | null;
}

export function summarize(credential: Credential | undefined, env: Readonly<Record<string, string | undefined>>): CredentialSummary {
  if (!credential) return { method: null, key: null, region: null, base_url: null };
  return {
    method: credential.oauth ? 'oauth' : 'api-key',
    key: maskKey(credentialSecret(credential)),
    region: credentialRegion(credential),
    base_url: credentialBaseUrl(credential, env),
  };
}

/** The config.json patch that makes `credential` config.json's (every credential field set or removed). */
export function credentialPatch(credential: Credential | undefined): Record<string, unknown> {
  return Object.fromEntries(CREDENTIAL_KEYS.map((key) => [key, credential?.[key]]));
}

/** The writes of a switch, in order (see the module header). */
export interface SwitchPlan {
  /** The name config.json's credential is saved under, when it holds one. */
  savedAs: string | undefined;
  /** profiles.json with the active credential saved and the current name unchanged. */
  saved: ProfilesFile;
  /** The patch that copies the chosen profile into config.json. */
  configPatch: Record<string, unknown>;
  /** profiles.json with the chosen profile named current and no longer stored apart. */
  done: ProfilesFile;
}

/** Making `target` (a stored profile) the active one (pure). */
export function planSwitch(store: ProfilesFile, view: ProfileView, target: string): SwitchPlan {
  const chosen = view.stored[target];
  if (!chosen) throw new Error(`planSwitch: ${target} is not a stored profile`);
  const profiles: Record<string, Credential> = { ...view.stored };
  if (view.active) profiles[view.current] = view.active;
  const saved: ProfilesFile = { ...store, current: view.current, profiles };
  const rest = { ...profiles };
  delete rest[target];
  return {
    savedAs: view.active ? view.current : undefined,
    saved,
    configPatch: credentialPatch(chosen),
    done: { ...store, current: target, profiles: rest },
  };
}

/** profiles.json as written: the version, the current name, then the profiles by name. */
export function serializeProfiles(store: ProfilesFile): string {
  const { profiles, current, ...rest } = store;
  const sorted = Object.fromEntries(
    Object.keys(profiles)
      .sort()
      .map((name) => [name, profiles[name]]),
  );
  return `${JSON.stringify({ ...rest, version: 1, ...(current !== undefined ? { current } : {}), profiles: sorted }, null, 2)}\n`;
}

/** The store as `view` reads it: the current name as found, and no entry under it (a cut switch healed). */
export function normalizedStore(store: ProfilesFile, view: ProfileView): ProfilesFile {
  return { ...store, current: view.current, profiles: { ...view.stored } };
}
