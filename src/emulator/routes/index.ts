/**
 * The route modules beyond the core (Messages, models, quota, balance, which
 * live in handler.ts): one line per API area.
 */
import { speechRoutes } from './speech.js';
import type { RouteModule } from './types.js';

export const ROUTE_MODULES: readonly RouteModule[] = [speechRoutes];
