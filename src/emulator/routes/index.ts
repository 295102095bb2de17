/**
 * The route modules beyond the core (Messages, models, quota, balance, which
 * live in handler.ts): one line per API area.
 */
import { imageRoutes } from './image.js';
import type { RouteModule } from './types.js';
import { videoRoutes } from './video.js';

export const ROUTE_MODULES: readonly RouteModule[] = [imageRoutes, videoRoutes];
