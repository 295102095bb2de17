/**
 * The completion engine (bin/complete.js) on a small table of its own: what is
 * offered after which words, and the directive that tells the shell to add its
 * own file names.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Answer, CompletionTable, DynamicValues } from '../../bin/complete.js';

const require = createRequire(import.meta.url);
const { complete, formatAnswer } = require('../../bin/complete.js') as typeof import('../../bin/complete.js');

const TABLE: CompletionTable = {
  globals: [
    { names: ['--region'], value: true, choices: ['global', 'cn'] },
    { names: ['--quiet'] },
    { names: ['--help'], aliases: ['-h'] },
  ],
  root: {
    name: 'mmx',
    flags: [{ names: ['--version'], aliases: ['-v'] }],
    commands: [
      { name: 'quota', shortcut: 'show', commands: [{ name: 'show', flags: [{ names: ['--json'] }] }] },
      {
        name: 'text',
        commands: [
          {
            name: 'chat',
            aliases: ['talk'],
            flags: [
              { names: ['--message'], aliases: ['--prompt'], value: true, repeat: true },
              { names: ['--messages-file'], value: true, complete: 'file' },
              { names: ['--stream', '--no-stream'] },
              { names: ['--style'], value: true, choices: ['terse', 'long'] },
              { names: ['--conversation'], value: true, dynamic: 'conversations' },
              { names: [], aliases: ['--secret'], value: true },
            ],
          },
          { name: 'help', args: [{ name: 'command', choices: ['chat'] }] },
        ],
      },
      {
        name: 'config',
        commands: [
          { name: 'get', args: [{ name: 'key', choices: ['region', 'timeout'] }] },
          {
            name: 'load',
            args: [
              { name: 'file', complete: 'file' },
              { name: 'rest', rest: true, choices: ['more'] },
            ],
          },
        ],
      },
      { name: 'image', shortcut: 'generate', commands: [{ name: 'generate', args: [{ name: 'prompt' }] }] },
    ],
  },
};

const GLOBALS = ['--region', '--quiet', '--help'];
const CHAT_FLAGS = ['--message', '--messages-file', '--stream', '--no-stream', '--style', '--conversation'];

function candidates(words: string[], values?: DynamicValues): { candidates: string[]; directive: string } {
  const answer: Answer = complete(TABLE, words, values);
  if ('dynamic' in answer) throw new Error(`asked for the dynamic source ${answer.dynamic}`);
  return answer;
}

const plain = (...words: string[]) => ({ candidates: words, directive: 'plain' });

describe('complete: commands', () => {
  it('offers the top-level commands and groups for an empty word, and filters by what is typed', () => {
    expect(candidates([])).toEqual(plain('quota', 'text', 'config', 'image'));
    expect(candidates([''])).toEqual(plain('quota', 'text', 'config', 'image'));
    expect(candidates(['t'])).toEqual(plain('text'));
    expect(candidates(['x'])).toEqual(plain());
  });

  it("offers a group's commands with their aliases, and reaches a command by an alias", () => {
    expect(candidates(['text', ''])).toEqual(plain('chat', 'talk', 'help'));
    expect(candidates(['text', 'talk', '--st'])).toEqual(plain('--stream', '--style'));
    expect(candidates(['text', 'help', ''])).toEqual(plain('chat'));
  });

  it('after a shortcut group offers its command and that command’s flags', () => {
    expect(candidates(['quota', ''])).toEqual(plain('show', '--json', ...GLOBALS));
    expect(candidates(['quota', '--j'])).toEqual(plain('--json'));
    expect(candidates(['quota', 'show', ''])).toEqual(plain('--json', ...GLOBALS));
    expect(candidates(['quota', '--json', '--'])).toEqual(plain(...GLOBALS));
  });

  it('a shortcut group whose command takes a positional offers no flags for a bare word', () => {
    expect(candidates(['image', ''])).toEqual(plain('generate'));
    expect(candidates(['image', 'a cat', ''])).toEqual(plain('--region', '--quiet', '--help'));
  });

  it('offers nothing after an unknown command', () => {
    expect(candidates(['nope', ''])).toEqual(plain());
    expect(candidates(['text', 'nope', '--'])).toEqual(plain());
  });
});

describe('complete: flags', () => {
  it('offers the command’s long flags, then the global ones; the root has --version', () => {
    expect(candidates(['text', 'chat', '--'])).toEqual(plain(...CHAT_FLAGS, ...GLOBALS));
    expect(candidates(['-'])).toEqual(plain('--version', ...GLOBALS));
    expect(candidates(['text', '-'])).toEqual(plain(...GLOBALS));
  });

  it('offers the flags where only a flag can follow, and not where a positional can', () => {
    expect(candidates(['text', 'chat', ''])).toEqual(plain(...CHAT_FLAGS, ...GLOBALS));
    expect(candidates(['config', 'get', ''])).toEqual(plain('region', 'timeout'));
    expect(candidates(['config', 'get', 'region', ''])).toEqual(plain(...GLOBALS));
  });

  it('does not offer a flag again once given (in any spelling), except a repeatable one', () => {
    const after = candidates(['text', 'chat', '--stream', '--prompt', 'hi', '--region=cn', '-h', '--']).candidates;
    expect(after).toEqual(['--message', '--messages-file', '--style', '--conversation', '--quiet']);
    expect(candidates(['text', 'chat', '--no-stream', '--s']).candidates).toEqual(['--style']);
  });

  it('never offers hidden spellings, but knows that they take a value', () => {
    expect(candidates(['text', 'chat', '--se'])).toEqual(plain());
    expect(candidates(['text', 'chat', '--secret', 'chat', '--q'])).toEqual(plain('--quiet'));
  });

  it('skips unknown flags without taking the next word as their value', () => {
    expect(candidates(['--nope', 'text', ''])).toEqual(plain('chat', 'talk', 'help'));
  });
});

describe('complete: values', () => {
  it('offers the choices of a global or a command flag after it, filtered', () => {
    expect(candidates(['--region', ''])).toEqual(plain('global', 'cn'));
    expect(candidates(['text', 'chat', '--style', 't'])).toEqual(plain('terse'));
    expect(candidates(['quota', '--region', 'c'])).toEqual(plain('cn'));
  });

  it('completes the value of a --flag=value word as the whole word', () => {
    expect(candidates(['--region='])).toEqual(plain('--region=global', '--region=cn'));
    expect(candidates(['text', 'chat', '--style=l'])).toEqual(plain('--style=long'));
    expect(candidates(['--quiet='])).toEqual(plain());
    expect(candidates(['--nope='])).toEqual(plain());
  });

  it('reads the word after a value-taking flag as its value, not as a command or flag', () => {
    expect(candidates(['--region', 'text', ''])).toEqual(plain('quota', 'text', 'config', 'image'));
    expect(candidates(['text', 'chat', '--message', '--stream', '--'])).toEqual(plain(...CHAT_FLAGS, ...GLOBALS));
    expect(candidates(['text', 'chat', '--message', '-'])).toEqual(plain());
    expect(candidates(['--region=cn', 'text', ''])).toEqual(plain('chat', 'talk', 'help'));
  });

  it('offers nothing for a free-text value', () => {
    expect(candidates(['text', 'chat', '--message', ''])).toEqual(plain());
  });

  it('tells the shell to complete file names for a path flag or positional', () => {
    expect(candidates(['text', 'chat', '--messages-file', ''])).toEqual({ candidates: [], directive: 'file' });
    expect(candidates(['text', 'chat', '--messages-file=ch'])).toEqual({ candidates: [], directive: 'file' });
    expect(candidates(['config', 'load', 'x'])).toEqual({ candidates: [], directive: 'file' });
    expect(candidates(['config', 'load', 'a.json', 'b', 'm'])).toEqual(plain('more'));
  });

  it('after `--` offers positionals only', () => {
    expect(candidates(['config', 'get', '--', ''])).toEqual(plain('region', 'timeout'));
    expect(candidates(['text', 'chat', '--', '-'])).toEqual(plain());
  });
});

describe('complete: values known only at run time', () => {
  it('asks for a dynamic source, then completes from the values given, like choices', () => {
    expect(complete(TABLE, ['text', 'chat', '--conversation', ''])).toEqual({ dynamic: 'conversations' });
    expect(complete(TABLE, ['text', 'chat', '--conversation=a'])).toEqual({ dynamic: 'conversations' });
    const values = { conversations: ['abc', 'abd', 'xyz'] };
    expect(candidates(['text', 'chat', '--conversation', 'ab'], values)).toEqual(plain('abc', 'abd'));
    expect(candidates(['text', 'chat', '--conversation=x'], values)).toEqual(plain('--conversation=xyz'));
  });

  it('does not ask when the word is not a dynamic value', () => {
    expect(candidates(['text', 'chat', '--conversation', 'abc', '--q'])).toEqual(plain('--quiet'));
  });
});

describe('formatAnswer', () => {
  it('prints one candidate per line, then the directive line', () => {
    expect(formatAnswer({ candidates: ['cn', 'global'], directive: 'plain' })).toBe('cn\nglobal\n:plain\n');
    expect(formatAnswer({ candidates: [], directive: 'file' })).toBe(':file\n');
  });
});
