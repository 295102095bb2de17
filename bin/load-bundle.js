'use strict';
// Loads dist/mmx.cjs through vm.Script with the V8 code cache the build wrote beside it
// (dist/mmx.cjs.cache), so a run skips compiling the functions that the build's warm-up
// runs compiled. The packages the bundle requires lazily (dist/lazy/*.cjs: conf and
// proper-lockfile for config writes, chalk, socks) load the same way, each with its own
// cache when the build wrote one: conf alone took 40-60 ms to compile at every login.
// V8 checks a cache against its version and flags and recompiles from source when it
// does not fit; nothing else changes. No node:module: it would load Node's ESM loader.
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

/** How the bundle names a lazily required package (scripts/build.mjs). */
const LAZY = /^\.\/lazy\/[\w-]+\.cjs$/;

/**
 * @typedef {(filename: string, script: import('node:vm').Script) => void} OnScript
 * @param {string} filename a CommonJS file (the bundle, or a lazy package)
 * @param {{ onScript?: OnScript }} [options] onScript hears of each script compiled: the build writes their caches
 * @returns {{ exports: any, script: import('node:vm').Script }}
 */
function loadBundle(filename, options = {}) {
  /** Each lazy package once per bundle, as require's own cache would. */
  const lazy = new Map();
  const load = (file) => {
    let cachedData;
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      cachedData = undefined;
    }
    const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n});`;
    const script = new Script(source, { filename: file, cachedData });
    options.onScript?.(file, script);
    const dir = dirname(file);
    /** Lazy packages through load(); builtins and anything else through Node's require, relative to this file. */
    const requireHere = (id) => {
      if (LAZY.test(id)) {
        if (!lazy.has(id)) lazy.set(id, load(join(dir, id)).exports);
        return lazy.get(id);
      }
      return require(id.startsWith('.') ? join(dir, id) : id);
    };
    const module = { exports: {} };
    script.runInThisContext().call(module.exports, module.exports, requireHere, module, file, dir);
    return { exports: module.exports, script };
  };
  return load(filename);
}

module.exports = { loadBundle };
