/**
 * Merging mmx's settings into an agent's existing file without losing anything else in it:
 * JSON and JSONC (comments and formatting kept: jsonc-parser's edits touch only the values
 * they set), TOML (a line-level edit of the keys mmx manages, then checked by parsing: every
 * other value must come out exactly as it went in, or the merge is refused) and dotenv lines.
 * YAML is Hermes's alone (src/agents/hermes.ts). Pure: text in, text out.
 *
 * A file that cannot be parsed, or a merge that could not be done safely, is an
 * `AgentFileError` naming the file: nothing is written for any agent.
 */
import { isDeepStrictEqual } from 'node:util';
import { type ParseError, applyEdits, modify, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { CliError, ExitCode } from '../errors.js';

/** An agent's file mmx will not touch (unparsable, or a shape it cannot merge into); exit 1, nothing written, as mmx-cli. */
export class AgentFileError extends CliError {
  constructor(
    readonly path: string,
    message: string,
    hint = 'Fix the file (or move it aside) and run mmx agent setup again. No files were changed.',
  ) {
    super(ExitCode.GENERAL, message, { hint });
    this.name = 'AgentFileError';
  }
}

export type JsonPath = readonly (string | number)[];
export type JsonObject = Record<string, unknown>;

/** One value to set (`undefined` removes the property) at a path of a JSON document. */
export interface JsonEdit {
  readonly path: JsonPath;
  readonly value: unknown;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1-based line of a character offset. */
function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Parses JSON or JSONC (comments, trailing commas) whose root must be an object. */
export function parseJsonObject(text: string, label: string, path: string): JsonObject {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first !== undefined) {
    throw new AgentFileError(
      path,
      `${label} (${path}) is not valid JSON: ${printParseErrorCode(first.error)} on line ${lineOf(text, first.offset)}.`,
    );
  }
  if (!isObject(value)) throw new AgentFileError(path, `${label} (${path}) must hold a JSON object.`);
  return value;
}

/** Throws unless `value` is absent or an object: mmx merges into sections, it never replaces one of another type. */
export function requireObject(value: unknown, what: string, path: string): JsonObject | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new AgentFileError(path, `${what} in ${path} must be an object; mmx will not replace it.`);
  return value;
}

export function requireArray(value: unknown, what: string, path: string): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new AgentFileError(path, `${what} in ${path} must be an array; mmx will not replace it.`);
  return value;
}

/**
 * Applies `edits` to a JSON(C) text, keeping its comments, order and layout; a missing file
 * (`null`) starts as `{}`. The result ends with a newline.
 */
export function editJson(before: string | null, label: string, path: string, edits: readonly JsonEdit[]): string {
  let text = before ?? '{}\n';
  parseJsonObject(text, label, path);
  for (const edit of edits) {
    text = applyEdits(text, modify(text, [...edit.path], edit.value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } }));
  }
  return text.endsWith('\n') ? text : `${text}\n`;
}

// ---------------------------------------------------------------------------------------------
// TOML

export type TomlValue = string | number | boolean;

/** A `[table]` and the keys mmx sets in it. */
export interface TomlSection {
  /** Dotted name as written in the header: `model_providers.minimax`. */
  readonly name: string;
  readonly entries: Readonly<Record<string, TomlValue>>;
}

