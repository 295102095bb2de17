/**
 * `mmx search query` (also `mmx search web`, and `mmx search "…"` by the group
 * shortcut): POST /v1/coding_plan/search with `{q}`. Token Plan keys only. Text
 * output lists title, link, snippet and date per result (`--quiet`: mmx-cli's
 * `title<TAB>link` lines); JSON prints the payload as received.
 */
import { type SearchResult, codingPlan } from '../../api/resources/coding-plan.js';
import { defineCommand } from '../../cli/command.js';
import { arg, flag } from '../../cli/flags.js';
import { UsageError } from '../../errors.js';
import { printDryRun } from '../../output/dry-run.js';
import type { Theme } from '../../output/theme.js';

/** Server text on a terminal: control characters (escapes, line breaks) become one space. */
const clean = (text: string) => text.replace(/\p{Cc}+/gu, ' ').trim();

/** The query from `--q` (or `--query`) or the words after the command, never both. */
export function queryOf(q: string | undefined, words: readonly string[]): string {
  const positional = words.length > 0 ? words.join(' ') : undefined;
  if (q !== undefined && positional !== undefined) {
    throw new UsageError('The query is given twice: with --q and as words.', { hint: 'Give it once: mmx search "your query"' });
  }
  const query = q ?? positional;
  if (query === undefined) throw new UsageError('--q is required.', { hint: 'mmx search query --q "your search query"' });
  if (query.trim() === '') throw new UsageError('The query is empty.');
  return query;
}

/** mmx-cli 1.0.27's text: per result the title, then the link, snippet and date indented, then a blank line. */
export function renderResults(results: readonly SearchResult[], theme: Theme): string {
  if (results.length === 0) return 'No results found.\n';
  return results
    .map((r) => {
      const lines = [theme.bold(clean(r.title)), `  ${clean(r.link)}`];
      if (r.snippet) lines.push(`  ${clean(r.snippet)}`);
      if (r.date) lines.push(`  ${theme.dim(clean(r.date))}`);
      return `${lines.join('\n')}\n\n`;
    })
    .join('');
}

/** `--quiet`: `title<TAB>link` per result, as mmx-cli (nothing at all when there are none). */
export function renderQuiet(results: readonly SearchResult[]): string {
  return results.map((r) => `${clean(r.title)}\t${clean(r.link)}\n`).join('');
}

export default defineCommand({
  path: ['search', 'query'],
  aliases: ['web'],
  summary: 'search the web (Token Plan keys; at most 10 results, no paging)',
  flags: {
    q: flag.string('--q <query>', 'what to search for (or give it as words)', { aliases: ['--query <query>'] }),
  },
  args: { words: arg.rest('[query...]', 'the query, instead of --q') },
  examples: [
    'mmx search "MiniMax AI"',
    'mmx search query --q "latest news" --output json | jq -r ".organic[].link"',
    'mmx search web "node 20 release notes" --output text --quiet | cut -f2',
  ],
  notes:
    'The API returns at most 10 results per call and has no paging: refine the query to see others. ' +
    'Only Token Plan keys (sk-cp-…) may search; a pay-as-you-go key gets "not token plan token".',
  needs: { key: true },
  validate({ q, words }) {
    queryOf(q, words);
  },
  async run(ctx, { q, words }) {
    const client = await ctx.client();
    const request = codingPlan.search(queryOf(q, words));
    if (ctx.settings.dryRun) return printDryRun(ctx, [client.describe(request)]);
    const { payload, value: results } = await client.send(request);
    if (ctx.json) ctx.printJson(payload);
    else ctx.print(ctx.settings.quiet ? renderQuiet(results) : renderResults(results, ctx.outTheme));
    return 0;
  },
});
