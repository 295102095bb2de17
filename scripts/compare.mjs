// `npm run compare`: the mmx-cli script contract, side by side. Runs each script
// idiom of scripts/compare-idioms.mjs through the built bin/mmx and through
// mmx-cli 1.0.27 (installed on demand into node_modules/.cache, never globally),
// each in a throwaway HOME whose ~/.mmx/config.json holds the key and the base
// URL of a fresh global-region emulator, and prints, idiom by idiom, where the
// two differ: stdout, the first line of stderr, the exit code, the requests the
// server received (method, path, auth header) and config.json afterwards.
//
//   npm run compare                         # prints the report
//   npm run compare -- --write              # also writes docs/compare/mmx-cli-1.0.27.txt
//   npm run compare -- --only quota         # idioms whose id contains "quota"
//   MMX_CLI_BIN=/path/to/mmx.mjs npm run compare   # an mmx-cli 1.0.27 already installed
//
// It is a report, not a test: the differences it shows are listed, with their
// reasons, in README's "Where mmx deliberately differs from mmx-cli"; the
// behaviour of mmx itself is pinned by test/contract/.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createEmulator, startEmulatorServer } from '../dist/emulator/index.js';
import { FIXED_NOW, IDIOMS, KEY, NOT_COMPARED } from './compare-idioms.mjs';
import { describeRequest, firstLine, normalise, summariseConfig } from './compare-normalise.mjs';
import { MMX_CLI_VERSION, mmxCliBin } from './mmx-cli.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const REPORT = join(root, 'docs', 'compare', `mmx-cli-${MMX_CLI_VERSION}.txt`);
const RUN_TIMEOUT_MS = 30_000;
const MAX_DIFF_LINES = 40;

const { values: options } = parseArgs({
  options: { write: { type: 'boolean', default: false }, only: { type: 'string' } },
});

/** A directory holding an `mmx` that runs `entry`, to put first on PATH: scripts call plain `mmx`. */
function shimDir(entry) {
  const dir = mkdtempSync(join(tmpdir(), 'mmx-compare-bin-'));
  const shim = join(dir, 'mmx');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(entry)} "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

