/** `mmx text history` (and `history list`): the kept conversations, newest last, with id, time, model, first line, turns. */
import { localTime } from '../../../api/failure.js';
import { defineCommand } from '../../../cli/command.js';
import { ConversationStore } from '../../../conversations/store.js';
import { cell, renderTable } from '../../../output/table.js';

export default defineCommand({
  path: ['text', 'history', 'list'],
  summary: 'list the kept conversations (newest last)',
  flags: {},
  examples: ['mmx text history', 'mmx text history --output json | jq -r ".[-1].id"', 'mmx text chat -c --message "and then?"'],
  needs: { key: false },
  async run(ctx) {
    const list = new ConversationStore(ctx.deps.configDir, { now: () => ctx.deps.now() }).summaries((id, reason) =>
      ctx.warn(`conversation ${id} cannot be read (${reason}); "mmx text history rm ${id}" deletes it.`),
    );
    ctx.result(list, () => {
      if (list.length === 0) return ctx.outTheme.dim('No conversations yet: mmx text chat keeps each exchange (--no-save does not).');
      if (ctx.settings.quiet) return list.map((c) => c.id).join('\n');
      const t = ctx.outTheme;
      return renderTable({
        headers: ['ID', 'UPDATED', 'MODEL', 'TURNS', 'FIRST MESSAGE'].map((h) => cell(h, t.dim)),
        rows: list.map((c) => [
          cell(c.id, t.bold),
          cell(localTime(Date.parse(c.updated_at)).replace(/ \(.*\)$/, '')),
          cell(c.model),
          cell(String(c.turns)),
          cell(c.first_line),
        ]),
        shrinkColumn: 4,
        ...(ctx.deps.stdout.columns ? { width: ctx.deps.stdout.columns } : {}),
      });
    });
  },
});
