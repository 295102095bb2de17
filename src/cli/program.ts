/**
 * The registry made into a commander tree, and runProgram: parse, build the
 * context, turn the parsed options into each command's typed input, validate,
 * run, render any error as text or JSON, and return the exit code.
 */
import { Command, CommanderError, type Help, Option } from 'commander';
import { readConfig } from '../config/file.js';
import { type GlobalFlags, SETTINGS, fallbackValue, flagAttribute, settingHelp, settingSpec } from '../config/settings.js';
import type { Deps } from '../deps.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { renderError } from '../output/errors.js';
import { displayWidth } from '../output/text-width.js';
import { colorLevel, loadTheme } from '../output/theme.js';
import { VERSION } from '../version.js';
import { orAbort } from '../wait.js';
import type { AnyCommand } from './command.js';
import { checkCommandWords, expandShortcut, normalizeBooleans, rewriteHelp, shortcutOf } from './argv.js';
import { Context } from './context.js';
import { type HelpExtras, environmentHelp, environmentNames, formatHelp, formatItem } from './help.js';
import { type FlagSpec, helpWithDefault, longName } from './flags.js';
import { COMMANDS, GROUPS } from './registry.js';

const HELP_WIDTH = 80;

const ROOT_SUMMARY = 'MiniMax AI on the command line: chat, quota and login, with the right auth header for every region.';
const ROOT_EXAMPLES = [
  'mmx auth login --region cn',
  'mmx quota',
  'mmx text chat --message "你好" --region cn',
  'git diff | mmx text chat --stdin --message "review this" --output json',
];
const EXIT_CODES =
  'Exit codes: 0 ok, 1 API error, 2 usage, 3 auth, 4 quota/rate, 5 timeout, 6 network, 10 content filter, 130 interrupted.';

function helpWidth(stream: Deps['stdout']): number {
  return stream.isTTY && stream.columns !== undefined ? Math.min(stream.columns, HELP_WIDTH) : HELP_WIDTH;
}

/** The default as help shows it: given text, a setting's chain, or the plain value. */
function defaultHelp(spec: FlagSpec): string | undefined {
  if (spec.defaultHelp !== undefined) return spec.defaultHelp;
  if (spec.setting !== undefined) {
    const setting = settingSpec(spec.setting);
    return setting?.default === undefined ? `config ${spec.setting}` : `config ${spec.setting}, else ${String(setting.default)}`;
  }
  if (spec.default === undefined || spec.kind === 'list' || spec.kind === 'boolean') return undefined;
  return String(spec.default);
}

const collect =
  (parse: ((raw: string) => unknown) | undefined) =>
  (value: string, previous: unknown[] | undefined): unknown[] => [...(previous ?? []), parse ? parse(value) : value];

function optionFor(flags: string, description: string, spec: FlagSpec): Option {
  const option = new Option(flags, description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.kind === 'list') option.argParser(collect(spec.parse));
  else if (spec.parse) option.argParser(spec.parse);
  if (spec.hidden) option.hideHelp();
  return option;
}

function addFlags(cmd: Command, flags: Readonly<Record<string, FlagSpec>>): void {
  for (const spec of Object.values(flags)) {
    cmd.addOption(optionFor(spec.flags, helpWithDefault(spec.help, defaultHelp(spec)), spec));
    if (spec.negate !== undefined) cmd.addOption(new Option(`--no-${flagAttributeName(spec.flags)}`, spec.negate));
    const long = /--[\w-]+/.exec(spec.flags)?.[0] ?? spec.flags;
    for (const alias of spec.aliases ?? []) cmd.addOption(optionFor(alias, `alias of ${long}`, spec).hideHelp());
  }
}

/** `--max-tokens <n>` → `max-tokens` (the long name without dashes). */
function flagAttributeName(flags: string): string {
  return /--([\w-]+)/.exec(flags)?.[1] ?? flags;
}

function addArgs(cmd: Command, spec: AnyCommand): void {
  for (const a of Object.values(spec.args ?? {}) as Array<{ syntax: string; help: string }>) cmd.argument(a.syntax, a.help);
}

