/**
 * The pure core of profiles (src/config/profiles.ts): which credential config.json holds, how the
 * two files read together (also after a switch cut between its writes), which profile a run
 * uses, what a switch writes and in which order, and how an unknown name is reported.
 */
import { describe, expect, it } from 'vitest';
import {
  type ProfilesFile,
  credentialOf,
  noSuchProfile,
  planSwitch,
  profileNames,
  profileView,
  selectProfile,
  serializeProfiles,
  withCredential,
} from '../../src/config/profiles.js';

const CN = { api_key: 'sk-cp-cn-key-000000000001', region: 'cn' as const };
const GL = { api_key: 'sk-cp-global-key-0000002', region: 'global' as const };
const OAUTH = { access_token: 'at-1234567890', refresh_token: 'rt-1234567890', expires_at: '2026-11-28T13:00:00Z', region: 'global' };

describe('credentialOf', () => {
  it('a key or an OAuth login, with its region and base URL; nothing else of the record', () => {
    expect(credentialOf({ api_key: ' sk-a ', region: 'cn', base_url: 'https://x.example/', timeout: 3 })).toEqual({
      api_key: 'sk-a',
      region: 'cn',
      base_url: 'https://x.example',
    });
    expect(credentialOf({ region: 'cn' })).toBeUndefined();
    expect(credentialOf({ api_key: '' })).toBeUndefined();
    expect(credentialOf({ api_key: 'sk-a', region: 'mars', base_url: 'ftp://x' })).toEqual({ api_key: 'sk-a' });
  });

  it('an OAuth login wins over a key beside it, as both CLIs read config.json', () => {
    expect(credentialOf({ api_key: 'sk-a', oauth: OAUTH })).toEqual({ oauth: OAUTH });
    // A block mmx-cli would not read is no login.
    expect(credentialOf({ oauth: { access_token: 'x' } })).toBeUndefined();
  });
});

describe('profileView', () => {
  it('no profiles.json: config.json is "default", the only profile', () => {
    const view = profileView({ profiles: {} }, CN);
    expect(view).toEqual({ current: 'default', active: CN, stored: {} });
    expect(profileNames(view)).toEqual(['default']);
    expect(profileNames(profileView({ profiles: {} }, {}))).toEqual([]);
  });

  it('the active one first, then the others by name', () => {
    const view = profileView({ current: 'work', profiles: { zed: GL, alpha: GL } }, CN);
    expect(profileNames(view)).toEqual(['work', 'alpha', 'zed']);
  });

  it('a switch cut after its first write (old saved, config.json unchanged): the current name stands', () => {
    const store: ProfilesFile = { current: 'work', profiles: { work: CN, personal: GL } };
    expect(profileView(store, CN)).toEqual({ current: 'work', active: CN, stored: { personal: GL } });
  });

  it('a switch cut after its second write (config.json holds the new key): the profile holding that key is current', () => {
    const store: ProfilesFile = { current: 'work', profiles: { work: CN, personal: GL } };
    expect(profileView(store, GL)).toEqual({ current: 'personal', active: GL, stored: { work: CN } });
  });

  it('a key another program wrote to config.json, found nowhere else: it is the current profile, its stale copy dropped', () => {
    const other = { api_key: 'sk-cp-other-0000000000003', region: 'cn' as const };
    const store: ProfilesFile = { current: 'work', profiles: { work: CN, personal: GL } };
    expect(profileView(store, other)).toEqual({ current: 'work', active: other, stored: { personal: GL } });
  });
});

describe('selectProfile', () => {
  const config = { ...CN, base_url: 'https://api.minimaxi.com', timeout: 30, auth_styles: { x: {} } };
  const view = profileView({ current: 'work', profiles: { personal: GL } }, config);

  it('none asked, or the active one by name: config.json as it is', () => {
    expect(selectProfile(undefined, view, config)).toEqual({ name: 'work', place: 'config', file: config });
    expect(selectProfile({ name: 'work', setBy: '--profile' }, view, config)).toMatchObject({ place: 'config', setBy: '--profile' });
  });

  it("a stored one: its credential, region and base URL replace config.json's; the other settings stay", () => {
    expect(selectProfile({ name: 'personal', setBy: 'MMX_PROFILE' }, view, config)).toEqual({
      name: 'personal',
      place: 'stored',
      setBy: 'MMX_PROFILE',
      file: { ...GL, timeout: 30, auth_styles: { x: {} } },
    });
  });

  it('an unknown one is `new`, with no credential at all (a login creates it)', () => {
    const selected = selectProfile({ name: 'fresh', setBy: '--profile' }, view, config);
    expect(selected.place).toBe('new');
    expect(selected.file).toEqual({ timeout: 30, auth_styles: { x: {} } });
  });

  it('withCredential never keeps a key of the other profile', () => {
    expect(withCredential({ oauth: OAUTH, region: 'cn', output: 'json' }, GL)).toEqual({ ...GL, output: 'json' });
  });
});

describe('noSuchProfile', () => {
  const view = profileView({ current: 'work', profiles: { personal: GL } }, CN);
  it('names the spelling typed and the profiles there are (exit 2)', () => {
    const flag = noSuchProfile({ name: 'wrok', setBy: '--profile' }, view);
    expect(flag.message).toBe('--profile wrok: no such profile; profiles: work, personal.');
    expect(flag.exitCode).toBe(2);
    expect(noSuchProfile({ name: 'x', setBy: 'MMX_PROFILE' }, profileView({ profiles: {} }, {})).message).toBe(
      'MMX_PROFILE=x: no such profile; there are no profiles yet.',
    );
  });
});

describe('planSwitch', () => {
  it('saves the active credential under its name, copies the target into config.json, then names it current', () => {
    const store: ProfilesFile = { current: 'work', profiles: { personal: GL, other: CN } };
    const view = profileView(store, { ...CN, base_url: 'https://api.minimaxi.com' });
    const plan = planSwitch(store, view, 'personal');
    expect(plan.savedAs).toBe('work');
    // First write: nothing lost, the current name unchanged (read as before the switch).
    expect(plan.saved).toEqual({
      current: 'work',
      profiles: { personal: GL, other: CN, work: { ...CN, base_url: 'https://api.minimaxi.com' } },
    });
    // Every credential field set or removed: no base_url of the old key survives beside the new one.
    expect(plan.configPatch).toEqual({ api_key: GL.api_key, oauth: undefined, region: 'global', base_url: undefined });
    expect(plan.done).toEqual({ current: 'personal', profiles: { other: CN, work: { ...CN, base_url: 'https://api.minimaxi.com' } } });
  });

  it('with no active credential nothing is saved', () => {
    const store: ProfilesFile = { profiles: { personal: GL } };
    const plan = planSwitch(store, profileView(store, { region: 'cn' }), 'personal');
    expect(plan.savedAs).toBeUndefined();
    expect(plan.done).toEqual({ current: 'personal', profiles: {} });
  });
});

describe('serializeProfiles', () => {
  it('a version, the current name, the profiles by name; fields of a newer mmx kept', () => {
    const text = serializeProfiles({ future: true, current: 'b', profiles: { z: GL, a: CN } });
    expect(text.endsWith('\n')).toBe(true);
    const parsed = JSON.parse(text);
    expect(parsed).toEqual({ future: true, version: 1, current: 'b', profiles: { a: CN, z: GL } });
    expect(Object.keys(parsed.profiles)).toEqual(['a', 'z']);
  });
});
