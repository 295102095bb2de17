// Two builds of mmx on one command, alternated run by run: how a lever measures
// before/after when the machine's load drifts more than the lever saves.
//
//   node scripts/bench/ab.mjs --a DIR --b DIR [--runs 41] [--fresh-home] [--env K=V] [--env-a K=V] [--env-b K=V] -- quota --output json
//
// DIR is a copy of the package (its bin/ and dist/; `cp -r bin dist package.json DIR`
// after each build). The command runs against the bench's server (scripts/bench/server.mjs)
// in a clean environment whose HOME holds the bench key, region cn and the server as
// base_url; "KEY" in the command is replaced by the bench key, and both region hosts are
// the server's (MINIMAX_CN_BASE_URL, MINIMAX_GLOBAL_BASE_URL: a login detects cn).
// --fresh-home gives each run an empty HOME (a login); --env adds a variable to both sides,
// --env-a and --env-b to one (the same DIR twice with different NODE_OPTIONS). Prints the median of the per-pair
// ratios b ÷ a of wall time and of CPU time (steadier than wall time on a loaded machine),
// each side's medians and peak RSS (VmHWM). Every run has scripts/bench/rss-hook.cjs preloaded.
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
    env: { type: 'string', multiple: true, default: [] }, // K=V for both sides
    'env-a': { type: 'string', multiple: true, default: [] },
    'env-b': { type: 'string', multiple: true, default: [] },
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

const pairs = (list) => Object.fromEntries(list.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const sideEnv = { a: pairs([...options.env, ...options['env-a']]), b: pairs([...options.env, ...options['env-b']]) };

/** One run of side 'a' or 'b'. */
function once(side) {
  const dir = options[side];
  const home = options['fresh-home'] ? mkdtempSync(join(scratch, 'fresh-')) : homeDir;
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    MINIMAX_CN_BASE_URL: url('cn'),
    MINIMAX_GLOBAL_BASE_URL: url('global'),
    ...sideEnv[side],
  };
  const args = ['-r', join(here, 'rss-hook.cjs'), join(dir, 'bin', 'mmx'), ...argv];
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
      else done({ ms, ...JSON.parse(peak) });
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
    await once('a');
    await once('b');
  }
  const a = [];
  const b = [];
  const ratios = [];
  const cpuRatios = [];
  for (let i = 0; i < RUNS; i++) {
    const first = i % 2 === 0 ? await once('a') : undefined;
    const y = await once('b');
    const x = first ?? (await once('a'));
    a.push(x);
    b.push(y);
    ratios.push(y.ms / x.ms);
    cpuRatios.push(y.cpu_ms / x.cpu_ms);
  }
  const m = (runs, key) => median(runs.map((r) => r[key]));
  console.log(
    `wall b ÷ a ${median(ratios).toFixed(3)}× (a ${m(a, 'ms').toFixed(1)} ms, b ${m(b, 'ms').toFixed(1)} ms)  ` +
      `CPU b ÷ a ${median(cpuRatios).toFixed(3)}× (a ${m(a, 'cpu_ms').toFixed(1)} ms, b ${m(b, 'cpu_ms').toFixed(1)} ms)  ` +
      `peak RSS a ${(m(a, 'rss_kib') / 1024).toFixed(1)} MiB, b ${(m(b, 'rss_kib') / 1024).toFixed(1)} MiB  (${RUNS} pairs: ${command.join(' ')})`,
  );
} finally {
  server.stdin.end();
  rmSync(scratch, { recursive: true, force: true });
}
