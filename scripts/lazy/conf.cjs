// Entry of dist/lazy/conf.cjs: required only when a command writes the config.
// The bundle reads `(await import('conf')).default`, which esbuild turns into
// require() with Node's interop (default = module.exports), so the class itself
// is the export.
module.exports = require('conf').default;
