export { createEmulator, PAYG_ON_QUOTA_MESSAGE, TOKEN_PLAN_ON_BALANCE_MESSAGE } from './handler.js';
export { startEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from './server.js';
export { main, parseEmulatorArgs, EMULATOR_USAGE, type EmulatorCliIo, type ParsedCliArgs } from './cli.js';
export { EMULATOR_KEYS, EMULATOR_KEY_REGISTRY, keyKind } from './keys.js';
export { defaultReply, lastUserText } from './messages.js';
export { encodeSseEvent } from './transport.js';
export { DEFAULT_BALANCE, DEFAULT_QUOTA } from './quota.js';
export type {
  AuthFamily,
  AuthPolicy,
  AuthStyle,
  BalanceFigures,
  Emulator,
  EmulatorOptions,
  Fault,
  FaultKind,
  KeyKind,
  KeyRegistry,
  MediaOptions,
  QuotaEra,
  QuotaFigures,
  RecordedRequest,
  Region,
  Reply,
  ReplyFn,
  ReplyRequest,
} from './types.js';
export { createCdn, type Cdn, type CdnRequest } from './cdn.js';
export type { Route, RouteContext, RouteEnv, RouteModule } from './routes/types.js';
