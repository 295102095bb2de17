/**
 * `mmx config export-schema`: every command an agent can call, as a tool schema
 * (`{name: "mmx_<command>", description, input_schema}`), the shape mmx-cli
 * 1.0.27 prints; `--command "text chat"` prints one. Generated from the
 * registry, so it is always complete: commands that talk to the API with a key,
 * one tool per command (aliases are not repeated), hidden flags left out.
 */
import type { AnyCommand } from '../../cli/command.js';
import { defineCommand } from '../../cli/command.js';
import { type FlagSpec, flag } from '../../cli/flags.js';
import { settingSpec } from '../../config/settings.js';
import { UsageError } from '../../errors.js';

interface ToolSchema {
  name: string;
  description: string;
  input_schema: { type: 'object'; properties: Record<string, Record<string, unknown>>; required: string[] };
}

function defaultText(f: FlagSpec): string | undefined {
  if (f.defaultHelp !== undefined) return f.defaultHelp;
  if (f.setting !== undefined) {
    const d = settingSpec(f.setting)?.default;
    return d === undefined ? `config ${f.setting}` : `config ${f.setting}, else ${String(d)}`;
  }
  return f.default === undefined || f.kind === 'list' || f.kind === 'boolean' ? undefined : String(f.default);
}

export function toolSchema(spec: AnyCommand): ToolSchema {
  const properties: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  for (const [name, a] of Object.entries((spec.args ?? {}) as Record<string, { syntax: string; help: string }>)) {
    properties[name] = a.syntax.endsWith('...]')
      ? { description: a.help, type: 'array', items: { type: 'string' } }
      : { description: a.help, type: 'string' };
    if (a.syntax.startsWith('<')) required.push(name);
  }
  for (const [name, f] of Object.entries(spec.flags as Record<string, FlagSpec>)) {
    if (f.hidden) continue;
    const def = defaultText(f);
    const property: Record<string, unknown> = { description: def === undefined ? f.help : `${f.help} (default: ${def})` };
    if (f.kind === 'list') Object.assign(property, { type: 'array', items: { type: 'string' } });
    else if (f.kind === 'choice') Object.assign(property, { type: 'string', enum: [...(f.choices ?? [])] });
    else property.type = f.kind;
    properties[name] = property;
    if (f.required) required.push(name);
  }
  return { name: `mmx_${spec.path.join('_')}`, description: spec.summary, input_schema: { type: 'object', properties, required } };
}

/** The commands agents can call: those that use the API with a key, not interactive-only, not hidden. */
export function agentCommands(commands: readonly AnyCommand[]): AnyCommand[] {
  return commands.filter((c) => c.needs.key && !c.hidden);
}

export default defineCommand({
  path: ['config', 'export-schema'],
  summary: 'print every command as a JSON tool schema for agents (Anthropic/OpenAI style)',
  flags: {
    command: flag.string('--command <name>', 'one command only, e.g. "text chat"'),
  },
  examples: ['mmx config export-schema', 'mmx config export-schema --command "text chat"'],
  needs: { key: false },
  async run(ctx, { command }) {
    // Imported here: the registry imports this file, so a top-level import would be a cycle.
    const { COMMANDS } = await import('../../cli/registry.js');
    const tools = agentCommands(COMMANDS);
    if (command === undefined) {
      ctx.printJson(tools.map(toolSchema));
      return;
    }
    const wanted = command
      .trim()
      .replace(/^mmx[_ ]/, '')
      .replace(/[_\s]+/g, ' ');
    const found = tools.find(
      (c) => c.path.join(' ') === wanted || (c.aliases ?? []).some((a: string) => [...c.path.slice(0, -1), a].join(' ') === wanted),
    );
    if (!found)
      throw new UsageError(`Command "${command}" not found.`, { hint: `Commands: ${tools.map((c) => c.path.join(' ')).join(', ')}` });
    ctx.printJson(toolSchema(found));
  },
});