/** One idiom through one client: a fresh emulator, a fresh HOME, `bash -c script`. */
async function runIdiom(idiom, bin) {
  const emulator = createEmulator({ region: 'global', seed: 'compare', now: () => FIXED_NOW, ...idiom.emulator });
  for (const fault of idiom.faults ?? []) emulator.setFault(fault);
  const server = await startEmulatorServer(emulator);
  const home = mkdtempSync(join(tmpdir(), 'mmx-compare-home-'));
  const configDir = join(home, '.mmx');
  const configFile = join(configDir, 'config.json');
  const config = idiom.config === undefined ? { api_key: KEY, region: 'global', base_url: server.url } : idiom.config(server.url);
  if (config !== null) {
    mkdirSync(configDir, { mode: 0o700 });
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  }
  const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: home, TZ: 'UTC', LANG: 'C.UTF-8', ...idiom.env?.(server.url) };
  try {
    const result = await new Promise((done, fail) => {
      const child = spawn('bash', ['-o', 'pipefail', '-c', idiom.script], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
      child.on('error', fail);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        done({ code: signal === 'SIGKILL' ? `killed after ${RUN_TIMEOUT_MS / 1000} s` : code, stdout, stderr });
      });
    });
    const context = { home, url: server.url };
    return {
      code: result.code,
      stdout: normalise(result.stdout, context),
      stderr: firstLine(normalise(result.stderr, context)),
      requests: emulator.requests.map(describeRequest),
      config: existsSync(configFile) ? summariseConfig(readFileSync(configFile, 'utf8'), context) : '(none)',
    };
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** A unified diff of two outputs by the system's `diff` (GNU or BSD), cut at MAX_DIFF_LINES lines. */
function diffLines(before, after) {
  const dir = mkdtempSync(join(tmpdir(), 'mmx-compare-diff-'));
  try {
    writeFileSync(join(dir, 'a'), before.endsWith('\n') || before === '' ? before : `${before}\n`);
    writeFileSync(join(dir, 'b'), after.endsWith('\n') || after === '' ? after : `${after}\n`);
    const result = spawnSync('diff', ['-U', '1', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    if (result.status !== 1) throw new Error(`diff failed: ${result.stderr || result.error?.message}`);
    const lines = result.stdout.split('\n').slice(2, -1); // without the ---/+++ file names
    if (lines.length <= MAX_DIFF_LINES) return lines.join('\n');
    return [...lines.slice(0, MAX_DIFF_LINES), `… (${lines.length - MAX_DIFF_LINES} more diff lines)`].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Words joined into lines of at most `width` characters. */
function wrap(text, width = 110) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}

const indent = (text, prefix = '    ') =>
  text
    .split('\n')
    .map((line) => (line === '' ? prefix.trimEnd() : prefix + line))
    .join('\n');

/** The report section of one idiom: what is the same in one line, each difference under its own heading. */
function section(idiom, mmx, cli) {
  const lines = [`== ${idiom.id}: ${idiom.title}`, indent(`$ ${idiom.script}`, '  ')];
  const same = [];
  const differ = [];
  if (mmx.code === cli.code) same.push(`exit ${mmx.code}`);
  else differ.push(`  exit code: mmx ${mmx.code}, mmx-cli ${cli.code}`);
  if (mmx.stdout === cli.stdout) same.push(mmx.stdout === '' ? 'stdout (empty)' : 'stdout');
  else differ.push(`  stdout (--- mmx-cli, +++ mmx):\n${indent(diffLines(cli.stdout, mmx.stdout))}`);
  if (mmx.stderr === cli.stderr) same.push(mmx.stderr === '' ? 'stderr (empty)' : 'stderr first line');
  else differ.push(`  stderr, first line:\n    mmx:     ${mmx.stderr || '(empty)'}\n    mmx-cli: ${cli.stderr || '(empty)'}`);
  const mmxRequests = mmx.requests.join('\n');
  const cliRequests = cli.requests.join('\n');
  if (mmxRequests === cliRequests) same.push(`requests (${mmx.requests.length})`);
  else
    differ.push(
      `  requests:\n    mmx:\n${indent(mmxRequests || '(none)', '      ')}\n    mmx-cli:\n${indent(cliRequests || '(none)', '      ')}`,
    );
  if (mmx.config === cli.config) same.push('config.json');
  else differ.push(`  config.json afterwards:\n    mmx:     ${mmx.config}\n    mmx-cli: ${cli.config}`);
  lines.push(`  same: ${same.join(', ') || 'nothing'}`);
  lines.push(...differ);
  if (differ.length > 0 && idiom.why) lines.push(indent(wrap(`why: ${idiom.why}`), '  '));
  if (differ.length === 0 && mmx.requests.length > 0) lines.push(indent(mmxRequests, '    '));
  return { text: lines.join('\n'), differs: differ.length > 0 };
}

const idioms = IDIOMS.filter((idiom) => options.only === undefined || idiom.id.includes(options.only));
const cliBin = mmxCliBin(root);
const bins = { mmx: shimDir(join(root, 'bin', 'mmx')), cli: shimDir(cliBin) };
const sections = [];
let differing = 0;
try {
  for (const idiom of idioms) {
    process.stderr.write(`${idiom.id}\n`);
    const mmx = await runIdiom(idiom, bins.mmx);
    const cli = await runIdiom(idiom, bins.cli);
    const result = section(idiom, mmx, cli);
    if (result.differs) differing++;
    sections.push(result.text);
  }
} finally {
  for (const dir of Object.values(bins)) rmSync(dir, { recursive: true, force: true });
}

const report = [
  `mmx (this repository) vs mmx-cli ${MMX_CLI_VERSION}: the script idioms side by side`,
  '',
  'Written by `npm run compare -- --write` (scripts/compare.mjs, idioms in scripts/compare-idioms.mjs). Each idiom',
  'runs as `bash -o pipefail -c SCRIPT` with `mmx` on PATH, stdin from /dev/null unless the script pipes into it,',
  'a throwaway HOME whose ~/.mmx/config.json holds the key and the base URL, and a fresh global-region emulator',
  '(seeded ids, fixed clock). Normalised: the emulator URL ($API), HOME (~), ANSI escapes, lines rewritten with',
  'carriage returns (spinners), request and message ids (<id>), and the masked key (mmx-cli `sk-c...abcd` and',
  'mmx `sk-…abcd` both read `sk-…abcd`).',
  'Every difference below is listed, with its reason, in README.md "Where mmx deliberately differs from mmx-cli".',
  '',
  ...sections.flatMap((text) => [text, '']),
  'Not compared:',
  ...NOT_COMPARED.map((text) => indent(wrap(`- ${text}`, 108), '  ')),
  '',
  `${idioms.length} idioms: ${idioms.length - differing} the same, ${differing} different.`,
  '',
].join('\n');
process.stdout.write(report);
if (options.write) {
  mkdirSync(dirname(REPORT), { recursive: true });
  writeFileSync(REPORT, report);
  process.stderr.write(`wrote ${REPORT}\n`);
}
