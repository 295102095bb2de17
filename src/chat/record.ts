/**
 * Keeping an exchange as a conversation, best-effort: the chat never fails
 * because its record could not be written (a read-only HOME in CI, a full
 * disk): it warns once and goes on. Wraps a `Recorder` with the chat's view of
 * a streamed answer (block starts, deltas, block stops, the end or the cut).
 */
import type { ContentBlock, MessageAccumulator } from '../api/message-stream.js';
import type { Context } from '../cli/context.js';
import type { Recorder } from '../conversations/store.js';

export class Transcript {
  private broken = false;
  private limitSaid = false;
  /** Whether the answer has begun: until then the exchange's records stay queued, so one that fails leaves nothing. */
  private answered = false;
  /** Deltas of one block not yet made a record. */
  private pending: { i: number; parts: string[] } | undefined;

  constructor(
    private readonly ctx: Context,
    readonly recorder: Recorder,
  ) {}

  get id(): string {
    return this.recorder.id;
  }

  private guard(write: () => void): void {
    if (this.broken) return;
    try {
      write();
      if (!this.recorder.flush() && !this.limitSaid) {
        this.limitSaid = true;
        this.ctx.warn(
          `conversation ${this.recorder.id} reached its size limit: the rest of it is not recorded; start a new one (without -c).`,
        );
      }
    } catch (error) {
      this.broken = true;
      this.ctx.warn(`could not record the conversation (${(error as Error).message}); the chat goes on without it.`);
    }
  }

  /** A changed system prompt: queued, written with the answer that used it. */
  system(text: string): void {
    if (!this.broken) this.recorder.system(text);
  }

  /**
   * The messages this exchange adds (user turns, and any assistant turns given with
   * them: `--message assistant:…`), and the start of the answer; written once the answer begins.
   */
  ask(messages: ReadonlyArray<{ role: string; content: unknown }>, model: string): void {
    if (this.broken) return;
    this.answered = false;
    for (const m of messages) {
      if (m.role === 'assistant') {
        this.recorder.assistant(model);
        const blocks = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : Array.isArray(m.content) ? m.content : [];
        this.blocks(blocks as ContentBlock[]);
        this.recorder.record({ t: 'end' });
      } else {
        this.recorder.user(m.content);
      }
    }
    this.recorder.assistant(model);
  }

  private blocks(content: readonly ContentBlock[]): void {
    content.forEach((block, i) => {
      const { text: _t, thinking: _th, signature, input, ...rest } = block as Record<string, unknown>;
      const field = block.type === 'thinking' ? 'thinking' : block.type === 'text' ? 'text' : undefined;
      this.recorder.record({ t: 'block', i, block: field ? { ...rest, [field]: '' } : { ...rest } });
      const text = field ? (block as Record<string, unknown>)[field] : undefined;
      if (typeof text === 'string' && text !== '') this.recorder.record({ t: 'delta', i, text });
      if (signature !== undefined) this.recorder.record({ t: 'sig', i, signature });
      if (input !== undefined) this.recorder.record({ t: 'input', i, input });
    });
  }

  /** A whole answer at once (not streamed). */
  answer(content: readonly ContentBlock[], envelope: Record<string, unknown>): void {
    this.answered = true;
    this.guard(() => {
      this.blocks(content);
      this.recorder.record({ t: 'end', ...pickEnd(envelope) });
    });
  }

  /** Records of a streamed answer are queued as the deltas come and written by `flush` (once per network chunk). */
  blockStart(acc: MessageAccumulator, i: number): void {
    this.answered = true;
    if (this.broken) return;
    const block = acc.blockAt(i) as Record<string, unknown> | undefined;
    if (!block) return;
    const { signature: _s, input: _i, ...rest } = block;
    this.writeDelta();
    this.recorder.record({ t: 'block', i, block: rest });
  }

  /** Consecutive deltas of one block become one record per flush: a long answer costs one line per network chunk. */
  delta(i: number, text: string): void {
    if (this.broken) return;
    if (this.pending?.i === i) this.pending.parts.push(text);
    else {
      this.writeDelta();
      this.pending = { i, parts: [text] };
    }
  }

  private writeDelta(): void {
    if (this.pending === undefined) return;
    this.recorder.record({ t: 'delta', i: this.pending.i, text: this.pending.parts.join('') });
    this.pending = undefined;
  }

  blockStop(acc: MessageAccumulator, i: number, type: string): void {
    if (this.broken || (type !== 'thinking' && type !== 'tool_use')) return;
    this.writeDelta();
    const block = acc.blockAt(i) as Record<string, unknown> | undefined;
    if (type === 'thinking' && block?.signature !== undefined) this.recorder.record({ t: 'sig', i, signature: block.signature });
    if (type === 'tool_use' && block) this.recorder.record({ t: 'input', i, input: block.input });
  }

  flush(): void {
    if (this.answered) this.guard(() => this.writeDelta());
  }

  end(envelope: Record<string, unknown>): void {
    this.answered = true;
    this.guard(() => {
      this.writeDelta();
      this.recorder.record({ t: 'end', ...pickEnd(envelope) });
    });
  }

  /** The answer was cut: what arrived stays, marked incomplete with the reason; an exchange with no answer at all is not kept. */
  cut(reason: string): void {
    if (!this.answered) {
      this.pending = undefined;
      this.recorder.discard();
      return;
    }
    this.guard(() => {
      this.writeDelta();
      this.recorder.record({ t: 'end', incomplete: reason });
    });
  }

  close(): void {
    try {
      this.recorder.close();
    } catch {
      // Best-effort, as every write here.
    }
  }
}

function pickEnd(envelope: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['id', 'stop_reason', 'usage']) if (envelope[key] !== undefined && envelope[key] !== null) out[key] = envelope[key];
  return out;
}
