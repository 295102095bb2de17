/**
 * What runProgram does to argv before commander parses it, each a pure function
 * of argv and the registry: mmx-cli's boolean spellings (`--stream=false`), the
 * group shortcut (`mmx quota` → `mmx quota show`), `mmx help …`, and the check
 * that every command word names a command (one-line did-you-mean errors, and a
 * stray positional pointed at the flag it was meant for).
 */
import { SETTINGS } from '../config/settings.js';
import { UsageError } from '../errors.js';
import type { AnyCommand, GroupSpec } from './command.js';
import type { FlagSpec } from './flags.js';
import { COMMANDS, GROUPS } from './registry.js';

/** The command a group runs when named alone: its one command (mmx-cli's shortcut), or its declared default. */
export function shortcutOf(group: GroupSpec): AnyCommand | undefined {
  if (group.shortcut === false) return undefined;
  const prefix = `${group.path.join(' ')} `;
  const children = COMMANDS.filter((c) => !c.hidden && c.path.length === group.path.length + 1 && c.path.join(' ').startsWith(prefix));
  if (group.defaultCommand !== undefined) return children.find((c) => c.path.at(-1) === group.defaultCommand);
  return children.length === 1 ? children[0] : undefined;
}

/** Global flags that take a value (`--region cn`), to skip their values when looking for command words. */
const VALUE_FLAGS = new Set(SETTINGS.flatMap((s) => ('flag' in s && s.flag?.includes('<') ? [/--[\w-]+/.exec(s.flag)?.[0] ?? ''] : [])));

/**
 * `mmx quota …` → `mmx quota show …` for a shortcut group named without one of its
 * commands, so the command's own flags and positionals parse as its own. `--help`
 * on the group itself still shows the group.
 */
export function expandShortcut(argv: readonly string[]): string[] {
  const words: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') break;
    if (token.startsWith('-')) {
      if (VALUE_FLAGS.has(token)) i++;
      continue;
    }
    words.push(i);
  }
  for (const group of GROUPS) {
    const only = shortcutOf(group);
    if (!only || group.path.some((word, k) => argv[words[k] ?? -1] !== word)) continue;
    const at = words[group.path.length];
    const next = at === undefined ? undefined : argv[at];
    const name = only.path.at(-1) as string;
    const prefix = `${group.path.join(' ')} `;
    const named = COMMANDS.some(
      (c) =>
        c.path.length === group.path.length + 1 &&
        c.path.join(' ').startsWith(prefix) &&
        (c.path.at(-1) === next || (c.aliases ?? []).includes(next as string)),
    );
    if (named || next === 'help') return [...argv];
    if (argv.includes('--help') || argv.includes('-h')) return [...argv];
    const insertAt = (words[group.path.length - 1] as number) + 1;
    return [...argv.slice(0, insertAt), name, ...argv.slice(insertAt)];
  }
  return [...argv];
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** Every on/off flag, by long name, and whether its `--no-…` form exists. */
function booleanFlags(): Map<string, { negatable: boolean }> {
  const out = new Map<string, { negatable: boolean }>();
  for (const setting of SETTINGS) {
    if ('boolean' in setting && setting.boolean && 'flag' in setting && setting.flag)
      out.set(/--[\w-]+/.exec(setting.flag)?.[0] ?? '', { negatable: false });
  }
  for (const spec of COMMANDS) {
    for (const f of Object.values(spec.flags as Record<string, FlagSpec>)) {
      if (f.kind !== 'boolean') continue;
      const long = /--[\w-]+/.exec(f.flags)?.[0] ?? '';
      out.set(long, { negatable: f.negate !== undefined });
    }
  }
  return out;
}

/**
 * mmx-cli's boolean spellings: `--stream=false`, `--quiet=true`, and 1/0, yes/no, on/off.
 * True becomes the bare flag, false its `--no-…` form where there is one, else nothing
 * (`--quiet=false` is the default). Anything else is a usage error naming the flag.
 */
export function normalizeBooleans(argv: readonly string[]): string[] {
  const flags = booleanFlags();
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const eq = token.indexOf('=');
    const name = eq > 2 && token.startsWith('--') ? token.slice(0, eq) : undefined;
    const known = name === undefined ? undefined : flags.get(name);
    if (name === undefined || known === undefined) {
      out.push(token);
      continue;
    }
    const word = token
      .slice(eq + 1)
      .trim()
      .toLowerCase();
    if (TRUE_WORDS.has(word)) out.push(name);
    else if (FALSE_WORDS.has(word)) {
      if (known.negatable) out.push(`--no-${name.slice(2)}`);
      else if (name.startsWith('--no-')) continue; // `--no-color=false`: colour stays on
    } else {
      throw new UsageError(`${name} is on or off: true/false, 1/0, yes/no or on/off (got "${token.slice(eq + 1)}").`);
    }
  }
  return out;
}

