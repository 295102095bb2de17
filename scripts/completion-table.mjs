// Writes dist/completion.json: the completion table of the tree built from the
// registry (completionTable() in src/cli/completion.ts; format in bin/complete.js),
// so bin/mmx can answer `mmx __complete` without loading the CLI. A test checks it
// against the current source.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { completionTable } = createRequire(import.meta.url)('../dist/mmx.cjs');

writeFileSync('dist/completion.json', `${JSON.stringify(completionTable())}\n`);
