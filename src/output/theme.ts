/**
 * Colours from our own decision (NO_COLOR, --no-color, FORCE_COLOR, TTY), never
 * chalk's import-time guess: a Chalk instance per stream, built with that level.
 */
import type { Env } from '../config/settings.js';

export interface Theme {
  dim(text: string): string;
  bold(text: string): string;
  ok(text: string): string;
  warn(text: string): string;
  bad(text: string): string;
}

export type ColorLevel = 0 | 1 | 2 | 3;

const same = (text: string) => text;
/** No colour: what a pipe or a NO_COLOR run gets, and what renderers use when given no theme. */
export const PLAIN_THEME: Theme = Object.freeze({ dim: same, bold: same, ok: same, warn: same, bad: same });

/** 0 = no colour. NO_COLOR (non-empty) and --no-color win; FORCE_COLOR forces; else the stream's TTY. */
export function colorLevel(env: Env, flagColor: boolean | undefined, isTTY: boolean): ColorLevel {
  if (flagColor === false) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR.trim() !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  const colorterm = env.COLORTERM ?? '';
  if (colorterm === 'truecolor' || colorterm === '24bit') return 3;
  return env.TERM?.includes('256') ? 2 : 1;
}

/** chalk is imported only when something will be coloured (pipes and JSON never load it). */
export async function loadTheme(level: ColorLevel): Promise<Theme> {
  if (level === 0) return PLAIN_THEME;
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level });
  return {
    dim: (text) => chalk.dim(text),
    bold: (text) => chalk.bold(text),
    ok: (text) => chalk.green(text),
    warn: (text) => chalk.yellow(text),
    bad: (text) => chalk.red(text),
  };
}
