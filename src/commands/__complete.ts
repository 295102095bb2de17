/**
 * `mmx __complete <words…>`: the candidates for the word being completed, for the
 * scripts `mmx completion` prints. Hidden: never in help, completion or
 * export-schema. bin/fast-path.js answers it from dist/completion.json without
 * loading this bundle; it comes here only when the word needs values that exist
 * at run time (a `dynamic` source), which this command asks of the flag or
 * positional that declares them. The protocol and the engine are in
 * bin/complete.js, shared with the fast path.
 */
import { complete, formatAnswer } from '../../bin/complete.js';
import { defineCommand } from '../cli/command.js';
import { arg } from '../cli/flags.js';

export default defineCommand({
  path: ['__complete'],
  summary: 'print completion candidates for the words typed after mmx (used by the completion scripts)',
  hidden: true,
  verbatim: true,
  flags: {},
  args: { words: arg.rest('[words...]', 'the words after mmx; the last one is the word being completed') },
  needs: { key: false },
  warmup: [['__complete', 'text', 'chat', '--']],
  async run(ctx, { words }) {
    // Imported here: the registry imports this file, so a top-level import would be a cycle.
    const { completionTable, dynamicSource } = await import('../cli/completion.js');
    const table = completionTable();
    let answer = complete(table, words);
    if ('dynamic' in answer) {
      const source = dynamicSource(answer.dynamic);
      const values = source ? await source.values(ctx, words) : [];
      answer = complete(table, words, { [answer.dynamic]: values });
    }
    ctx.print(formatAnswer('dynamic' in answer ? { candidates: [], directive: 'plain' } : answer));
  },
});
