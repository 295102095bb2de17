/**
 * The command tree (mmx-cli's names and flags), and runProgram: parse, build the
 * context, run the command, render any error as text or JSON, return the exit code.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { AUTH_STYLE_SETTINGS } from './auth/strategy.js';
import type { GlobalFlags } from './config/settings.js';
import { authLogin } from './commands/auth-login.js';
import { authLogout } from './commands/auth-logout.js';
import { authStatus } from './commands/auth-status.js';
import { quota } from './commands/quota.js';
import { textChat } from './commands/text-chat.js';
import { Context } from './context.js';
import { renderError } from './output/errors.js';
import { colorLevel, loadTheme } from './output/theme.js';
import type { Deps } from './deps.js';
import { CliError, ExitCode, UsageError } from './errors.js';
import { VERSION } from './version.js';

type Handler = (ctx: Context, opts: Record<string, unknown>, args: string[]) => Promise<number | void>;

/** A command's body, and whether it may replace a config file it cannot parse (login). */
interface CommandEntry {
  handler: Handler;
  mayReplaceBrokenConfig?: boolean;
}

const HELP_WIDTH = 80;

function helpWidth(stream: Deps['stdout']): number {
  return stream.isTTY && stream.columns !== undefined ? Math.min(stream.columns, HELP_WIDTH) : HELP_WIDTH;
}

/** Every command path that has help, for the build's help snapshot. */
export const HELP_PATHS: readonly string[][] = [
  [],
  ['auth'],
  ['auth', 'login'],
  ['auth', 'status'],
  ['auth', 'logout'],
  ['quota'],
  ['quota', 'show'],
  ['text'],
  ['text', 'chat'],
];

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
      throw new InvalidArgumentError(`${name} must be a positive whole number.`);
    }
    return n;
  };
}

function unitInterval(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1) {
      throw new InvalidArgumentError(`${name} must be a number greater than 0 and at most 1.`);
    }
    return n;
  };
}

function addGlobalOptions(program: Command): void {
  program
    .option('--api-key <key>', 'API key for this run (never stored); "-" reads it from stdin')
    .addOption(new Option('--region <region>', 'API region').choices(['global', 'cn']))
    .option('--base-url <url>', 'API base URL (gateways, emulators)')
    .addOption(new Option('--output <format>', 'output format (default: text on a terminal, json otherwise)').choices(['text', 'json']))
    .option('--quiet', 'print only the result')
    .option('--verbose', 'log requests to stderr (keys masked)')
    .option('--timeout <seconds>', 'seconds to wait for a response (default: 300)')
    .option('--idle-timeout <seconds>', 'end a stream that sends nothing for this long (default: 60)')
    .option('--max-retries <n>', 'retries after a rate limit, overload, 5xx or dropped connection (default: 2)')
    .option('--no-color', 'no ANSI colours')
    .option('--non-interactive', 'never prompt (also when CI is set)')
    .option('--dry-run', 'print the request that would be sent, and send nothing')
    .addOption(
      new Option('--auth-style <style>', 'auth header: auto (by region, switching when rejected), bearer or x-api-key').choices(
        AUTH_STYLE_SETTINGS,
      ),
    )
    .option('-v, --version', 'print the version');
}

