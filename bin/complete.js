// @ts-check
'use strict';
/**
 * The completion engine: a completion table and the words typed → the candidates
 * and a directive for the shell. One place for both answerers: bin/fast-path.js
 * answers `mmx __complete` with it from dist/completion.json without loading the
 * CLI bundle (TAB is pressed often), and the bundle's hidden `__complete` command
 * uses it with the table built live, when values only known at run time are needed.
 * Plain CommonJS with JSDoc types, so bin/ can require it and esbuild can bundle it.
 *
 * Protocol of `mmx __complete <words…>` (what the scripts of `mmx completion` call):
 * - Arguments: the words typed after `mmx`, up to the cursor, as the shell split
 *   them; the last one is the word being completed, '' when the cursor follows a
 *   space. They are data: `__complete` parses none of them as its own flags.
 * - Output on stdout: one candidate per line (whole words, `--region=cn` for a
 *   `--region=c`, already filtered by the word being completed, in help order),
 *   then a last line, the directive:
 *     `:plain` offer the candidates above and nothing else (there may be none);
 *     `:file`  offer the candidates above and the shell's own file names for the
 *              word being completed (for `--flag=value`, for the part after `=`).
 *   Output whose last line is not a directive (a failed run) means "offer nothing".
 *   Exit 0 whenever a directive was printed.
 *
 * The table (dist/completion.json, written by the build from the registry; see
 * completionTable() in src/cli/completion.ts):
 *   { "globals": [Flag…], "root": Node }
 *   Node: { "name", "aliases"?: [..], "commands"?: [Node…] (a group, or the root),
 *           "shortcut"?: "show" (a group that runs this command when named alone),
 *           "flags"?: [Flag…] (its own; globals apply everywhere), "args"?: [Arg…] }
 *   Flag: { "names": ["--stream", "--no-stream"] (offered), "aliases"?: ["-h"]
 *           (accepted, never offered: short forms, hidden spellings), "value"?: true
 *           (takes a value), "repeat"?: true, "choices"?: [..], "complete"?: "file",
 *           "dynamic"?: "<source>" }
 *   Arg:  { "name", "rest"?: true, "choices"?: [..], "complete"?: "file", "dynamic"?: "<source>" }
 * A `dynamic` source's values exist only at run time (profiles, conversation ids):
 * complete() then answers `{ dynamic: source }` unless `values[source]` is given,
 * and the caller either fetches them (the bundle) or gives up (the fast path).
 */

/**
 * @typedef {{ names: string[], aliases?: string[], value?: true, repeat?: true, choices?: string[], complete?: 'file', dynamic?: string }} CompletionFlag
 * @typedef {{ name: string, rest?: true, choices?: string[], complete?: 'file', dynamic?: string }} CompletionArg
 * @typedef {{ name: string, aliases?: string[], commands?: CompletionNode[], shortcut?: string, flags?: CompletionFlag[], args?: CompletionArg[] }} CompletionNode
 * @typedef {{ globals: CompletionFlag[], root: CompletionNode }} CompletionTable
 * @typedef {'plain' | 'file'} Directive
 * @typedef {{ candidates: string[], directive: Directive }} Candidates
 * @typedef {Candidates | { dynamic: string }} Answer
 * @typedef {Readonly<Record<string, readonly string[]>>} DynamicValues
 */

/** @type {Candidates} */
const NOTHING = { candidates: [], directive: 'plain' };

/** @param {CompletionNode} node @param {string} word @returns {CompletionNode | undefined} */
function childNamed(node, word) {
  return (node.commands ?? []).find((c) => c.name === word || (c.aliases ?? []).includes(word));
}

/** The command a group runs when named alone (`mmx quota` = `mmx quota show`). @param {CompletionNode} node */
function shortcutOf(node) {
  return node.shortcut === undefined ? undefined : childNamed(node, node.shortcut);
}

/**
 * The node whose flags and positionals apply: a command itself, a shortcut group's
 * command, nothing for a plain group or the root.
 * @param {CompletionNode} node
 */
function runnableOf(node) {
  return node.commands === undefined ? node : shortcutOf(node);
}

/**
 * Flags accepted at `node`: the runnable command's own, the node's own (the root's
 * --version), and the globals.
 * @param {CompletionTable} table @param {CompletionNode} node @returns {CompletionFlag[]}
 */
function flagsAt(table, node) {
  const runnable = runnableOf(node);
  const own = runnable === undefined || runnable === node ? (node.flags ?? []) : [...(runnable.flags ?? []), ...(node.flags ?? [])];
  return [...own, ...table.globals];
}

