/**
 * The `profiles` completion source: the names of the profiles there are, for `--profile` (every
 * command) and `mmx auth switch`. One name, one source (cli/flags.ts, DynamicCompletion).
 */
import type { DynamicCompletion } from '../../cli/flags.js';
import { profileNames } from '../../config/profiles.js';

export const PROFILE_NAMES: DynamicCompletion = {
  dynamic: 'profiles',
  async values(ctx) {
    return profileNames(ctx.profiles());
  },
};
