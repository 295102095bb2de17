/**
 * Shell completion's view of the registry. `completionTable()` turns the groups,
 * commands and global flags (SETTINGS) into the table that bin/complete.js reads
 * (its header describes the format): the build writes it to dist/completion.json
 * for bin/fast-path.js, and the hidden `__complete` builds it live. A command
 * added to the registry is completed with no further work; hidden commands and
 * flags are accepted but never offered.
 */
import type { CompletionArg, CompletionFlag, CompletionNode, CompletionTable } from '../../bin/complete.js';
import { SETTINGS } from '../config/settings.js';
import type { AnyCommand } from './command.js';
import type { ArgSpec, Completion, DynamicCompletion, FlagSpec } from './flags.js';
import { shortcutOf } from './argv.js';
import { COMMANDS, GROUPS } from './registry.js';

/** `-c, --continue <id>` → `['-c', '--continue']`. */
function spellings(syntax: string): string[] {
  return syntax.split(/[\s,|]+/).filter((word) => word.startsWith('-'));
}

/** The table's fields for how a value completes (file names, or a run-time source). */
function valueCompletion(complete: Completion | undefined): Pick<CompletionFlag, 'complete' | 'dynamic'> {
  if (complete === 'file') return { complete: 'file' };
  if (typeof complete === 'object') return { dynamic: complete.dynamic };
  return {};
}

function flagEntry(spec: Pick<FlagSpec, 'flags' | 'kind' | 'hidden' | 'negate' | 'aliases' | 'choices' | 'complete'>): CompletionFlag {
  const own = spellings(spec.flags);
  const long = own.filter((w) => w.startsWith('--'));
  const negated = spec.negate === undefined ? [] : long.map((w) => `--no-${w.slice(2)}`);
  const offered = spec.hidden ? [] : [...long, ...negated];
  const accepted = [
    ...own.filter((w) => !w.startsWith('--')),
    ...(spec.hidden ? [...long, ...negated] : []),
    ...(spec.aliases ?? []).flatMap(spellings),
  ];
  return {
    names: offered,
    ...(accepted.length > 0 ? { aliases: accepted } : {}),
    ...(/[<[]/.test(spec.flags) ? { value: true as const } : {}),
    ...(spec.kind === 'list' ? { repeat: true as const } : {}),
    ...(spec.choices ? { choices: [...spec.choices] } : {}),
    ...valueCompletion(spec.complete),
  };
}

function argEntry(name: string, spec: ArgSpec): CompletionArg {
  return {
    name,
    ...(spec.syntax.endsWith('...]') ? { rest: true as const } : {}),
    ...(spec.choices ? { choices: [...spec.choices] } : {}),
    ...valueCompletion(spec.complete),
  };
}

function commandNode(spec: AnyCommand): CompletionNode {
  const flags = Object.values(spec.flags as Record<string, FlagSpec>).map(flagEntry);
  const args = Object.entries((spec.args ?? {}) as Record<string, ArgSpec>).map(([name, a]) => argEntry(name, a));
  return {
    name: spec.path.at(-1) as string,
    ...(spec.aliases?.length ? { aliases: [...spec.aliases] } : {}),
    ...(flags.length > 0 ? { flags } : {}),
    ...(args.length > 0 ? { args } : {}),
  };
}

/** commander's `help [command]`, on the root and on every group that is not a shortcut. */
function helpNode(siblings: readonly CompletionNode[]): CompletionNode {
  return { name: 'help', args: [{ name: 'command', choices: siblings.map((c) => c.name) }] };
}

export function completionTable(): CompletionTable {
  const root: CompletionNode & { commands: CompletionNode[] } = {
    name: 'mmx',
    commands: [],
    flags: [flagEntry({ flags: '-v, --version', kind: 'boolean' })],
  };
  const nodes = new Map<string, CompletionNode & { commands: CompletionNode[] }>([['', root]]);
  const parentOf = (path: readonly string[]) => nodes.get(path.slice(0, -1).join(' ')) as { commands: CompletionNode[] };
  for (const group of GROUPS) {
    const only = shortcutOf(group);
    const node = { name: group.path.at(-1) as string, commands: [], ...(only ? { shortcut: only.path.at(-1) as string } : {}) };
    parentOf(group.path).commands.push(node);
    nodes.set(group.path.join(' '), node);
  }
  for (const spec of COMMANDS.filter((c) => !c.hidden)) parentOf(spec.path).commands.push(commandNode(spec));
  for (const node of nodes.values()) {
    if (node.shortcut === undefined) node.commands.push(helpNode(node.commands));
  }
  const globals = SETTINGS.flatMap((s) =>
    'flag' in s && s.flag !== undefined
      ? [
          {
            ...flagEntry({ flags: s.flag, kind: 'boolean', ...('choices' in s && s.choices ? { choices: s.choices } : {}) }),
            // A run-time source (`--profile`'s names), declared by the command that also takes such a value.
            ...('dynamic' in s && s.dynamic ? { dynamic: s.dynamic } : {}),
          },
        ]
      : [],
  );
  return { globals: [...globals, flagEntry({ flags: '-h, --help', kind: 'boolean' })], root };
}

/** The run-time source a table names (`dynamic`), from the flags and positionals of the registry's commands. */
export function dynamicSource(name: string): DynamicCompletion | undefined {
  for (const spec of COMMANDS) {
    const inputs = [
      ...Object.values(spec.flags as Record<string, FlagSpec>),
      ...Object.values((spec.args ?? {}) as Record<string, ArgSpec>),
    ];
    for (const input of inputs) {
      if (typeof input.complete === 'object' && input.complete.dynamic === name) return input.complete;
    }
  }
  return undefined;
}
