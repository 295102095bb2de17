/**
 * The writes of profiles (see config/profiles.ts for where they live and why): each one a
 * read-decide-write under config.json's cross-process lock (`withConfigLock`), which every writer
 * of either file takes, so two logins to different profiles at once both survive, and a refresh
 * writes its tokens back to the profile they came from, wherever it lives by then. Loaded only by
 * the commands that write (login, logout, switch, a refresh).
 */
import type { OAuthBlock } from '../auth/oauth.js';
import { type ConfigFile, configPath, ensureConfigDir, readConfig, updateConfigLocked, withConfigLock } from './file.js';
import {
  type Credential,
  type ProfileView,
  type ProfilesFile,
  DEFAULT_PROFILE,
  credentialPatch,
  normalizedStore,
  planSwitch,
  profileView,
  profilesPath,
  readProfiles,
  serializeProfiles,
} from './profiles.js';

/**
 * Writes profiles.json atomically and 0600 (conf writes a temporary file and renames it). The
 * caller holds `withConfigLock`.
 */
export async function writeProfilesLocked(configDir: string, store: ProfilesFile): Promise<string> {
  ensureConfigDir(configDir);
  const { default: Conf } = await import('conf');
  const conf = new Conf<Record<string, unknown>>({
    cwd: configDir,
    configName: 'profiles',
    configFileMode: 0o600,
    serialize: (value) => serializeProfiles(value as ProfilesFile),
  });
  conf.store = store;
  return conf.path;
}

/** Both files as they are now: read under the lock, never from what the run read before it. */
interface Snapshot {
  config: ConfigFile;
  store: ProfilesFile;
  view: ProfileView;
}

/** `configBroken`: a login replaces a config.json it cannot parse (kept aside first): read it as empty. */
function snapshot(configDir: string, configBroken = false): Snapshot {
  const config = configBroken ? {} : readConfig(configDir);
  const store = readProfiles(configDir);
  return { config, store, view: profileView(store, config) };
}

/** Where a profile lives now: config.json (the active one), profiles.json, or nowhere. */
export type Place = 'config' | 'stored' | 'missing';

function placeOf(view: ProfileView, name: string | undefined): Place {
  if (name === undefined || name === view.current) return 'config';
  return view.stored[name] ? 'stored' : 'missing';
}

/** The OAuth login of a profile (undefined: the active one) as it is now, under the lock; for a refresh. */
export function lockedOAuth(configDir: string, name: string | undefined): OAuthBlock | undefined {
  const { view } = snapshot(configDir);
  const place = placeOf(view, name);
  if (place === 'config') return view.active?.oauth;
  return place === 'stored' ? view.stored[name as string]?.oauth : undefined;
}

/** Stores refreshed tokens into the profile they came from, wherever it lives now (the caller holds the lock). */
export async function saveOAuthLocked(configDir: string, name: string | undefined, block: OAuthBlock): Promise<void> {
  const { store, view } = snapshot(configDir);
  if (placeOf(view, name) === 'stored') {
    const profiles = { ...view.stored, [name as string]: { ...view.stored[name as string], oauth: block } };
    await writeProfilesLocked(configDir, { ...normalizedStore(store, view), profiles });
  } else {
    await updateConfigLocked(configDir, { oauth: block });
  }
}

/** What a login's write did: stored in config.json (the active profile) or in profiles.json. */
export interface SavedLogin {
  place: 'config' | 'stored';
  /** The profile's name (the active one's current name when none was asked). */
  name: string;
  /** The file written. */
  file: string;
  /** True when the profile became the active one because none was (config.json held no credential). */
  activated: boolean;
}

/**
 * A login's credential, into profile `name` (undefined: the active one). The active profile is
 * config.json; another goes to profiles.json, except when config.json holds no credential at all:
 * then the new profile becomes the active one, so the next command uses it.
 */
