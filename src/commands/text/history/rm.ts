/** `mmx text history rm ID…`: deletes kept conversations. */
import { defineCommand } from '../../../cli/command.js';
import { arg } from '../../../cli/flags.js';
import { ConversationError, ConversationStore } from '../../../conversations/store.js';
import { UsageError } from '../../../errors.js';
import { CONVERSATION_IDS } from '../conversation-ids.js';

export default defineCommand({
  path: ['text', 'history', 'rm'],
  summary: 'delete conversations',
  flags: {},
  args: { ids: arg.rest('[ids...]', 'the conversations to delete', { complete: CONVERSATION_IDS }) },
  examples: ['mmx text history rm 20261130-041503-7f3a', 'mmx text history --output json | jq -r ".[].id" | xargs mmx text history rm'],
  needs: { key: false },
  async run(ctx, { ids }) {
    if (ids.length === 0) throw new UsageError('Which conversation? Pass its id.', { hint: 'See "mmx text history".' });
    const store = new ConversationStore(ctx.deps.configDir, { now: () => ctx.deps.now() });
    const removed: string[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      try {
        (ctx.settings.dryRun ? store.has(id) : store.remove(id)) ? removed.push(id) : missing.push(id);
      } catch (error) {
        if (error instanceof ConversationError) throw new UsageError(`${error.message}.`);
        throw error;
      }
    }
    if (ctx.settings.dryRun) {
      ctx.result({ would_remove: removed, missing }, () =>
        [...removed.map((id) => `Would delete ${id}.`), ...missing.map((id) => `No conversation ${id}.`)].join('\n'),
      );
      return;
    }
    ctx.result({ removed, missing }, () =>
      [...removed.map((id) => `Deleted ${id}.`), ...missing.map((id) => `No conversation ${id}.`)].join('\n'),
    );
    return missing.length > 0 ? 1 : 0;
  },
});
