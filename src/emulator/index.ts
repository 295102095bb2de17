export { createEmulator, PAYG_ON_QUOTA_MESSAGE, TOKEN_PLAN_ON_BALANCE_MESSAGE } from './handler.js';
export { startEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from './server.js';
export { main, parseEmulatorArgs, EMULATOR_USAGE, type EmulatorCliIo, type ParsedCliArgs } from './cli.js';
export { EMULATOR_KEYS, EMULATOR_KEY_REGISTRY, keyKind } from './keys.js';
export { defaultReply, lastUserText } from './messages.js';
export { encodeSseEvent } from './transport.js';
export { DEFAULT_BALANCE, DEFAULT_QUOTA } from './quota.js';
export { EMULATOR_OAUTH_CLIENT_ID, type IssuedTokens, type OAuthControl, type OAuthOptions } from './oauth.js';
export { HEADER_REJECTIONS } from './types.js';
export type {
  AuthFamily,
  AuthPolicy,
  AuthStyle,
  BalanceFigures,
  Emulator,
  EmulatorOptions,
  Fault,
  FaultKind,
  HeaderField,
  HeaderRejection,
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
export { DEFAULT_VOICES, emulatedAudio, type EmuVoice, type SpeechEmulatorOptions } from './routes/speech.js';
export { parseMultipart, type FormData, type FormFile } from './multipart.js';
