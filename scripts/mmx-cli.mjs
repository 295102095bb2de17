// mmx-cli 1.0.27, the client mmx replaces, for the scripts that run both side by side
// (`npm run compare`, `npm run bench`): MMX_CLI_BIN when set, else a private install
// in node_modules/.cache made on first use (npm install with scripts off, never global).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const MMX_CLI_VERSION = '1.0.27';

/** The path of mmx-cli's entry (dist/mmx.mjs), installed first if needed; throws when it is not 1.0.27. */
export function mmxCliBin(root) {
  const given = process.env.MMX_CLI_BIN;
  const cache = join(root, 'node_modules', '.cache', `mmx-cli-${MMX_CLI_VERSION}`);
  const bin = given ?? join(cache, 'node_modules', 'mmx-cli', 'dist', 'mmx.mjs');
  if (given === undefined && !existsSync(bin)) {
    mkdirSync(cache, { recursive: true });
    // Its own package.json, so npm installs here and not into this project.
    writeFileSync(join(cache, 'package.json'), '{ "private": true }\n');
    process.stderr.write(`installing mmx-cli@${MMX_CLI_VERSION} into ${cache}\n`);
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `mmx-cli@${MMX_CLI_VERSION}`], {
      cwd: cache,
      stdio: ['ignore', 2, 2], // npm's progress on stderr: stdout is the report
      shell: process.platform === 'win32',
    });
    if (npm.status !== 0) throw new Error(`npm install mmx-cli@${MMX_CLI_VERSION} failed (exit ${npm.status})`);
  }
  const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  if (version.stdout.trim() !== `mmx ${MMX_CLI_VERSION}`) {
    throw new Error(`${bin} says ${JSON.stringify(version.stdout.trim())}, expected "mmx ${MMX_CLI_VERSION}"`);
  }
  return bin;
}
