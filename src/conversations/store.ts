/**
 * Conversations on disk: one append-only JSON Lines file per conversation in
 * `<config dir>/conversations/` (0600 files in a 0700 directory). An answer is
 * appended as it arrives, block by block and delta by delta, so a long answer is
 * never held twice in memory, and a cut stream leaves what arrived, marked
 * incomplete. Reading folds the records back into Anthropic messages, thinking
 * blocks and their signatures included (multi-turn tool use needs them back).
 *
 * Records (one JSON object per line, `t` its type):
 *   {t:"meta", v:1, id, created_at, model, system?}   first line
 *   {t:"system", text}                                 the system prompt changed
 *   {t:"user", at, content}                            a user message (string or blocks)
 *   {t:"assistant", at, model}                         an answer starts
 *   {t:"block", i, block}                              a content block starts (as sent, text empty)
 *   {t:"delta", i, text}                               text or thinking of block i
 *   {t:"sig", i, signature}                            a thinking block's signature
 *   {t:"input", i, input}                              a tool_use block's input, whole
 *   {t:"end", id?, stop_reason?, usage?, incomplete?}  the answer ends (incomplete: why it was cut)
 *
 * No key is ever written: records hold messages only.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isPlainObject } from '../json.js';

/** A conversation file stops growing here; past it the next exchanges are not recorded (and mmx says so). */
export const MAX_CONVERSATION_BYTES = 64 * 1024 * 1024;

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: unknown;
}

export interface ConversationSummary {
  id: string;
  created_at: string;
  updated_at: string;
  model: string;
  /** The first line of the first user message, cut to 80 characters. */
  first_line: string;
  /** Completed user → assistant exchanges. */
  turns: number;
  bytes: number;
}

export interface Conversation {
  id: string;
  created_at: string;
  model: string;
  system?: string;
  messages: ChatMessage[];
  /** Set when the last answer was cut (the reason): its partial text is in `messages`. */
  incomplete?: string;
}

