/**
 * The real process boundary of the built bundle (systemDeps), in child processes:
 * binary stdout written with backpressure, a reader that leaves, and the visible
 * one-line prompt on stdin/stderr.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUNDLE = resolve(import.meta.dirname, '../../dist/mmx.cjs');
const PRELUDE = `const { systemDeps } = require(${JSON.stringify(BUNDLE)}); const deps = systemDeps(new AbortController());`;

interface Child {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function runScript(body: string, options: { stdin?: string; onStdout?: (child: ReturnType<typeof spawn>) => void } = {}): Promise<Child> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-e', `${PRELUDE}\n${body}`], {
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => {
      out.push(c);
      options.onStdout?.(child);
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(kill);
      done({ code, stdout: Buffer.concat(out), stderr });
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  });
}

describe('systemDeps stdout', () => {
  it('writeAndDrain passes 8 MB of binary through a pipe byte for byte', async () => {
    const r = await runScript(`
      (async () => {
        for (let i = 0; i < 128; i++) await deps.stdout.writeAndDrain(Buffer.alloc(65536, i));
      })();
    `);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.length).toBe(128 * 65536);
    for (let i = 0; i < 128; i++) expect(r.stdout[i * 65536 + 65535]).toBe(i);
  });

  it('writeAndDrain resolves when the reader goes away (EPIPE), so a writer loop ends instead of hanging', async () => {
    const r = await runScript(
      `
      (async () => {
        let n = 0;
        while (!deps.stdout.closed && n < 100000) { await deps.stdout.writeAndDrain(Buffer.alloc(65536, 1)); n++; }
        process.stderr.write(deps.stdout.closed ? 'closed' : 'wrote all');
      })();
    `,
      { onStdout: (child) => child.stdout!.destroy() },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('closed');
  });
});

describe('systemDeps stdin.readLine', () => {
  it('asks on stderr and returns the line without its line break', async () => {
    const r = await runScript(`deps.stdin.readLine('Overwrite out.mp4? [y/N] ').then((a) => process.stdout.write(JSON.stringify(a)));`, {
      stdin: 'yes\nmore\n',
    });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('"yes"');
    expect(r.stderr).toBe('Overwrite out.mp4? [y/N] ');
  });

  it('end of input is an empty answer', async () => {
    const r = await runScript(`deps.stdin.readLine('Overwrite? ').then((a) => process.stdout.write(JSON.stringify(a)));`, { stdin: '' });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('""');
  });
});

/** `script` (util-linux) gives the child a real terminal, so raw mode and echo are the terminal's own. */
const hasScript = spawnSync('script', ['--version']).status === 0;

describe.runIf(hasScript)('systemDeps stdin.readSecret on a real terminal (a pty from script)', () => {
  /** Runs readSecret in a child on a pty; types `keys` once the prompt shows; returns what the terminal showed. */
  function onPty(keys: string): Promise<{ code: number | null; screen: string }> {
    const code = `${PRELUDE}
      deps.stdin.readSecret('Key: ').then(
        (v) => { process.stdout.write('GOT' + JSON.stringify(v) + '\\n'); process.exit(0); },
        (e) => { process.stdout.write('ERR ' + e.message + '\\n'); process.exit(130); },
      );`;
    return new Promise((done, fail) => {
      const child = spawn('script', ['-q', '-e', '-c', `${JSON.stringify(process.execPath)} -e ${shellQuote(code)}`, '/dev/null'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let screen = '';
      let typed = false;
      child.stdout!.setEncoding('utf8').on('data', (c: string) => {
        screen += c;
        if (!typed && screen.includes('Key: ')) {
          typed = true;
          child.stdin!.write(keys);
        }
      });
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.on('error', fail);
      child.on('close', (status) => {
        clearTimeout(kill);
        done({ code: status, screen });
      });
    });
  }

  it('Ctrl-U clears, arrows and other escape sequences are dropped, and nothing typed is echoed', async () => {
    const r = await onPty('sk-wrong\u0015sk-\u001b[Dcp\u001b[C-ok\u001bOA\r');
    expect(r.code).toBe(0);
    expect(r.screen).toContain('GOT"sk-cp-ok"');
    expect(r.screen).not.toContain('wrong');
  });

  it('Ctrl-C at the prompt is an interruption', async () => {
    const r = await onPty('sk-cp\u0003');
    expect(r.code).toBe(130);
    expect(r.screen).toContain('ERR Interrupted.');
  });
});

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
describe('systemDeps stdin.isTTY', () => {
  it('answers from the descriptor without building process.stdin, which on /dev/null loads readline and fs/promises', async () => {
    const r = await runScript(`
      const loaded = process.moduleLoadList.filter((m) => /readline|internal\\/fs\\/(promises|streams)/.test(m));
      process.stdout.write(JSON.stringify({ isTTY: deps.stdin.isTTY, lineEditor: 'openLineEditor' in deps, loaded }));
    `);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.toString())).toEqual({ isTTY: false, lineEditor: false, loaded: [] });
  });

  it('still reads a piped stdin whole', async () => {
    const r = await runScript(`deps.stdin.readAll().then((text) => process.stdout.write(JSON.stringify([deps.stdin.isTTY, text])));`, {
      stdin: 'piped text\n',
    });
    expect(JSON.parse(r.stdout.toString())).toEqual([false, 'piped text\n']);
  });
});
