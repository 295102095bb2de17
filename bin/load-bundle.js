'use strict';
// Loads dist/mmx.cjs through vm.Script with the V8 code cache the build wrote beside it
// (dist/mmx.cjs.cache), so a run skips compiling the functions that the build's warm-up
// runs compiled. The packages the bundle requires lazily (dist/lazy/*.cjs: conf and
// proper-lockfile for config writes, chalk, socks) load the same way, each with its own
// cache when the build wrote one: conf alone took 40-60 ms to compile at every login.
// V8 checks a cache against its version and flags and recompiles from source when it
// does not fit; nothing else changes. No node:module: it would load Node's ESM loader.
//
// Any V8 flag (NODE_OPTIONS=--max-old-space-size=4096 is common) makes V8 reject the build's
// cache, and quota then takes 1.5x as long (docs/performance.md). So a run with NODE_OPTIONS
// or node flags looks first for a cache of its own, keyed to its flags and this bundle, in
// the user's cache directory; when there is none (or V8 rejects it) it writes one there as it
// exits, and the next run with the same flags starts as fast as a run without them.
const { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');
const { Script } = require('node:vm');

/** How the bundle names a lazily required package (scripts/build.mjs). */
const LAZY = /^\.\/lazy\/[\w-]+\.cjs$/;

/**
 * @typedef {(filename: string, script: import('node:vm').Script) => void} OnScript
 * @param {string} filename a CommonJS file (the bundle, or a lazy package)
 * @param {{ onScript?: OnScript, flagsCache?: boolean }} [options] onScript hears of each script compiled: the build writes
 *   their caches (and passes flagsCache: false: its own flags are not a user's)
 * @returns {{ exports: any, script: import('node:vm').Script }}
 */
function loadBundle(filename, options = {}) {
  /** Each lazy package once per bundle, as require's own cache would. */
  const lazy = new Map();
  const load = (file) => {
    const own = file === filename && options.flagsCache !== false ? flagsCache(file) : undefined;
    const cachePath = own?.exists ? own.path : `${file}.cache`;
    let cachedData;
    try {
      cachedData = readFileSync(cachePath);
    } catch {
      cachedData = undefined;
    }
    const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n});`;
    const script = new Script(source, { filename: file, cachedData });
    if (own && script.cachedDataRejected !== false) process.once('exit', () => writeCache(own.path, script));
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

/**
 * The cache of this bundle for the flags this process runs with, or undefined when it runs with
 * none (the build's cache fits). Its name holds a hash of Node's version, the flags and the
 * bundle's size and time, so another mmx build or Node never reads it: V8 itself checks only the
 * source's length, and code compiled for other source must not run.
 */
function flagsCache(file) {
  const nodeOptions = (process.env.NODE_OPTIONS ?? '').trim();
  if (process.execArgv.length === 0 && nodeOptions === '') return undefined;
  try {
    const { size, mtimeMs } = statSync(file);
    const key = fnv1a([process.version, process.execArgv.join(' '), nodeOptions, file, size, mtimeMs].join('\0'));
    const xdg = process.env.XDG_CACHE_HOME;
    const root = xdg && xdg.startsWith('/') ? xdg : join(process.env.HOME || require('node:os').homedir(), '.cache');
    const path = join(root, 'mmx', `${basename(file)}-${key}.cache`);
    let exists = true;
    try {
      statSync(path);
    } catch {
      exists = false;
    }
    return { path, exists };
  } catch {
    return undefined;
  }
}

/**
 * Two 32-bit FNV-1a hashes of `text` (different offsets) as 16 hex digits: a file name that changes
 * with what it is computed from. Not node:crypto, whose loading alone cost 4 ms of every such run.
 */
function fnv1a(text) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** Writes the script's cache (what this run compiled included) atomically, 0600 in a 0700 directory; a failure costs only speed. */
function writeCache(path, script) {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, script.createCachedData());
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch {
    // A read-only or full cache directory: the next run compiles again, as it would without this.
  }
}

module.exports = { loadBundle };
