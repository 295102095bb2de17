/**
 * A command is one file that declares itself: `defineCommand({...})` with its
 * path, summary, positionals, flags (typed by `flag.*`), examples, what it
 * needs, an optional pure `validate`, and `run(ctx, input)`, whose `input` type
 * is inferred from the flags and arguments. Groups (`auth`, `text`) are plain
 * values. `registry.ts` lists them all; everything else is derived from it.
 */
import type { Context } from './context.js';
import type { ArgMap, FlagMap, InputOf } from './flags.js';

/** What a command needs from its surroundings; the program acts on each. */
export interface Needs {
  /** Talks to the API with a key (exit 3 without one). Tools for agents (`config export-schema`) are these. */
  readonly key: boolean;
  /** May replace a config file it cannot parse (the broken file is kept aside first): login. */
  readonly replaceBrokenConfig?: boolean;
  /** Stores a login into the profile --profile names, which may not exist yet (login); others exit 2 on an unknown name. */
  readonly createsProfile?: boolean;
  /** Prompts on a terminal (a key, a confirmation) or reads stdin as data. */
  readonly interactive?: boolean;
}

export interface CommandSpec<F extends FlagMap = FlagMap, A extends ArgMap = ArgMap> {
  /** The words that name it: `['auth', 'login']`. */
  readonly path: readonly string[];
  /** Other names for its last word (`speech generate` for `speech synthesize`). */
  readonly aliases?: readonly string[];
  /** One line, lower case, as help lists it. */
  readonly summary: string;
  readonly flags: F;
  /** Positional arguments, in order. */
  readonly args?: A;
  /** Shown after the options in help, each prefixed with `$ `. */
  readonly examples?: readonly string[];
  /** A paragraph after the examples (help only). */
  readonly notes?: string;
  readonly needs: Needs;
  /** The hint when a positional is given that the command does not take (`mmx text chat hello` → use --message). */
  strayHint?(word: string): string;
  /** Neither in help, nor in completion or export-schema (`__complete`). */
  readonly hidden?: boolean;
  /**
   * Its words are data, passed to its rest argument exactly as typed: none is read
   * as a flag, not even `--help` (`__complete`, whose words are a command line).
   */
  readonly verbatim?: boolean;
  /** Pure checks of flag combinations, before anything is read or sent; throws UsageError. */
  validate?(input: InputOf<F, A>): void;
  /** Argument vectors the build runs against the emulator to warm the V8 code cache of this command's code. */
  readonly warmup?: readonly (readonly string[])[];
  run(ctx: Context, input: InputOf<F, A>): Promise<number | void>;
}

export interface GroupSpec {
  readonly path: readonly string[];
  readonly summary: string;
  /**
   * mmx-cli's shortcut: a group with exactly one command runs it when named alone
   * (`mmx quota`, `mmx image "a cat"`). On by default for such groups; `false`
   * keeps a group that will gain commands (`text`, before `text repl`) a plain group.
   */
  readonly shortcut?: false;
  /** The command the group runs when named alone, when it has several (`mmx text history` lists). */
  readonly defaultCommand?: string;
  /** Shown in the group's help (a group with one command shows that command's examples). */
  readonly examples?: readonly string[];
}

/** Identity at run time; at compile time it ties `run`'s input to the declared flags and arguments. */
export function defineCommand<const F extends FlagMap, const A extends ArgMap = Record<never, never>>(
  spec: CommandSpec<F, A>,
): CommandSpec<F, A> {
  return spec;
}

export function defineGroup(spec: GroupSpec): GroupSpec {
  return spec;
}

/** A command of any shape, as the registry holds it. */
export type AnyCommand = CommandSpec<any, any>;
