/**
 * Colours from our own decision (NO_COLOR, --no-color, FORCE_COLOR, TTY), never
 * chalk's import-time guess: a Chalk instance per stream, built with that level.
 */
import { Chalk } from 'chalk';

export interface Theme {
  dim(text: string): string;
  bold(text: string): string;
  ok(text: string): string;
  warn(text: string): string;
  bad(text: string): string;
  accent(text: string): string;
}

export function createTheme(level: 0 | 1 | 2 | 3): Theme {
  if (level === 0) {
    const same = (text: string) => text;
    return { dim: same, bold: same, ok: same, warn: same, bad: same, accent: same };
  }
  const chalk = new Chalk({ level });
  return {
    dim: (text) => chalk.dim(text),
    bold: (text) => chalk.bold(text),
    ok: (text) => chalk.green(text),
    warn: (text) => chalk.yellow(text),
    bad: (text) => chalk.red(text),
    accent: (text) => chalk.cyan(text),
  };
}
