/**
 * Values that exist only at run time (profiles, conversation ids): the table marks
 * the flag or positional as a dynamic source, the fast path leaves the word to the
 * bundle, and the hidden `__complete` asks the declaring spec. No real command has
 * one yet, so this file adds a test-only command to the registry.
 */
import { describe, expect, it, vi } from 'vitest';
import { fastComplete } from '../../bin/fast-path.js';
import { completionTable } from '../../src/cli/completion.js';
import { runCli } from '../helpers/run-cli.js';

const calls = vi.hoisted(() => [] as Array<{ words: readonly string[]; configDir: string }>);

vi.mock('../../src/cli/registry.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/cli/registry.js')>();
  const { defineCommand } = await import('../../src/cli/command.js');
  const { arg, flag } = await import('../../src/cli/flags.js');
  const probe = defineCommand({
    path: ['probe'],
    summary: 'test only: a flag and a positional with run-time values',
    flags: {
      conversation: flag.string('--conversation <id>', 'a conversation', {
        complete: {
          dynamic: 'probe-conversations',
          async values(ctx, words) {
            calls.push({ words, configDir: ctx.deps.configDir });
            return ['abc', 'abd', 'xyz'];
          },
        },
      }),
    },
    args: {
      profile: arg.optional('[profile]', 'a profile', { complete: { dynamic: 'probe-profiles', values: async () => ['work', 'home'] } }),
    },
    needs: { key: false },
    async run() {},
  });
  return { ...real, COMMANDS: [...real.COMMANDS, probe] };
});

describe('dynamic completion sources', () => {
  it('the table names the source instead of listing values', () => {
    const probe = completionTable().root.commands?.find((c) => c.name === 'probe');
    expect(probe?.flags?.[0]).toEqual({ names: ['--conversation'], value: true, dynamic: 'probe-conversations' });
    expect(probe?.args?.[0]).toEqual({ name: 'profile', dynamic: 'probe-profiles' });
  });

  it('the fast path does not answer such a word, and leaves the rest to itself', () => {
    expect(fastComplete(['probe', '--conversation', ''], completionTable())).toBe(false);
    expect(fastComplete(['probe', ''], completionTable())).toBe(false);
  });

  it('the hidden command asks the declaring spec, with the context and the words, and filters', async () => {
    calls.length = 0;
    const r = await runCli(['__complete', 'probe', '--conversation', 'ab']);
    expect(r).toMatchObject({ code: 0, stdout: 'abc\nabd\n:plain\n', stderr: '' });
    expect(calls).toEqual([{ words: ['probe', '--conversation', 'ab'], configDir: r.configDir }]);
    expect((await runCli(['__complete', 'probe', '--conversation=x'])).stdout).toBe('--conversation=xyz\n:plain\n');
    expect((await runCli(['__complete', 'probe', 'w'])).stdout).toBe('work\n:plain\n');
  });

  it('words that need no run-time values are answered without asking', async () => {
    calls.length = 0;
    expect((await runCli(['__complete', 'probe', '--conversation', 'abc', '--conv'])).stdout).toBe(':plain\n');
    expect((await runCli(['__complete', 'probe', 'work', '--q'])).stdout).toBe('--quiet\n:plain\n');
    expect(calls).toEqual([]);
  });
});
