// `npm run bench [-- --runs N] [-- --json] [-- --only NAME]`: mmx against the
// floor of a bare Node process, as whole processes, on the emulator over loopback.
// For each pair of commands, after a warm-up, the two sides alternate run by run
// (who goes first alternates too) in a clean environment (PATH and HOME only:
// NODE_EXTRA_CA_CERTS alone adds ~0.1 s to every Node start). Reported: the median of the per-pair
// wall-time ratios, the median of each side, and the ratio of median peak RSS
// (measured in separate runs, so the measuring hook does not slow the timed ones).
// The video download rows compare mmx with itself (100 MB against 1 MB, 250 MB against
// 100 MB), each size from an mmx-emulator process of its own (API and CDN stand-in, apart
// from the bench and from mmx), to show that a download's memory does not grow with the file.
// A benchmark, not a test: it prints figures and never fails on them.
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../dist/emulator/index.js';
import { decodeSse, readMessageStream } from '../dist/lib.js';

const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 21;
const WARMUP = 3;
const asJson = args.includes('--json');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? args[onlyArg + 1] : undefined; // run the rows whose name contains this

const root = resolve(fileURLToPath(import.meta.url), '../..');
const bin = join(root, 'bin', 'mmx');
const home = mkdtempSync(join(tmpdir(), 'mmx-bench-'));
const env = { PATH: process.env.PATH ?? '', HOME: home };

// A long answer: ≥ 1 MB of SSE for the streaming pair.
const LONG_TEXT = 'MiniMax streams this sentence again and again to measure throughput. '.repeat(8_000);
const emulator = createEmulator({
  region: 'cn',
  textDeltaSize: 64,
  reply: (request) => (request.lastUserText === 'long' ? { text: LONG_TEXT } : { text: 'pong' }),
});
const server = await startEmulatorServer(emulator);
mkdirSync(join(home, '.mmx'), { recursive: true, mode: 0o700 });
writeFileSync(join(home, '.mmx', 'config.json'), JSON.stringify({ api_key: EMULATOR_KEYS.cn, region: 'cn', base_url: server.url }), {
  mode: 0o600,
});

// A forward proxy on loopback, as a local Clash or squid: absolute-form requests for http
// targets, CONNECT tunnels otherwise. It counts what it carried, so a row that silently
// went direct fails instead of reporting a figure that measures nothing.
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
const proxyEnv = { ...env, HTTP_PROXY: `http://127.0.0.1:${proxy.address().port}` };

const quotaUrl = `${server.url}/v1/token_plan/remains`;
const chatUrl = `${server.url}/anthropic/v1/messages`;
const chatBody = JSON.stringify({
  model: 'MiniMax-M2.7',
  max_tokens: 200_000,
  stream: true,
  messages: [{ role: 'user', content: 'long' }],
});
const bareGet = `const h=require('node:http');h.get(${JSON.stringify(quotaUrl)},{headers:{authorization:'Bearer ${EMULATOR_KEYS.cn}'}},r=>r.pipe(process.stdout))`;
const barePost = `const h=require('node:http');const q=h.request(${JSON.stringify(chatUrl)},{method:'POST',headers:{authorization:'Bearer ${EMULATOR_KEYS.cn}','content-type':'application/json','anthropic-version':'2023-06-01'}},r=>r.pipe(process.stdout));q.end(${JSON.stringify(chatBody)})`;

/** An mmx-emulator process (API + CDN stand-in) whose videos are `bytes` long; resolves its API URL. */
function emulatorProcess(bytes) {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'mmx-emulator'), '--region', 'cn', '--video-polls', '0', '--video-bytes', String(bytes)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
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
async function videoFile(url) {
  const headers = { authorization: `Bearer ${EMULATOR_KEYS.cn}`, 'content-type': 'application/json' };
  const created = await (
    await fetch(`${url}/v1/video_generation`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'MiniMax-Hailuo-2.3', prompt: 'bench' }),
    })
  ).json();
  const task = await (await fetch(`${url}/v1/query/video_generation?task_id=${created.task_id}`, { headers })).json();
  return task.file_id;
}

