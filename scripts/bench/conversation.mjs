// A conversation already on disk for the bench's `text chat -c` row, written in the
// records src/conversations/store.ts reads and a streamed chat writes (one `delta`
// record per delta): a meta line, then per turn the user message, the answer's
// thinking block with its signature, its text block, and the end record.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerText, deltas } from './answers.mjs';

/** An id as store.ts makes them (sorts by time); older than any run's own. */
export const CONVERSATION_ID = '20260101-120000-be4c';

/** The JSON Lines of a conversation of `turns` exchanges, answers of about `answerBytes` bytes. */
export function conversationLines(turns, { answerBytes = 1_500, model = 'MiniMax-M2.7' } = {}) {
  const at = (n) => new Date(Date.UTC(2026, 0, 1, 12, 0, n)).toISOString();
  const lines = [{ t: 'meta', v: 1, id: CONVERSATION_ID, created_at: at(0), model }];
  for (let turn = 0; turn < turns; turn++) {
    lines.push({ t: 'user', at: at(turn * 2), content: answerText(200, 100 + turn) });
    lines.push({ t: 'assistant', at: at(turn * 2 + 1), model });
    lines.push({ t: 'block', i: 0, block: { type: 'thinking', thinking: '' } });
    for (const text of deltas(answerText(300, 200 + turn), turn)) lines.push({ t: 'delta', i: 0, text });
    lines.push({ t: 'sig', i: 0, signature: 'fc86ea5fca755e74a1f9a154fe48859d' });
    lines.push({ t: 'block', i: 1, block: { type: 'text', text: '' } });
    for (const text of deltas(answerText(answerBytes, 300 + turn), turn + 1)) lines.push({ t: 'delta', i: 1, text });
    lines.push({
      t: 'end',
      id: `0a1b2c3d4e5f60718293a4b5c6d7${String(turn).padStart(4, '0')}`,
      stop_reason: 'end_turn',
      usage: { input_tokens: 100, output_tokens: 500 },
    });
  }
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
}

/** Replaces the conversations of `configDir` with the one of `lines` (0600 in a 0700 directory, as mmx keeps them). */
export function writeConversation(configDir, lines) {
  const dir = join(configDir, 'conversations');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${CONVERSATION_ID}.jsonl`), lines, { mode: 0o600 });
}