/** The typed input of `spec` from a parsed command: flags (aliases merged, fallbacks and defaults applied) and positionals. */
export function inputFor(spec: AnyCommand, cmd: Command, ctx: Context): Record<string, unknown> {
  const opts = cmd.opts();
  const input: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(spec.flags as Record<string, FlagSpec>)) {
    let value = opts[flagAttribute(f.flags)];
    // A switch spelled `--no-x` with no `--x`: commander keeps `x`, true unless the switch is given;
    // the command's input is whether it was given (`noWait: true` for --no-wait), as mmx-cli names it.
    if (f.kind === 'boolean' && f.negate === undefined && longName(f.flags).startsWith('--no-')) value = value === false ? true : undefined;
    for (const alias of f.aliases ?? []) {
      const extra = opts[flagAttribute(alias)];
      if (extra === undefined) continue;
      value = f.kind === 'list' ? [...((value as unknown[] | undefined) ?? []), ...(extra as unknown[])] : (value ?? extra);
    }
    if (value === undefined && f.setting !== undefined) value = fallbackValue(f.setting, ctx.deps.env, ctx.file)[0];
    if (value === undefined && f.default !== undefined) value = Array.isArray(f.default) ? [...f.default] : f.default;
    input[key] = value;
  }
  const names = Object.keys(spec.args ?? {});
  names.forEach((name, i) => {
    input[name] = cmd.processedArgs[i];
  });
  return input;
}

type Invoke = (spec: AnyCommand | undefined, cmd: Command) => Promise<void>;

function rootFooter(): string {
  return [
    `Environment: ${environmentNames().join(', ')} ("mmx help environment" says what each does). ` +
      'Settings are also read from ~/.mmx/config.json ("mmx config show").',
    '',
    EXIT_CODES,
    '',
    'API docs: https://platform.minimax.io/docs (cn: https://platform.minimaxi.com/docs).',
  ].join('\n');
}

function addGlobalOptions(program: Command): void {
  for (const setting of SETTINGS) {
    if (!('flag' in setting) || setting.flag === undefined) continue;
    const option = new Option(setting.flag, settingHelp(setting));
    if ('choices' in setting && setting.choices) option.choices(setting.choices);
    program.addOption(option);
  }
  program.option('-v, --version', 'print the version');
}

/**
 * Builds the commander tree from the registry; every action goes through `invoke`.
 * With `scope` (the path argv names), only that branch is built: the ancestors, the
 * command, or a named group's children. A run pays for the commands it uses, not
 * for every option of every command (help and completion build the whole tree).
 */