export interface TomlMerge {
  /** Top-level keys to set; `undefined` removes the key. */
  readonly top: Readonly<Record<string, TomlValue | undefined>>;
  readonly sections: readonly TomlSection[];
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function tomlLiteral(value: TomlValue): string {
  if (typeof value === 'string') return JSON.stringify(value); // a JSON string is a valid TOML basic string
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new Error(`not a TOML integer: ${value}`);
  return String(value);
}

/** The comment at the end of a `key = value` line (with the blanks before it), outside any string. */
function trailingComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#') {
      let start = i;
      while (start > 0 && /[ \t]/.test(line[start - 1] as string)) start--;
      return line.slice(start);
    }
  }
  return '';
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Sets (or with `undefined` removes) bare keys in a run of `key = value` lines, keeping their comments; new keys go after the last non-blank line. */
function setKeys(body: string, entries: Readonly<Record<string, TomlValue | undefined>>, eol: string): string {
  let out = body;
  for (const [key, value] of Object.entries(entries)) {
    if (!BARE_KEY.test(key)) throw new Error(`not a bare TOML key: ${key}`);
    const line = new RegExp(`^([ \\t]*)${escapeRegExp(key)}[ \\t]*=[^\\r\\n]*(\\r?\\n|$)`, 'gm');
    if (value === undefined) {
      out = out.replace(line, (whole, indent: string, end: string) => {
        const comment = trailingComment(whole.replace(/\r?\n$/, '')).trimStart();
        return comment === '' ? '' : `${indent}${comment}${end}`;
      });
      continue;
    }
    let found = false;
    out = out.replace(line, (whole, indent: string, end: string) => {
      if (found) return ''; // a repeated key is invalid TOML anyway; the parse check refuses it before this
      found = true;
      return `${indent}${key} = ${tomlLiteral(value)}${trailingComment(whole.replace(/\r?\n$/, ''))}${end}`;
    });
    if (!found) {
      const trimmed = out.replace(/\s*$/, '');
      const rest = out.slice(trimmed.length);
      out = `${trimmed}${trimmed === '' ? '' : eol}${key} = ${tomlLiteral(value)}${rest === '' ? eol : rest.startsWith(eol) ? rest : eol + rest}`;
    }
  }
  return out;
}

/** A table header's dotted name with the blanks around its parts removed (`[ a . b ]` → `a.b`), or undefined for other lines. */
function headerName(line: string): { name: string; array: boolean } | undefined {
  const match = /^[ \t]*(\[\[?)([^[\]\r\n]+)\]\]?[ \t]*(?:#[^\r\n]*)?\r?\n?$/.exec(line);
  if (!match) return undefined;
  const parts = (match[2] as string).split('.').map((p) => p.trim().replace(/^"([A-Za-z0-9_-]+)"$/, '$1'));
  return { name: parts.join('.'), array: match[1] === '[[' };
}

interface Region {
  start: number;
  end: number;
}

/** Where the top-level keys are (before the first header) and where each table's body is. */
function layout(text: string): { top: Region; tables: Map<string, Region> } {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const tables = new Map<string, Region>();
  let offset = 0;
  let top: Region | undefined;
  let open: { name: string; start: number } | undefined;
  for (const line of lines) {
    const header = headerName(line);
    if (header) {
      top ??= { start: 0, end: offset };
      if (open) tables.set(open.name, { start: open.start, end: offset });
      // An array of tables is never one mmx edits; it is kept under a name no section has.
      open = { name: header.array ? `[[${header.name}]]` : header.name, start: offset + line.length };
    }
    offset += line.length;
  }
  if (open) tables.set(open.name, { start: open.start, end: text.length });
  return { top: top ?? { start: 0, end: text.length }, tables };
}

function getPath(root: JsonObject, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const part of path) node = isObject(node) ? node[part] : undefined;
  return node;
}

function deletePath(root: JsonObject, path: readonly string[]): void {
  const parent = getPath(root, path.slice(0, -1));
  if (isObject(parent)) delete parent[path.at(-1) as string];
}

function parseTomlOrNull(text: string): JsonObject | undefined {
  try {
    return parseToml(text) as JsonObject;
  } catch {
    return undefined;
  }
}

/**
 * Sets mmx's keys in a TOML text, line by line, so comments and layout stay. Invariant, checked by
 * parsing before and after: the keys set have exactly their new values, the removed ones are gone,
 * and every other value is unchanged; anything else (an inline table, a dotted key in another place,
 * a multi-line string) is refused rather than risked.
 */
