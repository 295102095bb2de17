// Renders `mmx [path] --help` once per command path of the tree built from the registry, through the real run() with
// a non-terminal stdout (80 columns), into dist/help.json, so bin/mmx can answer
// --help without loading the CLI. A test checks it against live output.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { listHelpPaths, run } = createRequire(import.meta.url)('../dist/mmx.cjs');

const snapshot = {};
for (const path of listHelpPaths()) {
  let out = '';
  const sink = (chunk) => void (out += chunk);
  const stream = { write: sink, writeAndDrain: async (chunk) => sink(chunk), isTTY: false };
  const code = await run([...path, '--help'], {
    stdout: stream,
    stderr: { write: () => undefined, writeAndDrain: async () => undefined, isTTY: false },
    stdin: { isTTY: false, readAll: async () => '', readSecret: async () => '', readLine: async () => '' },
    env: {},
    configDir: '/nonexistent',
    transport: async () => {
      throw new Error('help needs no network');
    },
    now: () => 0,
    sleep: async () => undefined,
    signal: new AbortController().signal,
    openUrl: async () => undefined,
  });
  if (code !== 0 || out === '') throw new Error(`mmx ${path.join(' ')} --help: exit ${code}`);
  snapshot[path.join(' ')] = out;
}
writeFileSync('dist/help.json', `${JSON.stringify(snapshot)}\n`);
