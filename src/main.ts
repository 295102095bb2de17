/** The bundle's entry: what bin/mmx imports. */
export { run } from './cli.js';
export { systemDeps } from './system-deps.js';
export { HELP_PATHS } from './program.js';
export { nodeTransport } from './http/transport.js';
