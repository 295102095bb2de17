// Bundles src/ into dist/ with esbuild: one small entry plus lazily loaded chunks,
// so `mmx --version` and `--help` load no HTTP stack, schemas or conf.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { mmx: 'src/main.ts', lib: 'src/lib.ts', 'emulator/cli': 'src/emulator/cli.ts', 'emulator/index': 'src/emulator/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  // commander is CommonJS: give its bundled require() a real one.
  banner: { js: "import { createRequire as __mmxCreateRequire } from 'node:module'; const require = __mmxCreateRequire(import.meta.url);" },
});
