/**
 * `mmx file upload | list | delete` through the real CLI against the emulator,
 * which keeps each account's files: the multipart body as received, the list
 * query, the delete body, the outputs, the confirmation, and the retry policy
 * of an upload (never re-sent once it may have reached the server).
 */
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFiles } from '../../src/commands/file/list.js';
import { parseFileId } from '../../src/commands/file/delete.js';
import { renderFileObject } from '../../src/commands/file/upload.js';
import { EMULATOR_KEYS } from '../../src/emulator/index.js';
import { UsageError } from '../../src/errors.js';
import { CN, useEmulators } from '../helpers/api.js';
import { runCli } from '../helpers/run-cli.js';

const api = useEmulators();
const env = { MINIMAX_API_KEY: EMULATOR_KEYS.cn, MINIMAX_REGION: 'cn' };
const NOW = Date.parse('2026-11-28T12:00:00Z');

function file(name: string, contents: string | Uint8Array = `the contents of ${name}\n`): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mmx-file-')), name);
  writeFileSync(path, contents);
  return path;
}

/** Uploads through the CLI; returns the id it printed. */
async function upload(name: string, purpose?: string): Promise<number> {
  const r = await runCli(['file', 'upload', '--file', file(name), ...(purpose ? ['--purpose', purpose] : []), '--quiet'], { env });
  expect(r.code).toBe(0);
  return Number(r.stdout.trim());
}

