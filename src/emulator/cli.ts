import { createCdn } from './cdn.js';
import { createEmulator } from './handler.js';
import { EMULATOR_KEYS } from './keys.js';
import { startEmulatorServer, type EmulatorServer } from './server.js';
import { HEADER_REJECTIONS, type AuthFamily, type AuthPolicy, type EmulatorOptions, type QuotaEra, type Region } from './types.js';

export interface EmulatorCliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** Stops the server like SIGINT would; lets tests and embedders run `main` without real signals. */
  signal?: AbortSignal;
  /** Called once listening, e.g. so a test learns the port. */
  onListening?: (server: EmulatorServer) => void;
}

export const EMULATOR_USAGE = `Usage: mmx-emulator [options]

A local MiniMax API emulator (Anthropic Messages, Token Plan quota, balance,
image and video generation), with a CDN stand-in for the generated files.

Options:
  --region cn|global            region to emulate (default: cn)
  --host H                      listen address (default: 127.0.0.1)
  --port N                      listen port (default: 0 = any free port)
  --quota-era count|percent     /v1/token_plan/remains payload generation (default: percent)
  --auth-policy FAMILY=POLICY   FAMILY: anthropic|v1|account,
                                POLICY: region-default|either|bearer-only|x-api-key-only (repeatable)
  --strict-auth                 region-default accepts only what the real service is known to:
                                on global, Bearer only on /v1 and /account
  --header-rejection SHAPE      how a wrong header is answered: system-error-1033|carry|
                                carry-1004|carry-bearer-scheme|base-resp-1004
  --text-delta-size N           characters per streamed text delta (default: 16)
  --oauth-auto-approve          approve every OAuth login code at its first poll
  --video-polls N               status checks a video task takes (default: 2)
  --video-bytes N               size of each generated video (default: 262144)
  -h, --help                    show this help
`;

export interface ParsedCliArgs {
  host: string;
  port: number;
  options: EmulatorOptions;
  help: boolean;
}

const REGIONS: readonly Region[] = ['cn', 'global'];
const ERAS: readonly QuotaEra[] = ['count', 'percent'];
const FAMILIES: readonly AuthFamily[] = ['anthropic', 'v1', 'account'];
const POLICIES: readonly AuthPolicy[] = ['region-default', 'either', 'bearer-only', 'x-api-key-only'];

function oneOf<T extends string>(allowed: readonly T[], value: string, flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}

function integer(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new Error(`${flag} must be an integer in [${min}, ${max}]`);
  return n;
}

/** Throws an Error with a user-facing message on bad input. Accepts `--flag value` and `--flag=value`. */
export function parseEmulatorArgs(argv: readonly string[]): ParsedCliArgs {
  const parsed: ParsedCliArgs = { host: '127.0.0.1', port: 0, options: {}, help: false };
  const policies: Partial<Record<AuthFamily, AuthPolicy>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') {
      parsed.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const takeValue = (): string => {
      if (eq > 0 && arg.startsWith('--')) return arg.slice(eq + 1);
      const value = argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--region':
        parsed.options.region = oneOf(REGIONS, takeValue(), flag);
        break;
      case '--host':
        parsed.host = takeValue();
        break;
      case '--port':
        parsed.port = integer(takeValue(), flag, 0, 65535);
        break;
      case '--quota-era':
        parsed.options.quotaEra = oneOf(ERAS, takeValue(), flag);
        break;
      case '--oauth-auto-approve':
        parsed.options.oauth = { autoApprove: true };
        break;
      case '--text-delta-size':
        parsed.options.textDeltaSize = integer(takeValue(), flag, 1, 1_000_000);
        break;
      case '--strict-auth':
        parsed.options.strictAuth = true;
        break;
      case '--header-rejection':
        parsed.options.headerRejection = oneOf(HEADER_REJECTIONS, takeValue(), flag);
        break;
      case '--video-polls':
        parsed.options.media = { ...parsed.options.media, videoPolls: integer(takeValue(), flag, 0, 10_000) };
        break;
      case '--video-bytes':
        parsed.options.media = { ...parsed.options.media, videoBytes: integer(takeValue(), flag, 32, 4_000_000_000) };
        break;
      case '--auth-policy': {
        const [family = '', policy = ''] = takeValue().split('=');
        policies[oneOf(FAMILIES, family, flag)] = oneOf(POLICIES, policy, flag);
        parsed.options.authPolicy = policies;
        break;
      }
      default:
        throw new Error(`unknown argument: ${arg}`);
    }
  }
  return parsed;
}

function waitForStop(signal: AbortSignal | undefined): { promise: Promise<string>; dispose(): void } {
  let stop: (reason: string) => void = () => undefined;
  const promise = new Promise<string>((resolve) => {
    stop = resolve;
  });
  const onSigint = () => stop('SIGINT');
  const onSigterm = () => stop('SIGTERM');
  const onAbort = () => stop('abort');
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  if (signal?.aborted) stop('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    promise,
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * `mmx-emulator` entry. Resolves with an exit code once stopped (SIGINT/SIGTERM or `io.signal`); never calls
 * `process.exit`, so the bin shim decides how to exit. `argv` excludes node and the script path.
 */
export async function main(
  argv: readonly string[],
  io: EmulatorCliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let args: ParsedCliArgs;
  try {
    args = parseEmulatorArgs(argv);
  } catch (error) {
    io.stderr.write(`mmx-emulator: ${(error as Error).message}\n\n${EMULATOR_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(EMULATOR_USAGE);
    return 0;
  }

  // Listen for signals before the servers start so an early Ctrl-C is not lost.
  const stop = waitForStop(io.signal);
  // The CDN stand-in first, on a port of its own: the emulator's links point at it.
  const store = createCdn();
  let cdn: EmulatorServer;
  try {
    cdn = await startEmulatorServer(store, { host: args.host });
  } catch (error) {
    stop.dispose();
    io.stderr.write(`mmx-emulator: cannot listen on ${args.host}: ${(error as Error).message}\n`);
    return 1;
  }
  const emulator = createEmulator({ ...args.options, cdn: { store, origin: cdn.url } });
  let server: EmulatorServer;
  try {
    server = await startEmulatorServer(emulator, { host: args.host, port: args.port });
  } catch (error) {
    stop.dispose();
    await cdn.close();
    io.stderr.write(`mmx-emulator: cannot listen on ${args.host}:${args.port}: ${(error as Error).message}\n`);
    return 1;
  }

  io.stdout.write(
    `MiniMax emulator (${emulator.region}) listening on ${server.url}\n` +
      `CDN stand-in (generated images and videos) on ${cdn.url}\n` +
      `Demo keys (a key only works in its own region; sk-api- = pay-as-you-go, sk-cp- = Token Plan):\n` +
      `  cn          ${EMULATOR_KEYS.cn}\n` +
      `  global      ${EMULATOR_KEYS.global}\n` +
      `  cn-payg     ${EMULATOR_KEYS.cnPayg}\n` +
      `  global-payg ${EMULATOR_KEYS.globalPayg}\n` +
      `OAuth: it is also the account host (MINIMAX_${emulator.region.toUpperCase()}_ACCOUNT_URL=${server.url}); ` +
      `${args.options.oauth?.autoApprove ? 'login codes are approved at their first poll' : 'start it with --oauth-auto-approve to approve login codes'}.\n`,
  );
  io.onListening?.(server);

  const reason = await stop.promise;
  stop.dispose();
  await server.close();
  await cdn.close();
  io.stderr.write(`mmx-emulator: stopped (${reason})\n`);
  return 0;
}
