/** `mmx text history show ID`: one conversation, as a transcript (text) or its messages (JSON, thinking and signatures kept). */
import { defineCommand } from '../../../cli/command.js';
import { arg, flag } from '../../../cli/flags.js';
import { ConversationError, ConversationStore } from '../../../conversations/store.js';
import { UsageError } from '../../../errors.js';
import { CONVERSATION_IDS } from '../conversation-ids.js';

function blocksText(content: unknown, thinking: boolean): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: Record<string, unknown>) => {
      if (b.type === 'text') return String(b.text ?? '');
      if (b.type === 'thinking') return thinking ? `(thinking) ${String(b.thinking ?? '')}` : '';
      if (b.type === 'tool_use') return `[tool call] ${String(b.name)} ${JSON.stringify(b.input)}`;
      if (b.type === 'tool_result') return `[tool result] ${typeof b.content === 'string' ? b.content : JSON.stringify(b.content)}`;
      return `[${String(b.type)}]`;
    })
    .filter((t) => t !== '')
    .join('\n');
}

export default defineCommand({
  path: ['text', 'history', 'show'],
  summary: 'print one conversation',
  flags: {
    thinking: flag.boolean('--thinking', "include the model's thinking (text output)"),
  },
  args: { id: arg.optional('[id]', 'the conversation (default: the latest)', { complete: CONVERSATION_IDS }) },
  examples: ['mmx text history show', 'mmx text history show 20261130-041503-7f3a --output json'],
  needs: { key: false },
  async run(ctx, { id, thinking }) {
    const store = new ConversationStore(ctx.deps.configDir, { now: () => ctx.deps.now() });
    const wanted = id ?? store.latest();
    if (wanted === undefined) throw new UsageError('There is no conversation yet.', { hint: 'mmx text chat keeps each exchange.' });
    let conv;
    try {
      conv = store.read(wanted);
    } catch (error) {
      if (error instanceof ConversationError) throw new UsageError(`${error.message}.`, { hint: 'See "mmx text history".' });
      throw error;
    }
    ctx.result(conv, () => {
      const t = ctx.outTheme;
      const lines = [t.dim(`${conv.id} · ${conv.model} · started ${conv.created_at}`)];
      if (conv.system) lines.push(`${t.bold('system')}  ${conv.system}`);
      for (const m of conv.messages) lines.push('', t.bold(m.role), blocksText(m.content, thinking === true));
      if (conv.incomplete) lines.push('', t.warn(`(the last answer is incomplete: ${conv.incomplete})`));
      return lines.join('\n');
    });
  },
});