export async function saveLogin(
  configDir: string,
  name: string | undefined,
  credential: Credential,
  writeConfig: (patch: Record<string, unknown>) => Promise<string>,
  configBroken = false,
): Promise<SavedLogin> {
  return withConfigLock(configDir, async () => {
    const { store, view } = snapshot(configDir, configBroken);
    const place = placeOf(view, name);
    if (place === 'config') {
      return { place, name: view.current, file: await writeConfig(credentialPatch(credential)), activated: false };
    }
    const target = name as string;
    if (!view.active) {
      const file = await writeConfig(credentialPatch(credential));
      const stored = { ...view.stored };
      delete stored[target];
      await writeProfilesLocked(configDir, { ...store, current: target, profiles: stored });
      return { place: 'config', name: target, file, activated: true };
    }
    const file = await writeProfilesLocked(configDir, {
      ...normalizedStore(store, view),
      profiles: { ...view.stored, [target]: credential },
    });
    return { place: 'stored', name: target, file, activated: false };
  });
}

/** What a logout removed: the credential, from which file, or nothing. */
export interface RemovedLogin {
  place: Place;
  name: string;
  /** `api_key`, `oauth`: what was removed. */
  cleared: Array<'api_key' | 'oauth'>;
  file: string;
}

/**
 * Removes a profile's credential. The active one: config.json's key and OAuth login (its other
 * settings stay, as mmx-cli's logout; its name stays for the next login). Another: its entry in
 * profiles.json. `dryRun` decides without writing.
 */
export async function removeLogin(configDir: string, name: string | undefined, dryRun: boolean): Promise<RemovedLogin> {
  const decideWith = async (dryRun: boolean): Promise<RemovedLogin> => {
    const removeActive = async (current: string): Promise<RemovedLogin> => {
      const config = readConfig(configDir);
      const cleared = (['oauth', 'api_key'] as const).filter((key) => config[key] !== undefined);
      if (cleared.length > 0 && !dryRun) await updateConfigLocked(configDir, { api_key: undefined, oauth: undefined });
      return { place: 'config', name: current, cleared, file: configPath(configDir) };
    };
    // The active profile's logout does not depend on profiles.json (it may not exist, or be broken).
    if (name === undefined) return removeActive(DEFAULT_PROFILE);
    const { store, view } = snapshot(configDir);
    const place = placeOf(view, name);
    if (place === 'config') return removeActive(view.current);
    const target = name as string;
    const credential = view.stored[target];
    if (!credential) return { place, name: target, cleared: [], file: profilesPath(configDir) };
    if (!dryRun) {
      const profiles = { ...view.stored };
      delete profiles[target];
      await writeProfilesLocked(configDir, { ...normalizedStore(store, view), profiles });
    }
    return { place, name: target, cleared: [credential.oauth ? 'oauth' : 'api_key'], file: profilesPath(configDir) };
  };
  // Nothing to remove: no lock, no directory created, nothing written.
  const planned = await decideWith(true);
  return dryRun || planned.cleared.length === 0 ? planned : withConfigLock(configDir, () => decideWith(false));
}

/** What a switch did. */
export type Switched =
  | { kind: 'already'; name: string; credential: Credential | undefined }
  | { kind: 'missing'; view: ProfileView }
  | { kind: 'switched'; name: string; credential: Credential; savedAs: string | undefined; previous: string };

/**
 * Makes stored profile `target` the active one: config.json's credential is saved under its
 * current name, then the target's is copied into config.json (so mmx-cli follows), then the target
 * is named current. Three atomic writes under one lock, in the order that loses nothing if cut.
 */
export async function switchProfile(configDir: string, target: string): Promise<Switched> {
  return withConfigLock(configDir, async () => {
    const { store, view } = snapshot(configDir);
    if (target === view.current) return { kind: 'already', name: target, credential: view.active };
    const credential = view.stored[target];
    if (!credential) return { kind: 'missing', view };
    const plan = planSwitch(normalizedStore(store, view), view, target);
    await writeProfilesLocked(configDir, plan.saved);
    await updateConfigLocked(configDir, plan.configPatch);
    await writeProfilesLocked(configDir, plan.done);
    return { kind: 'switched', name: target, credential, savedAs: plan.savedAs, previous: view.current };
  });
}
