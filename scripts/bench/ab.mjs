// Two builds of mmx on one command, alternated run by run: how a lever measures
// before/after when the machine's load drifts more than the lever saves.
//
//   node scripts/bench/ab.mjs --a DIR --b DIR [--runs 41] [--fresh-home] -- quota --output json
//
// DIR is a copy of the package (its bin/ and dist/; `cp -r bin dist package.json DIR`
// after each build). The command runs against the bench's server (scripts/bench/server.mjs)
// in a clean environment whose HOME holds the bench key, region cn and the server as
// base_url; "KEY" in the command is replaced by the bench key, and both region hosts are
// the server's (MINIMAX_CN_BASE_URL, MINIMAX_GLOBAL_BASE_URL: a login detects cn).
// --fresh-home gives each run an empty HOME (a login). Prints the median of the per-pair
// ratios b ÷ a, each side's median wall time and peak RSS (VmHWM).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = resolve(fileURLToPath(import.meta.url), '..');
const { values: options, positionals: command } = parseArgs({
  allowPositionals: true,
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    runs: { type: 'string', default: '41' },
    'fresh-home': { type: 'boolean', default: false },
  },
});
if (!options.a || !options.b || command.length === 0)
  throw new Error('usage: ab.mjs --a DIR --b DIR [--runs N] [--fresh-home] -- COMMAND…');
const KEY = 'sk-cp-bench-2f9c1d7a4b6e8f0a3c5d7e9b1a2c4e6f8a0b';
const RUNS = Number(options.runs);

const server = spawn(process.execPath, [join(here, 'server.mjs'), '--key', KEY], { stdio: ['pipe', 'pipe', 'inherit'] });
const ports = await new Promise((ready) => {
  let out = '';
  server.stdout.on('data', (c) => {
    out += c;
    if (out.includes('\n')) ready(JSON.parse(out));
  });
});
const url = (name) => `http://127.0.0.1:${ports[name]}`;
const scratch = mkdtempSync(join(tmpdir(), 'mmx-ab-'));
const homeDir = join(scratch, 'home');
mkdirSync(join(homeDir, '.mmx'), { recursive: true, mode: 0o700 });
writeFileSync(join(homeDir, '.mmx', 'config.json'), JSON.stringify({ api_key: KEY, region: 'cn', base_url: url('main') }), { mode: 0o600 });
const argv = command.map((word) => (word === 'KEY' ? KEY : word));

function once(dir, rss) {
  const home = options['fresh-home'] ? mkdtempSync(join(scratch, 'fresh-')) : homeDir;
  const env = { PATH: process.env.PATH ?? '', HOME: home, MINIMAX_CN_BASE_URL: url('cn'), MINIMAX_GLOBAL_BASE_URL: url('global') };
  const args = [...(rss ? ['-r', join(here, 'rss-hook.cjs')] : []), join(dir, 'bin', 'mmx'), ...argv];
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let peak = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdio[3].on('data', (c) => (peak += c));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (options['fresh-home']) rmSync(home, { recursive: true, force: true });
      if (code !== 0) fail(new Error(`${dir}: exited ${code}: ${stderr.slice(0, 300)}`));
      else done({ ms, rssKiB: Number(peak) || undefined });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
try {
  for (let i = 0; i < 3; i++) {
    await once(options.a);
    await once(options.b);
  }
  const a = [];
  const b = [];
  const ratios = [];
  for (let i = 0; i < RUNS; i++) {
    const first = i % 2 === 0 ? await once(options.a) : undefined;
    const y = await once(options.b);
    const x = first ?? (await once(options.a));
    a.push(x.ms);
    b.push(y.ms);
    ratios.push(y.ms / x.ms);
  }
  const rssA = [];
  const rssB = [];
  for (let i = 0; i < 5; i++) {
    rssA.push((await once(options.a, true)).rssKiB);
    rssB.push((await once(options.b, true)).rssKiB);
  }
  console.log(
    `b ÷ a ${median(ratios).toFixed(3)}×  a ${median(a).toFixed(1)} ms  b ${median(b).toFixed(1)} ms  ` +
      `RSS a ${(median(rssA) / 1024).toFixed(1)} MiB  b ${(median(rssB) / 1024).toFixed(1)} MiB  (${RUNS} pairs: ${argv.join(' ')})`,
  );
} finally {
  server.stdin.end();
  rmSync(scratch, { recursive: true, force: true });
}
