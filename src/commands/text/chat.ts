/**
 * `mmx text chat`: POST /anthropic/v1/messages. Text mode streams the answer to
 * stdout (thinking to stderr, dimmed); JSON mode prints exactly one document,
 * the Anthropic message object, whether or not it streamed.
 */
import type { ApiClient } from '../../api/client.js';
import {
  type AnthropicMessage,
  type ContentBlock,
  MessageAccumulator,
  MessageTooLargeError,
  StreamCutError,
  type StreamDelta,
  StreamError,
  StreamProtocolError,
  parseStreamEvent,
} from '../../api/message-stream.js';
import { messages as messagesApi } from '../../api/resources/messages.js';
import { type SseEvent, SseTextDecoder, SseTooLargeError } from '../../api/sse.js';
import { ResponseTooLargeError, formatAmount } from '../../api/limits.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { type InputOf, flag, positiveInt, unitInterval } from '../../cli/flags.js';
import { inCi } from '../../config/settings.js';
import { ApiError, CliError, ExitCode, NetworkError, TimeoutError, UsageError, exitCodeForApi } from '../../errors.js';
import { type Progress, startProgress } from '../../output/progress.js';
import { isPlainObject } from '../../json.js';
import { printDryRun } from '../../output/dry-run.js';
import { TerminalFilter, terminalSafe } from '../../output/terminal-text.js';
import type { OutStream } from '../../deps.js';

type Role = 'user' | 'assistant';
interface ChatMessage {
  role: Role;
  content: unknown;
}

const FLAGS = {
  message: flag.list('--message <text>', 'a message; repeatable; prefix "user:", "assistant:" or "system:" to set the role', {
    aliases: ['--prompt <text>'],
  }),
  messagesFile: flag.path('--messages-file <path>', 'JSON file of messages ("-" for stdin)'),
  system: flag.string('--system <text>', 'system prompt'),
  model: flag.string('--model <model>', 'model', { setting: 'default_text_model' }),
  maxTokens: flag.number('--max-tokens <n>', 'maximum tokens to generate', { default: 4096, parse: positiveInt('--max-tokens') }),
  temperature: flag.number('--temperature <t>', 'sampling temperature, in (0, 1]', { parse: unitInterval('--temperature') }),
  topP: flag.number('--top-p <p>', 'nucleus sampling, in (0, 1]', { parse: unitInterval('--top-p') }),
  stream: flag.boolean('--stream', 'stream the answer (default on a terminal with text output)', { negate: 'wait for the whole answer' }),
  thinking: flag.boolean('--thinking', "show the model's thinking, dimmed, on stderr (text output)"),
  stdin: flag.boolean('--stdin', 'append stdin to the last message (with --message, stdin is read only when asked)'),
  tool: flag.list('--tool <json-or-path>', 'a tool definition (JSON or a file path); repeatable'),
};
type ChatInput = InputOf<typeof FLAGS, Record<never, never>>;

export default defineCommand({
  path: ['text', 'chat'],
  summary: 'chat with a MiniMax model (Anthropic Messages API)',
  flags: FLAGS,
  examples: [
    'mmx text chat --message "你好" --region cn',
    'mmx text chat --system "Be terse." --message "user:Hi" --message "assistant:Hello" --message "How are you?"',
    'git diff | mmx text chat --stdin --message "review this"',
    'mmx text chat --messages-file conversation.json --output json | jq -r ".content[] | select(.type==\\"text\\") | .text"',
  ],
  notes:
    'Stdin is the message when no --message or --messages-file is given (echo hi | mmx text chat). With --message, ' +
    'stdin is read only when asked: --stdin appends it to the last message, --message - sends it as a message.',
  needs: { key: true, interactive: true },
  strayHint: (word) => `Pass the message with --message "${word}" (quoted as one argument), or pipe it in.`,
  validate({ model }) {
    if (model.trim() === '') throw new UsageError('--model is empty.');
  },
  warmup: [
    ['text', 'chat', '--message', 'warm up', '--stream', '--output', 'text'],
    ['text', 'chat', '--message', 'warm up', '--output', 'json'],
    ['text', 'chat', '--no-such-flag'],
  ],
  run: chat,
});

