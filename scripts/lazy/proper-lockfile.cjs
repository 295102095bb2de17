// Entry of dist/lazy/proper-lockfile.cjs: required only when a command writes the config.
module.exports = require('proper-lockfile');
