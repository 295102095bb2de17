import { authenticate, familyOf, readCredentials } from './auth.js';
import { FaultBook, faultResponse, transportPlan } from './faults.js';
import { createIdGenerator } from './ids.js';
import { EMULATOR_KEY_REGISTRY } from './keys.js';
import { defaultReply, handleMessages } from './messages.js';
import { anthropicModel, anthropicModelList, openAiModelList } from './models.js';
import { DEFAULT_BALANCE, DEFAULT_QUOTA, balanceBody, legacyCodingPlanRemains, tokenPlanRemains } from './quota.js';
import { anthropicError, baseRespError, jsonResponse, notFound, type EmuResponse } from './responses.js';
import { ROUTE_MODULES } from './routes/index.js';
import type { Route, RouteEnv } from './routes/types.js';
import { createOAuth } from './oauth.js';
import { toFetchResponse } from './transport.js';
import type { AuthFamily, BalanceFigures, Emulator, EmulatorOptions, Fault, QuotaFigures, RecordedRequest } from './types.js';

/** Status message for a pay-as-you-go key on the Token Plan quota endpoint (HTTP 200, base_resp 1004). */
export const PAYG_ON_QUOTA_MESSAGE = 'not token plan token';
/** Status message for a Token Plan key on the pay-as-you-go balance endpoint (HTTP 200, base_resp 1004). */
export const TOKEN_PLAN_ON_BALANCE_MESSAGE = 'token plan key cannot query pay-as-you-go balance';

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(request: Request): Promise<{ body: unknown; raw: Uint8Array | undefined }> {
  if (request.body === null) return { body: undefined, raw: undefined };
  const raw = new Uint8Array(await request.arrayBuffer());
  if (raw.length === 0) return { body: undefined, raw: undefined };
  const text = new TextDecoder().decode(raw);
  try {
    return { body: JSON.parse(text) as unknown, raw };
  } catch {
    return { body: text, raw };
  }
}

