/**
 * What runProgram does to argv before commander parses it: mmx-cli's boolean
 * spellings (`--stream=false`) and the group shortcut (`mmx quota` → `mmx quota show`).
 */
import { describe, expect, it } from 'vitest';
import { expandShortcut, normalizeBooleans } from '../../src/cli/program.js';
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
