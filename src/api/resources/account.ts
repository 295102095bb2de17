/**
 * The account resource: the Token Plan quota (`GET /v1/token_plan/remains`) and
 * the pay-as-you-go balance (`GET /account/query_balance`). Either proves a key
 * at login, so login and quota share these requests.
 */
import { type ApiRequest, get } from '../request.js';

/** Pay-as-you-go secret keys (`sk-api-…`) have no Token Plan quota; their balance endpoint proves them. */
export function isPayAsYouGo(key: string): boolean {
  return key.startsWith('sk-api-');
}

export const account = {
  quota(): ApiRequest {
    return get('/v1/token_plan/remains');
  },
  balance(): ApiRequest {
    return get('/account/query_balance');
  },
  /** The cheapest request that proves a key: its quota, or its balance for a pay-as-you-go key. */
  check(key: string): ApiRequest {
    return isPayAsYouGo(key) ? account.balance() : account.quota();
  },
};