function parseMessageFlag(raw: string): { role: Role | 'system'; text: string } {
  const m = /^(user|assistant|system):/i.exec(raw);
  if (!m?.[1]) return { role: 'user', text: raw };
  return { role: m[1].toLowerCase() as Role | 'system', text: raw.slice(m[0].length).replace(/^ /, '') };
}

/** node:fs/promises, loaded only when a file is read (a chat without files never pays for it). */
async function readFile(path: string, encoding: 'utf8'): Promise<string> {
  return (await import('node:fs/promises')).readFile(path, encoding);
}

async function readMessagesFile(ctx: Context, path: string): Promise<{ messages: ChatMessage[]; system?: string }> {
  let text: string;
  if (path === '-') {
    ctx.claimStdin('--messages-file -');
    text = await ctx.deps.stdin.readAll();
  } else {
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        `--messages-file: cannot read ${path}${code === 'ENOENT' ? ': no such file' : `: ${(error as Error).message}`}.`,
      );
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`--messages-file: ${path === '-' ? 'stdin' : path} is not valid JSON.`, {
      hint: 'Expected [{"role":"user","content":"…"}, …] or {"system":"…","messages":[…]}.',
    });
  }
  const record = isPlainObject(data) ? data : undefined;
  const list = Array.isArray(data) ? data : record?.messages;
  if (!Array.isArray(list)) {
    throw new UsageError('--messages-file must hold an array of messages, or an object with a "messages" array.');
  }
  const systemParts: string[] = typeof record?.system === 'string' ? [record.system] : [];
  const messages: ChatMessage[] = [];
  list.forEach((item, i) => {
    const m = item as { role?: unknown; content?: unknown } | null;
    if (typeof m !== 'object' || m === null || typeof m.role !== 'string' || m.content === undefined) {
      throw new UsageError(`--messages-file: message ${i + 1} needs "role" and "content".`);
    }
    if (m.role === 'system' && typeof m.content === 'string') systemParts.push(m.content);
    else if (m.role === 'user' || m.role === 'assistant') messages.push({ role: m.role, content: m.content });
    else throw new UsageError(`--messages-file: message ${i + 1} has role "${m.role}"; use user, assistant or system.`);
  });
  return systemParts.length > 0 ? { messages, system: systemParts.join('\n\n') } : { messages };
}

async function readTools(specs: string[]): Promise<unknown[]> {
  return Promise.all(
    specs.map(async (spec) => {
      const text = spec.trim().startsWith('{')
        ? spec
        : await readFile(spec, 'utf8').catch(() => {
            throw new UsageError(`--tool: "${spec}" is neither JSON nor a readable file.`);
          });
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new UsageError(`--tool: "${spec}" is not valid JSON.`);
      }
    }),
  );
}