export function createProgram(deps: Deps, invoke: Invoke, scope?: readonly string[]): Command {
  const scopeIsCommand = scope !== undefined && COMMANDS.some((c) => c.path.join(' ') === scope.join(' '));
  const wanted = (path: readonly string[]): boolean => {
    if (scope === undefined) return true;
    // An ancestor of the target, or the target itself.
    if (path.length <= scope.length) return path.every((word, i) => scope[i] === word);
    // A group named alone: commander shows its help, which lists its commands.
    return !scopeIsCommand && path.length === scope.length + 1 && scope.every((word, i) => path[i] === word);
  };
  const program = new Command('mmx');
  const extras = new WeakMap<Command, HelpExtras>();
  program
    .description(ROOT_SUMMARY)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
      outputError: () => undefined, // rendered by runProgram, as text or JSON
      // Help wraps at the terminal's width, at most 80 columns (and 80 off a terminal), so it
      // reads well everywhere and the build can render it once for bin/mmx (see bin/fast-path.js).
      getOutHelpWidth: () => helpWidth(deps.stdout),
      getErrHelpWidth: () => helpWidth(deps.stderr),
    })
    .configureHelp({
      showGlobalOptions: false,
      sortSubcommands: false,
      displayWidth: (text: string) => displayWidth(text.replace(/\u001b\[[0-9;]*m/g, '')),
      formatHelp: (cmd: Command, helper: Help) => formatHelp(cmd, helper, extras.get(cmd), { footer: rootFooter() }),
      formatItem,
    })
    .showSuggestionAfterError(true)
    .helpCommand(true);
  addGlobalOptions(program);
  program.action(async () => invoke(undefined, program));
  extras.set(program, { examples: ROOT_EXAMPLES });

  const nodes = new Map<string, Command>([['', program]]);
  const parentOf = (path: readonly string[]): Command => {
    const parent = nodes.get(path.slice(0, -1).join(' '));
    if (!parent) throw new Error(`registry: no group for ${path.join(' ')}`);
    return parent;
  };
  for (const group of GROUPS) {
    if (!wanted(group.path)) continue;
    const cmd = parentOf(group.path)
      .command(group.path.at(-1) as string)
      .description(group.summary);
    nodes.set(group.path.join(' '), cmd);
    const only = shortcutOf(group);
    if (only) {
      // Reached only by `mmx quota --help` and the like: runProgram rewrites `mmx quota …` to `mmx quota show …`.
      // The action also keeps commander from listing a `help` subcommand, as for any runnable command.
      extras.set(cmd, { examples: group.examples ?? only.examples });
      cmd.action(async () => invoke(only, cmd));
    } else if (group.examples) {
      extras.set(cmd, { examples: group.examples });
    }
  }
  for (const spec of COMMANDS) {
    if (!wanted(spec.path)) continue;
    const parent = parentOf(spec.path);
    const cmd = parent.command(spec.path.at(-1) as string, spec.hidden ? { hidden: true } : {}).description(spec.summary);
    if (spec.aliases) cmd.aliases(spec.aliases);
    addFlags(cmd, spec.flags);
    addArgs(cmd, spec);
    extras.set(cmd, { examples: spec.examples, notes: spec.notes });
    cmd.action(async () => invoke(spec, cmd));
    nodes.set(spec.path.join(' '), cmd);
  }

  // Only the root takes extra words (to name an unknown command); set after the
  // subcommands exist, because .command() copies the parent's settings.
  program.allowExcessArguments(true);
  return program;
}

