/** The bundle's entry: what bin/mmx and the build scripts require. */
export { run } from './cli.js';
export { systemDeps } from './system-deps.js';
export { listHelpPaths, warmupArgvs } from './cli/program.js';
export { completionTable } from './cli/completion.js';
export { nodeTransport } from './http/transport.js';
