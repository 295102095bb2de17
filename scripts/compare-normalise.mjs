// The pure parts of `npm run compare` (scripts/compare.mjs): what output may
// legitimately differ between two runs or two clients, and how a request and a
// config file are summarised. Unit-tested in test/unit/compare-normalise.test.ts.

/** ANSI escapes (colour, cursor, erase): a spinner on stderr is not a difference. */
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/**
 * Output with what varies by run or by client's cosmetics replaced: the emulator's
 * URL (its port) becomes `$API`, the temporary HOME `~`; a line rewritten with
 * carriage returns (a spinner) reads as a terminal would show it, its last
 * rewrite; ANSI escapes go; request and message ids (32 hex digits from `06`, which
 * shift when one client sends more requests than the other) read `<id>`; mmx's
 * conversation ids (their time and a random part) read `<conversation-id>`; and both
 * masked-key formats (mmx-cli's `sk-c...abcd`, mmx's `sk-…abcd`) read `sk-…abcd`.
 */
export function normalise(text, { home, url }) {
  return text
    .split(url)
    .join('$API')
    .split(home)
    .join('~')
    .split('\n')
    .map((line) => line.split('\r').at(-1))
    .join('\n')
    .replace(ANSI, '')
    .replace(/\b06[0-9a-f]{30}\b/g, '<id>')
    .replace(/\b\d{8}-\d{6}-[0-9a-f]{4}\b/g, '<conversation-id>')
    .replace(/\bsk-[A-Za-z0-9]\.\.\.([A-Za-z0-9_-]{4})\b/g, 'sk-…$1');
}

/**
 * What a reader of stderr sees first: a JSON error document (mmx-cli pretty-prints
 * its errors over several lines) on one line, else the first non-blank line
 * (mmx-cli starts its text errors with an empty one), trimmed.
 */
export function firstLine(text) {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return (
      text
        .split('\n')
        .map((line) => line.trim())
        .find((line) => line !== '') ?? ''
    );
  }
}

/** Which credential header a request carried, as a script's reader would name it. */
const STYLE_NAMES = { bearer: 'Authorization: Bearer', 'x-api-key': 'x-api-key', both: 'Bearer and x-api-key', none: 'no key' };

/**
 * One line per request the emulator recorded: method, path, auth header, and for a
 * chat the model, whether it streamed and the messages (so "one request per line
 * of stdin, each with its own message" is visible).
 */
export function describeRequest(request) {
  const head = `${request.method} ${request.path} [${STYLE_NAMES[request.authStyle] ?? request.authStyle}]`;
  const body = request.body;
  if (body === null || typeof body !== 'object' || !Array.isArray(body.messages)) return head;
  const fields = [`model=${body.model}`, `stream=${body.stream === true}`];
  if (body.system !== undefined) fields.push(`system=${JSON.stringify(body.system)}`);
  if (body.temperature !== undefined) fields.push(`temperature=${body.temperature}`);
  const messages = body.messages.map((m) => `${m.role}:${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`);
  fields.push(`messages=${JSON.stringify(messages)}`);
  return `${head} ${fields.join(' ')}`;
}

/**
 * config.json after the run, keys in file order with their values, the key masked
 * (never printed in full) and the emulator URL normalised: `{api_key: sk-…abcd, region: cn}`.
 */
export function summariseConfig(text, context) {
  let config;
  try {
    config = JSON.parse(text);
  } catch {
    return `(not JSON: ${firstLine(text).slice(0, 40)})`;
  }
  const fields = Object.entries(config).map(([key, value]) => {
    if (key === 'api_key' && typeof value === 'string') return `api_key: sk-…${value.slice(-4)}`;
    return `${key}: ${normalise(typeof value === 'string' ? value : JSON.stringify(value), context)}`;
  });
  return `{${fields.join(', ')}}`;
}
