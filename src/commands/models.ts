/**
 * `mmx models`: the models the API lists (every page), the default model of
 * `text chat` marked. The list is what the endpoint serves, not what a plan
 * allows: a model outside a Token Plan fails on use with 2061.
 */
import { type ModelInfo, models } from '../api/resources/models.js';
import { defineCommand } from '../cli/command.js';
import { fallbackValue } from '../config/settings.js';
import { printDryRun } from '../output/dry-run.js';
import { cell, renderTable } from '../output/table.js';

/** Pages beyond this are not fetched: a list that long is a server bug, not a catalogue. */
const MAX_PAGES = 20;

export default defineCommand({
  path: ['models'],
  summary: 'list the models the API serves (the default marked)',
  flags: {},
  examples: ['mmx models', 'mmx models --output json | jq -r ".data[].id"'],
  notes:
    'The list is what GET /anthropic/v1/models returns, not what your plan allows: a Token Plan ' +
    'refuses a model outside it on use (error 2061). The default is config default_text_model, else MiniMax-M3.',
  needs: { key: true },
  async run(ctx) {
    const client = await ctx.client();
    if (ctx.settings.dryRun) return printDryRun(ctx, [client.describe(models.page())]);
    const all: ModelInfo[] = [];
    let first: Record<string, unknown> = {};
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const got = await client.send(models.page(after));
      if (page === 0) first = got;
      all.push(...got.data);
      if (!got.has_more || got.last_id === null || got.last_id === after) break;
      after = got.last_id;
    }
    const defaultModel = String(fallbackValue('default_text_model', ctx.deps.env, ctx.file)[0]);
    const payload = { ...first, data: all, has_more: false, last_id: all.at(-1)?.id ?? null, default_model: defaultModel };
    ctx.result(payload, () => {
      const t = ctx.outTheme;
      if (ctx.settings.quiet) return all.map((m) => m.id).join('\n');
      const rows = all.map((m) => [
        cell(m.id === defaultModel ? `${m.id} *` : m.id, m.id === defaultModel ? t.bold : undefined),
        cell(m.display_name ?? ''),
        cell(m.max_input_tokens === undefined ? '' : m.max_input_tokens.toLocaleString('en-US')),
        cell(m.max_tokens === undefined ? '' : m.max_tokens.toLocaleString('en-US')),
      ]);
      const table = renderTable({
        headers: [cell('MODEL', t.dim), cell('NAME', t.dim), cell('CONTEXT', t.dim), cell('MAX OUTPUT', t.dim)],
        rows,
        shrinkColumn: 1,
        ...(ctx.deps.stdout.columns ? { width: ctx.deps.stdout.columns } : {}),
      });
      const marked = all.some((m) => m.id === defaultModel);
      return `${table}\n${t.dim(marked ? `* the default (${defaultModel})` : `The default, ${defaultModel}, is not in the list.`)}`;
    });
  },
});
