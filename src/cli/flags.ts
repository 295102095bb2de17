/**
 * Flag and positional-argument specs: what a command declares about each input,
 * once. The commander options, the help text (defaults included), the typed
 * input a command's `run` receives, shell completion and `config export-schema`
 * are all derived from these values.
 */
import { InvalidArgumentError } from 'commander';
import type { Context } from './context.js';

export type FlagKind = 'string' | 'number' | 'boolean' | 'list' | 'choice';

/**
 * Values that exist only at run time (profiles, conversation ids). The completion
 * table names the source, so bin/fast-path.js knows it cannot answer from the build
 * and leaves the word to the bundle's `__complete`, which calls `values`.
 */
export interface DynamicCompletion {
  /** The source's name in the completion table: one name, one source, across the registry. */
  readonly dynamic: string;
  /** The values on offer (unfiltered); `words` are the words typed after `mmx`. */
  values(ctx: Context, words: readonly string[]): Promise<readonly string[]>;
}

/** How a shell should complete a flag's value: file names, nothing, or values known at run time. */
export type Completion = 'file' | 'none' | DynamicCompletion;

export interface FlagSpec<T = unknown> {
  readonly kind: FlagKind;
  /** Commander syntax: `--max-tokens <n>`, `--stream`, `-c, --continue`. */
  readonly flags: string;
  /** One line of help, without the default (it is added from `default`/`defaultHelp`). */
  readonly help: string;
  readonly default?: unknown;
  /** The default as help shows it, when it is not simply `String(default)`. */
  readonly defaultHelp?: string | undefined;
  /** A setting (config key) whose flag > env > config > default chain fills the flag when it is absent. */
  readonly setting?: string | undefined;
  readonly choices?: readonly string[] | undefined;
  readonly hidden?: boolean | undefined;
  /** Turns one raw value into the typed one; throws InvalidArgumentError (commander reports it, exit 2). */
  readonly parse?: ((raw: string) => unknown) | undefined;
  /** For a boolean: the help of its `--no-…` form, which is then accepted too. */
  readonly negate?: string | undefined;
  /** Other spellings accepted for this flag (hidden from help), e.g. mmx-cli's undeclared `--prompt`. */
  readonly aliases?: readonly string[] | undefined;
  readonly required?: boolean | undefined;
  readonly complete?: Completion | undefined;
  /** Never written: carries the input type for inference. */
  readonly __value?: T;
}

export interface ArgSpec<T = unknown> {
  /** Commander syntax: `<name>`, `[name]`, `[words...]`. */
  readonly syntax: string;
  readonly help: string;
  readonly complete?: Completion | undefined;
  /** Values offered by shell completion (not enforced: the command checks, with its own message). */
  readonly choices?: readonly string[] | undefined;
  readonly __value?: T;
}

export type FlagMap = Readonly<Record<string, FlagSpec>>;
export type ArgMap = Readonly<Record<string, ArgSpec>>;

/** The typed input of a command: one field per flag and per positional argument. */
export type InputOf<F extends FlagMap, A extends ArgMap> = {
  -readonly [K in keyof F]: F[K] extends FlagSpec<infer T> ? T : never;
} & {
  -readonly [K in keyof A]: A[K] extends ArgSpec<infer T> ? T : never;
};

interface Common {
  hidden?: boolean;
  aliases?: readonly string[];
  required?: boolean;
  /** The default as help shows it, when the command decides it (`--download`: a temporary path). */
  defaultHelp?: string;
}

// --- value parsers (each names the flag in its message; commander adds the value) ---

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
      throw new InvalidArgumentError(`${name} must be a positive whole number.`);
    }
    return n;
  };
}

export function wholeNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`${name} must be a whole number (0 or more).`);
    }
    return n;
  };
}

