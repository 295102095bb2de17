/**
 * `mmx completion bash|zsh|fish`: prints the shell's completion script. The
 * scripts are static text (no network, no settings used) that ask
 * `mmx __complete` for candidates, so they never go stale when commands change.
 */
import { defineCommand } from '../cli/command.js';
import { arg } from '../cli/flags.js';
import { UsageError } from '../errors.js';
import { SCRIPTS, SHELLS, type Shell } from './completion-scripts.js';

export default defineCommand({
  path: ['completion'],
  summary: 'print a shell completion script (bash, zsh or fish)',
  flags: {},
  args: { shell: arg.optional('[shell]', `the shell: ${SHELLS.join(', ')}`, { choices: SHELLS }) },
  examples: [
    'mmx completion bash > ~/.local/share/bash-completion/completions/mmx',
    'source <(mmx completion zsh)',
    'mmx completion fish > ~/.config/fish/completions/mmx.fish',
  ],
  needs: { key: false },
  validate({ shell }) {
    const hint = `Shells: ${SHELLS.join(', ')}. See "mmx completion --help".`;
    if (shell === undefined) throw new UsageError('Which shell? Pass bash, zsh or fish.', { hint });
    if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`Unknown shell "${shell}".`, { hint });
  },
  async run(ctx, { shell }) {
    ctx.print(SCRIPTS[shell as Shell]);
  },
});
