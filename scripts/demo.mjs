// `npm run demo`: what mmx does, in one command, with no key and no network.
// Starts the MiniMax emulator in the cn region on loopback, then runs the built
// bin/mmx against it with a throw-away config dir: login, status, quota, a
// streaming chat, the mmx-cli #59 failure (x-api-key on cn) next to the fix, and
// an image and a video, downloaded from the emulator's CDN stand-in.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMULATOR_KEYS, createCdn, createEmulator, startEmulatorServer } from '../dist/emulator/index.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const bin = join(root, 'bin', 'mmx');
const home = mkdtempSync(join(tmpdir(), 'mmx-demo-'));
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (color ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s) => (color ? `\x1b[2m${s}\x1b[22m` : s);

const store = createCdn();
const cdn = await startEmulatorServer(store);
const server = await startEmulatorServer(createEmulator({ region: 'cn', cdn: { store, origin: cdn.url }, media: { videoPolls: 1 } }));
const env = {
  PATH: process.env.PATH ?? '',
  HOME: home,
  MMX_CONFIG_DIR: join(home, '.mmx'),
  ...(color ? { FORCE_COLOR: '1' } : {}),
};

function mmx(args, expectCode = 0) {
  const shown = args.map((a) => (a === EMULATOR_KEYS.cn ? 'sk-cp-emulator…' : /\s/.test(a) ? `'${a}'` : a)).join(' ');
  process.stdout.write(`\n${bold(`$ mmx ${shown}`)}\n`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('close', (code) => {
      process.stdout.write(dim(`(exit ${code})\n`));
      if (code !== expectCode) fail(new Error(`mmx ${shown} exited ${code}, expected ${expectCode}`));
      else done();
    });
  });
}

let failed = false;
try {
  process.stdout.write(
    `${bold('MiniMax emulator (region cn, standing in for https://api.minimax.cn)')} on ${server.url}; config in ${env.MMX_CONFIG_DIR}\n`,
  );
  await mmx(['auth', 'login', '--api-key', EMULATOR_KEYS.cn, '--region', 'cn', '--base-url', server.url, '--output', 'text']);
  await mmx(['auth', 'status', '--output', 'text']);
  await mmx(['quota', '--output', 'text']);
  await mmx(['text', 'chat', '--message', '你好', '--stream', '--output', 'text']);
  process.stdout.write(`\n${bold('mmx-cli #59: x-api-key on the cn host fails with system error (1033)…')}\n`);
  await mmx(['text', 'chat', '--message', '你好', '--auth-style', 'x-api-key', '--output', 'text'], 1);
  process.stdout.write(`\n${bold('…and mmx recovers by itself when a stored region is wrong: told global, it switches and remembers:')}\n`);
  await mmx(['text', 'chat', '--message', 'hello', '--region', 'global', '--base-url', server.url, '--output', 'text', '--no-stream']);
  await mmx(['auth', 'status', '--region', 'global', '--base-url', server.url, '--output', 'text']);
  process.stdout.write(`\n${bold('Images and videos: made, waited for, and downloaded from the CDN stand-in without the key:')}\n`);
  await mmx(['image', 'A lighthouse at dawn', '--n', '2', '--out-dir', join(home, 'images'), '--output', 'text']);
  await mmx([
    'video',
    'generate',
    '--prompt',
    'Waves at sunset',
    '--poll-interval',
    '1',
    '--download',
    join(home, 'waves.mp4'),
    '--output',
    'text',
  ]);
} catch (error) {
  failed = true;
  process.stderr.write(`demo failed: ${error.message}\n`);
} finally {
  await server.close();
  await cdn.close();
  rmSync(home, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
