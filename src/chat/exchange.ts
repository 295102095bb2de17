/**
 * One exchange with the Messages API, as `text chat` and the REPL make it: send
 * the request (streamed or not), render the answer as it arrives, keep it in
 * the conversation when there is one, and turn a failure mid-answer into the
 * error the user sees, with the partial text. The stream is read chunk by chunk:
 * each chunk is decoded, folded into the message and rendered synchronously,
 * and what it produced goes out in one write per stream.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ApiClient } from '../api/client.js';
import { ResponseTooLargeError, formatAmount } from '../api/limits.js';
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
} from '../api/message-stream.js';
import { messages as messagesApi } from '../api/resources/messages.js';
import { type SseEvent, SseTextDecoder, SseTooLargeError } from '../api/sse.js';
import type { Context } from '../cli/context.js';
import type { OutStream } from '../deps.js';
import { ApiError, ExitCode, NetworkError, TimeoutError, exitCodeForApi } from '../errors.js';
import { type Progress, startProgress } from '../output/progress.js';
import { TerminalFilter, terminalSafe } from '../output/terminal-text.js';
import type { Transcript } from './record.js';

/**
 * What the user gets: `json` the whole answer as one document; `text` the
 * answer (and tool calls) on stdout, thinking on stderr only when asked;
 * `answer` (--quiet) the answer text alone, whatever --output says, as mmx-cli.
 */
export type Mode = 'json' | 'text' | 'answer';

export function modeOf(ctx: Context): Mode {
  if (ctx.settings.quiet) return 'answer';
  return ctx.json ? 'json' : 'text';
}

export interface ExchangeOptions {
  stream: boolean;
  mode: Mode;
  /** Show the model's thinking (text mode), dimmed, on stderr. */
  thinking: boolean;
  transcript?: Transcript | undefined;
  /** Extra fields for the JSON document (the conversation id). */
  jsonExtra?: Record<string, unknown>;
  /** How many of `body.messages` the conversation already holds: the rest are recorded as this exchange's. */
  recorded?: number;
  /** Keep the whole answer even in text mode (the REPL sends it back next turn); else text mode keeps a tail. */
  keepContent?: boolean;
  /** Hears the blocks that arrived before a streamed answer failed or was stopped (the REPL keeps them). */
  onPartial?: (content: readonly ContentBlock[]) => void;
}

export interface ExchangeResult {
  /** id, model, stop_reason, usage. */
  envelope: Record<string, unknown>;
  /** The answer's content blocks (thinking with its signature, text, tool calls). */
  content: readonly ContentBlock[];
  textChars: number;
}

function toolLine(block: ContentBlock): string | undefined {
  if (block.type !== 'tool_use') return undefined;
  const b = block as { name?: unknown; input?: unknown };
  return `[tool call] ${String(b.name)} ${JSON.stringify(b.input)}`;
}

function textOf(content: readonly ContentBlock[]): string {
  return content
    .filter((b) => b.type === 'text')
    .map((b) => (b as { text: string }).text)
    .join('');
}

/**
 * The model's text as a terminal gets it: without control characters or escape sequences (a
 * prompt-injected answer could write the clipboard or erase lines); a pipe gets it as sent.
 */
function forTerminal(stream: OutStream, text: string): string {
  return stream.isTTY ? terminalSafe(text, { multiline: true }) : text;
}

function logUsage(ctx: Context, envelope: Record<string, unknown>): void {
  const u = envelope.usage as { input_tokens?: number; output_tokens?: number } | undefined;
  if (u) ctx.verbose(`* usage: ${u.input_tokens ?? '?'} in, ${u.output_tokens ?? '?'} out; stop: ${String(envelope.stop_reason ?? '?')}`);
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
    content: textOf(message.content),
    ...(thinking === '' ? {} : { thinking }),
    content_blocks: message.content,
    id: message.id,
    model: message.model,
    stop_reason: message.stop_reason,
    usage: message.usage,
  };
}

/**
 * Sends `body` and renders the answer. A spinner with the seconds waited runs on
 * a terminal until the first of the answer shows (retries are noted in it); never
 * in pipes, JSON mode, under --quiet or in CI.
 */
export async function exchange(
  ctx: Context,
  client: ApiClient,
  body: Record<string, unknown>,
  options: ExchangeOptions,
): Promise<ExchangeResult> {
  const progress = await startProgress(ctx, { kind: 'wait', label: 'Waiting for the answer' });
  ctx.activeProgress = progress;
  try {
    const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role: string; content: unknown }>) : [];
    options.transcript?.ask(messages.slice(options.recorded ?? 0), String(body.model));
    return options.stream ? await streamed(ctx, client, body, options, progress) : await whole(ctx, client, body, options, progress);
  } finally {
    ctx.activeProgress = undefined;
    progress.stop();
  }
}

