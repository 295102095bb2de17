'use strict';
// The floor of the login row: what a login with region detection cannot avoid. The
// key checked on both region hosts at once (MINIMAX_CN_BASE_URL,
// MINIMAX_GLOBAL_BASE_URL), the region that accepts it written to
// ~/.mmx/config.json (0600, in a 0700 directory), the other check cancelled.
//   node bare-login.cjs KEY
const { mkdirSync, writeFileSync } = require('node:fs');
const { get } = require('node:http');
const { join } = require('node:path');

const key = process.argv[2];
const hosts = { cn: process.env.MINIMAX_CN_BASE_URL, global: process.env.MINIMAX_GLOBAL_BASE_URL };
const requests = [];
let done = false;
for (const [region, base] of Object.entries(hosts)) {
  const req = get(`${base}/v1/token_plan/remains`, { headers: { authorization: `Bearer ${key}` } }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c) => (text += c));
    res.on('end', () => {
      if (done || JSON.parse(text).base_resp?.status_code !== 0) return;
      done = true;
      for (const other of requests) if (other !== req) other.destroy();
      const dir = join(process.env.HOME, '.mmx');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(join(dir, 'config.json'), `${JSON.stringify({ api_key: key, region }, null, 2)}\n`, { mode: 0o600 });
      process.stdout.write(`Logged in to region ${region}.\n`);
    });
  });
  req.on('error', () => undefined); // the cancelled check
  requests.push(req);
}
