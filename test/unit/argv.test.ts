/**
 * What runProgram does to argv before commander parses it: mmx-cli's boolean
 * spellings (`--stream=false`) and the group shortcut (`mmx quota` → `mmx quota show`).
 */
import { describe, expect, it } from 'vitest';
import { checkCommandWords, expandShortcut, normalizeBooleans, rewriteHelp, suggest } from '../../src/cli/argv.js';
import { UsageError } from '../../src/errors.js';

describe('normalizeBooleans', () => {
  it.each([
    [['--stream=false'], ['--no-stream']],
    [['--stream=0'], ['--no-stream']],
    [['--stream=OFF'], ['--no-stream']],
    [['--stream=true'], ['--stream']],
    [['--stream=yes'], ['--stream']],
    [['--quiet=true'], ['--quiet']],
    [['--quiet=1'], ['--quiet']],
    [['--quiet=false'], []],
    [['--dry-run=on', '--verbose=no'], ['--dry-run']],
    [['--no-color=true'], ['--no-color']],
    [['--no-color=false'], []],
    [
      ['--region=cn', '--message=x=y'],
      ['--region=cn', '--message=x=y'],
    ],
    [
      ['--', '--stream=false'],
      ['--', '--stream=false'],
    ],
  ])('%j → %j', (argv, expected) => {
    expect(normalizeBooleans(argv)).toEqual(expected);
  });

  it('another word is a usage error naming the flag', () => {
    expect(() => normalizeBooleans(['--stream=maybe'])).toThrow(UsageError);
    expect(() => normalizeBooleans(['--stream=maybe'])).toThrow('--stream is on or off: true/false, 1/0, yes/no or on/off (got "maybe").');
  });
});

describe('expandShortcut', () => {
  it.each([
    [['quota'], ['quota', 'show']],
    [
      ['quota', '--output', 'json'],
      ['quota', 'show', '--output', 'json'],
    ],
    [
      ['--region', 'cn', 'quota', '--quiet'],
      ['--region', 'cn', 'quota', 'show', '--quiet'],
    ],
    [
      ['quota', 'show', '--quiet'],
      ['quota', 'show', '--quiet'],
    ],
    [
      ['quota', '--help'],
      ['quota', '--help'],
    ],
    [
      ['quota', 'help'],
      ['quota', 'help'],
    ],
    [
      ['text', 'chat'],
      ['text', 'chat'],
    ],
    [['auth'], ['auth']],
  ])('%j → %j', (argv, expected) => {
    expect(expandShortcut(argv)).toEqual(expected);
  });
});

describe('rewriteHelp', () => {
  it.each([
    [['help'], ['--help']],
    [
      ['help', 'auth'],
      ['auth', '--help'],
    ],
    [
      ['help', 'text', 'chat'],
      ['text', 'chat', '--help'],
    ],
    [
      ['help', 'environment'],
      ['help', 'environment'],
    ],
    [['quota'], ['quota']],
  ])('%j → %j', (argv, expected) => {
    expect(rewriteHelp(argv)).toEqual(expected);
  });
});

describe('checkCommandWords', () => {
  const message = (argv: string[]) => {
    try {
      checkCommandWords(argv);
      return undefined;
    } catch (error) {
      return [(error as UsageError).message, (error as UsageError).hint];
    }
  };

  it('passes known paths, flags and their values, and positionals a command takes', () => {
    for (const argv of [
      ['auth', 'login', '--region', 'cn'],
      ['--region', 'cn', 'text', 'chat', '--message', 'hello there', '--model', 'x'],
      ['config', 'set', 'region', 'cn'],
      ['text', 'chat', '--', 'anything'],
      ['help'],
    ]) {
      expect(message(argv)).toBeUndefined();
    }
  });

  it('a top-level typo: one line with a did-you-mean, the commands in the hint', () => {
    const [text, hint] = message(['qouta']) ?? [];
    expect(text).toBe('Unknown command "qouta". Did you mean "quota"?');
    expect(hint).toMatch(/^Commands of mmx: auth, quota, text, image, video, config, completion\. See "mmx --help"\.$/);
  });

  it('a nested typo, also with --help (which commander would answer with the root help)', () => {
    expect(message(['text', 'chatt'])?.[0]).toBe('Unknown command "text chatt". Did you mean "chat"?');
    expect(message(['auth', 'logon', '--help'])?.[0]).toBe('Unknown command "auth logon". Did you mean "login"?');
    expect(message(['speech', 'synthesise', '--help'])?.[0]).toBe('Unknown command "speech".');
  });

  it('a positional chat does not take points at --message', () => {
    const [text, hint] = message(['text', 'chat', 'hello']) ?? [];
    expect(text).toBe('Unexpected argument "hello" for "mmx text chat".');
    expect(hint).toContain('--message "hello"');
  });

  it('suggest: close names only', () => {
    expect(suggest('qouta', ['auth', 'quota', 'text'])).toBe('quota');
    expect(suggest('txet', ['auth', 'quota', 'text'])).toBe('text');
    expect(suggest('zzz', ['auth', 'quota', 'text'])).toBeUndefined();
  });
});
