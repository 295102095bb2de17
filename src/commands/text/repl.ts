/**
 * `mmx text repl`: an interactive chat on the terminal, with mmx-cli 1.0.27's
 * flags and slash commands (plus /thinking). Each answer streams through the
 * same exchange as `text chat`, so the region's auth header, the auto-switch,
 * retries and the conversation record are the same; Ctrl-C stops one answer
 * (what arrived stays in the conversation, marked incomplete) and the session
 * goes on; Ctrl-C again at an empty prompt, Ctrl-D or /exit leaves. Typed lines
 * are kept across sessions in a 0600 history file (a line starting with a space
 * is not).
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient } from '../../api/client.js';
import type { ContentBlock } from '../../api/message-stream.js';
import { continued, openTranscript } from '../../chat/conversation.js';
import { exchange } from '../../chat/exchange.js';
import type { Transcript } from '../../chat/record.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { type InputOf, flag, positiveInt, unitInterval } from '../../cli/flags.js';
import { fallbackHelp, fallbackValue, inCi } from '../../config/settings.js';
import { type ChatMessage, ConversationStore, historyForApi } from '../../conversations/store.js';
import type { LineEditor } from '../../deps.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import { renderError } from '../../output/errors.js';
import { CONVERSATION_IDS } from './conversation-ids.js';

const FLAGS = {
  model: flag.string('--model <model>', 'model', { defaultHelp: fallbackHelp('default_text_model') }),
  system: flag.string('--system <text>', 'system prompt'),
  maxTokens: flag.number('--max-tokens <n>', 'maximum tokens per answer', { default: 4096, parse: positiveInt('--max-tokens') }),
  temperature: flag.number('--temperature <t>', 'sampling temperature, in (0, 1]', { parse: unitInterval('--temperature') }),
  topP: flag.number('--top-p <p>', 'nucleus sampling, in (0, 1]', { parse: unitInterval('--top-p') }),
  thinking: flag.boolean('--thinking', "show the model's thinking, dimmed (/thinking turns it on and off)"),
  continue: flag.boolean('-c, --continue', 'resume the latest conversation'),
  conversation: flag.string('--conversation <id>', 'resume this conversation (ids: "mmx text history")', { complete: CONVERSATION_IDS }),
  save: flag.boolean('--save', `keep the conversation (default: ${fallbackHelp('save_conversations')})`, {
    negate: 'do not keep this conversation',
  }),
};
type ReplInput = InputOf<typeof FLAGS, Record<never, never>>;

/** The slash commands, as /help lists them and Tab completes them. */
export const SLASH_COMMANDS: ReadonlyArray<readonly [name: string, usage: string, summary: string]> = [
  ['/help', '/help', 'this list'],
  ['/system', '/system [text]', 'show or set the system prompt'],
  ['/model', '/model [id]', 'show or set the model'],
  ['/thinking', '/thinking [on|off]', "show or hide the model's thinking"],
  ['/history', '/history', 'the messages so far, one line each'],
  ['/save', '/save <path>', 'write the conversation to a JSON file (mmx text chat --messages-file reads it)'],
  ['/clear', '/clear', 'start a new conversation (the old one stays in mmx text history)'],
  ['/exit', '/exit', 'leave (also Ctrl-D, or Ctrl-C twice)'],
];

/** Entries the history file keeps. */
const HISTORY_SIZE = 1000;

export default defineCommand({
  path: ['text', 'repl'],
  summary: 'an interactive chat on the terminal (multi-turn, streamed)',
  flags: FLAGS,
  examples: [
    'mmx text repl',
    'mmx text repl --model MiniMax-M3 --system "You are a coding assistant."',
    'mmx text repl -c                      # resume the latest conversation',
  ],
  notes:
    'Slash commands: /help /system /model /thinking /history /save /clear /exit. Ctrl-C stops an answer; ' +
    'Ctrl-C again at an empty prompt, Ctrl-D or /exit leaves. A line ending in \\ continues on the next; ' +
    'a multi-line paste is one message. For scripts use mmx text chat (-c continues a conversation).',
  needs: { key: true, interactive: true },
  validate({ model, continue: cont, conversation }) {
    if (model !== undefined && model.trim() === '') throw new UsageError('--model is empty.');
    if (cont && conversation !== undefined)
      throw new UsageError('-c resumes the latest conversation and --conversation a given one: pass one of them.');
  },
  warmup: [['text', 'repl', '--no-such-flag']],
  run: repl,
});

interface Session {
  model: string;
  system: string | undefined;
  thinking: boolean;
  messages: ChatMessage[];
  transcript: Transcript | undefined;
  /** Whether conversations are kept (a /clear starts a new kept one). */
  save: boolean;
}