export function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a number greater than 0.`);
    return n;
  };
}

export function unitInterval(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1) {
      throw new InvalidArgumentError(`${name} must be a number greater than 0 and at most 1.`);
    }
    return n;
  };
}

/**
 * A number within a documented range (`--speed` 0.5 to 2, `--pitch` a whole number
 * from -12 to 12): refused before anything is sent. `above` makes `min` exclusive.
 */
export function numberIn(name: string, range: { min: number; max: number; above?: boolean; integer?: boolean }) {
  const what = `${range.integer ? 'a whole number' : 'a number'} ${range.above ? `above ${range.min} and up to` : `from ${range.min} to`} ${range.max}`;
  return (value: string): number => {
    const n = Number(value);
    const ok =
      value.trim() !== '' &&
      Number.isFinite(n) &&
      (range.above ? n > range.min : n >= range.min) &&
      n <= range.max &&
      (!range.integer || Number.isInteger(n));
    if (!ok) throw new InvalidArgumentError(`${name} must be ${what}.`);
    return n;
  };
}

/** The long name of a flag (`--max-tokens`), for messages. */
export function longName(flags: string): string {
  return /--[\w-]+/.exec(flags)?.[0] ?? flags;
}

// --- constructors: the return type carries the input type ---

function make<T>(spec: Omit<FlagSpec<T>, '__value'>): FlagSpec<T> {
  return spec;
}

export const flag = {
  /** A string value; with a `setting`, absent flags fall back to env/config/default, so it is always set. */
  string<O extends Common & { setting?: string; default?: string; defaultHelp?: string; complete?: Completion }>(
    flags: string,
    help: string,
    options?: O,
  ): FlagSpec<O extends { setting: string } | { default: string } ? string : string | undefined> {
    return make({ kind: 'string', flags, help, ...options });
  },

  /** A file path (completed by the shell's own file completion). */
  path<O extends Common & { defaultHelp?: string }>(flags: string, help: string, options?: O): FlagSpec<string | undefined> {
    return make({ kind: 'string', flags, help, complete: 'file', ...options });
  },

  /** A number checked by `parse` (positiveInt, unitInterval, …). */
  number<O extends Common & { default?: number; parse: (raw: string) => number }>(
    flags: string,
    help: string,
    options: O,
  ): FlagSpec<O extends { default: number } ? number : number | undefined> {
    return make({ kind: 'number', flags, help, ...options });
  },

  /** On/off. `negate` adds the `--no-…` form; absent means undefined (the command decides). */
  boolean<O extends Common & { negate?: string; defaultHelp?: string }>(
    flags: string,
    help: string,
    options?: O,
  ): FlagSpec<boolean | undefined> {
    return make({ kind: 'boolean', flags, help, ...options });
  },

  /** Repeatable; values in the order given. */
  list<O extends Common & { complete?: Completion }>(flags: string, help: string, options?: O): FlagSpec<string[]> {
    return make({ kind: 'list', flags, help, default: [], ...options });
  },

  /** One of a fixed set (completed from the set). */
  choice<const C extends readonly string[], O extends Common & { default?: C[number]; defaultHelp?: string }>(
    flags: string,
    choices: C,
    help: string,
    options?: O,
  ): FlagSpec<O extends { default: C[number] } ? C[number] : C[number] | undefined> {
    return make({ kind: 'choice', flags, help, choices, ...options });
  },
};

interface ArgOptions {
  complete?: Completion;
  choices?: readonly string[];
}

export const arg = {
  optional(syntax: `[${string}]`, help: string, options: ArgOptions = {}): ArgSpec<string | undefined> {
    return { syntax, help, ...options };
  },
  required(syntax: `<${string}>`, help: string, options: ArgOptions = {}): ArgSpec<string> {
    return { syntax, help, ...options };
  },
  /** `[words...]`: every remaining word. */
  rest(syntax: `[${string}...]`, help: string, options: ArgOptions = {}): ArgSpec<string[]> {
    return { syntax, help, ...options };
  },
};

/** The help line of a flag: its text and, when it has one, its default. */
export function helpWithDefault(help: string, defaultHelp: string | undefined): string {
  return defaultHelp === undefined ? help : `${help} (default: ${defaultHelp})`;
}
