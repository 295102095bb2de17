/**
 * How help reads. A command's own options come first and the global ones once,
 * compactly (the root lists them in full); examples and notes follow, wrapped
 * at the terminal's width like the rest (down to 40 columns); the root names the
 * environment variables and the config file, and `mmx help environment` says
 * what each does, from the settings table.
 */
import type { Command, Help } from 'commander';
import { SETTINGS } from '../config/settings.js';
import { displayWidth } from '../output/text-width.js';

export interface HelpExtras {
  examples?: readonly string[] | undefined;
  notes?: string | undefined;
}

/** Wraps `text` to `width`, every line after the first indented by `indent` (commander's boxWrap has no hanging indent). */
function wrap(text: string, width: number, first: string, indent: string): string {
  const words = text.split(/ +/);
  const lines: string[] = [];
  let line = first;
  let bare = true;
  for (const word of words) {
    const candidate = bare ? `${line}${word}` : `${line} ${word}`;
    if (!bare && displayWidth(candidate) > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = candidate;
    }
    bare = false;
  }
  lines.push(line);
  return lines.join('\n');
}

function paragraph(text: string, helper: Help): string {
  return helper.boxWrap(text, helper.helpWidth ?? 80);
}

/** The global flags by their long names, for the compact line under a command's own options. */
function globalFlagNames(): string[] {
  return SETTINGS.flatMap((s) => ('flag' in s && s.flag ? [/--[\w-]+/.exec(s.flag)?.[0] ?? s.flag] : []));
}

const ENV_ONLY = [
  ['MMX_CONFIG_DIR', 'the directory of config.json (default: ~/.mmx)'],
  ['MINIMAX_CN_BASE_URL, MINIMAX_GLOBAL_BASE_URL', "replace a region's host, api.minimax.cn or api.minimax.io (gateways, tests)"],
  ['MINIMAX_CN_ACCOUNT_URL, MINIMAX_GLOBAL_ACCOUNT_URL', "replace a region's OAuth account host (gateways, tests)"],
  ['HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY', 'proxies (http, https, socks5, socks5h), either case, lower case first'],
  ['NO_COLOR, FORCE_COLOR', 'colours off, or on without a terminal'],
] as const;

/** The environment variables named in the root help. */
export function environmentNames(): string[] {
  return [...SETTINGS.flatMap((s) => ('env' in s && s.env ? [s.env] : [])), ...ENV_ONLY.flatMap(([names]) => names.split(', '))];
}

/** `mmx help environment`: every variable, what it sets and its default, then the config file. */
export function environmentHelp(width: number): string {
  const rows: Array<[string, string]> = [];
  for (const s of SETTINGS) {
    if (!('env' in s) || !s.env) continue;
    const def =
      'defaultHelp' in s && s.defaultHelp
        ? s.defaultHelp
        : 'default' in s && s.default !== undefined && !('boolean' in s)
          ? String(s.default)
          : undefined;
    const flag = 'flag' in s && s.flag ? ` (${/--[\w-]+/.exec(s.flag)?.[0]})` : '';
    rows.push([s.env, `${s.help}${flag}${def ? `; default: ${def}` : ''}`]);
  }
  for (const [names, what] of ENV_ONLY) rows.push([names, what]);
  const termWidth = Math.min(24, Math.max(...rows.map(([n]) => n.length)));
  const items = rows.map(([name, what]) =>
    name.length > termWidth
      ? `  ${name}\n${wrap(what, width, ' '.repeat(termWidth + 4), ' '.repeat(termWidth + 4))}`
      : wrap(what, width, `  ${name.padEnd(termWidth)}  `, ' '.repeat(termWidth + 4)),
  );
  const stored = SETTINGS.filter((s) => s.stored).map((s) => s.key);
  return [
    wrap('Environment variables (a flag beats its variable, a variable beats config.json):', width, '', ''),
    '',
    ...items,
    '',
    wrap(
      `Config file: $MMX_CONFIG_DIR/config.json, default ~/.mmx/config.json (the file mmx-cli uses). Keys: ${stored.join(', ')}. ` +
        '"mmx config show" shows each value in effect and where it came from.',
      width,
      '',
      '',
    ),
    '',
  ].join('\n');
}

/**
 * An option or command line of help. Side by side while the description keeps at
 * least 24 columns; on a narrower terminal the description goes under the term,
 * indented, so nothing runs past the edge.
 */
export function formatItem(term: string, termWidth: number, description: string, helper: Help): string {
  const width = helper.helpWidth ?? 80;
  if (description === '') return `  ${term}`;
  if (width - termWidth - 4 >= 24) {
    const pad = ' '.repeat(termWidth - helper.displayWidth(term) + 2);
    return wrap(description, width, `  ${term}${pad}`, ' '.repeat(termWidth + 4));
  }
  return `  ${term}\n${wrap(description, width, '      ', '      ')}`;
}

/** commander's formatHelp, reordered (see the module header); `extras` gives a command's examples and notes. */
export function formatHelp(cmd: Command, helper: Help, extras: HelpExtras | undefined, rootExtras: { footer: string }): string {
  const width = helper.helpWidth ?? 80;
  const termWidth = helper.padWidth(cmd, helper);
  const item = (term: string, description: string) => helper.formatItem(term, termWidth, description, helper);
  const list = (title: string, items: string[]) => (items.length === 0 ? [] : [title, ...items, '']);
  const root = cmd.parent === null;

  const out: string[] = [wrap(`Usage: ${helper.commandUsage(cmd)}`, width, '', '  '), ''];
  const description = helper.commandDescription(cmd);
  if (description) out.push(paragraph(description, helper), '');
  out.push(
    ...list(
      'Arguments:',
      helper.visibleArguments(cmd).map((a) => item(helper.argumentTerm(a), helper.argumentDescription(a))),
    ),
  );
  const options = helper.visibleOptions(cmd).map((o) => item(helper.optionTerm(o), helper.optionDescription(o)));
  const commands = helper.visibleCommands(cmd).map((c) => item(helper.subcommandTerm(c), helper.subcommandDescription(c)));
  if (root) {
    out.push(...list('Commands:', commands), ...list('Global options (all commands):', options));
  } else {
    out.push(...list('Options:', options), ...list('Commands:', commands));
    out.push(wrap(`Global options: ${globalFlagNames().join(', ')}; see "mmx --help" and "mmx help environment".`, width, '', ''), '');
  }
  if (extras?.examples?.length) {
    out.push('Examples:', ...extras.examples.map((line) => wrap(line, width, '  $ ', '      ')), '');
  }
  if (extras?.notes) out.push(paragraph(extras.notes, helper), '');
  if (root) out.push(paragraph(rootExtras.footer, helper), '');
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
