/**
 * `mmx text chat`: POST /anthropic/v1/messages. Text mode streams the answer to
 * stdout (thinking to stderr, dimmed); JSON mode prints exactly one document,
 * the Anthropic message object, whether or not it streamed.
 */
import { messages as messagesApi } from '../../api/resources/messages.js';
import { exchange, modeOf } from '../../chat/exchange.js';
import { continued, openTranscript } from '../../chat/conversation.js';
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { type InputOf, flag, positiveInt, unitInterval } from '../../cli/flags.js';
import { fallbackHelp, fallbackValue, inCi } from '../../config/settings.js';
import { type Conversation, ConversationStore, historyForApi } from '../../conversations/store.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import { isPlainObject } from '../../json.js';
import { printDryRun } from '../../output/dry-run.js';
import { CONVERSATION_IDS } from './conversation-ids.js';

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
  // No `setting` fallback here: a continued conversation keeps its model unless --model is given.
  model: flag.string('--model <model>', 'model', { defaultHelp: fallbackHelp('default_text_model') }),
  maxTokens: flag.number('--max-tokens <n>', 'maximum tokens to generate', { default: 4096, parse: positiveInt('--max-tokens') }),
  temperature: flag.number('--temperature <t>', 'sampling temperature, in (0, 1]', { parse: unitInterval('--temperature') }),
  topP: flag.number('--top-p <p>', 'nucleus sampling, in (0, 1]', { parse: unitInterval('--top-p') }),
  stream: flag.boolean('--stream', 'stream the answer (default on a terminal with text output)', { negate: 'wait for the whole answer' }),
  thinking: flag.boolean('--thinking', "show the model's thinking, dimmed, on stderr (text output)"),
  stdin: flag.boolean('--stdin', 'append stdin to the last message (with --message, stdin is read only when asked)'),
  continue: flag.boolean('-c, --continue', 'continue the latest conversation'),
  conversation: flag.string('--conversation <id>', 'continue this conversation (ids: "mmx text history")', { complete: CONVERSATION_IDS }),
  save: flag.boolean('--save', `keep this exchange as a conversation (default: ${fallbackHelp('save_conversations')})`, {
    negate: 'do not keep this exchange',
  }),
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
  validate({ model, continue: cont, conversation }) {
    if (model !== undefined && model.trim() === '') throw new UsageError('--model is empty.');
    if (cont && conversation !== undefined)
      throw new UsageError('-c continues the latest conversation and --conversation a given one: pass one of them.');
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
async function buildBody(ctx: Context, opts: ChatInput, previous?: Conversation): Promise<Record<string, unknown>> {
  const systemParts: string[] = opts.system !== undefined ? [opts.system] : [];
  let messages: ChatMessage[] = [];
  if (previous && opts.messagesFile !== undefined) {
    throw new UsageError('--messages-file starts a conversation of its own; it cannot be combined with -c or --conversation.');
  }
  // A continued conversation: its messages, its system prompt unless --system replaces it, its model unless --model.
  if (previous) {
    messages = historyForApi(previous) as ChatMessage[];
    if (opts.system === undefined && previous.system !== undefined) systemParts.push(previous.system);
  }
  const history = messages.length;

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
  const unasked =
    messages.length === history && opts.messagesFile === undefined && !ctx.deps.stdin.isTTY && ctx.stdinClaimedBy === undefined;
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
  if (messages.length === history && opts.messagesFile === undefined && canPrompt && ctx.stdinClaimedBy === undefined) {
    ctx.claimStdin('the message prompt');
    const typed = (await ctx.deps.stdin.readLine('Enter your message: ')).trim();
    if (typed === '') throw new CliError(ExitCode.GENERAL, 'Chat cancelled: no message entered.');
    messages.push({ role: 'user', content: typed });
  }
  if (messages.length === history) {
    throw new UsageError('No message given.', {
      hint: 'Pass --message "…", --messages-file PATH, or pipe text in: echo hi | mmx text chat',
    });
  }
  if (messages.some((m) => typeof m.content === 'string' && m.content.trim() === '')) {
    throw new UsageError('A message is empty.');
  }
  // --model wins; a continued conversation keeps its model; else the default (config default_text_model).
  const model = opts.model ?? previous?.model ?? String(fallbackValue('default_text_model', ctx.deps.env, ctx.file)[0]);
  const body: Record<string, unknown> = { model, max_tokens: opts.maxTokens, messages };
  if (systemParts.length > 0) body.system = systemParts.join('\n\n');
  if (opts.temperature !== undefined) body.temperature = opts.temperature;
  if (opts.topP !== undefined) body.top_p = opts.topP;
  if (opts.tool.length > 0) body.tools = await readTools(opts.tool);
  return body;
}

async function chat(ctx: Context, input: ChatInput): Promise<number> {
  const store = new ConversationStore(ctx.deps.configDir, { now: () => ctx.deps.now() });
  const previous = continued(input, store);
  const body = await buildBody(ctx, input, previous);
  const client = await ctx.client();
  const stream = input.stream ?? (ctx.deps.stdout.isTTY && !ctx.json);
  if (ctx.settings.dryRun) return printDryRun(ctx, [client.describe(stream ? messagesApi.stream(body) : messagesApi.create(body))]);
  const save = input.save ?? (fallbackValue('save_conversations', ctx.deps.env, ctx.file)[0] as boolean);
  const transcript = save ? openTranscript(ctx, store, previous, body) : undefined;
  try {
    await exchange(ctx, client, body, {
      stream,
      mode: modeOf(ctx),
      thinking: input.thinking === true,
      transcript,
      jsonExtra: transcript ? { conversation_id: transcript.id } : {},
      recorded: previous ? historyForApi(previous).length : 0,
    });
  } finally {
    transcript?.close();
  }
  return 0;
}
