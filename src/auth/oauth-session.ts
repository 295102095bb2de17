/**
 * Keeping the stored OAuth login fresh. A refresh runs under config.json's cross-process lock
 * and reads the file again once it holds it: when two processes find the same token expiring
 * at once, the second sees the tokens the first stored and uses them, instead of spending the
 * refresh token the first already rotated (mmx-cli #79: that second refresh failed and logged
 * the user out). The new tokens are written in the same locked, atomic write.
 */
import { type OAuthBlock, type TokenAnswer, blockFromToken, needsRefresh } from './oauth.js';
import { withConfigLock } from '../config/file.js';
import { lockedOAuth, saveOAuthLocked } from '../config/profile-store.js';
import { AuthError } from '../errors.js';

/** Who refreshed the token this run ends up with: this process, another one meanwhile, or nobody (still fresh). */
export type RefreshedBy = 'this' | 'another' | 'none';

export async function refreshStoredLogin(input: {
  configDir: string;
  /** The profile the login belongs to; undefined: the active one (config.json). */
  profile?: string | undefined;
  /** The block this process read before taking the lock. */
  seen: OAuthBlock;
  /** Refresh even a token that is still fresh (`mmx auth refresh`). */
  force: boolean;
  now: () => number;
  /** Trades the refresh token of `block` for new tokens (the account host of its region). */
  exchange: (block: OAuthBlock) => Promise<TokenAnswer>;
}): Promise<{ block: OAuthBlock; by: RefreshedBy }> {
  const { configDir, profile, seen, force, now, exchange } = input;
  return withConfigLock(configDir, async () => {
    const current = lockedOAuth(configDir, profile);
    if (!current) {
      const where = profile === undefined ? 'from config.json' : `from profile ${profile}`;
      const again = profile === undefined ? 'mmx auth login' : `mmx auth login --profile ${profile}`;
      throw new AuthError(`The OAuth login was removed ${where} while mmx was using it.`, { hint: `Log in again: ${again}` });
    }
    const stillFresh = !needsRefresh(current, now());
    // Another process stored new tokens since this one read the file: theirs are as new as a refresh would make them.
    const rotated = current.access_token !== seen.access_token || current.refresh_token !== seen.refresh_token;
    if (rotated && stillFresh) return { block: current, by: 'another' };
    if (!force && stillFresh) return { block: current, by: 'none' };
    const block = blockFromToken(await exchange(current), current.region, current);
    await saveOAuthLocked(configDir, profile, block);
    return { block, by: 'this' };
  });
}
