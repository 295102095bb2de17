/**
 * The `conversations` completion source: the ids of the kept conversations, newest first, for
 * `--conversation` (text chat, text repl) and `mmx text history show|rm`. One name, one source
 * (cli/flags.ts, DynamicCompletion).
 */
import type { DynamicCompletion } from '../../cli/flags.js';
import { ConversationStore } from '../../conversations/store.js';

export const CONVERSATION_IDS: DynamicCompletion = {
  dynamic: 'conversations',
  async values(ctx) {
    // Ids start with their UTC time, so the newest sorts last: offered first, as `history` lists them.
    return new ConversationStore(ctx.deps.configDir, { now: () => ctx.deps.now() }).ids().reverse();
  },
};