const wantDownloads = only === undefined || 'mmx video download'.includes(only) || only.includes('video download');
const SIZES = { small: 1 << 20, large: 100 << 20, larger: 250 << 20 };
const emulators = wantDownloads
  ? Object.fromEntries(await Promise.all(Object.entries(SIZES).map(async ([label, bytes]) => [label, await emulatorProcess(bytes)])))
  : {};
const downloadPairs = [];
if (wantDownloads) {
  const argvOf = async (label) => {
    const { url } = emulators[label];
    return [bin, 'video', 'download', '--file-id', await videoFile(url), '--out', join(home, `${label}.mp4`), '--base-url', url, '--quiet'];
  };
  const [small, large, larger] = await Promise.all([argvOf('small'), argvOf('large'), argvOf('larger')]);
  const runs = Math.min(RUNS, 7);
  // Constant memory: 100 MB against 1 MB (what the JIT adds once a loop runs hot shows here), and 250 MB against 100 MB.
  downloadPairs.push(
    { name: 'mmx video download, 100 MB', floor: 'mmx video download, 1 MB', mmx: large, base: small, runs },
    { name: 'mmx video download, 250 MB', floor: 'mmx video download, 100 MB', mmx: larger, base: large, runs },
  );
}

const PAIRS = [
  { name: 'mmx --version', floor: 'node -e 0', mmx: [bin, '--version'], base: ['-e', '0'] },
  { name: 'mmx --help', floor: 'node -e 0', mmx: [bin, '--help'], base: ['-e', '0'] },
  // TAB in a shell: answered from dist/completion.json without the CLI bundle.
  { name: 'mmx __complete text chat --', floor: 'node -e 0', mmx: [bin, '__complete', 'text', 'chat', '--'], base: ['-e', '0'] },
  { name: 'mmx quota --output json', floor: 'one node:http GET', mmx: [bin, 'quota', '--output', 'json'], base: ['-e', bareGet] },
  // The same quota through HTTP_PROXY, against the direct one: what a proxy costs mmx.
  {
    name: 'mmx quota through an http proxy',
    floor: 'mmx quota (direct)',
    mmx: [bin, 'quota', '--output', 'json'],
    mmxEnv: proxyEnv,
    base: [bin, 'quota', '--output', 'json'],
    proxied: true,
  },
  {
    name: 'mmx text chat --stream (long answer, to a pipe)',
    floor: 'node:http POST piped to stdout',
    mmx: [bin, 'text', 'chat', '--message', 'long', '--max-tokens', '200000', '--stream', '--output', 'text'],
    base: ['-e', barePost],
  },
  ...downloadPairs,
];

const RSS_HOOK =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>writeSync(3,String(process.resourceUsage().maxRSS)))';

/** Runs `node ...argv`, draining stdout; resolves wall ms, bytes out, exit code and (with the hook) peak RSS in KiB. */
function once(argv, { rss = false, env: runEnv = env } = {}) {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, rss ? ['--import', RSS_HOOK, ...argv] : argv, {
      env: runEnv,
      stdio: ['ignore', 'pipe', 'pipe', ...(rss ? ['pipe'] : [])],
    });
    let bytes = 0;
    let stderr = '';
    let maxRss = '';
    child.stdout.on('data', (c) => (bytes += c.length));
    child.stderr.on('data', (c) => (stderr += c));
    if (rss) child.stdio[3].on('data', (c) => (maxRss += c));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) fail(new Error(`node ${argv.slice(0, 3).join(' ')} … exited ${code}: ${stderr.trim().slice(0, 300)}`));
      else done({ ms, bytes, rssKiB: Number(maxRss) || undefined });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function measurePair(pair) {
  const mmxRun = (options = {}) => once(pair.mmx, { ...options, env: pair.mmxEnv ?? env });
  const proxiedBefore = proxied.requests;
  for (let i = 0; i < WARMUP; i++) {
    await mmxRun();
    await once(pair.base);
  }
  const ratios = [];
  const mmxMs = [];
  const baseMs = [];
  let bytes = 0;
  for (let i = 0; i < (pair.runs ?? RUNS); i++) {
    const first = i % 2 === 0;
    const a = first ? await mmxRun() : undefined;
    const b = await once(pair.base);
    const m = a ?? (await mmxRun());
    bytes = Math.max(bytes, b.bytes);
    ratios.push(m.ms / b.ms);
    mmxMs.push(m.ms);
    baseMs.push(b.ms);
  }
  const mmxRss = [];
  const baseRss = [];
  for (let i = 0; i < 5; i++) {
    mmxRss.push((await mmxRun({ rss: true })).rssKiB);
    baseRss.push((await once(pair.base, { rss: true })).rssKiB);
  }
  const carried = proxied.requests - proxiedBefore;
  if (pair.proxied && carried !== WARMUP + RUNS + 5) throw new Error(`${pair.name}: the proxy carried ${carried} requests`);
  if (!pair.proxied && carried !== 0) throw new Error(`${pair.name}: ${carried} requests went through the proxy`);
  return {
    name: pair.name,
    floor: pair.floor,
    ratio: median(ratios),
    mmx_ms: median(mmxMs),
    floor_ms: median(baseMs),
    rss_ratio: median(mmxRss) / median(baseRss),
    mmx_rss_mib: median(mmxRss) / 1024,
    floor_rss_mib: median(baseRss) / 1024,
    ...(bytes > 100_000 ? { stream_mb: bytes / 1e6 } : {}),
  };
}

