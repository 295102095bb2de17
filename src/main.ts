/** The bundle's entry: what bin/mmx imports. */
export { run } from './cli.js';
export { systemDeps } from './system-deps.js';