/** `GET /v2/query/video_generation/:id` → a matcher of method and path giving the `:id` segments. */
function compileRoute(key: string): (method: string, path: string) => Record<string, string> | undefined {
  const [routeMethod, routePath = ''] = key.split(' ');
  const names: string[] = [];
  const pattern = new RegExp(
    `^${routePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_]\w*)/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`,
  );
  return (method, path) => {
    if (method !== routeMethod) return undefined;
    const m = pattern.exec(path);
    if (!m) return undefined;
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(m[i + 1] ?? '')]));
  };
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const region = options.region ?? 'cn';
  const keys = options.keys ?? EMULATOR_KEY_REGISTRY;
  const quotaEra = options.quotaEra ?? 'percent';
  const reply = options.reply ?? defaultReply;
  const textDeltaSize = Math.max(1, Math.floor(options.textDeltaSize ?? 16));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const quota: QuotaFigures = { ...DEFAULT_QUOTA, ...options.quota };
  const balance: BalanceFigures = { ...DEFAULT_BALANCE, ...options.balance };
  const nextId = createIdGenerator(options.seed);
  const faults = new FaultBook();
  const requests: RecordedRequest[] = [];
  const oauth = createOAuth(options.oauth ?? {}, now);

  // Routes are keyed by "METHOD path"; the family (and so the auth rule) comes from the path prefix.
  const env: RouteEnv = { region, options, now: () => now(), nextId: () => nextId() };
  const extra = [...ROUTE_MODULES, ...(options.routes ?? [])].flatMap((module) => Object.entries(module(env)));
  // A later module wins (options.routes over the built-in ones), for patterns as for exact keys.
  const patterns = extra
    .filter(([key]) => key.includes('/:'))
    .map(([key, route]) => ({ match: compileRoute(key), route }))
    .reverse();
  const routes = new Map<string, Route>([
    ...extra.filter(([key]) => !key.includes('/:')),
    ['POST /anthropic/v1/messages', (ctx) => handleMessages(ctx.body, { requestId: ctx.requestId, reply, textDeltaSize })],
    ['GET /anthropic/v1/models', (ctx) => jsonResponse(200, anthropicModelList(ctx.query, options.modelPageLimit))],
    ['GET /v1/models', () => jsonResponse(200, openAiModelList())],
    [
      'GET /v1/token_plan/remains',
      (ctx) =>
        ctx.keyKind === 'payg'
          ? baseRespError(200, 1004, PAYG_ON_QUOTA_MESSAGE)
          : jsonResponse(200, tokenPlanRemains(quotaEra, now(), quota)),
    ],
    [
      'GET /v1/api/openplatform/coding_plan/remains',
      (ctx) =>
        ctx.keyKind === 'payg' ? baseRespError(200, 1004, PAYG_ON_QUOTA_MESSAGE) : jsonResponse(200, legacyCodingPlanRemains(now(), quota)),
    ],
    [
      'GET /account/query_balance',
      (ctx) => (ctx.keyKind === 'payg' ? jsonResponse(200, balanceBody(balance)) : baseRespError(200, 1004, TOKEN_PLAN_ON_BALANCE_MESSAGE)),
    ],
  ]);

  function findRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const exact = routes.get(`${method} ${path}`);
    if (exact !== undefined) return { route: exact, params: {} };
    for (const { match, route } of patterns) {
      const params = match(method, path);
      if (params) return { route, params };
    }
    const model = /^\/anthropic\/v1\/models\/([^/]+)$/.exec(path);
    if (method === 'GET' && model?.[1] !== undefined) {
      const id = decodeURIComponent(model[1]);
      return {
        params: {},
        route: (ctx) => {
          const found = anthropicModel(id);
          return found === undefined
            ? anthropicError(404, 'not_found_error', `model not found: ${id}`, ctx.requestId)
            : jsonResponse(200, found);
        },
      };
    }
    return undefined;
  }

  async function respond(request: Request, requestId: string, active: readonly Fault[]): Promise<EmuResponse> {
    const url = new URL(request.url);
    const path = url.pathname;
    const method = request.method.toUpperCase();
    const credentials = readCredentials(request.headers);
    const { body, raw } = await readBody(request);
    const recorded: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: headerRecord(request.headers),
      authStyle: credentials.style,
      body,
    };
    if (credentials.key !== undefined) recorded.key = credentials.key;
    requests.push(recorded);

    const family: AuthFamily | undefined = familyOf(path);
    const injected = faultResponse(active, { family, requestId, now: now() });
    if (injected !== undefined) return injected;

    // The account host's paths; served by the same emulator so that its tokens work on its API routes.
    const account = oauth.handle(method, path, body, url.origin);
    if (account !== undefined) return account;

    // Unknown paths 404 before auth, as the real front proxy does.
    const found = findRoute(method, path);
    if (found === undefined || family === undefined) return notFound();

    const auth = authenticate({
      family,
      region,
      policy: options.authPolicy?.[family] ?? 'region-default',
      strict: options.strictAuth === true,
      rejection: options.headerRejection,
      credentials,
      keys,
      requestId,
      accessToken: (token) => oauth.checkAccessToken(token),
    });
    if (!auth.ok) return auth.response;
    return found.route({
      method,
      path,
      params: found.params,
      query: url.searchParams,
      headers: request.headers,
      body,
      rawBody: raw,
      requestId,
      keyKind: auth.kind,
      key: auth.key,
    });
  }

  return {
    region,
    keys,
    oauth: oauth.control,
    requests,
    async handle(request: Request): Promise<Response> {
      const requestId = nextId();
      const active = faults.take(new URL(request.url).pathname);
      const plan = transportPlan(active);
      let response: EmuResponse;
      try {
        response = await respond(request, requestId, active);
      } catch {
        // A bug in a reply function must surface as a server error, never as a rejected handle().
        response = anthropicError(500, 'api_error', 'Internal server error', requestId);
      }
      if (plan.firstByteDelayMs > 0) await sleep(plan.firstByteDelayMs);
      return toFetchResponse(response, plan, requestId, sleep);
    },
    reset() {
      requests.length = 0;
      faults.clear();
    },
    setFault(fault) {
      faults.set(fault);
    },
    enqueueFault(fault) {
      faults.enqueue(fault);
    },
    clearFaults() {
      faults.clear();
    },
  };
}