async function repl(ctx: Context, input: ReplInput): Promise<number> {
  const deps = ctx.deps;
  if (ctx.settings.nonInteractive || inCi(deps.env))
    throw new UsageError('The REPL needs an interactive terminal (--non-interactive or CI is set).', {
      hint: 'For a script: mmx text chat --message "…" (-c continues the conversation).',
    });
  if (!deps.openLineEditor || !deps.stdin.isTTY || !deps.stdout.isTTY)
    throw new UsageError('The REPL needs a terminal on stdin and stdout.', {
      hint: 'For a script: mmx text chat --message "…" (-c continues the conversation).',
    });
  const store = new ConversationStore(deps.configDir, { now: () => deps.now() });
  const previous = continued(input, store);
  // The key is checked before the first prompt: a missing one is exit 3, not a surprise after typing.
  const client = await ctx.client();
  const save = input.save ?? (fallbackValue('save_conversations', deps.env, ctx.file)[0] as boolean);
  const session: Session = {
    model: input.model ?? previous?.model ?? String(fallbackValue('default_text_model', deps.env, ctx.file)[0]),
    system: input.system ?? previous?.system,
    thinking: input.thinking === true,
    messages: previous ? historyForApi(previous) : [],
    transcript: undefined,
    save,
  };
  if (save) session.transcript = openTranscript(ctx, store, previous, sessionBody(session, input));

  const historyFile = join(deps.configDir, 'repl_history');
  const editor = await deps.openLineEditor({
    history: readHistory(historyFile),
    historySize: HISTORY_SIZE,
    completions: SLASH_COMMANDS.map(([name]) => name),
    continuation: '… ',
  });
  const t = ctx.outTheme;
  const say = (line: string) => deps.stdout.write(`${line}\n`);
  say(t.bold(`mmx chat · ${session.model} · ${ctx.settings.region} (${ctx.settings.baseUrl})`));
  if (previous) {
    const turns = session.messages.filter((m) => m.role === 'assistant').length;
    say(t.dim(`Resumed conversation ${previous.id} (${turns} ${turns === 1 ? 'answer' : 'answers'}).`));
  }
  if (session.system) say(t.dim(`System: ${oneLine(session.system, 80)}`));
  say(t.dim('Type /help for commands. Ctrl-C stops an answer; Ctrl-D leaves.'));

  let interruptedLast = false;
  try {
    for (;;) {
      const read = await editor.read(t.bold('> '));
      if (read.kind === 'end') break;
      if (read.kind === 'interrupt') {
        if (read.typed) {
          interruptedLast = false;
          continue; // Ctrl-C on a typed line drops the line, as in a shell
        }
        if (interruptedLast) break;
        interruptedLast = true;
        say(t.dim('(Ctrl-C again or Ctrl-D to leave)'));
        continue;
      }
      interruptedLast = false;
      const text = read.text;
      if (text.trim() === '') continue;
      if (text.startsWith('/') && !text.includes('\n')) {
        if (slash(ctx, session, text.trim(), store, input) === 'exit') break;
        continue;
      }
      const stopped = await ask(ctx, client, editor, session, input, text);
      if (stopped) interruptedLast = true;
    }
  } finally {
    editor.close();
    session.transcript?.close();
    writeHistory(ctx, historyFile, editor.history);
  }
  say(t.dim('Bye.'));
  return 0;
}

function sessionBody(session: Session, input: ReplInput): Record<string, unknown> {
  const body: Record<string, unknown> = { model: session.model, max_tokens: input.maxTokens, messages: session.messages };
  if (session.system !== undefined && session.system !== '') body.system = session.system;
  if (input.temperature !== undefined) body.temperature = input.temperature;
  if (input.topP !== undefined) body.top_p = input.topP;
  return body;
}

/**
 * One exchange. The answer streams; Ctrl-C aborts this answer only. What arrived of a
 * stopped or failed answer stays in the conversation (and says so); a message that got no
 * answer at all is taken back, so the conversation stays user, assistant, user, …
 * Returns whether Ctrl-C stopped it.
 */
async function ask(
  ctx: Context,
  client: ApiClient,
  editor: LineEditor,
  session: Session,
  input: ReplInput,
  text: string,
): Promise<boolean> {
  const recorded = session.messages.length;
  session.messages.push({ role: 'user', content: text });
  const stop = new AbortController();
  const unwatch = editor.watchInterrupt(() => stop.abort(new Error('stopped with Ctrl-C')));
  let partial: readonly ContentBlock[] = [];
  try {
    const result = await exchange(ctx, client.withSignal(stop.signal), sessionBody(session, input), {
      stream: true,
      mode: 'text',
      keepContent: true,
      thinking: session.thinking,
      transcript: session.transcript,
      recorded,
      onPartial: (content) => {
        partial = content;
      },
    });
    session.messages.push({ role: 'assistant', content: [...result.content] });
    return false;
  } catch (error) {
    const stopped = stop.signal.aborted;
    if (partial.length > 0) {
      session.messages.push({ role: 'assistant', content: [...partial] });
      const note = stopped ? 'Stopped.' : '';
      if (note) ctx.deps.stderr.write(`${ctx.errTheme.dim(`${note} The answer above is incomplete; it stays in the conversation.`)}\n`);
    } else {
      session.messages.pop();
      if (stopped) ctx.deps.stderr.write(`${ctx.errTheme.dim('Stopped before the answer began; press ↑ to edit the message.')}\n`);
    }
    if (!stopped) {
      if (error instanceof CliError && error.exitCode === ExitCode.INTERRUPTED) throw error;
      renderError(error, { stderr: ctx.deps.stderr, json: false, theme: ctx.errTheme, verbose: ctx.settings.verbose });
      if (error instanceof CliError && error.exitCode === ExitCode.AUTH) {
        ctx.deps.stderr.write(`${ctx.errTheme.dim('The key was refused: /exit, then check it with "mmx auth status".')}\n`);
      }
    }
    return stopped;
  } finally {
    unwatch();
  }
}