export function mergeToml(before: string | null, label: string, path: string, merge: TomlMerge): string {
  let text = before ?? '';
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let parsedBefore: JsonObject;
  try {
    parsedBefore = parseToml(text) as JsonObject;
  } catch (error) {
    const line = /line (\d+)/i.exec((error as Error).message)?.[1];
    throw new AgentFileError(path, `${label} (${path}) is not valid TOML${line === undefined ? '' : ` (line ${line})`}.`);
  }
  if (text.includes('"""') || text.includes("'''")) {
    throw new AgentFileError(
      path,
      `${label} (${path}) has a multi-line string, which mmx cannot merge into safely.`,
      'Add the settings by hand (see mmx agent setup --dry-run). No files were changed.',
    );
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // Top-level keys first: they must stay before the first table.
  const { top } = layout(text);
  text = text.slice(0, top.start) + setKeys(text.slice(top.start, top.end), merge.top, eol) + text.slice(top.end);
  for (const section of merge.sections) {
    const region = layout(text).tables.get(section.name);
    if (region) {
      text = text.slice(0, region.start) + setKeys(text.slice(region.start, region.end), section.entries, eol) + text.slice(region.end);
    } else {
      const trimmed = text.replace(/\s*$/, '');
      text = `${trimmed}${trimmed === '' ? '' : `${eol}${eol}`}[${section.name}]${eol}${setKeys('', section.entries, eol)}`;
    }
  }
  if (!text.endsWith('\n')) text += eol;

  const parsedAfter = parseTomlOrNull(text);
  const refuse = () =>
    new AgentFileError(
      path,
      `Could not merge into ${label} (${path}) safely: its layout (an inline table, or these keys set elsewhere) is not one mmx edits.`,
      'Move the MiniMax settings into standard [table] sections, or add them by hand (see mmx agent setup --dry-run). No files were changed.',
    );
  if (parsedAfter === undefined) throw refuse();
  const managed: string[][] = [];
  for (const [key, value] of Object.entries(merge.top)) {
    managed.push([key]);
    if (parsedAfter[key] !== value) throw refuse();
  }
  for (const section of merge.sections) {
    const table = section.name.split('.');
    for (const [key, value] of Object.entries(section.entries)) {
      managed.push([...table, key]);
      if (getPath(parsedAfter, [...table, key]) !== value) throw refuse();
    }
  }
  const rest = (doc: JsonObject) => {
    const copy = structuredClone(doc);
    for (const p of managed) deletePath(copy, p);
    // A table mmx created holds only its keys: empty after them, as if it had never been there.
    for (const section of merge.sections) {
      const table = section.name.split('.');
      const node = getPath(copy, table);
      if (isObject(node) && Object.keys(node).length === 0 && getPath(parsedBefore, table) === undefined) deletePath(copy, table);
      for (let i = table.length - 1; i > 0; i--) {
        const parent = getPath(copy, table.slice(0, i));
        if (isObject(parent) && Object.keys(parent).length === 0 && getPath(parsedBefore, table.slice(0, i)) === undefined) {
          deletePath(copy, table.slice(0, i));
        }
      }
    }
    return copy;
  };
  if (!isDeepStrictEqual(rest(parsedBefore), rest(parsedAfter))) throw refuse();
  return text;
}

/** A parsed TOML text (the caller has merged it, so it parses). */
export function readToml(text: string): JsonObject {
  return parseToml(text) as JsonObject;
}

// ---------------------------------------------------------------------------------------------
// dotenv

function envLiteral(value: string): string {
  return /^[A-Za-z0-9_./:-]+$/.test(value) ? value : JSON.stringify(value);
}

/** Sets `NAME=value` in a dotenv text: the first such line (with or without `export`) is replaced, later ones removed, else it is appended. */
export function setEnvLine(before: string | null, name: string, value: string): string {
  const text = before ?? '';
  const line = new RegExp(`^(?:export[ \\t]+)?${escapeRegExp(name)}[ \\t]*=[^\\r\\n]*(\\r?\\n|$)`, 'gm');
  let found = false;
  let out = text.replace(line, (_whole, end: string) => {
    if (found) return '';
    found = true;
    return `${name}=${envLiteral(value)}${end}`;
  });
  if (!found) out = `${out}${out === '' || out.endsWith('\n') ? '' : '\n'}${name}=${envLiteral(value)}\n`;
  return out.endsWith('\n') ? out : `${out}\n`;
}
