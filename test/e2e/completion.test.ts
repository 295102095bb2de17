/**
 * Completion falls out of the registry: the table the build wrote is the one the
 * current source makes, every command and flag is in it, and the built bin/mmx
 * answers `__complete` from it without loading the CLI bundle, with the same
 * bytes as the bundle's hidden command.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CompletionTable, complete } from '../../bin/complete.js';
import type { AnyCommand } from '../../src/cli/command.js';
import { completionTable } from '../../src/cli/completion.js';
import type { FlagSpec } from '../../src/cli/flags.js';
import { listHelpPaths } from '../../src/cli/program.js';
import { COMMANDS } from '../../src/cli/registry.js';
import { SETTINGS } from '../../src/config/settings.js';
import { runCli } from '../helpers/run-cli.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const built = JSON.parse(readFileSync(join(ROOT, 'dist/completion.json'), 'utf8')) as CompletionTable;
const table = completionTable();

/** The candidates for `words` (the last one being completed), from the live table. */
function offered(words: string[]): string[] {
  const answer = complete(table, words);
  if ('dynamic' in answer) throw new Error(`dynamic source ${answer.dynamic}`);
  return answer.candidates;
}

const longNames = (syntax: string) => syntax.split(/[\s,|]+/).filter((w) => w.startsWith('--'));
const visible = COMMANDS.filter((c) => !c.hidden);

describe('the completion table', () => {
  it('the build wrote the table the current source makes', () => {
    expect(built).toEqual(table);
  });

  it('completes every command path of the built tree, under its group', () => {
    for (const path of listHelpPaths().filter((p) => p.length > 0)) {
      expect(offered([...path.slice(0, -1), '']), path.join(' ')).toContain(path.at(-1));
    }
  });

  it('completes every registry command, its aliases, its flags and every global flag', () => {
    const globals = SETTINGS.flatMap((s) => ('flag' in s && s.flag ? longNames(s.flag) : []));
    expect(globals).toContain('--auth-style');
    for (const spec of visible as AnyCommand[]) {
      const name = spec.path.join(' ');
      const siblings = offered([...spec.path.slice(0, -1), '']);
      for (const word of [spec.path.at(-1), ...(spec.aliases ?? [])]) expect(siblings, name).toContain(word);
      const flags = offered([...spec.path, '--']);
      for (const f of Object.values(spec.flags as Record<string, FlagSpec>)) {
        if (f.hidden) continue;
        for (const long of longNames(f.flags)) expect(flags, `${name} ${long}`).toContain(long);
        if (f.negate !== undefined) expect(flags, name).toContain(`--no-${longNames(f.flags)[0]?.slice(2)}`);
      }
      for (const global of [...globals, '--help']) expect(flags, `${name} ${global}`).toContain(global);
    }
  });

  it('completes the values of every flag and positional with choices', () => {
    for (const s of SETTINGS) {
      if (!('flag' in s && s.flag && 'choices' in s && s.choices)) continue;
      expect(offered([longNames(s.flag)[0] as string, '']), s.flag).toEqual(s.choices);
    }
    for (const spec of visible as AnyCommand[]) {
      for (const f of Object.values(spec.flags as Record<string, FlagSpec>)) {
        if (f.choices) expect(offered([...spec.path, longNames(f.flags)[0] as string, '']), f.flags).toEqual(f.choices);
      }
      const [first] = Object.values((spec.args ?? {}) as Record<string, { choices?: string[] }>);
      if (first?.choices) expect(offered([...spec.path, '']), spec.path.join(' ')).toEqual(first.choices);
    }
    expect(offered(['config', 'get', ''])).toContain('default_text_model');
    expect(offered(['auth', 'login', '--method', ''])).toEqual(['api-key', 'oauth']);
  });

  it('leaves hidden commands out, so completion never offers __complete', () => {
    expect(JSON.stringify(table)).not.toContain('__complete');
    expect(offered(['_'])).toEqual([]);
    expect(offered(['help', ''])).not.toContain('__complete');
  });
});

describe('mmx __complete', () => {
  const CASES = [
    [''],
    ['quota', ''],
    ['text', 'chat', '--'],
    ['--region', 'c'],
    ['--output='],
    ['text', 'chat', '--messages-file', ''],
    ['text', 'chat', '--message', '--help', '--st'],
    ['config', 'get', ''],
    ['completion', ''],
    ['nope', ''],
  ];

  it('the built bin/mmx (fast path) and the hidden command through run() print the same answers', async () => {
    for (const words of CASES) {
      const spawned = await spawnMmx(['__complete', ...words], { env: isolatedHome() });
      const live = await runCli(['__complete', ...words]);
      expect(live.code).toBe(0);
      expect(spawned, words.join(' ')).toEqual({ code: 0, stdout: live.stdout, stderr: '' });
    }
  });

  it('prints candidates, one a line, then the directive line', async () => {
    expect((await spawnMmx(['__complete', '--region', ''], { env: isolatedHome() })).stdout).toBe('global\ncn\n:plain\n');
    expect((await spawnMmx(['__complete', 'text', 'chat', '--messages-file=c'], { env: isolatedHome() })).stdout).toBe(':file\n');
    expect((await runCli(['__complete'])).stdout).toBe((await runCli(['__complete', ''])).stdout);
  });

  it('reads none of its words as its own flags', async () => {
    const help = await runCli(['__complete', '--he']);
    expect(help.stdout).toBe('--help\n:plain\n');
    const region = await runCli(['__complete', '--region', 'nope', '--output', 'j']);
    expect(region).toMatchObject({ code: 0, stdout: 'json\n:plain\n', stderr: '' });
  });

  it('is answered without the CLI bundle, which only a word needing run-time values loads', async () => {
    // A copy of bin/ and the table, without dist/mmx.cjs: what the fast path answers needs no bundle.
    const dir = mkdtempSync(join(tmpdir(), 'mmx-nobundle-'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'dist'));
    for (const file of ['mmx', 'fast-path.js', 'complete.js', 'load-bundle.js', 'ensure-built.js', 'package.json']) {
      copyFileSync(join(ROOT, 'bin', file), join(dir, 'bin', file));
    }
    const withProbe: CompletionTable = {
      ...table,
      root: { ...table.root, commands: [...(table.root.commands ?? []), { name: 'probe', args: [{ name: 'id', dynamic: 'probe-ids' }] }] },
    };
    writeFileSync(join(dir, 'dist', 'completion.json'), JSON.stringify(withProbe));
    const run = (args: string[]) => spawnMmx(args, { env: isolatedHome(), bin: join(dir, 'bin', 'mmx') });
    const answered = await run(['__complete', 'text', 'chat', '--st']);
    expect(answered).toEqual({ code: 0, stdout: '--stream\n--stdin\n:plain\n', stderr: '' });
    expect((await run(['__complete', 'probe', '--'])).stdout).toContain('--region\n');
    // The same copy cannot run anything that needs the bundle: the answers above came without it.
    const needsBundle = await run(['quota']);
    expect(needsBundle.code).not.toBe(0);
    expect(needsBundle.stderr).toMatch(/dist\/mmx\.cjs is missing/);
    const dynamic = await run(['__complete', 'probe', '']);
    expect(dynamic.code).not.toBe(0);
    expect(dynamic.stderr).toMatch(/dist\/mmx\.cjs is missing/);
  });
});