describe('file upload', () => {
  it('one multipart POST /v1/files/upload: the file (named, whole), then purpose "retrieval"; JSON is the file object', async () => {
    api.use('cn', { now: () => NOW });
    const path = file('notes.txt');
    const r = await runCli(['file', 'upload', '--file', path, '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(api.cn.requests).toHaveLength(1);
    const sent = api.cn.requests[0]!;
    expect([sent.method, sent.path, sent.authStyle]).toEqual(['POST', '/v1/files/upload', 'bearer']);
    const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(sent.headers['content-type'] ?? '')?.[1];
    expect(boundary).toBeDefined();
    expect(sent.body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: application/octet-stream\r\n\r\n` +
        `the contents of notes.txt\n\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nretrieval\r\n--${boundary}--\r\n`,
    );
    expect(sent.headers['content-length']).toBe(String(Buffer.byteLength(sent.body as string)));
    expect(r.json()).toEqual({
      file_id: expect.any(Number),
      bytes: 'the contents of notes.txt\n'.length,
      created_at: NOW / 1000,
      filename: 'notes.txt',
      purpose: 'retrieval',
    });
  });

  it('--purpose is sent as given', async () => {
    await runCli(['file', 'upload', '--file', file('voice.mp3'), '--purpose', 'voice_clone'], { env });
    expect(api.cn.requests[0]!.body).toContain('name="purpose"\r\n\r\nvoice_clone\r\n');
  });

  it('--quiet prints the bare id, also with --output json (as mmx-cli); text prints key: value lines', async () => {
    const quiet = await runCli(['file', 'upload', '--file', file('a.txt'), '--quiet', '--output', 'json'], { env });
    expect(quiet.stdout).toMatch(/^\d{15}\n$/);
    api.use('cn', { now: () => NOW });
    const text = await runCli(['file', 'upload', '--file', file('b.txt'), '--output', 'text'], { env });
    expect(text.stdout).toMatch(/^file_id: \d{15}\nbytes: 22\ncreated_at: \d+\nfilename: b\.txt\npurpose: retrieval\n$/);
  });

  it('--dry-run sends nothing and shows the file, its size and the purpose', async () => {
    const path = file('a.txt');
    const r = await runCli(['file', 'upload', '--file', path, '--purpose', 'vision', '--dry-run', '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(api.cn.requests).toHaveLength(0);
    expect(r.json().requests[0]).toMatchObject({
      method: 'POST',
      url: `${CN}/v1/files/upload`,
      body: { file: path, bytes: 22, purpose: 'vision' },
    });
  });

  it('a progress bar on a terminal, erased at the end', async () => {
    const r = await runCli(['file', 'upload', '--file', file('big.bin', new Uint8Array(200_000)), '--output', 'text'], {
      env,
      stdoutTTY: true,
      stderrTTY: true,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('big.bin');
    expect(r.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect((await runCli(['file', 'upload', '--file', file('c.bin'), '--output', 'text'], { env })).stderr).toBe('');
  });

  it('never re-sent after it may have reached the server: a 503 is one request and exit 1', async () => {
    api.cn.enqueueFault({ kind: 'status', status: 503, body: 'Service Unavailable', path: '/v1/files/upload' });
    const r = await runCli(['file', 'upload', '--file', file('a.txt')], { env });
    expect(r.code).toBe(1);
    expect(api.cn.requests).toHaveLength(1);
  });

  it('a 429 proves it was not taken: sent again, whole', async () => {
    api.cn.enqueueFault({ kind: 'status', status: 429, body: { base_resp: { status_code: 1002, status_msg: 'rate limit' } } });
    const r = await runCli(['file', 'upload', '--file', file('a.txt'), '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(api.cn.requests).toHaveLength(2);
    expect(api.cn.requests[1]!.body).toContain('the contents of a.txt\n');
  });

  it('a rejected header: the multipart body is opened again for the other header, and the file arrives whole', async () => {
    api.use('cn', { authPolicy: { v1: 'x-api-key-only' } });
    const r = await runCli(['file', 'upload', '--file', file('a.txt'), '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(api.cn.requests.map((q) => q.authStyle)).toEqual(['bearer', 'x-api-key']);
    expect(api.cn.requests[1]!.body).toContain('the contents of a.txt\n\r\n');
    expect(r.json().filename).toBe('a.txt');
  });

  it.each([
    ['a missing file', () => ['--file', '/no/such/file.txt'], 'File not found: /no/such/file.txt'],
    ['a directory', () => ['--file', tmpdir()], 'is not a file'],
    ['an empty --purpose', () => ['--file', file('a.txt'), '--purpose', ' '], '--purpose is empty'],
    ['no --file in a script', () => [], 'Missing required argument: --file'],
  ])('%s: exit 2, nothing sent', async (_, args, message) => {
    const r = await runCli(['file', 'upload', ...args(), '--output', 'text'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(api.cn.requests).toHaveLength(0);
  });

  it('over 512 MB: exit 2 before anything is sent', async () => {
    const path = file('huge.bin', '');
    truncateSync(path, 512 * 1024 * 1024 + 1);
    const r = await runCli(['file', 'upload', '--file', path, '--output', 'text'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('may be at most 512 MB');
    expect(api.cn.requests).toHaveLength(0);
  });

  it('on a terminal without --file, asks for the path', async () => {
    const path = file('asked.txt');
    const r = await runCli(['file', 'upload', '--quiet'], { env, stdoutTTY: true, answer: path });
    expect(r.code).toBe(0);
    expect(r.prompts).toEqual(['Enter file path: ']);
    expect(api.cn.requests[0]!.body).toContain('filename="asked.txt"');
  });
});

describe('file list', () => {
  it('GET /v1/files/list with no query; nothing uploaded: "No files found." / an empty list', async () => {
    const text = await runCli(['file', 'list', '--output', 'text'], { env });
    expect(text.stdout).toBe('No files found.\n');
    const json = await runCli(['file', 'list', '--output', 'json'], { env });
    expect(json.json()).toEqual({ files: [], base_resp: { status_code: 0, status_msg: 'success' } });
    expect(api.cn.requests.map((q) => [q.method, q.path, q.query, q.body])).toEqual([
      ['GET', '/v1/files/list', {}, undefined],
      ['GET', '/v1/files/list', {}, undefined],
    ]);
  });

  it("text: mmx-cli's columns, a row per file; --quiet: the ids; --purpose filters on the server", async () => {
    api.use('cn', { now: () => NOW });
    const a = await upload('a.txt');
    const b = await upload('voice.mp3', 'voice_clone');
    const text = await runCli(['file', 'list', '--output', 'text'], { env });
    expect(text.stdout.split('\n')).toEqual([
      'ID               FILENAME   PURPOSE      SIZE_KB  CREATED (UTC)',
      `${a}  a.txt      retrieval    0.0      2026-11-28 12:00`,
      `${b}  voice.mp3  voice_clone  0.0      2026-11-28 12:00`,
      '',
    ]);
    expect((await runCli(['file', 'list', '--output', 'text', '--quiet'], { env })).stdout).toBe(`${a}\n${b}\n`);
    const filtered = await runCli(['file', 'list', '--purpose', 'voice_clone', '--output', 'json'], { env });
    expect(filtered.json().files.map((f: { file_id: number }) => f.file_id)).toEqual([b]);
    expect(api.cn.requests.at(-1)!.query).toEqual({ purpose: 'voice_clone' });
  });

  it('the table fits the terminal by cutting file names', () => {
    const rows = [{ fileId: 1, filename: 'a-very-long-file-name-indeed.txt', purpose: 'retrieval', bytes: 2048, createdAt: NOW / 1000 }];
    const lines = renderFiles(rows, 60).trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(lines[1]).toMatch(/^1 +a-very-long[^ ]*… +retrieval +2\.0 +2026-11-28 12:00$/);
  });

  it('--dry-run: the GET with its query, nothing sent', async () => {
    const r = await runCli(['file', 'list', '--purpose', 'voice_clone', '--dry-run', '--output', 'json'], { env });
    expect(r.json().requests[0]).toMatchObject({ method: 'GET', url: `${CN}/v1/files/list?purpose=voice_clone` });
    expect(api.cn.requests).toHaveLength(0);
  });
});

describe('file delete', () => {
  it('POST /v1/files/delete with {file_id: <number>}; prints {file_id, deleted: true}; the file is gone', async () => {
    const id = await upload('a.txt');
    const r = await runCli(['file', 'delete', '--file-id', String(id), '--output', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ file_id: id, deleted: true });
    const sent = api.cn.requests.at(-1)!;
    expect([sent.method, sent.path, sent.headers['content-type']]).toEqual(['POST', '/v1/files/delete', 'application/json']);
    expect(sent.body).toEqual({ file_id: id });
    expect((await runCli(['file', 'list', '--output', 'json'], { env })).json().files).toEqual([]);
  });

  it('text: one sentence; --quiet: "deleted" as mmx-cli; --purpose is sent when given', async () => {
    const a = await upload('a.txt');
    expect((await runCli(['file', 'delete', '--file-id', String(a), '--output', 'text'], { env })).stdout).toBe(`Deleted file ${a}.\n`);
    const b = await upload('b.mp3', 'voice_clone');
    const quiet = await runCli(['file', 'delete', '--file-id', String(b), '--purpose', 'voice_clone', '--quiet'], { env });
    expect(quiet.stdout).toBe('deleted\n');
    expect(api.cn.requests.at(-1)!.body).toEqual({ file_id: b, purpose: 'voice_clone' });
  });

  it('an unknown id: the API error, exit 1', async () => {
    const r = await runCli(['file', 'delete', '--file-id', '123', '--output', 'text'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('file not found (2013)');
  });

  it.each([['abc'], ['12.5'], ['-1'], ['99999999999999999999']])('--file-id %s is not an id: exit 2, nothing sent', async (id) => {
    const r = await runCli(['file', 'delete', `--file-id=${id}`, '--output', 'text'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--file-id must be');
    expect(api.cn.requests).toHaveLength(0);
  });

  describe('asking first', () => {
    const terminal = { stderrTTY: true, stdoutTTY: true };

    it('on a terminal: asks, and deletes on "y"', async () => {
      const id = await upload('a.txt');
      const r = await runCli(['file', 'delete', '--file-id', String(id), '--output', 'text'], { env, ...terminal, answer: 'y' });
      expect(r.code).toBe(0);
      expect(r.prompts).toEqual([`Delete file ${id}? [y/N] `]);
      expect(api.cn.requests.at(-1)!.path).toBe('/v1/files/delete');
    });

    it('any other answer keeps the file: exit 1, nothing sent', async () => {
      const id = await upload('a.txt');
      const before = api.cn.requests.length;
      const r = await runCli(['file', 'delete', '--file-id', String(id), '--output', 'text'], { env, ...terminal, answer: '' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Kept file ${id}; nothing was deleted.`);
      expect(api.cn.requests).toHaveLength(before);
    });

    it.each([
      ['--yes', terminal, ['--yes']],
      ['a script (stderr not a terminal)', {}, []],
      ['--non-interactive', terminal, ['--non-interactive']],
      ['CI', { ...terminal, env: { ...env, CI: 'true' } }, []],
    ] as const)('never asked with %s: deleted at once', async (_, options, extra) => {
      const id = await upload('a.txt');
      const r = await runCli(['file', 'delete', '--file-id', String(id), ...extra, '--output', 'json'], { env, ...options });
      expect(r.code).toBe(0);
      expect(r.prompts).toEqual([]);
      expect(r.json()).toEqual({ file_id: id, deleted: true });
    });

    it('--dry-run neither asks nor sends', async () => {
      const r = await runCli(['file', 'delete', '--file-id', '7', '--dry-run', '--output', 'json'], { env, ...terminal });
      expect(r.code).toBe(0);
      expect(r.prompts).toEqual([]);
      expect(r.json().requests[0].body).toEqual({ file_id: 7 });
      expect(api.cn.requests).toHaveLength(0);
    });

    it('without --file-id: a script gets exit 2; a terminal is asked for the id, then to confirm', async () => {
      const script = await runCli(['file', 'delete', '--output', 'text'], { env });
      expect(script.code).toBe(2);
      expect(script.stderr).toContain('Missing required argument: --file-id');
      const id = await upload('a.txt');
      const asked = await runCli(['file', 'delete', '--output', 'json'], { env, ...terminal, answer: String(id) });
      expect(asked.prompts).toEqual(['Enter file ID to delete: ', `Delete file ${String(id)}? [y/N] `]);
      expect(asked.code).toBe(1); // the id was the answer to both questions: "y" it is not
    });
  });

  it('never re-sent after it may have reached the server (a second delete would say "not found")', async () => {
    const id = await upload('a.txt');
    api.cn.enqueueFault({ kind: 'status', status: 502, body: 'Bad Gateway', path: '/v1/files/delete' });
    const r = await runCli(['file', 'delete', '--file-id', String(id), '--output', 'text'], { env });
    expect(r.code).toBe(1);
    expect(api.cn.requests.filter((q) => q.path === '/v1/files/delete')).toHaveLength(1);
  });
});

describe('pure parts', () => {
  it('parseFileId takes whole numbers up to 2^53 only', () => {
    expect(parseFileId(' 176844028768320 ')).toBe(176844028768320);
    for (const bad of ['', 'x1', '1e5', '9007199254740993']) expect(() => parseFileId(bad)).toThrow(UsageError);
  });

  it('renderFileObject: scalar fields as key: value, control characters neutralised', () => {
    expect(renderFileObject({ file_id: 1, filename: 'a\u001b[2J.txt', nested: { x: 1 }, none: null })).toBe(
      'file_id: 1\nfilename: a [2J.txt\n',
    );
  });
});
