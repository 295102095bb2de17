/**
 * The conversation a chat or REPL continues (-c, --conversation) and the
 * transcript that keeps its new exchanges: shared by `text chat` and `text repl`.
 */
import type { Context } from '../cli/context.js';
import { type Conversation, ConversationError, type ConversationStore } from '../conversations/store.js';
import { UsageError } from '../errors.js';
import { Transcript } from './record.js';

/** The conversation to continue (-c, --conversation), if any. */
export function continued(
  input: { continue?: boolean | undefined; conversation?: string | undefined },
  store: ConversationStore,
): Conversation | undefined {
  const flagName = input.conversation !== undefined ? '--conversation' : '-c';
  let id = input.conversation;
  if (id === undefined) {
    if (!input.continue) return undefined;
    id = store.latest();
    if (id === undefined)
      throw new UsageError('-c: there is no conversation to continue yet.', { hint: 'Start one: mmx text chat --message "…"' });
  }
  try {
    return store.read(id);
  } catch (error) {
    if (error instanceof ConversationError)
      throw new UsageError(`${flagName}: ${error.message}${error.message.includes(id) ? '' : ` (conversation ${id})`}.`, {
        hint: 'See "mmx text history".',
      });
    throw error;
  }
}

/** A transcript for this exchange, or undefined (with a warning) when the conversation cannot be opened for writing. */
export function openTranscript(
  ctx: Context,
  store: ConversationStore,
  previous: Conversation | undefined,
  body: Record<string, unknown>,
): Transcript | undefined {
  try {
    const system = typeof body.system === 'string' ? body.system : undefined;
    const recorder = store.open({ id: previous?.id, model: String(body.model), system });
    const transcript = new Transcript(ctx, recorder);
    if (previous && system !== undefined && system !== previous.system) transcript.system(system);
    return transcript;
  } catch (error) {
    ctx.warn(`could not record the conversation (${(error as Error).message}); the chat goes on without it.`);
    return undefined;
  }
}
