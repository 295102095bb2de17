// Builds dist/ with esbuild. Why this shape (each step measured: docs/performance.md):
// - The CLI is one CommonJS file, dist/mmx.cjs: CommonJS skips Node's ESM loader,
//   and one file beats chunks (each dynamic import cost more than the parse it saved).
// - conf and proper-lockfile (config writes), socks (SOCKS5 proxies), chalk (colour) and
//   the formats of `mmx agent setup` (jsonc-parser, smol-toml, yaml, diff) are separate
//   files in dist/lazy/, required only when a run needs them; conf without the packages
//   it imports only for options mmx never passes.
// - The emulator and the benchmark's library entry are a separate ESM build.
// - Then the help texts are rendered once (help-snapshot.mjs), the completion table
//   is written (completion-table.mjs), and a warm-up writes the V8 code caches of
//   the bundle and of the lazy packages it loaded (code-cache.mjs).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const LAZY = ['conf', 'socks', 'chalk', 'proper-lockfile', 'jsonc-parser', 'smol-toml', 'yaml', 'diff'];
const common = { bundle: true, platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning' };

/** Lazy packages stay out of the bundle, each required from its own file when first used. */
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${LAZY.join('|')})$`) }, (args) => ({ path: `./lazy/${args.path}.cjs`, external: true }));
  },
};

/** commander's top-level require('node:child_process') becomes a lazy stand-in (scripts/lazy/child-process.cjs). */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/')
        ? { path: new URL('./lazy/child-process.cjs', import.meta.url).pathname }
        : undefined,
    );
  },
};

/**
 * Inside conf, the packages and built-in it imports at load only for options mmx never passes
 * (schema, migrations, encryptionKey) become stand-ins: scripts/lazy/conf-unused.cjs (fails
 * loudly if ever used) for ajv, ajv-formats and semver, scripts/lazy/crypto.cjs (the real
 * module on first use) for node:crypto. Measured in docs/performance.md.
 */
const confWithoutUnused = {
  name: 'conf-without-unused',
  setup(b) {
    const fromConf = (args) => args.importer.includes('node_modules/conf/');
    b.onResolve({ filter: /^(ajv\/dist\/2020\.js|ajv-formats|semver)$/ }, (args) =>
      fromConf(args) ? { path: new URL('./lazy/conf-unused.cjs', import.meta.url).pathname } : undefined,
    );
    b.onResolve({ filter: /^(node:)?crypto$/ }, (args) =>
      fromConf(args) ? { path: new URL('./lazy/crypto.cjs', import.meta.url).pathname } : undefined,
    );
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { mmx: 'src/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  sourcemap: true,
  // Without white space and with shorter syntax, names kept (stack traces stay readable): a third
  // less source to read and hash at every start; quota 0.944x (docs/performance.md, lever 15).
  minifyWhitespace: true,
  minifySyntax: true,
  // import() becomes require(): no import() may reach vm.Script, which has no ESM loader.
  supported: { 'dynamic-import': false },
  plugins: [lazyPackages, lazyChildProcess],
});
await build({
  ...common,
  entryPoints: {
    conf: 'scripts/lazy/conf.cjs',
    socks: 'scripts/lazy/socks.ts',
    chalk: 'scripts/lazy/chalk.ts',
    'proper-lockfile': 'scripts/lazy/proper-lockfile.cjs',
    'jsonc-parser': 'scripts/lazy/jsonc-parser.ts',
    'smol-toml': 'scripts/lazy/smol-toml.ts',
    yaml: 'scripts/lazy/yaml.ts',
    diff: 'scripts/lazy/diff.ts',
  },
  outdir: 'dist/lazy',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [confWithoutUnused],
});
await build({
  ...common,
  entryPoints: { lib: 'src/lib.ts', 'emulator/cli': 'src/emulator/cli.ts', 'emulator/index': 'src/emulator/index.ts' },
  outdir: 'dist',
  format: 'esm',
  splitting: true,
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
});
await import('./help-snapshot.mjs');
await import('./completion-table.mjs');
await import('./code-cache.mjs');
