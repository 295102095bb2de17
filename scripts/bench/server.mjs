// The bench's MiniMax server, in its own process so that it never competes with the
// client for the bench's event loop (the in-process emulator is slower than the
// client it serves). Every answer is built before the first request; a request only
// picks one and writes it in 64 KiB chunks as fast as the socket takes them.
//
//   node scripts/bench/server.mjs --key KEY [--latency MS] [--hold MS]
//
// Prints one JSON line, {"main":port,"cn":port,"global":port}, once listening, and
// exits when its stdin closes (the bench ended, however it ended). Listeners, all on
// 127.0.0.1:
// - main: `POST /anthropic/v1/messages` streams the answer named by the last user
//   message ("bench:stream-1.8", "bench:stream-7.2": MB of answer text;
//   "bench:first-token": the first delta at once, the rest after --hold ms; anything
//   else a short answer); `GET /v1/token_plan/remains` answers a Token Plan quota;
//   `GET /__stats` what was served, so a row that measured nothing fails.
// - cn, global: the two region hosts of a login with detection, each answering
//   `GET /v1/token_plan/remains` after --latency ms: cn accepts the key, global
//   answers as MiniMax does for a key of the other region (HTTP 200, base_resp 2049).
// The key is accepted as `Authorization: Bearer` and as `x-api-key` (mmx-cli 1.0.27
// sends x-api-key on chat); any other credential is answered 401.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { firstTokenAnswer, streamedAnswer } from './answers.mjs';

const { values: options } = parseArgs({
  options: { key: { type: 'string' }, latency: { type: 'string', default: '50' }, hold: { type: 'string', default: '300' } },
});
const KEY = options.key;
if (!KEY) throw new Error('--key is required');
const LATENCY_MS = Number(options.latency);
const HOLD_MS = Number(options.hold);
const CHUNK = 64 * 1024;

const STREAMS = { 'stream-1.8': streamedAnswer(1_800_000), 'stream-7.2': streamedAnswer(7_200_000), short: streamedAnswer(200) };
const FIRST = firstTokenAnswer();

const now = Date.now();
const QUOTA = JSON.stringify({
  model_remains: [
    {
      model_name: 'general',
      start_time: now - 3_600_000,
      end_time: now + 14_400_000,
      remains_time: 14_400_000,
      current_interval_total_count: 0,
      current_interval_usage_count: 0,
      current_weekly_total_count: 0,
      current_weekly_usage_count: 0,
      weekly_start_time: now - 86_400_000,
      weekly_end_time: now + 518_400_000,
      weekly_remains_time: 518_400_000,
      current_interval_status: 1,
      current_interval_remaining_percent: 97,
      current_weekly_status: 1,
      current_weekly_remaining_percent: 96,
      interval_boost_permille: 2000,
      weekly_boost_permille: 3000,
    },
  ],
  base_resp: { status_code: 0, status_msg: 'success' },
});
const WRONG_REGION = JSON.stringify({ base_resp: { status_code: 2049, status_msg: 'invalid api key' } });

/** What was served, by kind: the bench reads it before and after each row. */
const stats = { quota: 0, login: { cn: 0, global: 0 }, rejected: 0, messages: {} };

function authorised(req) {
  return req.headers.authorization === `Bearer ${KEY}` || req.headers['x-api-key'] === KEY;
}

function reject(res) {
  stats.rejected++;
  res.writeHead(401, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid api key (2049)' } }));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes `body` in CHUNK slices, each as soon as the socket took the one before; false if the client left. */
async function writeAll(res, body) {
  for (let i = 0; i < body.length; i += CHUNK) {
    if (res.destroyed) return false;
    if (!res.write(body.subarray(i, i + CHUNK))) {
      await new Promise((resolve) => {
        const go = () => {
          res.off('drain', go);
          res.off('close', go);
          resolve();
        };
        res.on('drain', go);
        res.on('close', go);
      });
    }
  }
  return !res.destroyed;
}

async function messages(req, res) {
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    res.writeHead(400).end();
    return;
  }
  const last = body.messages?.at(-1)?.content;
  const name = typeof last === 'string' && last.startsWith('bench:') ? last.slice(6) : 'short';
  const kind = (stats.messages[name] ??= { requests: 0, served: 0, cut: 0, message_counts: {} });
  kind.requests++;
  const count = String(body.messages?.length ?? 0);
  kind.message_counts[count] = (kind.message_counts[count] ?? 0) + 1;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let whole;
  if (name === 'first-token') {
    res.write(FIRST.head);
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    whole = await writeAll(res, FIRST.tail);
  } else {
    whole = await writeAll(res, (STREAMS[name] ?? STREAMS.short).sse);
  }
  if (whole) res.end(() => kind.served++);
  else kind.cut++;
}

function main(req, res) {
  const path = (req.url ?? '').split('?')[0];
  if (path === '/__stats') return res.end(JSON.stringify(stats));
  if (!authorised(req)) return reject(res);
  if (req.method === 'POST' && path === '/anthropic/v1/messages') return void messages(req, res);
  if (req.method === 'GET' && path === '/v1/token_plan/remains') {
    stats.quota++;
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(QUOTA);
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ base_resp: { status_code: 404, status_msg: `no route ${req.method} ${path}` } }));
}

/** A region host of the login row: the quota check, answered after LATENCY_MS. */
const regionHost = (region) => (req, res) => {
  if (!authorised(req)) return reject(res);
  if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/v1/token_plan/remains') return res.writeHead(404).end();
  stats.login[region]++;
  setTimeout(() => {
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(region === 'cn' ? QUOTA : WRONG_REGION);
  }, LATENCY_MS);
};

const listen = (handler) =>
  new Promise((resolve) => {
    const server = createServer({ noDelay: true }, handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
const servers = { main: await listen(main), cn: await listen(regionHost('cn')), global: await listen(regionHost('global')) };
process.stdout.write(`${JSON.stringify(Object.fromEntries(Object.entries(servers).map(([k, s]) => [k, s.address().port])))}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
