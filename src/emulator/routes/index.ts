/**
 * The route modules beyond the core (Messages, models, quota, balance, which
 * live in handler.ts): one line per API area.
 */
import { codingPlanRoutes } from './coding-plan.js';
import { fileManagementRoutes } from './file-management.js';
import { imageRoutes } from './image.js';
import { speechRoutes } from './speech.js';
import type { RouteModule } from './types.js';
import { videoRoutes } from './video.js';

export const ROUTE_MODULES: readonly RouteModule[] = [codingPlanRoutes, fileManagementRoutes, speechRoutes, imageRoutes, videoRoutes];