/** Builds the request body from flags, the messages file and stdin (in that order). */
async function buildBody(ctx: Context, opts: ChatInput): Promise<Record<string, unknown>> {
  const systemParts: string[] = opts.system !== undefined ? [opts.system] : [];
  let messages: ChatMessage[] = [];

  // Claims first, so that two readers of stdin fail before anything is read.
  if (ctx.settings.key?.source === 'flag' && ctx.settings.key.value === '-') ctx.claimStdin('--api-key -');
  if (opts.messagesFile === '-') ctx.claimStdin('--messages-file -');
  await ctx.readKeyFromStdinIfAsked();

  if (opts.messagesFile !== undefined) {
    const file = await readMessagesFile(ctx, opts.messagesFile);
    messages = file.messages;
    if (file.system) systemParts.push(file.system);
  }
  // `--message -` is stdin as that message; `--stdin` appends stdin to the last one.
  const dashes = opts.message.filter((raw) => raw === '-').length;
  if (dashes > 1) throw new UsageError('Only one --message can be "-" (stdin).');
  if (dashes === 1) ctx.claimStdin('--message -');
  if (opts.stdin) ctx.claimStdin('--stdin');
  const readStdin = async (who: string): Promise<string> => {
    if (ctx.deps.stdin.isTTY) throw new UsageError(`${who} reads stdin, but stdin is a terminal; pipe the text in.`);
    return ctx.deps.stdin.readAll();
  };
  for (const raw of opts.message) {
    if (raw === '-') {
      messages.push({ role: 'user', content: await readStdin('--message -') });
      continue;
    }
    const { role, text } = parseMessageFlag(raw);
    if (role === 'system') systemParts.push(text);
    else messages.push({ role, content: text });
  }

  // Stdin is the prompt only when nothing else gives one: a script's loop must never lose its input
  // because mmx read it uninvited (`while read l; do mmx text chat --message "$l"; done`).
  const unasked = messages.length === 0 && opts.messagesFile === undefined && !ctx.deps.stdin.isTTY && ctx.stdinClaimedBy === undefined;
  if (opts.stdin || unasked) {
    if (unasked) ctx.claimStdin('stdin as the prompt');
    const piped = await readStdin('--stdin');
    if (piped.trim() !== '') {
      const last = messages[messages.length - 1];
      if (last?.role === 'user' && typeof last.content === 'string') last.content = `${last.content}\n\n${piped}`;
      else messages.push({ role: 'user', content: piped });
    }
  }

  // A person at a terminal with nothing given is asked, as mmx-cli does; a script gets exit 2.
  const canPrompt = ctx.deps.stdin.isTTY && ctx.deps.stdout.isTTY && !ctx.settings.nonInteractive && !inCi(ctx.deps.env);
  if (messages.length === 0 && opts.messagesFile === undefined && canPrompt && ctx.stdinClaimedBy === undefined) {
    ctx.claimStdin('the message prompt');
    const typed = (await ctx.deps.stdin.readLine('Enter your message: ')).trim();
    if (typed === '') throw new CliError(ExitCode.GENERAL, 'Chat cancelled: no message entered.');
    messages.push({ role: 'user', content: typed });
  }
  if (messages.length === 0) {
    throw new UsageError('No message given.', {
      hint: 'Pass --message "…", --messages-file PATH, or pipe text in: echo hi | mmx text chat',
    });
  }
  if (messages.some((m) => typeof m.content === 'string' && m.content.trim() === '')) {
    throw new UsageError('A message is empty.');
  }
  const body: Record<string, unknown> = { model: opts.model, max_tokens: opts.maxTokens, messages };
  if (systemParts.length > 0) body.system = systemParts.join('\n\n');
  if (opts.temperature !== undefined) body.temperature = opts.temperature;
  if (opts.topP !== undefined) body.top_p = opts.topP;
  if (opts.tool.length > 0) body.tools = await readTools(opts.tool);
  return body;
}

function toolLine(block: ContentBlock): string | undefined {
  if (block.type !== 'tool_use') return undefined;
  const b = block as { name?: unknown; input?: unknown };
  return `[tool call] ${String(b.name)} ${JSON.stringify(b.input)}`;
}

/**
 * What the user gets: `json` the whole answer as one document; `text` the
 * answer (and tool calls) on stdout, thinking on stderr only with --thinking;
 * `answer` (--quiet) the answer text alone, whatever --output says, as mmx-cli.
 */
type Mode = 'json' | 'text' | 'answer';

function modeOf(ctx: Context): Mode {
  if (ctx.settings.quiet) return 'answer';
  return ctx.json ? 'json' : 'text';
}

function textOf(message: AnthropicMessage): string {
  return message.content
    .filter((b) => b.type === 'text')
    .map((b) => (b as { text: string }).text)
    .join('');
}

async function chatOnce(
  ctx: Context,
  client: ApiClient,
  body: Record<string, unknown>,
  input: ChatInput,
  progress: Progress,
): Promise<void> {
  const message = await client.send(messagesApi.create(body));
  progress.stop();
  ctx.activeProgress = undefined;
  const mode = modeOf(ctx);
  if (mode === 'json') {
    // The Anthropic message as MiniMax sent it (its `content` is an array of blocks), as mmx-cli prints it.
    ctx.printJson(message);
    return;
  }
  if (mode === 'answer') {
    const answer = forTerminal(ctx.deps.stdout, textOf(message));
    ctx.print(answer.endsWith('\n') ? answer : `${answer}\n`);
    return;
  }
  const text: string[] = [];
  for (const block of message.content) {
    if (block.type === 'thinking') {
      const thinking = (block as { thinking?: unknown }).thinking;
      if (input.thinking && typeof thinking === 'string' && thinking !== '') {
        ctx.deps.stderr.write(`${ctx.errTheme.dim(forTerminal(ctx.deps.stderr, thinking))}\n\n`);
      }
    } else if (block.type === 'text') {
      text.push((block as { text: string }).text);
    } else {
      const line = toolLine(block);
      if (line) text.push(line);
    }
  }
  const answer = forTerminal(ctx.deps.stdout, text.join('\n'));
  ctx.print(answer.endsWith('\n') ? answer : `${answer}\n`);
  logUsage(ctx, message);
}