/** Damerau-free Levenshtein distance, for did-you-mean. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

/** The closest names to a typo, if any is close enough (at most 2 edits, or a transposition). */
export function suggest(word: string, names: readonly string[]): string | undefined {
  const sorted = (w: string) => [...w].sort().join('');
  const scored = names
    .map((name) => ({ name, d: sorted(name) === sorted(word) && name.length === word.length ? 1 : distance(word, name) }))
    .filter((x) => x.d <= Math.min(2, Math.max(1, Math.floor(word.length / 3))))
    .sort((x, y) => x.d - y.d);
  return scored[0]?.name;
}

interface Node {
  path: string[];
  group?: GroupSpec;
  command?: AnyCommand;
}

/** The command words below a path: subcommands and groups, with aliases. */
function childrenOf(path: readonly string[]): Map<string, Node> {
  const out = new Map<string, Node>();
  const depth = path.length;
  const under = (p: readonly string[]) => p.length === depth + 1 && path.every((w, i) => p[i] === w);
  for (const group of GROUPS) if (under(group.path)) out.set(group.path[depth] as string, { path: [...group.path], group });
  for (const command of COMMANDS) {
    if (!under(command.path)) continue;
    const node = { path: [...command.path], command };
    out.set(command.path[depth] as string, node);
    for (const alias of command.aliases ?? []) out.set(alias, node);
  }
  return out;
}

/** The value-taking flags of a command (its own and the global ones), so their values are not read as words. */
function valueFlags(command: AnyCommand | undefined): Set<string> {
  const out = new Set(VALUE_FLAGS);
  for (const f of Object.values((command?.flags ?? {}) as Record<string, FlagSpec>)) {
    if (f.kind === 'boolean') continue;
    for (const spelling of [f.flags, ...(f.aliases ?? [])])
      for (const word of spelling.split(/[\s,]+/)) if (word.startsWith('-')) out.add(word);
  }
  return out;
}

const visibleNames = (children: Map<string, Node>) => [
  ...new Set([...children.entries()].filter(([name, node]) => name === node.path.at(-1) && !node.command?.hidden).map(([name]) => name)),
];

/**
 * Checks the command words of argv against the registry before commander sees
 * them: an unknown command (also with --help, which commander would answer with
 * the root help) is a one-line usage error with a did-you-mean; a positional a
 * command does not take is an error that says what to pass instead. Returns the
 * path the words name (a command, or a group named alone).
 */
export function checkCommandWords(argv: readonly string[]): string[] {
  let node: Node = { path: [] };
  let children = childrenOf([]);
  let positionals = 0;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') return node.path;
    if (token.startsWith('-')) {
      if (!token.includes('=') && valueFlags(node.command).has(token)) i++;
      continue;
    }
    if (node.command) {
      const args = Object.values((node.command.args ?? {}) as Record<string, { syntax: string }>);
      const rest = args.some((a) => a.syntax.endsWith('...]'));
      if (rest || positionals < args.length) {
        positionals++;
        continue;
      }
      const spelled = node.path.join(' ');
      throw new UsageError(`Unexpected argument "${token}" for "mmx ${spelled}".`, {
        hint:
          node.command.strayHint?.(token) ??
          `"mmx ${spelled}" takes ${args.length === 0 ? 'no' : `at most ${args.length}`} positional argument${args.length === 1 ? '' : 's'}; see "mmx ${spelled} --help".`,
      });
    }
    if (node.path.length === 0 && token === 'help') return node.path; // `mmx help …` is rewritten before this check
    const next = children.get(token);
    if (!next) {
      const where = node.path.length === 0 ? 'mmx' : `mmx ${node.path.join(' ')}`;
      const names = visibleNames(children);
      const close = suggest(token, names);
      throw new UsageError(
        `Unknown command "${node.path.length === 0 ? token : `${node.path.join(' ')} ${token}`}".${close ? ` Did you mean "${close}"?` : ''}`,
        {
          hint: `Commands of ${where}: ${names.join(', ')}. See "${where} --help".`,
        },
      );
    }
    node = next;
    children = childrenOf(next.path);
  }
  return node.path;
}

/** `mmx help [command…]` → `mmx [command…] --help`; `mmx help environment` is a topic of its own. */
export function rewriteHelp(argv: readonly string[]): string[] {
  if (argv[0] !== 'help') return [...argv];
  const words = argv.slice(1);
  if (words.length === 1 && words[0] === 'environment') return [...argv];
  return [...words, '--help'];
}