function slash(ctx: Context, session: Session, line: string, store: ConversationStore, input: ReplInput): 'exit' | undefined {
  const t = ctx.outTheme;
  const say = (text: string) => ctx.deps.stdout.write(`${text}\n`);
  const space = line.indexOf(' ');
  const name = (space < 0 ? line : line.slice(0, space)).toLowerCase();
  const arg = space < 0 ? '' : line.slice(space + 1).trim();
  switch (name) {
    case '/exit':
    case '/quit':
      return 'exit';
    case '/help': {
      const width = Math.max(...SLASH_COMMANDS.map(([, usage]) => usage.length));
      for (const [, usage, summary] of SLASH_COMMANDS) say(`  ${usage.padEnd(width)}  ${t.dim(summary)}`);
      say(t.dim('  Ctrl-C stops an answer; a line ending in \\ continues on the next.'));
      return undefined;
    }
    case '/system':
      if (arg === '') {
        say(session.system ? session.system : t.dim('No system prompt.'));
      } else {
        session.system = arg;
        session.transcript?.system(arg);
        say(t.dim('System prompt set.'));
      }
      return undefined;
    case '/model':
      if (arg === '') say(`Model: ${session.model}`);
      else {
        session.model = arg;
        say(t.dim(`Model set to ${arg}.`));
      }
      return undefined;
    case '/thinking': {
      const word = arg.toLowerCase();
      if (word === '') session.thinking = !session.thinking;
      else if (['on', 'true', 'yes', '1'].includes(word)) session.thinking = true;
      else if (['off', 'false', 'no', '0'].includes(word)) session.thinking = false;
      else {
        say(t.dim('Usage: /thinking [on|off]'));
        return undefined;
      }
      say(t.dim(`Thinking ${session.thinking ? 'shown' : 'hidden'}.`));
      return undefined;
    }
    case '/history': {
      if (session.messages.length === 0) {
        say(t.dim('No messages yet.'));
        return undefined;
      }
      if (session.system) say(t.dim(`[system] ${oneLine(session.system, 100)}`));
      session.messages.forEach((m, i) =>
        say(`${t.dim(`${String(i + 1).padStart(3)} ${m.role.padEnd(9)}`)} ${oneLine(textOf(m.content), 120)}`),
      );
      if (session.transcript) say(t.dim(`Conversation ${session.transcript.id}.`));
      return undefined;
    }
    case '/save': {
      if (arg === '') {
        say(t.dim('Usage: /save <path>'));
        return undefined;
      }
      try {
        const data = [...(session.system ? [{ role: 'system', content: session.system }] : []), ...session.messages];
        writeFileSync(arg, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
        say(t.dim(`Saved ${data.length} messages to ${arg}.`));
      } catch (error) {
        ctx.warn(`could not write ${arg}: ${(error as Error).message}`);
      }
      return undefined;
    }
    case '/clear': {
      session.transcript?.close();
      session.messages = [];
      session.transcript = session.save ? openTranscript(ctx, store, undefined, sessionBody(session, input)) : undefined;
      say(t.dim('A new conversation starts (the previous one is in mmx text history).'));
      return undefined;
    }
    default:
      say(t.dim(`Unknown command ${name}. Type /help for the list; start a message with a space to send it as is.`));
      return undefined;
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: { type?: string; text?: string; name?: string }) =>
      b.type === 'text' ? (b.text ?? '') : b.type === 'tool_use' ? `[tool call ${b.name}]` : '',
    )
    .join('');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\r?\n/g, '↵');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function readHistory(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        try {
          const v: unknown = JSON.parse(l);
          return typeof v === 'string' ? v : '';
        } catch {
          return '';
        }
      })
      .filter((l) => l !== '');
  } catch {
    return [];
  }
}

/** One JSON string per line (an entry may hold line breaks), the last HISTORY_SIZE; 0600, replaced whole. Best-effort. */
function writeHistory(ctx: Context, path: string, entries: readonly string[]): void {
  const kept = entries.filter((e) => !e.startsWith(' ') && e.trim() !== '').slice(-HISTORY_SIZE);
  try {
    mkdirSync(ctx.deps.configDir, { recursive: true, mode: 0o700 });
    const temp = `${path}.${Math.random().toString(16).slice(2)}.tmp`;
    writeFileSync(temp, kept.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    ctx.verbose(`* could not write the REPL history: ${(error as Error).message}`);
  }
}