/**
 * The model's text as a terminal gets it: without control characters or escape sequences (a
 * prompt-injected answer could write the clipboard or erase lines); a pipe gets it as sent.
 */
function forTerminal(stream: OutStream, text: string): string {
  return stream.isTTY ? terminalSafe(text, { multiline: true }) : text;
}

function logUsage(ctx: Context, message: AnthropicMessage): void {
  const u = message.usage;
  if (u) ctx.verbose(`* usage: ${u.input_tokens ?? '?'} in, ${u.output_tokens ?? '?'} out; stop: ${message.stop_reason ?? '?'}`);
}

/**
 * `--stream --output json`: mmx-cli's `{"content": "<answer>"}` (a string, for `jq -r .content`),
 * and beside it what the stream carried: thinking, the full content blocks (tool calls included,
 * thinking signatures kept), id, model, stop_reason and usage.
 */
function streamedJson(message: AnthropicMessage): Record<string, unknown> {
  const thinking = message.content
    .filter((b) => b.type === 'thinking')
    .map((b) => (b as { thinking: string }).thinking)
    .join('');
  return {
    content: textOf(message),
    ...(thinking === '' ? {} : { thinking }),
    content_blocks: message.content,
    id: message.id,
    model: message.model,
    stop_reason: message.stop_reason,
    usage: message.usage,
  };
}

/**
 * Reads the event stream chunk by chunk: each chunk is decoded, folded into the
 * message and rendered synchronously, and what it produced goes out in one
 * write per stream (no async step per event, no write per delta).
 */
async function chatStream(
  ctx: Context,
  client: ApiClient,
  body: Record<string, unknown>,
  input: ChatInput,
  progress: Progress,
): Promise<void> {
  const response = await client.open(messagesApi.stream(body));
  const acc = new MessageAccumulator({ maxChars: ctx.limits.answerChars });
  const mode = modeOf(ctx);
  const showText = mode !== 'json';
  const showThinking = mode === 'text' && input.thinking === true;
  let lastOut = '\n';
  let thinkingOpen = false;
  // On a terminal the answer and thinking are filtered as they stream (see forTerminal); state
  // is kept across chunks, so an escape sequence split between two is still removed whole.
  const outFilter = ctx.deps.stdout.isTTY ? new TerminalFilter() : undefined;
  const errFilter = ctx.deps.stderr.isTTY ? new TerminalFilter() : undefined;
  let out = '';
  let err = '';
  const endThinking = () => {
    if (thinkingOpen) err += '\n\n';
    thinkingOpen = false;
  };
  const render = (delta: StreamDelta) => {
    if (delta.type === 'thinking') {
      if (waiting && !showThinking) progress.status('Thinking');
      if (!showThinking) return;
      err += ctx.errTheme.dim(errFilter ? errFilter.push(delta.text) : delta.text);
      thinkingOpen = true;
    } else if (delta.type === 'text') {
      if (!showText) return;
      endThinking();
      const text = outFilter ? outFilter.push(delta.text) : delta.text;
      out += text;
      if (text !== '') lastOut = text;
    } else if (delta.type === 'block-stop' && delta.block === 'tool_use' && mode === 'text') {
      const line = toolLine(acc.message.content[delta.index] as ContentBlock);
      if (line) out += `${lastOut.endsWith('\n') ? '' : '\n'}${outFilter ? terminalSafe(line) : line}\n`;
      lastOut = '\n';
    }
  };
  let waiting = true;
  const flush = () => {
    if (waiting && (err !== '' || out !== '')) {
      // The first of the answer: the spinner's line goes before anything is written.
      waiting = false;
      progress.stop();
      ctx.activeProgress = undefined;
    }
    // Thinking first: it precedes the text it was written with.
    if (err !== '') ctx.deps.stderr.write(err);
    if (out !== '') ctx.print(out);
    out = '';
    err = '';
  };
  const apply = (events: SseEvent[]) => {
    for (const sse of events) {
      const event = parseStreamEvent(sse);
      if (event === undefined) continue;
      for (const delta of acc.apply(event)) render(delta);
      if (acc.done) return;
    }
  };
  try {
    const utf8 = new TextDecoder('utf-8');
    const sse = new SseTextDecoder({ maxEventChars: ctx.limits.sseEventChars });
    for await (const chunk of response.body) {
      apply(sse.push(utf8.decode(chunk, { stream: true })));
      flush();
      if (acc.done || ctx.deps.stdout.closed) break;
    }
    if (!acc.done && !ctx.deps.stdout.closed) {
      apply(sse.push(utf8.decode()));
      apply(sse.end());
      flush();
      if (!acc.done) throw new StreamCutError(acc.message, acc.textChars, acc.started);
    }
  } catch (error) {
    endThinking();
    flush();
    if (showText && !lastOut.endsWith('\n')) ctx.print('\n');
    throw streamFailure(error, acc);
  }
  if (ctx.deps.stdout.closed) return;
  endThinking();
  flush();
  if (mode === 'json') ctx.printJson(streamedJson(acc.message));
  else if (!lastOut.endsWith('\n')) ctx.print('\n');
  logUsage(ctx, acc.message);
}

