/**
 * `mmx update`: says how to update this mmx, by where it runs from (a global npm
 * install, a project's dependency, npx's cache, a clone of the repository), and
 * says so when it cannot tell. It never updates anything and never uses the
 * network: no check of a registry, in CI or anywhere else.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from '../cli/command.js';
import { PACKAGE_NAME, VERSION } from '../version.js';

export type InstallKind = 'npm-global' | 'npm-local' | 'npx' | 'clone' | 'unknown';

export interface Install {
  kind: InstallKind;
  /** The package's directory, when known. */
  dir?: string | undefined;
  /** For a project's dependency: the project's directory. */
  project?: string | undefined;
}

/**
 * How mmx was installed, from its package directory: inside `node_modules` it came
 * from a package manager (npm's global layouts put that under `lib/`, or `npm\` on
 * Windows; npx under `_npx`); elsewhere, a directory with `.git` is a clone.
 * Layouts it does not know (pnpm's store, a copied directory) are `unknown`.
 */
export function installOf(dir: string | undefined, isClone: boolean): Install {
  if (dir === undefined) return { kind: 'unknown' };
  const parts = dir.split(/[\\/]+/).filter((p) => p !== '');
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0 && at === parts.length - 2) {
    if (parts.includes('_npx')) return { kind: 'npx', dir };
    if (parts.includes('.pnpm')) return { kind: 'unknown', dir };
    const parent = parts[at - 1];
    if (parent === 'lib' || parent === 'npm') return { kind: 'npm-global', dir };
    const cut = dir.lastIndexOf('node_modules');
    return { kind: 'npm-local', dir, project: dir.slice(0, cut).replace(/[\\/]+$/, '') || dir };
  }
  return isClone ? { kind: 'clone', dir } : { kind: 'unknown', dir };
}

/** A path as a POSIX shell word: as it is when plain, else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w./:@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface Advice {
  /** One sentence: what mmx knows about where it runs from. */
  about: string;
  /** Commands that update it, the most likely first, each with what it is for. */
  steps: { say: string; command: string }[];
}

/** What to tell the user for an install. */
export function adviceFor(install: Install, pkg = PACKAGE_NAME): Advice {
  const global = { say: 'Update the global command with:', command: `npm install -g ${pkg}@latest` };
  switch (install.kind) {
    case 'npm-global':
      return { about: `mmx is installed globally with npm (${install.dir}).`, steps: [{ ...global, say: 'Update it with:' }] };
    case 'npm-local':
      return {
        about: `mmx is a dependency of the project in ${install.project}.`,
        steps: [{ say: 'Update it there with:', command: `npm install ${pkg}@latest` }, global],
      };
    case 'npx':
      return {
        about: "mmx runs from npx's cache.",
        steps: [
          { say: 'Run the newest with:', command: `npx ${pkg}@latest` },
          { ...global, say: 'Or install it with:' },
        ],
      };
    case 'clone':
      return {
        about: `mmx runs from a clone of its repository (${install.dir}), so it cannot know how you want it updated.`,
        steps: [
          { say: 'Update the clone with:', command: `cd ${shellWord(install.dir ?? '.')} && git pull && npm ci && npm run build` },
          { ...global, say: 'Or install the published package with:' },
        ],
      };
    case 'unknown':
      return {
        about: `mmx cannot tell how it was installed${install.dir === undefined ? '' : ` (it runs from ${install.dir})`}.`,
        steps: [{ ...global, say: 'If it came from npm, update it with:' }],
      };
  }
}

export function renderAdvice(advice: Advice, version = VERSION): string {
  const lines = [`mmx ${version} (${PACKAGE_NAME}).`, advice.about];
  for (const step of advice.steps) lines.push('', step.say, `  ${step.command}`);
  return `${lines.join('\n')}\n`;
}

export default defineCommand({
  path: ['update'],
  summary: 'say how to update mmx (nothing is downloaded or changed)',
  flags: {},
  examples: ['mmx update', 'mmx update --quiet', 'mmx update --output json'],
  notes: 'mmx never checks for updates over the network. --quiet prints only the commands, one per line.',
  needs: { key: false },
  async run(ctx) {
    const dir = ctx.deps.installDir?.();
    const install = installOf(dir, dir !== undefined && existsSync(join(dir, '.git')));
    const advice = adviceFor(install);
    const commands = advice.steps.map((s) => s.command);
    if (ctx.json) {
      ctx.printJson({
        version: VERSION,
        package: PACKAGE_NAME,
        install: install.kind,
        dir: install.dir ?? null,
        about: advice.about,
        commands,
      });
    } else if (ctx.settings.quiet) {
      ctx.print(commands.map((c) => `${c}\n`).join(''));
    } else {
      ctx.print(renderAdvice(advice));
    }
    return 0;
  },
});
