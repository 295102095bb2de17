/**
 * `mmx search query` (alias `web`, and `mmx search "…"` by the group shortcut)
 * through the real CLI against the emulator: what the server received, what the
 * user got, and the errors a Token Plan tool has.
 */
import { describe, expect, it } from 'vitest';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { NO_RESULTS, SENSITIVE_OUTPUT } from '../../src/emulator/routes/coding-plan.js';
import { renderQuiet, renderResults } from '../../src/commands/search/query.js';
import { PLAIN_THEME } from '../../src/output/theme.js';
import { CN, useEmulators } from '../helpers/api.js';
import { runCli } from '../helpers/run-cli.js';

const api = useEmulators();
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const sent = () => api.cn.requests.map((r) => ({ method: r.method, path: r.path, body: r.body }));

describe('the request', () => {
  it.each([
    ['the group shortcut, words joined', ['search', 'MiniMax', 'AI']],
    ['the group shortcut, one quoted word', ['search', 'MiniMax AI']],
    ['--q', ['search', 'query', '--q', 'MiniMax AI']],
    ['--query (mmx-cli accepts it undeclared)', ['search', 'query', '--query', 'MiniMax AI']],
    ['the web alias with words', ['search', 'web', 'MiniMax', 'AI']],
    ['the shortcut with --q', ['search', '--q', 'MiniMax AI']],
  ])('%s: one POST /v1/coding_plan/search with {q}, Bearer on cn', async (_, argv) => {
    const r = await runCli([...argv, '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(sent()).toEqual([{ method: 'POST', path: '/v1/coding_plan/search', body: { q: 'MiniMax AI' } }]);
    const request = api.cn.requests[0]!;
    expect(request.headers.authorization).toBe(`Bearer ${EMULATOR_KEYS.cn}`);
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('global: Bearer too (a native endpoint)', async () => {
    const r = await runCli(['search', 'hi', '--output', 'json'], {
      env: { MINIMAX_API_KEY: EMULATOR_KEYS.global, MINIMAX_REGION: 'global' },
    });
    expect(r.code).toBe(0);
    expect(api.global.requests.map((q) => [q.path, q.authStyle])).toEqual([['/v1/coding_plan/search', 'bearer']]);
  });

  it('a 503 is retried (a search creates no work): two requests, one answer', async () => {
    api.cn.enqueueFault({ kind: 'status', status: 503, body: 'Service Unavailable', path: '/v1/coding_plan/search' });
    const r = await runCli(['search', 'hi', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(api.cn.requests).toHaveLength(2);
    expect(r.json().organic).toHaveLength(3);
  });

  it('a used-up Token Plan window (2056) is exit 4 at once, with its reset time', async () => {
    api.cn.enqueueFault({ kind: 'rate-limit', path: '/v1/coding_plan/search' });
    const r = await runCli(['search', 'hi', '--output', 'text'], { env });
    expect(r.code).toBe(4);
    expect(api.cn.requests).toHaveLength(1);
    expect(r.stderr).toContain('The limit resets at');
  });

  it('--dry-run sends nothing and shows the body', async () => {
    const r = await runCli(['search', 'hi there', '--dry-run', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(api.cn.requests).toHaveLength(0);
    const [request] = r.json().requests;
    expect(request).toMatchObject({ method: 'POST', url: `${CN}/v1/coding_plan/search`, body: { q: 'hi there' } });
    expect(request.headers.authorization).toBe('Bearer sk-…YaXe');
  });
});

describe('the output', () => {
  it('--output json is the payload as received', async () => {
    const r = await runCli(['search', 'hi', '--output', 'json'], { env });
    const payload = r.json();
    expect(Object.keys(payload)).toEqual(['organic', 'related_searches', 'base_resp']);
    expect(payload.organic[0]).toEqual({
      title: 'hi: result 1',
      link: 'https://search.example/1?q=hi',
      snippet: 'What the emulator knows about hi, part 1.',
      date: '2026-11-20',
    });
  });

  it("text: mmx-cli's layout, title then indented link, snippet and date, a blank line after each", async () => {
    const r = await runCli(['search', 'hi', '--output', 'text'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const block = (i: number) =>
      `hi: result ${i}\n  https://search.example/${i}?q=hi\n  What the emulator knows about hi, part ${i}.\n  2026-11-2${i - 1}\n\n`;
    expect(r.stdout).toBe(block(1) + block(2) + block(3));
  });

  it('--quiet (text): title<TAB>link per result, as mmx-cli', async () => {
    const r = await runCli(['search', 'web', 'hi', '--output', 'text', '--quiet'], { env });
    expect(r.stdout).toBe([1, 2, 3].map((i) => `hi: result ${i}\thttps://search.example/${i}?q=hi\n`).join(''));
  });

  it('no results: "No results found." in text, nothing with --quiet, an empty list in JSON', async () => {
    const q = `x ${NO_RESULTS}`;
    expect((await runCli(['search', q, '--output', 'text'], { env })).stdout).toBe('No results found.\n');
    expect((await runCli(['search', q, '--output', 'text', '--quiet'], { env })).stdout).toBe('');
    expect((await runCli(['search', q, '--output', 'json'], { env })).json().organic).toEqual([]);
  });

  it('server text cannot drive the terminal: control characters become spaces', () => {
    const results = [{ title: 'a\u001b[2Jb', link: 'https://x/\r\ny', snippet: 'c\td', date: undefined }];
    expect(renderResults(results, PLAIN_THEME)).toBe('a [2Jb\n  https://x/ y\n  c d\n\n');
    expect(renderQuiet(results)).toBe('a [2Jb\thttps://x/ y\n');
  });
});

describe('errors', () => {
  it('no query: exit 2 with the usage, nothing sent', async () => {
    const r = await runCli(['search', '--output', 'text'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--q is required.');
    expect(r.stderr).toContain('mmx search query --q "your search query"');
    expect(api.cn.requests).toHaveLength(0);
  });

  it('the query twice (--q and words) or empty: exit 2, nothing sent', async () => {
    expect((await runCli(['search', 'query', '--q', 'a', 'b'], { env })).code).toBe(2);
    expect((await runCli(['search', 'query', '--q', '  '], { env })).code).toBe(2);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('a pay-as-you-go key: exit 1, the API message and what to use instead', async () => {
    const r = await runCli(['search', 'hi', '--output', 'text'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.cnPayg, MINIMAX_REGION: 'cn' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('API error: not token plan token (2057)');
    expect(r.stderr).toContain('only with Token Plan keys (sk-cp-…)');
    expect(api.cn.requests).toHaveLength(1);
  });

  it('the output filter (1027): exit 10, JSON error with the code', async () => {
    const r = await runCli(['search', SENSITIVE_OUTPUT, '--output', 'json'], { env });
    expect(r.code).toBe(10);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 10, api_code: 1027, message: 'API error: output new_sensitive (1027)' });
  });

  it('the wrong region: exit 3 with the region hint', async () => {
    const r = await runCli(['search', 'hi', '--output', 'text'], { env: { MINIMAX_API_KEY: EMULATOR_KEYS.global, MINIMAX_REGION: 'cn' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--region global');
  });

  it('a payload without a result list reads as no results; a malformed one is exit 1', async () => {
    api.cn.enqueueFault({ kind: 'status', status: 200, body: { base_resp: { status_code: 0, status_msg: 'success' } } });
    expect((await runCli(['search', 'hi', '--output', 'text'], { env })).stdout).toBe('No results found.\n');
    api.cn.enqueueFault({ kind: 'status', status: 200, body: { organic: 'nope', base_resp: { status_code: 0 } } });
    const bad = await runCli(['search', 'hi', '--output', 'text'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unexpected response to POST /v1/coding_plan/search: "organic" is not a list');
  });
});