/** Every command path that has help, by a walk of the built tree (hidden commands left out). */
export function helpPaths(program: Command): string[][] {
  const out: string[][] = [];
  const walk = (cmd: Command, path: string[]) => {
    out.push(path);
    for (const sub of cmd.commands) {
      if ((sub as unknown as { _hidden?: boolean })._hidden) continue;
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(program, []);
  return out;
}

const NO_OUTPUT: Deps['stdout'] = { write: () => undefined, writeAndDrain: async () => undefined, isTTY: false };

/** Every command path with help, from a walk of the tree built from the registry (for the help snapshot). */
export function listHelpPaths(): string[][] {
  const deps = { stdout: NO_OUTPUT, stderr: NO_OUTPUT } as Deps;
  return helpPaths(createProgram(deps, async () => undefined));
}

/** The argument vectors the build runs to warm the code cache: each command's own, and `--help` of every path. */
export function warmupArgvs(): string[][] {
  return COMMANDS.flatMap((c) => (c.warmup ?? []).map((argv: readonly string[]) => [...argv]));
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

/**
 * Runs argv and returns the exit code. Output that could not be written (a full disk) overrides
 * it: exit 1 with "write error", never a silent 0 with the output lost.
 */
export async function runProgram(argv: string[], deps: Deps): Promise<number> {
  const json = { value: earlyJson(argv, deps) };
  const code = await runCommand(argv, deps, json);
  if (deps.stdout.flush && !deps.stdout.closed && !deps.stdout.writeError) {
    // Never held up by a reader that stopped reading: Ctrl-C still ends the run.
    await orAbort(deps.stdout.flush(), deps.signal).catch(() => undefined);
  }
  const failed = deps.stdout.writeError;
  if (failed === undefined) return code;
  return renderError(new CliError(ExitCode.GENERAL, `write error: ${describeWriteError(failed)}.`), {
    stderr: deps.stderr,
    json: json.value,
    theme: await loadTheme(colorLevel(deps.env, argv.includes('--no-color') ? false : undefined, deps.stderr.isTTY)),
    verbose: false,
  });
}

/** The stored key, for masking, when the run failed before its context could read it; none if unreadable. */
function storedKey(configDir: string): string[] {
  try {
    const key = readConfig(configDir).api_key;
    return typeof key === 'string' ? [key] : [];
  } catch {
    return [];
  }
}

/** `ENOSPC: no space left on device, write` → `no space left on device (ENOSPC)`. */
function describeWriteError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  const text = error.message.replace(/^[A-Z0-9_]+: /, '').replace(/, \w+$/, '');
  return code ? `${text} (${code})` : text;
}

async function runCommand(argv: string[], deps: Deps, output: { value: boolean }): Promise<number> {
  let ctx: Context | undefined;
  let result = 0;
  let program: Command | undefined;
  const invoke: Invoke = async (spec, cmd) => {
    const globals = cmd.optsWithGlobals() as GlobalFlags;
    // The one place that answers --version inside the bundle (bin/fast-path.js answers a bare one first).
    if (globals.version === true) {
      deps.stdout.write(`mmx ${VERSION}\n`);
      return;
    }
    if (spec === undefined) {
      const [word] = cmd.args;
      if (word !== undefined) {
        const known = cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => c.name());
        throw new UsageError(`Unknown command "${word}".`, { hint: `Commands: ${known.join(', ')}. See "mmx --help".` });
      }
      cmd.outputHelp();
      return;
    }
    ctx = await Context.create(deps, globals, {
      mayReplaceBrokenConfig: spec.needs.replaceBrokenConfig === true,
      mayCreateProfile: spec.needs.createsProfile === true,
    });
    const input = inputFor(spec, cmd, ctx);
    spec.validate?.(input);
    result = (await spec.run(ctx, input)) ?? 0;
  };
  try {
    if (argv.length === 0) {
      createProgram(deps, invoke).outputHelp();
      return 0;
    }
    const verbatim = COMMANDS.find((c) => c.verbatim && c.path.every((word: string, i: number) => argv[i] === word));
    let words: string[];
    let scope: string[] | undefined;
    if (verbatim) {
      words = [...verbatim.path, '--', ...argv.slice(verbatim.path.length)];
      scope = [...verbatim.path];
    } else {
      const asked = rewriteHelp(argv);
      if (asked[0] === 'help' && asked[1] === 'environment') {
        deps.stdout.write(environmentHelp(helpWidth(deps.stdout)));
        return 0;
      }
      words = expandShortcut(normalizeBooleans(asked));
      scope = checkCommandWords(words);
      const end = words.indexOf('--');
      const flags = end < 0 ? words : words.slice(0, end);
      // Help lists every command: build the whole tree then.
      if (flags.includes('--help') || flags.includes('-h')) scope = undefined;
    }
    program = createProgram(deps, invoke, scope);
    await program.parseAsync(words, { from: 'user' });
    if (ctx) output.value = ctx.json;
    return deps.stdout.closed ? 0 : result;
  } catch (error) {
    if (ctx) output.value = ctx.json;
    if (deps.stdout.writeError) return ExitCode.GENERAL; // runProgram says why
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
      if (error.hint) deps.stderr.write(`${error.hint}\n`);
      return ExitCode.INTERRUPTED;
    }
    const flags = (program?.opts() ?? {}) as GlobalFlags;
    // Every key the run knew (the context's: config, stdin, the prompt), and those it may not have got to.
    const secrets = [
      ...(ctx?.secrets ?? storedKey(deps.configDir)),
      deps.env.MINIMAX_API_KEY ?? '',
      ...argv.flatMap((arg, i) => (argv[i - 1] === '--api-key' ? [arg] : arg.startsWith('--api-key=') ? [arg.slice(10)] : [])),
    ];
    return renderError(error, {
      secrets,
      stderr: deps.stderr,
      json,
      theme: await loadTheme(colorLevel(deps.env, flags.color === false ? false : undefined, deps.stderr.isTTY)),
      verbose: ctx ? ctx.settings.verbose : flags.verbose === true,
    });
  }
}