/** @param {CompletionFlag[]} flags @param {string} name */
function flagNamed(flags, name) {
  return flags.find((f) => f.names.includes(name) || (f.aliases ?? []).includes(name));
}

/** @param {string[]} words @param {string} typed @returns {Candidates} */
function plain(words, typed) {
  return { candidates: [...new Set(words)].filter((w) => w.startsWith(typed)), directive: 'plain' };
}

/**
 * Candidates for a value (of a flag or a positional): its choices, a dynamic
 * source's values, or the shell's file names. `prefix` is put back in front
 * (`--region=` for a `--region=c`).
 * @param {CompletionFlag | CompletionArg} spec @param {string} typed @param {string} prefix @param {DynamicValues} values
 * @param {string[]} [extra] other candidates at this position (a shortcut group's commands)
 * @returns {Answer}
 */
function valuesOf(spec, typed, prefix, values, extra = []) {
  if (spec.dynamic !== undefined && values[spec.dynamic] === undefined) return { dynamic: spec.dynamic };
  const choices = spec.dynamic !== undefined ? [...(values[spec.dynamic] ?? [])] : (spec.choices ?? []);
  const answer = plain([...extra, ...choices.map((c) => prefix + c)], prefix + typed);
  return spec.complete === 'file' ? { ...answer, directive: 'file' } : answer;
}

/**
 * @param {CompletionTable} table
 * @param {readonly string[]} words the words after `mmx`, the last one being completed
 * @param {DynamicValues} [values] values of dynamic sources, by source name
 * @returns {Answer}
 */
function complete(table, words, values = {}) {
  const typed = words.length === 0 ? [''] : words;
  const current = /** @type {string} */ (typed[typed.length - 1]);
  let node = table.root;
  /** @type {Set<CompletionFlag>} */
  const given = new Set();
  let positionals = 0;
  let operandsOnly = false; // after `--`
  for (let i = 0; i < typed.length - 1; i++) {
    const word = /** @type {string} */ (typed[i]);
    if (!operandsOnly && word === '--') {
      operandsOnly = true;
      continue;
    }
    if (!operandsOnly && word.startsWith('-') && word !== '-') {
      const eq = word.startsWith('--') ? word.indexOf('=') : -1;
      const flag = flagNamed(flagsAt(table, node), eq < 0 ? word : word.slice(0, eq));
      if (flag === undefined) continue; // unknown: whether it takes a value cannot be known
      given.add(flag);
      if (flag.value && eq < 0) {
        // The next word is its value, even one starting with `-` (as commander reads it).
        if (i + 1 === typed.length - 1) return valuesOf(flag, current, '', values);
        i++;
      }
      continue;
    }
    if (positionals === 0 && node.commands !== undefined) {
      const child = childNamed(node, word);
      if (child !== undefined) {
        node = child;
        continue;
      }
      const only = shortcutOf(node);
      if (only === undefined) return NOTHING; // an unknown command: nothing sensible follows
      node = only; // `mmx quota …` runs `mmx quota show …`: the word is its first positional
    }
    positionals++;
  }

  const flags = flagsAt(table, node);
  /** Long names not yet given (or repeatable), in table order. */
  const flagNames = () => flags.filter((f) => f.repeat || !given.has(f)).flatMap((f) => f.names);
  if (!operandsOnly && current.startsWith('--') && current.includes('=')) {
    const eq = current.indexOf('=');
    const flag = flagNamed(flags, current.slice(0, eq));
    return flag?.value ? valuesOf(flag, current.slice(eq + 1), current.slice(0, eq + 1), values) : NOTHING;
  }
  if (!operandsOnly && current.startsWith('-')) return plain(flagNames(), current);

  const commands = positionals === 0 && node.commands !== undefined ? node.commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]) : [];
  const runnable = runnableOf(node);
  const args = runnable?.args ?? [];
  const last = args[args.length - 1];
  const arg = args[positionals] ?? (last?.rest ? last : undefined);
  if (arg !== undefined) return valuesOf(arg, current, '', values, commands);
  // Where only a flag can follow (a command with no positional left), offer the flags too.
  return plain([...commands, ...(runnable !== undefined && !operandsOnly ? flagNames() : [])], current);
}

/** The lines `mmx __complete` prints for an answer. @param {Candidates} answer @returns {string} */
function formatAnswer(answer) {
  return answer.candidates.map((c) => `${c}\n`).join('') + `:${answer.directive}\n`;
}

module.exports = { complete, formatAnswer };