function partialText(acc: MessageAccumulator): string {
  return acc.message.content
    .filter((b) => b.type === 'text')
    .map((b) => (b as { text: string }).text)
    .join('');
}

function streamFailure(error: unknown, acc: MessageAccumulator): unknown {
  if (error instanceof SseTooLargeError) {
    return new ResponseTooLargeError('one event of the stream', formatAmount(error.limit, 'characters'), {
      partial_text: partialText(acc),
    });
  }
  if (error instanceof MessageTooLargeError) {
    // Without the partial text: it is the thing that is too large.
    return new ResponseTooLargeError('the streamed answer', formatAmount(error.limit, 'characters'));
  }
  if (error instanceof StreamError) {
    return new ApiError(
      exitCodeForApi({ apiCode: error.apiCode, errorType: error.errorType }),
      `API error in the stream: ${error.apiMessage}`,
      {
        apiCode: error.apiCode,
        hint: acc.textChars > 0 ? 'The answer above is incomplete.' : undefined,
        extra: { partial_text: partialText(acc) },
      },
    );
  }
  if (error instanceof StreamCutError) {
    return new NetworkError(`The connection closed mid-answer after ${acc.textChars} characters.`, {
      hint: 'The answer above is incomplete; retry.',
      extra: { partial_text: partialText(acc) },
    });
  }
  if (error instanceof StreamProtocolError) {
    return new ApiError(ExitCode.GENERAL, `The stream from the server is malformed: ${error.message}`, {
      extra: { partial_text: partialText(acc) },
    });
  }
  if (error instanceof TimeoutError) {
    return new TimeoutError(error.message, { hint: error.hint, extra: { partial_text: partialText(acc) } });
  }
  if (error instanceof NetworkError) {
    return new NetworkError(`The connection failed mid-answer after ${acc.textChars} characters.`, {
      hint: 'The answer above is incomplete; retry.',
      cause: error,
      extra: { partial_text: partialText(acc) },
    });
  }
  return error;
}

async function chat(ctx: Context, input: ChatInput): Promise<number> {
  const body = await buildBody(ctx, input);
  const client = await ctx.client();
  const stream = input.stream ?? (ctx.deps.stdout.isTTY && !ctx.json);
  if (ctx.settings.dryRun) return printDryRun(ctx, [client.describe(stream ? messagesApi.stream(body) : messagesApi.create(body))]);
  // A spinner with the seconds waited, on a terminal, until the first of the answer shows (as mmx-cli's
  // "Thinking (3s)"); retries are noted in it. Never in pipes, JSON mode, under --quiet or in CI.
  const progress = await startProgress(ctx, { kind: 'wait', label: 'Waiting for the answer' });
  ctx.activeProgress = progress;
  try {
    if (stream) await chatStream(ctx, client, body, input, progress);
    else await chatOnce(ctx, client, body, input, progress);
  } finally {
    ctx.activeProgress = undefined;
    progress.stop();
  }
  return 0;
}