async function whole(
  ctx: Context,
  client: ApiClient,
  body: Record<string, unknown>,
  options: ExchangeOptions,
  progress: Progress,
): Promise<ExchangeResult> {
  let message: AnthropicMessage;
  try {
    message = await client.send(messagesApi.create(body));
  } catch (error) {
    options.transcript?.cut(error instanceof Error ? error.message : String(error));
    throw error;
  }
  progress.stop();
  ctx.activeProgress = undefined;
  if (!Array.isArray(message?.content)) {
    options.transcript?.cut('the answer had no content array');
    if (options.mode === 'json') {
      ctx.printJson(message);
      return { envelope: {}, content: [], textChars: 0 };
    }
    throw new ApiError(ExitCode.GENERAL, 'The chat response has no content array.', { hint: 'Run with --output json to see it.' });
  }
  const { content, ...envelope } = message;
  options.transcript?.answer(content, envelope);
  const answerText = textOf(content);
  if (options.mode === 'json') {
    // The Anthropic message as MiniMax sent it (its `content` is an array of blocks), as mmx-cli prints it.
    ctx.printJson({ ...message, ...options.jsonExtra });
  } else if (options.mode === 'answer') {
    const answer = forTerminal(ctx.deps.stdout, answerText);
    ctx.print(answer.endsWith('\n') ? answer : `${answer}\n`);
  } else {
    const text: string[] = [];
    for (const block of content) {
      if (block.type === 'thinking') {
        const thinking = (block as { thinking?: unknown }).thinking;
        if (options.thinking && typeof thinking === 'string' && thinking !== '') {
          ctx.deps.stderr.write(`${ctx.errTheme.dim(forTerminal(ctx.deps.stderr, thinking))}\n\n`);
        }
      } else if (block.type === 'text') {
        text.push((block as { text: string }).text);
      } else {
        const line = toolLine(block);
        if (line) text.push(line);
      }
    }
    const shown = forTerminal(ctx.deps.stdout, text.join('\n'));
    ctx.print(shown.endsWith('\n') ? shown : `${shown}\n`);
  }
  logUsage(ctx, envelope);
  return { envelope, content, textChars: answerText.length };
}

