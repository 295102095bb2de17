/**
 * `mmx text repl` on a real pseudo-terminal (util-linux `script`), the built
 * bin/mmx against emulators on loopback: line editing, a multi-line paste,
 * Ctrl-C stopping an answer and then leaving, Ctrl-D, history across sessions,
 * and the header each region gets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EMULATOR_KEYS, createEmulator, startEmulatorServer } from '../../src/emulator/index.js';
import type { Emulator, EmulatorServer } from '../../src/emulator/index.js';
import { type Pty, hasScript, startPty } from '../helpers/pty.js';
import { BIN, isolatedHome } from '../helpers/spawn-cli.js';

const UP = '\u001b[A';
const LEFT = '\u001b[D';

let cn: Emulator;
let global: Emulator;
let cnServer: EmulatorServer;
let globalServer: EmulatorServer;
const open: Pty[] = [];

beforeAll(async () => {
  cn = createEmulator({ region: 'cn', reply: ({ lastUserText }) => ({ text: `Echo: ${lastUserText}` }) });
  global = createEmulator({ region: 'global' });
  cnServer = await startEmulatorServer(cn);
  globalServer = await startEmulatorServer(global);
});
afterAll(async () => {
  await cnServer.close();
  await globalServer.close();
});
afterEach(() => {
  for (const p of open.splice(0)) p.kill();
  cn.reset();
  global.reset();
});

function repl(home: Record<string, string>, region: 'cn' | 'global' = 'cn', args: string[] = []): Pty {
  const env = {
    ...home,
    MINIMAX_API_KEY: EMULATOR_KEYS[region],
    MINIMAX_REGION: region,
    MINIMAX_BASE_URL: (region === 'cn' ? cnServer : globalServer).url,
    NO_COLOR: '1',
  };
  const pty = startPty([process.execPath, BIN, 'text', 'repl', ...args], env);
  open.push(pty);
  return pty;
}

const chatBodies = (emulator: Emulator) =>
  emulator.requests
    .filter((r) => r.path === '/anthropic/v1/messages')
    .map((r) => r.body as { messages: Array<{ role: string; content: unknown }> });

describe.skipIf(!hasScript())('text repl on a pseudo-terminal', () => {
  it('cn: edits a line with the cursor keys, streams the answer with Bearer, keeps a paste as one message, Ctrl-D leaves', async () => {
    const home = isolatedHome();
    const pty = repl(home);
    await pty.waitFor('Ctrl-D leaves.');
    pty.type(`wrld${LEFT}${LEFT}${LEFT}o\r`);
    await pty.waitFor('Echo: world');
    let from = pty.text.length;
    pty.type('\u001b[200~line one\rline two\u001b[201~\r');
    await pty.waitFor('Echo: line one\nline two', { from });
    from = pty.text.length;
    pty.type('\u0004');
    expect(await pty.exited).toBe(0);
    expect(pty.text.slice(from)).toContain('Bye.');

    const requests = cn.requests.filter((r) => r.path === '/anthropic/v1/messages');
    expect(requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${EMULATOR_KEYS.cn}`, `Bearer ${EMULATOR_KEYS.cn}`]);
    expect(chatBodies(cn)[1]?.messages.map((m) => m.content)).toEqual([
      'world',
      [{ type: 'text', text: 'Echo: world' }],
      'line one\nline two',
    ]);
    // Kept for the next session, one JSON string per entry.
    const history = readFileSync(join(home.MMX_CONFIG_DIR, 'repl_history'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(history[0]).toBe('world');
  });

  it('Ctrl-C stops the answer and the session goes on; Ctrl-C again leaves; the partial answer is kept, marked incomplete', async () => {
    const home = isolatedHome();
    cn.enqueueFault({ kind: 'slow-stream', ms: 150 });
    const pty = repl(home);
    await pty.waitFor('Ctrl-D leaves.');
    pty.type('count slowly to twenty please\r');
    await pty.waitFor('Echo: cou');
    pty.type('\u0003');
    await pty.waitFor('Stopped. The answer above is incomplete; it stays in the conversation.');
    const from = pty.text.length;
    pty.type('\u0003');
    expect(await pty.exited).toBe(0);
    expect(pty.text.slice(from)).toContain('Bye.');
    expect(cn.requests.filter((r) => r.path === '/anthropic/v1/messages')).toHaveLength(1);

    const [file] = readFileSync(join(home.MMX_CONFIG_DIR, 'repl_history'), 'utf8').split('\n');
    expect(JSON.parse(file as string)).toBe('count slowly to twenty please');
    const records = readFileSync(
      join(
        home.MMX_CONFIG_DIR,
        'conversations',
        (await import('node:fs')).readdirSync(join(home.MMX_CONFIG_DIR, 'conversations'))[0] as string,
      ),
      'utf8',
    );
    expect(records).toContain('"incomplete"');
  });

  it('history across sessions: ↑ brings back the last line of the previous session; -c resumes its conversation', async () => {
    const home = isolatedHome();
    const first = repl(home);
    await first.waitFor('Ctrl-D leaves.');
    first.type('remember me\r');
    await first.waitFor('Echo: remember me');
    first.type('\u0004');
    expect(await first.exited).toBe(0);

    const second = repl(home, 'cn', ['-c']);
    await second.waitFor('Resumed conversation');
    second.type(`${UP}\r`);
    await second.waitFor('Echo: remember me');
    second.type('\u0004');
    expect(await second.exited).toBe(0);
    expect(chatBodies(cn)[1]?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(chatBodies(cn)[1]?.messages[2]?.content).toBe('remember me');
  });

  it('global: x-api-key on /anthropic', async () => {
    const pty = repl(isolatedHome(), 'global');
    await pty.waitFor('Ctrl-D leaves.');
    pty.type('hi\r');
    await pty.waitFor('Hello! I am the MiniMax emulator.');
    pty.type('/exit\r');
    expect(await pty.exited).toBe(0);
    const [req] = global.requests.filter((r) => r.path === '/anthropic/v1/messages');
    expect(req?.headers['x-api-key']).toBe(EMULATOR_KEYS.global);
    expect(req?.headers.authorization).toBeUndefined();
  });
});
