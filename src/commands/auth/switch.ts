/**
 * `mmx auth switch NAME`: makes a stored profile the active one, as `gh auth switch` does. The
 * active profile is config.json's credential (config/profiles.ts), so the switch copies NAME's key
 * or OAuth login, region and base URL into config.json, and keeps the credential that was there as
 * a profile under its name: mmx-cli, which reads config.json, follows the switch too. Without a
 * name, a person at a terminal picks from a list; a script gets exit 2 and the names.
 */
import { defineCommand } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { arg } from '../../cli/flags.js';
import { type ProfileView, profileNames, summarize } from '../../config/profiles.js';
import { inCi } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { orAbort } from '../../wait.js';
import { PROFILE_NAMES } from './profile-names.js';

export default defineCommand({
  path: ['auth', 'switch'],
  summary: 'make another profile the active one (its key, region and base URL go into config.json)',
  flags: {},
  args: {
    name: arg.optional('[name]', 'the profile to make active; without it, a list to pick from on a terminal', { complete: PROFILE_NAMES }),
  },
  examples: ['mmx auth switch work', 'mmx auth status   # lists the profiles, the active one marked'],
  needs: { key: false, interactive: true },
  async run(ctx, { name }) {
    const view = ctx.profiles();
    const target = name ?? (await pick(ctx, view));
    const { switchProfile } = await import('../../config/profile-store.js');
    if (ctx.settings.dryRun) return dryRun(ctx, view, target);
    const result = await switchProfile(ctx.deps.configDir, target);
    if (result.kind === 'missing') throw unknown(target, result.view);
    if (result.kind === 'already') {
      ctx.result(
        { switched: false, profile: target, ...summarize(result.credential, ctx.deps.env), config_file: ctx.configPath },
        () => `Profile ${target} is already the active one.`,
      );
      return 0;
    }
    const { credential, savedAs } = result;
    ctx.result(
      {
        switched: true,
        profile: target,
        previous: savedAs ?? null,
        ...summarize(credential, ctx.deps.env),
        config_file: ctx.configPath,
      },
      () => {
        const d = summarize(credential, ctx.deps.env);
        const kept = savedAs === undefined ? '' : ` The credential that was active is kept as profile ${savedAs}.`;
        return `Switched to profile ${target}: ${d.method === 'oauth' ? 'OAuth login' : `key ${d.key}`}, region ${d.region} (${d.base_url}).${kept}`;
      },
    );
    if (ctx.deps.env.MINIMAX_API_KEY?.trim())
      ctx.warn('MINIMAX_API_KEY is set; it takes precedence over the active profile until you unset it.');
    return 0;
  },
});

function unknown(target: string, view: ProfileView): UsageError {
  const names = profileNames(view);
  return new UsageError(
    `No such profile: ${target}; ${names.length > 0 ? `profiles: ${names.join(', ')}` : 'there are no profiles yet'}.`,
    { hint: `Create it with: mmx auth login --profile ${target}` },
  );
}

function dryRun(ctx: Context, view: ProfileView, target: string): number {
  if (target !== view.current && !view.stored[target]) throw unknown(target, view);
  const already = target === view.current;
  ctx.result({ dry_run: true, switched: false, would_switch: !already, profile: target, config_file: ctx.configPath }, () =>
    already ? `Profile ${target} is already the active one.` : `Would switch to profile ${target} (dry run).`,
  );
  return 0;
}

/** A numbered list on stderr, answered on the terminal; a script (or CI) gets exit 2 and the names. */
async function pick(ctx: Context, view: ProfileView): Promise<string> {
  const names = profileNames(view);
  const others = Object.keys(view.stored).sort();
  const { stdin, stderr } = ctx.deps;
  if (others.length === 0 || ctx.settings.nonInteractive || inCi(ctx.deps.env) || !stdin.isTTY || !stderr.isTTY) {
    throw new UsageError(
      names.length > 0
        ? `Name the profile to switch to: mmx auth switch NAME; profiles: ${names.join(', ')}.`
        : 'There are no profiles to switch to.',
      { hint: names.length > 0 ? 'mmx auth status lists them.' : 'Create one with: mmx auth login --profile NAME' },
    );
  }
  ctx.claimStdin('the profile list');
  stderr.write(
    `Which profile?\n${others
      .map((n, i) => {
        const d = summarize(view.stored[n], ctx.deps.env);
        return `  ${i + 1}. ${n}  (${d.region}, ${d.method === 'oauth' ? 'OAuth' : d.key})`;
      })
      .join('\n')}\n`,
  );
  for (let tries = 0; tries < 3; tries++) {
    const answer = (await orAbort(stdin.readLine(`Choose 1-${others.length}: `), ctx.deps.signal)).trim();
    const chosen = /^\d+$/.test(answer) ? others[Number(answer) - 1] : others.includes(answer) ? answer : undefined;
    if (chosen !== undefined) return chosen;
    stderr.write(`Answer a number from 1 to ${others.length}.\n`);
  }
  throw new UsageError('No profile chosen.', { hint: `mmx auth switch NAME; profiles: ${names.join(', ')}` });
}
