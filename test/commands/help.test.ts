/**
 * Help that reads: `mmx help [command…]` is command help (exit 0); an unknown
 * command is an error even with --help; a command's own options come first and
 * the global ones once; the environment variables are named; help wraps at the
 * terminal's width down to 40 columns, examples included.
 */
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config/settings.js';
import { runCli } from '../helpers/run-cli.js';

describe('mmx help', () => {
  it.each([
    [['help'], []],
    [['help', 'auth'], ['auth']],
    [
      ['help', 'text', 'chat'],
      ['text', 'chat'],
    ],
    [['help', 'quota'], ['quota']],
  ])('%j prints the help of %j and exits 0', async (argv, path) => {
    const help = await runCli(argv);
    const direct = await runCli([...path, '--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toBe(direct.stdout);
    expect(help.stdout).toMatch(new RegExp(`^Usage: mmx${path.length ? ` ${path.join(' ')}` : ''} `));
  });

  it('mmx help environment: every variable of the settings table, the proxies, MMX_CONFIG_DIR and the config file', async () => {
    const r = await runCli(['help', 'environment']);
    expect(r.code).toBe(0);
    for (const s of SETTINGS) if ('env' in s && s.env) expect(r.stdout).toContain(s.env);
    for (const name of ['MMX_CONFIG_DIR', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'NO_COLOR', '~/.mmx/config.json'])
      expect(r.stdout).toContain(name);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      'MINIMAX_TIMEOUT seconds to wait for a response (for a video task: the whole wait) (--timeout); default: 300',
    );
  });

  it('an unknown command with --help, or after help, is exit 2 naming it', async () => {
    for (const argv of [
      ['speech', 'synthesise', '--help'],
      ['music', 'generate', '--help'],
      ['help', 'nosuch'],
      ['auth', 'logon', '--help'],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(JSON.parse(r.stderr).error.message).toMatch(/^Unknown command/);
    }
  });

  it('a top-level typo is one line with a did-you-mean', async () => {
    const r = await runCli(['qouta', '--output', 'text']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('Error: Unknown command "qouta". Did you mean "quota"?');
  });

  it('mmx text chat hello points to --message; nothing is sent', async () => {
    const r = await runCli(['text', 'chat', 'hello', '--output', 'json'], { env: { MINIMAX_API_KEY: 'sk-cp-unused-000000000000' } });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.hint).toContain('--message "hello"');
  });
});

describe('the layout', () => {
  it('a command lists its own options, then the global ones once, compactly', async () => {
    const r = await runCli(['text', 'chat', '--help']);
    const options = r.stdout.indexOf('Options:\n');
    const globals = r.stdout.indexOf('Global options: --api-key, --region, --base-url');
    expect(options).toBeGreaterThan(0);
    expect(globals).toBeGreaterThan(options);
    expect(r.stdout.indexOf('--max-tokens <n>')).toBeLessThan(globals);
    expect(r.stdout).not.toContain('  --timeout <seconds>'); // not repeated in full
    expect(r.stdout).not.toContain('Global Options:');
  });

  it('the root lists commands first, the global options in full, and names the environment variables', async () => {
    const r = await runCli(['--help']);
    expect(r.stdout.indexOf('Commands:')).toBeLessThan(r.stdout.indexOf('Global options (all commands):'));
    for (const name of ['MINIMAX_API_KEY', 'MINIMAX_REGION', 'MINIMAX_BASE_URL', 'MMX_CONFIG_DIR', 'HTTPS_PROXY', 'NO_PROXY']) {
      expect(r.stdout).toContain(name);
    }
  });

  it("login shows mmx-cli 1.0.27's options, OAuth's --recommend and --no-browser among them; 1.0.12's --method is still accepted", async () => {
    const r = await runCli(['auth', 'login', '--help']);
    for (const shown of ['--api-key <key>', '--region <region>', '--recommend', '--no-browser']) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${shown} `, 'm'));
    }
    expect(r.stdout).not.toContain('--method');
    const accepted = await runCli([
      'auth',
      'login',
      '--method',
      'api-key',
      '--no-browser',
      '--api-key',
      'sk-cp-unused-00000000000',
      '--dry-run',
    ]);
    expect(accepted.code).toBe(0);
  });

  it.each([40, 52, 64])('wraps at a %i-column terminal, examples included', async (columns) => {
    for (const path of [[], ['text', 'chat'], ['auth', 'login'], ['config', 'set']]) {
      const r = await runCli([...path, '--help'], { stdoutTTY: true, columns });
      const long = r.stdout.split('\n').filter((line) => line.length > columns && !/\S{30,}/.test(line)); // an unbreakable word may overflow
      expect(long, `mmx ${path.join(' ')} --help at ${columns} columns`).toEqual([]);
    }
  });
});
