/**
 * `mmx completion bash|zsh|fish`: the script on stdout, the same from the built
 * bin/mmx, and a usage error for a missing or unknown shell. (The scripts at
 * work in their shells: test/e2e/completion-shells.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { isolatedHome, spawnMmx } from '../helpers/spawn-cli.js';

const noNetwork = async () => {
  throw new Error('completion scripts need no network');
};

describe('mmx completion', () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    it(`${shell}: prints the script that asks mmx __complete, without the network`, async () => {
      const r = await runCli(['completion', shell], { transport: noNetwork });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`${shell} completion for mmx`);
      expect(r.stdout).toContain('mmx __complete ');
      expect(await spawnMmx(['completion', shell], { env: isolatedHome() })).toEqual({ code: 0, stdout: r.stdout, stderr: '' });
    });
  }

  it('registers for mmx in each shell', async () => {
    expect((await runCli(['completion', 'bash'])).stdout).toMatch(/^complete -F __mmx_complete mmx$/m);
    expect((await runCli(['completion', 'zsh'])).stdout).toMatch(/^#compdef mmx$[\s\S]*^ {2}compdef __mmx_complete mmx$/m);
    expect((await runCli(['completion', 'fish'])).stdout).toMatch(/^complete -c mmx -f -a '\(__mmx_complete\)'$/m);
  });

  it('without a shell, or with one it does not know, is a usage error naming the shells', async () => {
    const missing = await runCli(['completion', '--output', 'text']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('Which shell? Pass bash, zsh or fish.');
    const unknown = await runCli(['completion', 'tcsh', '--output', 'json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({
      code: 2,
      message: 'Unknown shell "tcsh".',
      hint: 'Shells: bash, zsh, fish. See "mmx completion --help".',
    });
  });

  it('its help shows how to install each script', async () => {
    const help = await runCli(['completion', '--help']);
    expect(help.stdout).toContain('Usage: mmx completion [options] [shell]');
    expect(help.stdout).toContain('$ mmx completion bash > ~/.local/share/bash-completion/completions/mmx');
    expect(help.stdout).toContain('$ source <(mmx completion zsh)');
    expect(help.stdout).toContain('$ mmx completion fish > ~/.config/fish/completions/mmx.fish');
  });
});

describe('mmx __complete stays hidden', () => {
  it('is in no help text, not in the commands an unknown command lists, nor in export-schema', async () => {
    const { listHelpPaths } = await import('../../src/cli/program.js');
    for (const path of listHelpPaths()) {
      expect((await runCli([...path, '--help'])).stdout, path.join(' ')).not.toContain('__complete');
    }
    expect(listHelpPaths().flat()).not.toContain('__complete');
    const unknown = await runCli(['nope', '--output', 'text']);
    expect(unknown.stderr).toContain('completion');
    expect(unknown.stderr).not.toContain('__complete');
    expect((await runCli(['config', 'export-schema'])).stdout).not.toContain('complet');
  });
});
