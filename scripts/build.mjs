// Bundles src/ into dist/ with esbuild. The CLI is one file of its own code with
// only the heavy, rarely needed libraries split off and imported on demand (conf
// on a config write, undici behind a proxy, chalk for colour): measured here, each
// dynamic import of a chunk costs more than parsing the code it would have saved.
// The emulator and the benchmark's library entry are a separate build, so no chunk
// is shared with the CLI. Then the help texts are rendered once (see help-snapshot.mjs).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { mmx: 'src/main.ts' },
  outdir: 'dist',
  chunkNames: 'lazy/[name]-[hash]',
  // commander is CommonJS: give its bundled require() a real one.
  banner: { js: "import { createRequire as __mmxCreateRequire } from 'node:module'; const require = __mmxCreateRequire(import.meta.url);" },
});
await build({
  ...common,
  entryPoints: { lib: 'src/lib.ts', 'emulator/cli': 'src/emulator/cli.ts', 'emulator/index': 'src/emulator/index.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
});
await import('./help-snapshot.mjs');