/** `20261130-041503-7f3a`: sorts by time, short enough to type. */
export function newConversationId(now: number, random: () => number = Math.random): string {
  const d = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  return `${stamp}-${Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}

const ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

export class ConversationError extends Error {
  override name = 'ConversationError';
}

/** Folds the records of one file back into a conversation. Unknown record types are skipped (newer versions). */
export function foldRecords(lines: readonly string[]): Conversation {
  let conv: Conversation | undefined;
  let answer: { content: Array<Record<string, unknown>>; parts: Map<number, string[]> } | undefined;
  const finish = (incomplete?: string) => {
    if (!conv || !answer) return;
    const content = answer.content.map((block, i) => {
      const parts = answer?.parts.get(i);
      if (!parts) return block;
      const field = block.type === 'thinking' ? 'thinking' : 'text';
      return { ...block, [field]: parts.join('') };
    });
    conv.messages.push({ role: 'assistant', content });
    if (incomplete) conv.incomplete = incomplete;
    else delete conv.incomplete;
    answer = undefined;
  };
  for (const line of lines) {
    if (line.trim() === '') continue;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      // A line cut by a crash mid-write is the last one; what came before stands.
      continue;
    }
    if (!isPlainObject(r)) continue;
    if (r.t === 'meta') {
      conv = { id: String(r.id), created_at: String(r.created_at), model: String(r.model), messages: [] };
      if (typeof r.system === 'string') conv.system = r.system;
      continue;
    }
    if (!conv) throw new ConversationError('the file does not start with its meta record');
    switch (r.t) {
      case 'system':
        if (typeof r.text === 'string') conv.system = r.text;
        break;
      case 'user':
        finish('no end record (mmx stopped mid-answer)');
        conv.messages.push({ role: 'user', content: r.content });
        break;
      case 'assistant':
        finish('no end record (mmx stopped mid-answer)');
        answer = { content: [], parts: new Map() };
        if (typeof r.model === 'string') conv.model = r.model;
        break;
      case 'block':
        if (answer && typeof r.i === 'number' && isPlainObject(r.block)) answer.content[r.i] = { ...r.block };
        break;
      case 'delta':
        if (answer && typeof r.i === 'number' && typeof r.text === 'string') {
          const parts = answer.parts.get(r.i) ?? [];
          parts.push(r.text);
          answer.parts.set(r.i, parts);
        }
        break;
      case 'sig':
        if (answer && typeof r.i === 'number' && answer.content[r.i])
          (answer.content[r.i] as Record<string, unknown>).signature = r.signature;
        break;
      case 'input':
        if (answer && typeof r.i === 'number' && answer.content[r.i]) (answer.content[r.i] as Record<string, unknown>).input = r.input;
        break;
      case 'end':
        finish(typeof r.incomplete === 'string' ? r.incomplete : undefined);
        break;
      default:
        break;
    }
  }
  if (!conv) throw new ConversationError('the file is empty');
  finish('no end record (mmx stopped mid-answer)');
  // Holes left by blocks whose start never arrived are dropped.
  for (const m of conv.messages) if (Array.isArray(m.content)) m.content = m.content.filter((b) => b !== undefined);
  return conv;
}

/**
 * The messages to send when continuing: every exchange that got an answer (a
 * partial one included). An answer with no content at all (a cut before the
 * first block) is dropped with the user turn that asked for it: the API refuses
 * an empty assistant message.
 */
export function historyForApi(conv: Conversation): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of conv.messages) {
    if (m.role === 'assistant' && Array.isArray(m.content) && m.content.length === 0) {
      while (out.at(-1)?.role === 'user') out.pop();
      continue;
    }
    out.push(m);
  }
  return out;
}

export interface StoreOptions {
  now: () => number;
  maxBytes?: number;
}

/** The conversations of one config directory. Reading never writes; writing goes through a Recorder. */
export class ConversationStore {
  readonly dir: string;

  constructor(
    configDir: string,
    private readonly options: StoreOptions,
  ) {
    this.dir = join(configDir, 'conversations');
  }

  private file(id: string): string {
    if (!ID.test(id)) throw new ConversationError(`"${id}" is not a conversation id (they look like 20261130-041503-7f3a)`);
    return join(this.dir, `${id}.jsonl`);
  }

  ids(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((name) => name.endsWith('.jsonl') && ID.test(name.slice(0, -6)))
        .map((name) => name.slice(0, -6))
        .sort();
    } catch {
      return [];
    }
  }

  latest(): string | undefined {
    return this.ids().at(-1);
  }

  read(id: string): Conversation {
    let text: string;
    try {
      text = readFileSync(this.file(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ConversationError(`no conversation ${id}`);
      throw error;
    }
    return foldRecords(text.split('\n'));
  }

  /** One summary per readable conversation; `unreadable` hears of the others (a file not written by mmx, or emptied). */
  summaries(unreadable?: (id: string, reason: string) => void): ConversationSummary[] {
    return this.ids().flatMap((id) => {
      const path = this.file(id);
      let conv: Conversation;
      let stat;
      try {
        conv = this.read(id);
        stat = statSync(path);
      } catch (error) {
        unreadable?.(id, (error as Error).message);
        return [];
      }
      const first = conv.messages.find((m) => m.role === 'user');
      const text = typeof first?.content === 'string' ? first.content : textOfBlocks(first?.content);
      return {
        id,
        created_at: conv.created_at,
        updated_at: new Date(stat.mtimeMs).toISOString(),
        model: conv.model,
        first_line: (text.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 80),
        turns: conv.messages.filter((m) => m.role === 'assistant').length,
        bytes: stat.size,
      };
    });
  }

  has(id: string): boolean {
    return existsSync(this.file(id));
  }

  remove(id: string): boolean {
    if (!this.has(id)) return false;
    rmSync(this.file(id));
    return true;
  }

  /**
   * A recorder appending to a new conversation, or to an existing one (`id`).
   * Nothing touches the disk until the first flush with something in it, so an
   * exchange that fails before its answer leaves no file behind.
   */
  open(start: { id?: string; model: string; system?: string | undefined }): Recorder {
    const id = start.id ?? newConversationId(this.options.now());
    const path = this.file(id);
    let meta: Record<string, unknown> | undefined;
    if (start.id === undefined) {
      meta = { t: 'meta', v: 1, id, created_at: new Date(this.options.now()).toISOString(), model: start.model };
      if (start.system !== undefined) meta.system = start.system;
    }
    const openFile = (): { fd: number; size: number } => {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const fd = openSync(path, 'a', 0o600);
      return { fd, size: fstatSync(fd).size };
    };
    return new Recorder(id, openFile, meta, this.options.maxBytes ?? MAX_CONVERSATION_BYTES, this.options.now);
  }
}

function textOfBlocks(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .filter((b) => isPlainObject(b) && b.type === 'text' && typeof b.text === 'string')
    .map((b) => (b as { text: string }).text)
    .join('');
}

/**
 * Appends the records of one conversation. Records written between two
 * `flush()`es go out in one write (the chat flushes once per network chunk).
 * Throws on a failed write; the caller decides (the chat warns and stops recording).
 */
export class Recorder {
  private pending: string[] = [];
  private full = false;
  private fd: number | undefined;
  private bytes = 0;

  constructor(
    readonly id: string,
    private readonly openFile: () => { fd: number; size: number },
    /** The meta record of a new conversation, written first. */
    private meta: Record<string, unknown> | undefined,
    private readonly maxBytes: number,
    private readonly now: () => number,
  ) {}

  /** False once the file reached its size limit: nothing more is recorded. */
  get recording(): boolean {
    return !this.full;
  }

  record(record: Record<string, unknown>): void {
    if (!this.full) this.pending.push(`${JSON.stringify(record)}\n`);
  }

  system(text: string): void {
    this.record({ t: 'system', text });
  }

  user(content: unknown): void {
    this.record({ t: 'user', at: new Date(this.now()).toISOString(), content });
  }

  assistant(model: string): void {
    this.record({ t: 'assistant', at: new Date(this.now()).toISOString(), model });
  }

  /** Forgets what was recorded since the last flush (an exchange that failed before any answer). */
  discard(): void {
    this.pending = [];
  }

  /** Writes what was recorded since the last flush; returns false when the size limit stopped it. */
  flush(): boolean {
    if (this.pending.length === 0) return !this.full;
    if (this.fd === undefined) {
      const { fd, size } = this.openFile();
      this.fd = fd;
      this.bytes = size;
      if (this.meta !== undefined && size === 0) this.pending.unshift(`${JSON.stringify(this.meta)}\n`);
      this.meta = undefined;
    }
    const text = this.pending.join('');
    this.pending = [];
    const length = Buffer.byteLength(text);
    if (this.bytes + length > this.maxBytes) {
      this.full = true;
      return false;
    }
    writeSync(this.fd, text);
    this.bytes += length;
    return true;
  }

  close(): void {
    try {
      this.flush();
    } finally {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
