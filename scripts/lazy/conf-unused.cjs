// Stands in for ajv, ajv-formats and semver inside dist/lazy/conf.cjs. conf uses them
// only for options mmx never passes (`schema`, `migrations`), yet they were 83 % of the
// chunk (375 of 447 kB) and compiled at every config write. Anything that reaches for
// one of them fails loudly, naming the option, instead of validating nothing.
module.exports = new Proxy(
  {},
  {
    get(_target, name) {
      // Read by esbuild's ESM interop (and by inspection), never by conf's own code paths.
      if (typeof name === 'symbol' || name === '__esModule') return undefined;
      throw new Error(
        `mmx's build of conf has no ajv or semver (scripts/build.mjs): conf's "schema" and "migrations" options are not available (it asked for ${String(name)})`,
      );
    },
  },
);
