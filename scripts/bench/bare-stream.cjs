'use strict';
// The floor of the streaming rows, as the issue defines it: a bare Node script that
// POSTs the chat, splits the SSE into lines, JSON.parses each `data:` event and
// writes each text delta to stdout. With `per-chunk`, the text of a whole network
// chunk goes out in one write instead (the stricter floor: fewer writes). Either way
// a full pipe pauses the answer until the reader catches up, so the floor's memory
// stays flat however slow the reader is (without that, writes queue in memory).
//   node bare-stream.cjs BASE_URL KEY MESSAGE [per-delta|per-chunk]
// Exits 1 when the stream ends without message_stop, so a cut stream is no figure.
const { request } = require('node:http');

const [base, key, message, writes = 'per-delta'] = process.argv.slice(2);
const perChunk = writes === 'per-chunk';
const body = JSON.stringify({ model: 'MiniMax-M2.7', max_tokens: 4096, stream: true, messages: [{ role: 'user', content: message }] });
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
let stopped = false;
request(`${base}/anthropic/v1/messages`, { method: 'POST', headers }, (res) => {
  const write = (text) => {
    if (!process.stdout.write(text) && !res.isPaused()) {
      res.pause();
      process.stdout.once('drain', () => res.resume());
    }
  };
  res.setEncoding('utf8');
  let rest = '';
  res.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    let out = '';
    for (const line of lines) {
      if (!line.startsWith('data:')) continue;
      const event = JSON.parse(line.slice(5));
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        if (perChunk) out += event.delta.text;
        else write(event.delta.text);
      } else if (event.type === 'message_stop') stopped = true;
    }
    if (out !== '') write(out);
  });
  res.on('end', () => {
    if (!stopped) process.exitCode = 1;
  });
}).end(body);
