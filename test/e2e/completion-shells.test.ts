/**
 * The scripts `mmx completion bash|zsh|fish` prints, each in its own shell with
 * the built bin/mmx on PATH: the script registers itself, and completing a line
 * gives what `mmx __complete` answers, `--flag=value` words and file names
 * included. bash is always there; zsh and fish are tested where installed
 * (skipped otherwise: CI machines may not have them).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedHome } from '../helpers/spawn-cli.js';

const BIN_DIR = resolve(import.meta.dirname, '../../bin');
const ZSH_DRIVER = resolve(import.meta.dirname, '../helpers/zsh-complete.zsh');

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;

/** A directory with a few files, the shells' working directory, for file-name completion. */
function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmx-complete-'));
  for (const name of ['chat.json', 'chunk.txt', 'notes.md']) writeFileSync(join(dir, name), '[]');
  return dir;
}

function runShell(command: string, args: string[]): string {
  const cwd = workDir();
  const r = spawnSync(command, args, {
    cwd,
    env: { ...isolatedHome(), PATH: `${BIN_DIR}${delimiter}${process.env.PATH ?? ''}`, TERM: 'xterm' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`${command} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Each case: the line up to the cursor, COMP_WORDS as bash splits it (at
 * COMP_WORDBREAKS, `=` and `:` among them), and COMPREPLY, sorted (`…` at the end:
 * at least these).
 */
const BASH_CASES: Array<[string, string[], string[]]> = [
  ['mmx qu', ['mmx', 'qu'], ['quota']],
  ['mmx quota ', ['mmx', 'quota', ''], ['--help', '--output', '--region', 'show', '…']],
  ['mmx --region ', ['mmx', '--region', ''], ['cn', 'global']],
  ['mmx --region=', ['mmx', '--region', '='], ['cn', 'global']],
  ['mmx --region=c', ['mmx', '--region', '=', 'c'], ['cn']],
  ['mmx --output=j', ['mmx', '--output', '=', 'j'], ['json']],
  ['mmx text chat --messages-file ch', ['mmx', 'text', 'chat', '--messages-file', 'ch'], ['chat.json', 'chunk.txt']],
  ['mmx text chat --messages-file=ch', ['mmx', 'text', 'chat', '--messages-file', '=', 'ch'], ['chat.json', 'chunk.txt']],
  ['mmx text chat --message "hi there" --st', ['mmx', 'text', 'chat', '--message', '"hi there"', '--st'], ['--stdin', '--stream']],
  ['mmx config get re', ['mmx', 'config', 'get', 're'], ['region']],
  ['mmx completion ', ['mmx', 'completion', ''], ['bash', 'fish', 'zsh']],
  ['mmx nope ', ['mmx', 'nope', ''], []],
];

describe.skipIf(!has('bash'))('bash', () => {
  it('registers __mmx_complete for mmx, and COMPREPLY holds what mmx __complete answers', () => {
    const calls = BASH_CASES.map(
      ([line, words]) =>
        `COMP_LINE=${quote(line)}; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=(${words.map(quote).join(' ')}); ` +
        `COMP_CWORD=${words.length - 1}; COMPREPLY=(); __mmx_complete; printf '%s\\n' "\${COMPREPLY[@]}"; echo '<end>'`,
    );
    const script = ['source <(mmx completion bash)', 'complete -p mmx', ...calls].join('\n');
    const [registration, ...rest] = runShell('bash', ['--norc', '--noprofile', '-c', script]).split('\n');
    expect(registration).toBe('complete -F __mmx_complete mmx');
    const blocks = rest.join('\n').split('<end>\n');
    BASH_CASES.forEach(([line, , expected], i) => {
      const got = (blocks[i] ?? '').split('\n').filter((l) => l !== '');
      if (expected.at(-1) === '…') for (const word of expected.slice(0, -1)) expect(got, line).toContain(word);
      else expect(got.sort(), line).toEqual(expected);
    });
  });
});

describe.skipIf(!has('zsh') || spawnSync('zsh', ['-fc', 'zmodload zsh/zpty']).status !== 0)('zsh', () => {
  const LINES: Array<[string, string[]]> = [
    ['mmx qu', ['quota']],
    ['mmx --region=c', ['--region=cn']],
    ['mmx --region ', ['cn', 'global']],
    ['mmx text chat --messages-file ch', ['chat.json', 'chunk.txt']],
    ['mmx text chat --messages-file=ch', ['chat.json', 'chunk.txt']],
    ['mmx config get re', ['region']],
    ['mmx nope ', []],
  ];

  it('registers with compdef after compinit, and TAB in a real zsh offers what mmx __complete answers', () => {
    const out = runShell('zsh', ['-f', ZSH_DRIVER, ...LINES.map(([line]) => line)]).replace(/\r/g, '');
    expect(out).toMatch(/^registered: __mmx_complete$/m);
    const chunks = out.split(/<done \d+>/);
    LINES.forEach(([line, expected], i) => {
      const offered = new Set([...(chunks[i] ?? '').matchAll(/^<<\n([\s\S]*?)\n>>$/gm)].flatMap((m) => (m[1] as string).split('\n')));
      expect([...offered].sort(), line).toEqual([...expected].sort());
    });
  });
});

describe.skipIf(!has('fish'))('fish', () => {
  const LINES: Array<[string, string[]]> = [
    ['mmx qu', ['quota']],
    ['mmx --region=c', ['--region=cn']],
    ['mmx --region ', ['cn', 'global']],
    ['mmx text chat --messages-file ch', ['chat.json', 'chunk.txt']],
    ['mmx text chat --messages-file=ch', ['--messages-file=chat.json', '--messages-file=chunk.txt']],
    ['mmx text chat --st', ['--stdin', '--stream']],
    ['mmx config get re', ['region']],
    ['mmx nope ', []],
  ];

  it('complete -C in fish offers what mmx __complete answers', () => {
    const script = ['mmx completion fish | source', ...LINES.map(([line]) => `complete -C ${quote(line)}; echo '<end>'`)].join('\n');
    const blocks = runShell('fish', ['--no-config', '-c', script])
      .split('<end>\n')
      .map((b) =>
        b
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => l.split('\t')[0]),
      );
    LINES.forEach(([line, expected], i) => expect([...(blocks[i] ?? [])].sort(), line).toEqual([...expected].sort()));
  });
});
