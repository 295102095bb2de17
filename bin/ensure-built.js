'use strict';
// A clone has no dist/ until something builds it (npm ci no longer runs a build
// script: an install of the published package must not). So the first run of
// ./bin/mmx (or an `npm link`ed mmx) in a clone builds it once; an installed
// package always ships dist/ and never gets here.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

/** @param {string} root the package root @returns {void} */
function ensureBuilt(root) {
  if (existsSync(join(root, 'dist', 'mmx.cjs'))) return;
  const script = join(root, 'scripts', 'build.mjs');
  if (!existsSync(script)) {
    process.stderr.write('mmx: dist/mmx.cjs is missing; reinstall the package.\n');
    process.exit(1);
  }
  process.stderr.write('mmx: building dist/ (the first run in a clone)…\n');
  const { status } = require('node:child_process').spawnSync(process.execPath, [script], { cwd: root, stdio: ['ignore', 2, 2] });
  if (status !== 0) {
    process.stderr.write('mmx: the build failed; run "npm ci" in the clone, then "npm run build".\n');
    process.exit(1);
  }
}

module.exports = { ensureBuilt };