export function createProgram(deps: Deps, invoke: (entry: CommandEntry, cmd: Command, args: string[]) => Promise<void>): Command {
  const program = new Command('mmx');
  program
    .description('MiniMax AI on the command line: chat, quota and login, with the right auth header for every region.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
      outputError: () => undefined, // rendered by run(), as text or JSON
      // Help wraps at the terminal's width, at most 80 columns (and 80 off a terminal), so it
      // reads well everywhere and the build can render it once for bin/mmx (see bin/fast-path.js).
      getOutHelpWidth: () => helpWidth(deps.stdout),
      getErrHelpWidth: () => helpWidth(deps.stderr),
    })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .helpCommand(true);
  addGlobalOptions(program);
  program.action(() => {
    const [word] = program.args;
    if (word !== undefined) {
      const known = program.commands.map((c) => c.name()).join(', ');
      throw new UsageError(`Unknown command "${word}".`, { hint: `Commands: ${known}. See "mmx --help".` });
    }
    if (program.opts().version === true) deps.stdout.write(`mmx ${VERSION}\n`);
    else program.outputHelp();
  });
  program.addHelpText(
    'after',
    examples([
      'mmx auth login --region cn',
      'mmx quota',
      'mmx text chat --message "你好" --region cn',
      'git diff | mmx text chat --message "review this" --output json',
    ]) + '\nExit codes: 0 ok, 1 API error, 2 usage, 3 auth, 4 quota/rate, 5 timeout, 6 network, 10 content filter, 130 interrupted.\n',
  );

  const action =
    (handler: Handler, options: Omit<CommandEntry, 'handler'> = {}) =>
    async (...received: unknown[]): Promise<void> => {
      const cmd = received[received.length - 1] as Command;
      await invoke({ handler, ...options }, cmd, cmd.args);
    };

  const auth = program.command('auth').description('log in, check and log out');
  auth
    .command('login')
    .description('validate an API key and store it with its region')
    .addOption(new Option('--method <method>', 'login method (only api-key is supported)').choices(['api-key', 'oauth']))
    .option('--no-browser', 'accepted for mmx-cli compatibility (OAuth is not supported)')
    .addHelpText(
      'after',
      examples([
        'mmx auth login --api-key sk-cp-… --region cn',
        'printenv MY_KEY | mmx auth login --api-key -      # keeps the key out of shell history',
        'mmx auth login                                     # prompts for the key, detects the region',
        'mmx auth login --api-key sk-… --base-url https://gateway.example/minimax',
      ]),
    )
    .action(action(authLogin, { mayReplaceBrokenConfig: true }));
  auth
    .command('status')
    .description('show which key, region, base URL and auth headers are in use')
    .addHelpText('after', examples(['mmx auth status', 'mmx auth status --output json | jq .key_source']))
    .action(action(authStatus));
  auth
    .command('logout')
    .description('remove the stored key (other settings stay)')
    .option('--yes', 'accepted for mmx-cli compatibility (there is no prompt)')
    .addHelpText('after', examples(['mmx auth logout']))
    .action(action(authLogout));

  const quotaHelp = examples(['mmx quota', 'mmx quota --output json', 'mmx quota --quiet | cut -f1,2']);
  const quotaCommand = program
    .command('quota')
    .description('show Token Plan usage (or the balance of a pay-as-you-go key)')
    .addHelpText('after', quotaHelp)
    .action(action(quota));
  quotaCommand.command('show').description('same as "mmx quota"').addHelpText('after', quotaHelp).action(action(quota));

  const text = program.command('text').description('text models');
  text
    .command('chat')
    .description('chat with a MiniMax model (Anthropic Messages API)')
    .option('--message <text>', 'a message; repeatable; prefix "user:", "assistant:" or "system:" to set the role', collect)
    .option('--messages-file <path>', 'JSON file of messages ("-" for stdin)')
    .option('--system <text>', 'system prompt')
    .option('--model <model>', 'model (default: config default_text_model, else MiniMax-M2.7)')
    .option('--max-tokens <n>', 'maximum tokens to generate (default: 4096)', positiveInt('--max-tokens'))
    .option('--temperature <t>', 'sampling temperature, in (0, 1]', unitInterval('--temperature'))
    .option('--top-p <p>', 'nucleus sampling, in (0, 1]', unitInterval('--top-p'))
    .option('--stream', 'stream the answer (default on a terminal with text output)')
    .option('--no-stream', 'wait for the whole answer')
    .option('--tool <json-or-path>', 'a tool definition (JSON or a file path); repeatable', collect)
    .addOption(new Option('--prompt <text>', 'alias of --message').argParser(collect).hideHelp())
    .addHelpText(
      'after',
      examples([
        'mmx text chat --message "你好" --region cn',
        'mmx text chat --system "Be terse." --message "user:Hi" --message "assistant:Hello" --message "How are you?"',
        'git diff | mmx text chat --message "review this"',
        'mmx text chat --messages-file conversation.json --output json | jq -r ".content[] | select(.type==\\"text\\") | .text"',
      ]) + '\nStdin, when it is not a terminal and nothing else reads it, is the user message (or is appended to the last --message).\n',
    )
    .action(action(textChat));

  // Only the root takes extra words (to name an unknown command); set after the
  // subcommands exist, because .command() copies the parent's settings.
  program.allowExcessArguments(true);
  return program;
}

/** The output format for errors raised before settings exist (usage errors, a broken config file). */
function earlyJson(argv: string[], deps: Deps): boolean {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--output') return argv[i + 1] === 'json';
    if (arg?.startsWith('--output=')) return arg.slice('--output='.length) === 'json';
  }
  const env = deps.env.MINIMAX_OUTPUT?.trim();
  if (env === 'json' || env === 'text') return env === 'json';
  return !deps.stdout.isTTY;
}

function usageFromCommander(error: CommanderError): UsageError {
  const message = error.message.replace(/^error:\s*/, '');
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return new UsageError(/[.!?]$/.test(text) ? text : `${text}.`, { hint: 'See "mmx --help", or "mmx <command> --help".' });
}

export async function runProgram(argv: string[], deps: Deps): Promise<number> {
  let ctx: Context | undefined;
  let result = 0;
  const program = createProgram(deps, async (entry, cmd, args) => {
    const opts = cmd.optsWithGlobals() as GlobalFlags & Record<string, unknown>;
    if (opts.version === true) {
      deps.stdout.write(`mmx ${VERSION}\n`);
      return;
    }
    ctx = await Context.create(deps, opts, { mayReplaceBrokenConfig: entry.mayReplaceBrokenConfig === true });
    result = (await entry.handler(ctx, opts, args)) ?? 0;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return deps.stdout.closed ? 0 : result;
  } catch (error) {
    if (deps.stdout.closed) return 0; // the reader left (`| head`): not an error
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      // A group without its subcommand (`mmx auth`): commander printed the group's help to stderr.
      if (error.code === 'commander.help') return ExitCode.USAGE;
      error = usageFromCommander(error);
    }
    const json = ctx ? ctx.json : earlyJson(argv, deps);
    if (error instanceof CliError && error.exitCode === ExitCode.INTERRUPTED && !json) {
      deps.stderr.write('\nInterrupted.\n'); // after any half-printed line
      return ExitCode.INTERRUPTED;
    }
    const flags = program.opts() as GlobalFlags;
    const secrets = [
      deps.env.MINIMAX_API_KEY ?? '',
      ...argv.flatMap((arg, i) => (argv[i - 1] === '--api-key' ? [arg] : arg.startsWith('--api-key=') ? [arg.slice(10)] : [])),
    ];
    return renderError(error, {
      secrets,
      stderr: deps.stderr,
      json,
      theme: await loadTheme(colorLevel(deps.env, flags.color, deps.stderr.isTTY)),
      verbose: ctx ? ctx.settings.verbose : flags.verbose === true,
    });
  }
}