async function streamed(
  ctx: Context,
  client: ApiClient,
  body: Record<string, unknown>,
  options: ExchangeOptions,
  progress: Progress,
): Promise<ExchangeResult> {
  const transcript = options.transcript;
  let response;
  try {
    response = await client.open(messagesApi.stream(body));
  } catch (error) {
    transcript?.cut(error instanceof Error ? error.message : String(error));
    throw error;
  }
  // Text output keeps only a tail of the answer (it is on stdout already): constant memory however long
  // it is. JSON prints the whole message at the end, and the REPL keeps it in the conversation.
  const acc = new MessageAccumulator({
    maxChars: ctx.limits.answerChars,
    ...(options.mode === 'json' || options.keepContent ? {} : { textTail: PARTIAL_TAIL }),
  });
  const mode = options.mode;
  const showText = mode !== 'json';
  const showThinking = mode === 'text' && options.thinking;
  let lastOut = '\n';
  let thinkingOpen = false;
  // On a terminal the answer and thinking are filtered as they stream (see forTerminal); state
  // is kept across chunks, so an escape sequence split between two is still removed whole.
  const outFilter = ctx.deps.stdout.isTTY ? new TerminalFilter() : undefined;
  const errFilter = ctx.deps.stderr.isTTY ? new TerminalFilter() : undefined;
  let out = '';
  let err = '';
  let waiting = true;
  const endThinking = () => {
    if (thinkingOpen) err += '\n\n';
    thinkingOpen = false;
  };
  const render = (delta: StreamDelta) => {
    if (delta.type === 'block-start') {
      transcript?.blockStart(acc, delta.index);
    } else if (delta.type === 'thinking') {
      transcript?.delta(delta.index, delta.text);
      if (waiting && !showThinking) progress.status('Thinking');
      if (!showThinking) return;
      err += ctx.errTheme.dim(errFilter ? errFilter.push(delta.text) : delta.text);
      thinkingOpen = true;
    } else if (delta.type === 'text') {
      transcript?.delta(delta.index, delta.text);
      if (!showText) return;
      endThinking();
      const text = outFilter ? outFilter.push(delta.text) : delta.text;
      out += text;
      if (text !== '') lastOut = text;
    } else if (delta.type === 'block-stop') {
      transcript?.blockStop(acc, delta.index, delta.block);
      if (delta.block !== 'tool_use' || mode !== 'text') return;
      const block = acc.blockAt(delta.index);
      const line = block ? toolLine(block) : undefined;
      if (line) out += `${lastOut.endsWith('\n') ? '' : '\n'}${outFilter ? terminalSafe(line) : line}\n`;
      lastOut = '\n';
    }
  };
  /** Writes what the chunk produced, in one write per stream; a full stdout is waited for (backpressure). */
  const flush = (): Promise<void> | undefined => {
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
    transcript?.flush();
    return ctx.deps.stdout.drain?.();
  };
  const apply = (events: SseEvent[]) => {
    for (const sse of events) {
      const event = parseStreamEvent(sse);
      if (event === undefined) continue;
      for (const delta of acc.apply(event)) render(delta);
      if (acc.done) return;
    }
  };
  const utf8 = new StringDecoder('utf8');
  const sse = new SseTextDecoder({ maxEventChars: ctx.limits.sseEventChars });
  try {
    // Each network chunk is decoded, folded and rendered synchronously, then written at once.
    await response.consume((chunk) => {
      apply(sse.push(utf8.write(chunk as Buffer)));
      const wait = flush();
      if (acc.done || ctx.deps.stdout.closed) return 'stop';
      return wait;
    });
    if (!acc.done && !ctx.deps.stdout.closed) {
      apply(sse.push(utf8.end()));
      apply(sse.end());
      flush();
      if (!acc.done) throw new StreamCutError(acc.message, acc.textChars, acc.started);
    }
  } catch (error) {
    endThinking();
    flush();
    if (showText && !lastOut.endsWith('\n')) ctx.print('\n');
    const failure = streamFailure(error, acc);
    transcript?.cut(failure instanceof Error ? failure.message : String(failure));
    options.onPartial?.(acc.message.content);
    throw failure;
  }
  const envelope = acc.envelope;
  if (ctx.deps.stdout.closed) {
    transcript?.cut('the reader of stdout went away');
    return { envelope, content: acc.message.content, textChars: acc.textChars };
  }
  endThinking();
  flush();
  transcript?.end(envelope);
  if (mode === 'json') ctx.printJson({ ...streamedJson(acc.message), ...options.jsonExtra });
  else if (!lastOut.endsWith('\n')) ctx.print('\n');
  logUsage(ctx, envelope);
  return { envelope, content: acc.message.content, textChars: acc.textChars };
}

/**
 * What text mode keeps of a streamed answer for `partial_text` (its last characters; the
 * answer itself went to stdout as it came): enough to see where it stopped, in constant memory.
 */
export const PARTIAL_TAIL = 16 * 1024;

function partialText(acc: MessageAccumulator): string {
  return textOf(acc.message.content);
}

/** partial_text, and when text mode kept only its tail, how many characters came before it. */
function partialExtra(acc: MessageAccumulator): Record<string, unknown> {
  const text = partialText(acc);
  const omitted = acc.droppedChars > 0 ? acc.textChars - text.length : 0;
  return omitted > 0 ? { partial_text: text, partial_text_omitted: omitted } : { partial_text: text };
}

function streamFailure(error: unknown, acc: MessageAccumulator): unknown {
  if (error instanceof SseTooLargeError) {
    return new ResponseTooLargeError('one event of the stream', formatAmount(error.limit, 'characters'), partialExtra(acc));
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
        extra: partialExtra(acc),
      },
    );
  }
  if (error instanceof StreamCutError) {
    return new NetworkError(`The connection closed mid-answer after ${acc.textChars} characters.`, {
      hint: 'The answer above is incomplete; retry.',
      extra: partialExtra(acc),
    });
  }
  if (error instanceof StreamProtocolError) {
    return new ApiError(ExitCode.GENERAL, `The stream from the server is malformed: ${error.message}`, {
      extra: partialExtra(acc),
    });
  }
  if (error instanceof TimeoutError) {
    return new TimeoutError(error.message, { hint: error.hint, extra: partialExtra(acc) });
  }
  if (error instanceof NetworkError) {
    return new NetworkError(`The connection failed mid-answer after ${acc.textChars} characters.`, {
      hint: 'The answer above is incomplete; retry.',
      cause: error,
      extra: partialExtra(acc),
    });
  }
  return error;
}
