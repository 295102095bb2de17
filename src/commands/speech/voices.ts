/**
 * `mmx speech voices`: the system voices from POST /v1/get_voice, optionally
 * only one language's (mmx-cli 1.0.27's filter on the voice id). JSON is
 * mmx-cli's: the voice ids, or with --language the voice objects. Text is a
 * table fitted to the terminal, or mmx-cli's lines off a terminal.
 */
import { type Voice, speech, voicesForLanguage } from '../../api/resources/speech.js';
import { defineCommand } from '../../cli/command.js';
import { flag } from '../../cli/flags.js';
import { UsageError } from '../../errors.js';
import { printDryRun } from '../../output/dry-run.js';
import { cell, renderTable } from '../../output/table.js';
import { displayWidth } from '../../output/text-width.js';
import type { Theme } from '../../output/theme.js';

export type VoicesLayout = 'table' | 'lines' | 'ids';

/**
 * The text listing. `table` (a terminal): id, name and description, the description
 * cut to fit `width` (and dropped, then the name, on a terminal too narrow for them). `lines` (off a terminal, as mmx-cli prints): the ids, or with
 * `detailed` (--language) `  id (name)` and its description indented below. `ids`
 * (--quiet): one id per line.
 */
export function renderVoices(
  voices: readonly Voice[],
  o: { layout: VoicesLayout; detailed: boolean; width?: number | undefined; theme?: Theme },
): string {
  if (voices.length === 0) return '';
  const describe = (v: Voice) => (Array.isArray(v.description) ? v.description.filter((d) => typeof d === 'string').join('; ') : '');
  const name = (v: Voice) => (typeof v.voice_name === 'string' ? v.voice_name : '');
  if (o.layout === 'ids' || (o.layout === 'lines' && !o.detailed)) return `${voices.map((v) => cell(v.voice_id).text).join('\n')}\n`;
  if (o.layout === 'lines') {
    const lines = voices.flatMap((v) => {
      const head = `  ${v.voice_id}${name(v) ? ` (${name(v)})` : ''}`;
      return describe(v) ? [head, `    ${describe(v)}`] : [head];
    });
    return `${lines.map((line) => cell(line).text).join('\n')}\n`;
  }
  const dim = o.theme?.dim;
  const headers = [cell('VOICE', dim), cell('NAME', dim), cell('DESCRIPTION', dim)];
  const rows = voices.map((v) => [v.voice_id, name(v), describe(v)]);
  // The description is cut to fit; when even that is too wide, the columns after the id go, last first.
  for (let columns = 3; ; columns--) {
    const table = renderTable({
      headers: headers.slice(0, columns),
      rows: rows.map((row) => row.slice(0, columns)),
      width: o.width,
      ...(columns === 3 ? { shrinkColumn: 2 } : {}),
    });
    const fits =
      o.width === undefined ||
      table.split('\n').every((line) => displayWidth(line.replace(/\u001b\[[0-9;]*m/g, '')) <= (o.width as number));
    if (fits || columns === 1) return `${table}\n`;
  }
}

export default defineCommand({
  path: ['speech', 'voices'],
  summary: 'list the system voices (ids for --voice)',
  flags: {
    language: flag.string('--language <lang>', 'only the voices of one language (english, korean, japanese, "chinese (mandarin)", …)'),
  },
  examples: [
    'mmx speech voices',
    'mmx speech voices --language english',
    'mmx speech voices --language korean',
    'mmx speech voices --output json',
  ],
  needs: { key: true },
  validate({ language }) {
    if (language !== undefined && language.trim() === '') throw new UsageError('--language is empty.');
  },
  async run(ctx, { language }) {
    const client = await ctx.client();
    const request = speech.voices();
    if (ctx.settings.dryRun) return printDryRun(ctx, [client.describe(request)], { fields: { request: { voice_type: 'system' } } });
    const all = await client.send(request);
    const voices = language === undefined ? all : voicesForLanguage(all, language.trim());
    if (ctx.json) {
      ctx.printJson(language === undefined ? voices.map((v) => v.voice_id) : voices);
      return 0;
    }
    if (voices.length === 0) {
      ctx.info(
        language === undefined ? 'No system voices.' : `No voices for the language "${language}"; "mmx speech voices" lists them all.`,
      );
      return 0;
    }
    const layout: VoicesLayout = ctx.settings.quiet ? 'ids' : ctx.deps.stdout.isTTY ? 'table' : 'lines';
    ctx.print(renderVoices(voices, { layout, detailed: language !== undefined, width: ctx.deps.stdout.columns, theme: ctx.outTheme }));
    return 0;
  },
});
