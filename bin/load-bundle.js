'use strict';
// Loads dist/mmx.cjs through vm.Script with the V8 code cache the build wrote
// beside it (dist/mmx.cjs.cache), so a run skips compiling the functions that the
// build's warm-up runs compiled. V8 checks the cache against its version and
// flags and recompiles from source when it does not fit; nothing else changes.
const { readFileSync } = require('node:fs');
const { createRequire, wrap } = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

/** @param {string} filename @returns {{ exports: any, script: import('node:vm').Script }} */
function loadBundle(filename) {
  let cachedData;
  try {
    cachedData = readFileSync(`${filename}.cache`);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(wrap(readFileSync(filename, 'utf8')), { filename, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename));
  return { exports: module.exports, script };
}

module.exports = { loadBundle };
