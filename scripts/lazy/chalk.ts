// Entry of dist/lazy/chalk.cjs: required only when a stream is coloured.
export { Chalk } from 'chalk';