/** The SSE decoder plus the Messages accumulator alone, in this process: MB/s over a captured stream. */
async function decoderThroughput() {
  const response = await fetch(chatUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${EMULATOR_KEYS.cn}`, 'content-type': 'application/json' },
    body: chatBody,
  });
  const sse = new Uint8Array(await response.arrayBuffer());
  const chunks = [];
  for (let i = 0; i < sse.length; i += 16_384) chunks.push(sse.subarray(i, i + 16_384));
  const rates = [];
  for (let i = 0; i < 12; i++) {
    const started = process.hrtime.bigint();
    const reader = readMessageStream(decodeSse(chunks));
    let next;
    do next = await reader.next();
    while (!next.done);
    const s = Number(process.hrtime.bigint() - started) / 1e9;
    if (i >= 2) rates.push(sse.length / 1e6 / s);
  }
  return { sse_mb: sse.length / 1e6, mb_per_s: median(rates) };
}

let results;
let decoder;
try {
  results = [];
  for (const pair of PAIRS.filter((p) => only === undefined || p.name.includes(only))) {
    if (!asJson) process.stderr.write(`measuring ${pair.name} (${pair.runs ?? RUNS} pairs)…\n`);
    results.push(await measurePair(pair));
  }
  if (only === undefined || 'sse decoder'.includes(only)) decoder = await decoderThroughput();
} finally {
  proxy.close();
  await server.close();
  for (const { child } of Object.values(emulators)) child.kill();
  rmSync(home, { recursive: true, force: true });
}

if (asJson) {
  process.stdout.write(`${JSON.stringify({ node: process.version, runs: RUNS, pairs: results, sse_decoder: decoder }, null, 2)}\n`);
} else {
  const f = (n, d = 2) => n.toFixed(d);
  const rows = results.map((r) => [
    r.name,
    r.floor,
    `${f(r.ratio)}×`,
    `${f(r.mmx_ms, 0)} ms`,
    `${f(r.floor_ms, 0)} ms`,
    `${f(r.rss_ratio)}× (${f(r.mmx_rss_mib, 0)}/${f(r.floor_rss_mib, 0)} MiB)`,
  ]);
  const header = ['command', 'floor', 'time ratio', 'mmx', 'floor', 'peak RSS ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(`node ${process.version}, ${RUNS} alternating pairs per row (video downloads: ${Math.min(RUNS, 7)}; medians)\n`);
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
  const stream = results.find((r) => r.stream_mb);
  if (stream) console.log(`\nstreamed answer: ${f(stream.stream_mb)} MB of SSE per chat run`);
  if (decoder) console.log(`SSE decoder + accumulator alone: ${f(decoder.mb_per_s, 0)} MB/s over ${f(decoder.sse_mb)} MB`);
}
