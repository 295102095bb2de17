// `npm run bench [-- --runs N] [-- --json] [-- --only NAME] [-- --no-mmx-cli]`: what
// users feel, as whole processes, each row against its floor measured in the same run.
//
// - The server is scripts/bench/server.mjs in its own process (the in-process
//   emulator is slower than the client it serves): canned quota JSON, Anthropic
//   Messages SSE built before the first request and written in 64 KiB chunks as
//   fast as the socket takes them, two region hosts with the same latency for the
//   login, and counters the bench reads so that a row that measured nothing fails.
// - Floors are bare Node scripts doing the least the command must do
//   (scripts/bench/bare-*.cjs), or `node -e 0`.
// - Per row, after a warm-up, the sides (mmx, its floor, and mmx-cli 1.0.27 where it
//   can run) take turns run by run, the order rotating through every permutation, in
//   a clean environment (PATH and HOME only; TERM too under a pseudo-terminal):
//   NODE_EXTRA_CA_CERTS alone adds ~0.1 s to every Node start.
// - Reported per row: the median of the per-run ratios side ÷ floor, each side's
//   median time, and each side's median peak RSS against the floor's (measured in
//   separate runs with scripts/bench/rss-hook.cjs preloaded, so the hook does not slow
//   the timed ones). Times are to exit, to the first byte of answer text on stdout
//   (first-token rows), or to the REPL's first prompt on the pseudo-terminal.
// - mmx-cli is installed on first use as `npm run compare` does (scripts/mmx-cli.mjs).
//
// A benchmark, not a test: it never fails on a figure. It fails loudly when a row
// measured nothing: a side that exited non-zero or printed the wrong thing, a server
// that served fewer streams than runs, a proxy that carried no request.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { Socket, connect } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import {
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { firstTokenAnswer, streamedAnswer } from './bench/answers.mjs';
import { CONVERSATION_ID, conversationLines, writeConversation } from './bench/conversation.mjs';
import { mmxCliBin } from './mmx-cli.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '21' },
    only: { type: 'string' }, // the rows whose name contains this
    json: { type: 'boolean', default: false },
    'no-mmx-cli': { type: 'boolean', default: false },
  },
});
const RUNS = Number(options.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs: expected a positive integer, got ${options.runs}`);
const WARMUP = 2;
const RSS_RUNS = 5;
const LATENCY_MS = 50; // each region host's delay before it answers the login's check
const HOLD_MS = 300; // how long the first-token answer holds the rest back
const RUN_TIMEOUT_MS = 120_000;
const KEY = 'sk-cp-bench-2f9c1d7a4b6e8f0a3c5d7e9b1a2c4e6f8a0b'; // known to the bench's server only

const root = resolve(fileURLToPath(import.meta.url), '../..');
const bin = join(root, 'bin', 'mmx');
const RSS_HOOK = join(root, 'scripts', 'bench', 'rss-hook.cjs');
const bare = (name) => join(root, 'scripts', 'bench', name);
const say = (line) => options.json || process.stderr.write(`${line}\n`);

// --- the server, in its own process --------------------------------------------------------

const server = spawn(
  process.execPath,
  [join(root, 'scripts', 'bench', 'server.mjs'), '--key', KEY, '--latency', `${LATENCY_MS}`, '--hold', `${HOLD_MS}`],
  {
    stdio: ['pipe', 'pipe', 'inherit'], // it exits when its stdin closes, however the bench ends
  },
);
const ports = await new Promise((ready, fail) => {
  let out = '';
  server.stdout.on('data', (c) => {
    out += c;
    if (out.includes('\n')) ready(JSON.parse(out));
  });
  server.on('exit', (code) => fail(new Error(`the bench server exited ${code} before listening`)));
});
const url = (name) => `http://127.0.0.1:${ports[name]}`;
const base = url('main');

async function serverStats() {
  const response = await fetch(`${base}/__stats`);
  return response.json();
}

// A forward proxy on loopback, as a local Clash or squid: absolute-form requests for http
// targets, CONNECT tunnels otherwise. It counts what it carried.
const proxied = { requests: 0 };
const proxy = createServer((req, res) => {
  proxied.requests++;
  const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
});
proxy.on('connect', (req, client, head) => {
  proxied.requests++;
  const [host, port] = (req.url ?? '').split(':');
  const upstream = connect(Number(port), host, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});
await new Promise((listening) => proxy.listen(0, '127.0.0.1', listening));

// --- homes, and what each side prints -----------------------------------------------------

const scratch = mkdtempSync(join(tmpdir(), 'mmx-bench-'));
/** A HOME whose ~/.mmx/config.json holds the bench key, region cn and the server as base_url. */
function home(name) {
  const dir = join(scratch, name);
  mkdirSync(join(dir, '.mmx'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, '.mmx', 'config.json'), `${JSON.stringify({ api_key: KEY, region: 'cn', base_url: base }, null, 2)}\n`, {
    mode: 0o600,
  });
  return dir;
}
const homes = { mmx: home('mmx'), cli: home('mmx-cli'), floor: home('floor'), history: home('history') };
const envOf = (dir, extra = {}) => ({ PATH: process.env.PATH ?? '', HOME: dir, ...extra });
const env = { mmx: envOf(homes.mmx), cli: envOf(homes.cli), floor: envOf(homes.floor) };

const STREAM_TEXT_BYTES = {
  1.8: Buffer.byteLength(streamedAnswer(1_800_000).text),
  7.2: Buffer.byteLength(streamedAnswer(7_200_000).text),
};
const FIRST = firstTokenAnswer();
const HISTORY = conversationLines(50);
const VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

let cliBin;
if (!options['no-mmx-cli']) {
  try {
    cliBin = mmxCliBin(root);
  } catch (error) {
    say(`mmx-cli 1.0.27 cannot run here, so its column is empty: ${error.message}`);
  }
}

// --- checks: what each run must have printed or left -----------------------------------------

const printed = (text) => (r) =>
  r.head.startsWith(text) ? undefined : `printed ${JSON.stringify(r.head.slice(0, 80))}, not ${JSON.stringify(text)}…`;
const printedAnything = (r) => (r.bytes + r.stderrBytes > 0 ? undefined : 'printed nothing');
const answered = (size) => (r) =>
  r.bytes >= STREAM_TEXT_BYTES[size] && r.bytes <= STREAM_TEXT_BYTES[size] + 2
    ? undefined
    : `printed ${r.bytes} bytes, the answer has ${STREAM_TEXT_BYTES[size]}`;
const firstToken = printed(FIRST.first);
const conversationsIn = (dir) => {
  try {
    return readdirSync(join(dir, '.mmx', 'conversations'));
  } catch {
    return [];
  }
};
/** A chat side that records (or not): each run starts without conversations and must print what `check` wants and leave one (or none). */
const recording = (dir, on, check) => ({
  prepare: () => rmSync(join(dir, '.mmx', 'conversations'), { recursive: true, force: true }),
  verify: (r) => {
    const n = conversationsIn(dir).length;
    return check(r) ?? (n === (on ? 1 : 0) ? undefined : `left ${n} conversations, expected ${on ? 1 : 0}`);
  },
});
/** A login side: a fresh HOME per run, which must hold a 0600 config.json with region cn afterwards. */
function freshLogin(extra) {
  let dir;
  return {
    env: () => {
      dir = mkdtempSync(join(scratch, 'login-'));
      return envOf(dir, extra);
    },
    verify: () => {
      const file = join(dir, '.mmx', 'config.json');
      try {
        if (!existsSync(file)) return 'left no config.json';
        if ((statSync(file).mode & 0o777) !== 0o600) return `left config.json with mode ${(statSync(file).mode & 0o777).toString(8)}`;
        const region = JSON.parse(readFileSync(file, 'utf8')).region;
        return region === 'cn' ? undefined : `stored region ${region}, not cn`;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
const historyFile = join(homes.history, '.mmx', 'conversations', `${CONVERSATION_ID}.jsonl`);

// --- the rows ------------------------------------------------------------------------------

const chat = (message, ...more) => [bin, 'text', 'chat', '--message', message, '--stream', '--output', 'text', ...more];
const cliChat = (message) => [cliBin, 'text', 'chat', '--message', message, '--stream', '--output', 'text'];
const bareStream = (message) => [bare('bare-stream.cjs'), base, KEY, message];
const nodeZero = { label: 'node -e 0', argv: ['-e', '0'], env: env.floor, verify: () => undefined };
const login = { MINIMAX_CN_BASE_URL: url('cn'), MINIMAX_GLOBAL_BASE_URL: url('global') };
const proxyEnv = { ...env.mmx, HTTP_PROXY: `http://127.0.0.1:${proxy.address().port}` };
/** Under a pseudo-terminal of 100×30 (`script` alone gives 0×0), with TERM as a terminal has it. */
const pty = (args) => `stty cols 100 rows 30; exec ${JSON.stringify(process.execPath)} ${args.map((a) => JSON.stringify(a)).join(' ')}`;
const ptyEnv = { ...env.mmx, TERM: 'xterm-256color' };

/**
 * Each row: `sides.mmx` against `sides.floor`, and `sides.cli` (mmx-cli) against the same floor.
 * A side: `argv` for node (or `pty`, a shell command run by `script`), `env` (or a function
 * giving a fresh one per run), `measure` (exit | first-byte | prompt), `prepare` before and
 * `verify` after each run (untimed). `served(delta, runs)` checks the server's counters.
 */
const ROWS = [
  {
    name: 'mmx --version',
    goal: 1.1,
    sides: {
      mmx: { argv: [bin, '--version'], env: env.mmx, verify: printed(`mmx ${VERSION}\n`) },
      floor: nodeZero,
      cli: cliBin && { argv: [cliBin, '--version'], env: env.cli, verify: printed('mmx 1.0.27\n') },
    },
  },
  {
    name: 'mmx --help',
    goal: 1.15,
    sides: {
      mmx: { argv: [bin, '--help'], env: env.mmx, verify: printed('Usage: mmx') },
      floor: nodeZero,
      cli: cliBin && { argv: [cliBin, '--help'], env: env.cli, verify: printedAnything }, // mmx-cli prints help on stderr
    },
  },
  {
    // TAB in a shell: answered from dist/completion.json without the CLI bundle.
    name: 'mmx __complete text chat --',
    goal: 1.2,
    sides: { mmx: { argv: [bin, '__complete', 'text', 'chat', '--'], env: env.mmx, verify: printed('--') }, floor: nodeZero },
  },
  {
    name: 'mmx quota --output json',
    goal: 1.3,
    sides: {
      mmx: { argv: [bin, 'quota', '--output', 'json'], env: env.mmx, verify: printed('{') },
      floor: { label: 'one node:http GET', argv: [bare('bare-get.cjs'), base, KEY], env: env.floor, verify: printed('{"model_remains"') },
      cli: cliBin && { argv: [cliBin, 'quota', '--output', 'json'], env: env.cli, verify: printed('{') },
    },
    served: (d, runs) => d.quota === runs.all || `the server answered ${d.quota} quota requests for ${runs.all} runs`,
  },
  {
    // The same quota through HTTP_PROXY, against the direct one: what a proxy costs mmx.
    name: 'mmx quota through an http proxy',
    goal: 1.5,
    sides: {
      mmx: { argv: [bin, 'quota', '--output', 'json'], env: proxyEnv, verify: printedAnything, proxied: true },
      floor: { label: 'mmx quota (direct)', argv: [bin, 'quota', '--output', 'json'], env: env.mmx, verify: printedAnything },
    },
    served: (d, runs) => d.quota === runs.all || `the server answered ${d.quota} quota requests for ${runs.all} runs`,
  },
  {
    name: 'mmx auth login --api-key (detects the region)',
    goal: 1.3,
    sides: {
      mmx: { argv: [bin, 'auth', 'login', '--api-key', KEY], ...freshLogin(login) },
      floor: { label: 'two parallel GETs + 0600 config write', argv: [bare('bare-login.cjs'), KEY], ...freshLogin(login) },
    },
    served: (d, runs) => d.login.cn === runs.all || `the cn host answered ${d.login.cn} checks for ${runs.all} logins`,
  },
  // The streaming rows: both sizes, with recording on (the default) and --no-save; the last against
  // the stricter floor that writes once per network chunk instead of once per delta.
  ...[
    ['1.8', true, 'per-delta'],
    ['1.8', false, 'per-delta'],
    ['7.2', true, 'per-delta'],
    ['7.2', false, 'per-delta'],
    ['1.8', false, 'per-chunk'],
  ].map(([size, save, writes]) => ({
    name: `mmx text chat --stream, ${size} MB answer, to a pipe${save ? ' (recording on)' : ' --no-save'}${writes === 'per-chunk' ? ', strict floor' : ''}`,
    goal: size === '1.8' && writes === 'per-delta' ? 1.3 : undefined,
    sides: {
      mmx: {
        argv: chat(`bench:stream-${size}`, ...(save ? [] : ['--no-save'])),
        env: env.mmx,
        ...recording(homes.mmx, save, answered(size)),
      },
      floor: {
        label: writes === 'per-chunk' ? 'bare, one write per chunk' : 'bare parse-and-print',
        argv: [...bareStream(`bench:stream-${size}`), writes],
        env: env.floor,
        verify: answered(size),
      },
      cli: save && cliBin ? { argv: cliChat(`bench:stream-${size}`), env: env.cli, verify: answered(size) } : undefined,
    },
    served: (d, runs) => {
      const s = d.messages[`stream-${size}`];
      return (
        (s?.served === runs.all && s.cut === 0) ||
        `the server served ${s?.served ?? 0} whole streams (${s?.cut ?? 0} cut) for ${runs.all} runs`
      );
    },
  })),
  {
    name: 'mmx text chat --stream, time to first token',
    goal: 1.2,
    sides: {
      mmx: { argv: chat('bench:first-token'), env: env.mmx, measure: 'first-byte', ...recording(homes.mmx, true, firstToken) },
      floor: {
        label: 'bare parse-and-print',
        argv: bareStream('bench:first-token'),
        env: env.floor,
        measure: 'first-byte',
        verify: firstToken,
      },
      cli: cliBin && { argv: cliChat('bench:first-token'), env: env.cli, measure: 'first-byte', verify: firstToken },
    },
    served: (d, runs) =>
      d.messages['first-token']?.served === runs.all ||
      `the server served ${d.messages['first-token']?.served ?? 0} answers for ${runs.all} runs`,
  },
  {
    name: 'mmx text chat -c (50 turns on disk), time to first token',
    goal: 1.2,
    sides: {
      mmx: {
        argv: [...chat('bench:first-token'), '-c'],
        env: envOf(homes.history),
        measure: 'first-byte',
        prepare: () => writeConversation(join(homes.history, '.mmx'), HISTORY),
        verify: (r) =>
          firstToken(r) ?? (statSync(historyFile).size > Buffer.byteLength(HISTORY) ? undefined : 'did not append to the conversation'),
      },
      floor: {
        label: 'the same chat, no history',
        argv: chat('bench:first-token'),
        env: env.mmx,
        measure: 'first-byte',
        ...recording(homes.mmx, true, firstToken),
      },
    },
    served: (d, runs) => {
      const counts = d.messages['first-token']?.message_counts ?? {};
      return (
        counts['101'] === runs.mmx || `the server got ${counts['101'] ?? 0} requests with the 50 turns (101 messages) for ${runs.mmx} runs`
      );
    },
  },
  {
    name: 'mmx text repl, to its first prompt (pty)',
    goal: 1.5,
    sides: {
      mmx: { pty: pty([bin, 'text', 'repl', '--no-save']), env: ptyEnv, measure: 'prompt' },
      floor: { label: 'mmx --help (pty)', pty: pty([bin, '--help']), env: ptyEnv, verify: printed('Usage: mmx') },
    },
  },
  // A download's memory does not grow with the file: mmx against itself, 100 MB against 1 MB (what
  // the JIT adds once a loop runs hot shows here) and 250 MB against 100 MB, each size served by an
  // mmx-emulator process of its own (API and CDN stand-in, apart from the bench and from mmx).
  ...[
    ['100 MB', '1 MB'],
    ['250 MB', '100 MB'],
  ].map(([size, floor]) => ({
    name: `mmx video download, ${size}`,
    runs: Math.min(RUNS, 7),
    start: async () => ({ mmx: await downloadSide(size), floor: await downloadSide(floor) }),
  })),
];

// --- video downloads -------------------------------------------------------------------------

const VIDEO_BYTES = { '1 MB': 1 << 20, '100 MB': 100 << 20, '250 MB': 250 << 20 };
const emulators = new Map();

/** An mmx-emulator process (API + CDN stand-in) whose videos are `bytes` long; resolves its API URL. */
function emulatorProcess(bytes) {
  const args = [join(root, 'bin', 'mmx-emulator'), '--region', 'cn', '--video-polls', '0', '--video-bytes', String(bytes)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((done, fail) => {
    let out = '';
    child.on('error', fail);
    child.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      const api = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (api && /CDN stand-in/.test(out)) done({ child, url: api });
    });
  });
}

/** A finished video task's file id on the emulator at `url`, made with plain HTTP (no mmx). */
async function videoFile(url, key) {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const body = JSON.stringify({ model: 'MiniMax-Hailuo-2.3', prompt: 'bench' });
  const created = await (await fetch(`${url}/v1/video_generation`, { method: 'POST', headers, body })).json();
  const task = await (await fetch(`${url}/v1/query/video_generation?task_id=${created.task_id}`, { headers })).json();
  return task.file_id;
}

/** `mmx video download` of one size from its own emulator: the file must arrive whole. */
async function downloadSide(label) {
  if (!emulators.has(label)) emulators.set(label, await emulatorProcess(VIDEO_BYTES[label]));
  const { url } = emulators.get(label);
  const { EMULATOR_KEYS } = await import('../dist/emulator/index.js');
  const out = join(scratch, `video-${label.replace(' ', '')}.mp4`);
  const fileId = await videoFile(url, EMULATOR_KEYS.cn);
  return {
    label: `mmx video download, ${label}`,
    argv: [bin, 'video', 'download', '--file-id', fileId, '--out', out, '--base-url', url, '--quiet'],
    env: { ...env.mmx, MINIMAX_API_KEY: EMULATOR_KEYS.cn },
    prepare: () => rmSync(out, { force: true }),
    verify: () => (existsSync(out) && statSync(out).size === VIDEO_BYTES[label] ? undefined : `${out} is not ${label} long`),
  };
}

// --- measuring -----------------------------------------------------------------------------

const now = () => Number(process.hrtime.bigint()) / 1e6;
// The REPL's prompt once escapes are removed: "> " at the start of the last line.
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]/g;
const PROMPT = /\n> $/;

/**
 * A real pipe for a side's stdout, as `mmx … | less` or `$(mmx …)` give it: Node's 'pipe' stdio is a
 * socket pair, where each small write takes a kernel buffer of its own, so a writer that writes per
 * delta finds it full after a few hundred writes and queues the rest in its own memory (the bare
 * floor peaked at 126 MiB through a socket pair and 52 MiB through a pipe, 7.2 MB answer).
 */
const FIFO = join(scratch, 'stdout.fifo');
const mkfifo = spawnSync('mkfifo', ['-m', '600', FIFO]);
if (mkfifo.status !== 0) throw new Error(`mkfifo failed: ${mkfifo.stderr}`);
function stdoutPipe() {
  const reader = openSync(FIFO, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(FIFO, constants.O_WRONLY);
  return { writer, stream: new Socket({ fd: reader, readable: true, writable: false }) };
}

/** One run of one side: its time by `measure`, stdout's size and head, and (rss) its peak RSS in KiB. */
function once(side, { rss = false } = {}) {
  side.prepare?.();
  const runEnv = typeof side.env === 'function' ? side.env() : side.env;
  const [file, args] = side.pty
    ? ['script', ['-qec', side.pty, '/dev/null']]
    : [process.execPath, rss ? ['-r', RSS_HOOK, ...side.argv] : side.argv];
  // Under a pseudo-terminal stdout is the terminal, which script copies to its own (a socket pair: fine, script reads the terminal).
  const pipe = side.pty ? undefined : stdoutPipe();
  return new Promise((done, fail) => {
    const started = now();
    const child = spawn(file, args, {
      env: runEnv,
      stdio: [side.pty ? 'pipe' : 'ignore', pipe ? pipe.writer : 'pipe', 'pipe', ...(rss ? ['pipe'] : [])],
    });
    if (pipe) closeSync(pipe.writer); // the child holds the only writer: its exit is the reader's end
    const stdout = pipe ? pipe.stream : child.stdout;
    let firstByte;
    let prompt;
    let bytes = 0;
    let stderrBytes = 0;
    let head = '';
    let screen = '';
    let stderr = '';
    let maxRss = '';
    let exit;
    let ended;
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    stdout.on('data', (chunk) => {
      firstByte ??= now();
      bytes += chunk.length;
      if (head.length < 200) head += chunk.toString('latin1');
      if (side.measure === 'prompt' && prompt === undefined) {
        screen += chunk.toString('utf8');
        if (PROMPT.test(screen.replace(ESCAPES, '').replace(/\r/g, ''))) {
          prompt = now();
          child.stdin.end('\x04'); // Ctrl-D: the REPL leaves
        }
      }
    });
    child.stderr.on('data', (chunk) => {
      stderrBytes += chunk.length;
      if (stderr.length < 2000) stderr += chunk;
    });
    if (rss) child.stdio[3].on('data', (c) => (maxRss += c));
    const finish = () => {
      if (exit === undefined || ended === undefined) return;
      clearTimeout(timer);
      head = Buffer.from(head, 'latin1').toString('utf8');
      const what = side.pty ?? side.argv.slice(0, 4).join(' ');
      if (exit.code !== 0) return fail(new Error(`${what} … exited ${exit.code ?? exit.signal}: ${stderr.trim().slice(0, 400)}`));
      const result = { bytes, stderrBytes, head, rssKiB: maxRss === '' ? undefined : JSON.parse(maxRss).rss_kib };
      const problem = side.verify?.(result);
      if (problem) return fail(new Error(`${what} …: ${problem}`));
      // Done when the process exited and its output was read, whichever came last.
      const at = { exit: Math.max(exit.at, ended), 'first-byte': firstByte, prompt }[side.measure ?? 'exit'];
      if (at === undefined) return fail(new Error(`${what} …: no ${side.measure} seen`));
      done({ ...result, ms: at - started });
    };
    stdout.on('end', () => {
      ended = now();
      if (pipe) stdout.destroy();
      finish();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      stdout.destroy();
      fail(error);
    });
    child.on('close', (code, signal) => {
      exit = { code, signal, at: now() };
      finish();
    });
  });
}

const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const permutations = (xs) =>
  xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
const statsDelta = (a, b) => ({
  quota: b.quota - a.quota,
  login: { cn: b.login.cn - a.login.cn, global: b.login.global - a.login.global },
  messages: Object.fromEntries(
    Object.entries(b.messages).map(([k, v]) => {
      const o = a.messages[k] ?? { requests: 0, served: 0, cut: 0, message_counts: {} };
      const counts = Object.fromEntries(Object.entries(v.message_counts).map(([n, c]) => [n, c - (o.message_counts[n] ?? 0)]));
      return [k, { requests: v.requests - o.requests, served: v.served - o.served, cut: v.cut - o.cut, message_counts: counts }];
    }),
  ),
});

async function measureRow(row) {
  const given = row.start ? await row.start() : row.sides;
  const runCount = row.runs ?? RUNS;
  const names = Object.keys(given).filter((k) => given[k]);
  const sides = Object.fromEntries(names.map((k) => [k, given[k]]));
  const statsBefore = await serverStats();
  const proxiedBefore = proxied.requests;
  const memory = names.every((k) => !sides[k].pty);
  const perSide = WARMUP + runCount + (memory ? RSS_RUNS : 0);

  for (let i = 0; i < WARMUP; i++) for (const k of names) await once(sides[k]);
  const orders = permutations(names);
  const ms = Object.fromEntries(names.map((k) => [k, []]));
  const ratios = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < runCount; i++) {
    const run = {};
    for (const k of orders[i % orders.length]) run[k] = await once(sides[k]);
    for (const k of names) {
      ms[k].push(run[k].ms);
      ratios[k].push(run[k].ms / run.floor.ms);
    }
  }
  const rss = Object.fromEntries(names.map((k) => [k, []]));
  if (memory) {
    for (let i = 0; i < RSS_RUNS; i++) for (const k of orders[i % orders.length]) rss[k].push((await once(sides[k], { rss: true })).rssKiB);
  }

  const runs = { all: perSide * names.length, ...Object.fromEntries(names.map((k) => [k, perSide])) };
  const carried = proxied.requests - proxiedBefore;
  const proxiedRuns = names.filter((k) => sides[k].proxied).length * perSide;
  if (carried !== proxiedRuns) throw new Error(`${row.name}: the proxy carried ${carried} requests for ${proxiedRuns} proxied runs`);
  const verdict = row.served?.(statsDelta(statsBefore, await serverStats()), runs);
  if (typeof verdict === 'string') throw new Error(`${row.name}: ${verdict}`);

  const side = (k) => ({
    ratio: median(ratios[k]),
    ms: median(ms[k]),
    rss_mib: memory ? median(rss[k]) / 1024 : undefined,
    rss_ratio: memory ? median(rss[k]) / median(rss.floor) : undefined,
  });
  return {
    name: row.name,
    floor: sides.floor.label,
    goal: row.goal,
    measure: sides.mmx.measure ?? 'exit',
    mmx: side('mmx'),
    floor_ms: median(ms.floor),
    floor_rss_mib: memory ? median(rss.floor) / 1024 : undefined,
    ...(sides.cli ? { mmx_cli: side('cli') } : {}),
  };
}

/** The SSE decoder and the Messages accumulator alone, in this process (no socket, no stdout): MB/s. */
async function decoderThroughput() {
  const lib = await import('../dist/lib.js');
  if (typeof lib.decodeSse !== 'function' || typeof lib.readMessageStream !== 'function') {
    return { note: 'not measured: dist/lib.js no longer exports decodeSse and readMessageStream' };
  }
  const { sse } = streamedAnswer(1_800_000);
  const chunks = [];
  for (let i = 0; i < sse.length; i += 65_536) chunks.push(sse.subarray(i, i + 65_536));
  const rates = [];
  for (let i = 0; i < 12; i++) {
    const started = now();
    const reader = lib.readMessageStream(lib.decodeSse(chunks));
    let next;
    do next = await reader.next();
    while (!next.done);
    if (i >= 2) rates.push(sse.length / 1e6 / ((now() - started) / 1000));
  }
  return { sse_mb: sse.length / 1e6, mb_per_s: median(rates) };
}

const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, load_before: loadavg().map((l) => +l.toFixed(2)) };
let results = [];
let decoder;
try {
  for (const row of ROWS.filter((r) => options.only === undefined || r.name.includes(options.only))) {
    say(`measuring ${row.name} (${row.runs ?? RUNS} runs per side)…`);
    results.push(await measureRow(row));
  }
  if (options.only === undefined || 'sse decoder'.includes(options.only)) decoder = await decoderThroughput();
} finally {
  proxy.close();
  server.stdin.end();
  for (const { child } of emulators.values()) child.kill();
  rmSync(scratch, { recursive: true, force: true });
}
machine.load_after = loadavg().map((l) => +l.toFixed(2));

/** Peak RSS at the 7.2 MB answer ÷ at the 1.8 MB one, for mmx in text mode (goal ≤ 1.1×: memory does not grow with the answer). */
const growth = ['(recording on)', '--no-save'].flatMap((variant) => {
  const at = (size) => results.find((r) => r.name.includes(`${size} MB`) && r.name.endsWith(variant));
  const small = at('1.8');
  const large = at('7.2');
  return small && large
    ? [{ name: `peak RSS, 7.2 MB ÷ 1.8 MB answer, mmx ${variant}`, goal: 1.1, ratio: large.mmx.rss_mib / small.mmx.rss_mib }]
    : [];
});

if (options.json) {
  process.stdout.write(`${JSON.stringify({ machine, runs: RUNS, rows: results, rss_growth: growth, sse_decoder: decoder }, null, 2)}\n`);
} else {
  const f = (n, d = 2) => (n === undefined ? '—' : n.toFixed(d));
  const rows = results.map((r) => [
    r.name,
    r.floor,
    r.goal === undefined ? '' : `≤ ${r.goal}×`,
    `${f(r.mmx.ratio)}×`,
    `${f(r.mmx.ms, 0)} ms`,
    `${f(r.floor_ms, 0)} ms`,
    r.mmx.rss_ratio === undefined ? '—' : `${f(r.mmx.rss_ratio)}× (${f(r.mmx.rss_mib, 0)}/${f(r.floor_rss_mib, 0)} MiB)`,
    r.mmx_cli ? `${f(r.mmx_cli.ratio)}× (${f(r.mmx_cli.ms, 0)} ms, ${f(r.mmx_cli.rss_mib, 0)} MiB)` : '',
  ]);
  const header = ['row', 'floor', 'goal', 'mmx ÷ floor', 'mmx', 'floor', 'peak RSS mmx ÷ floor', 'mmx-cli 1.0.27 ÷ floor'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(
    `node ${machine.node}, ${machine.cpus} × ${machine.cpu}, load ${machine.load_before.join(' ')} before, ${machine.load_after.join(' ')} after`,
  );
  console.log(
    `${RUNS} runs per side and row (video downloads: ${Math.min(RUNS, 7)}), alternated; medians. First-token rows time the first byte of answer text on stdout.\n`,
  );
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
  for (const g of growth) console.log(`\n${g.name}: ${f(g.ratio)}× (goal ≤ ${g.goal}×)`);
  if (decoder?.note) console.log(`\nSSE decoder + accumulator (in-process, no socket or stdout): ${decoder.note}`);
  else if (decoder)
    console.log(
      `\nSSE decoder + accumulator (in-process, no socket or stdout): ${f(decoder.mb_per_s, 0)} MB/s over ${f(decoder.sse_mb)} MB of SSE`,
    );
}
