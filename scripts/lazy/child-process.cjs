// Stands in for node:child_process inside commander, which requires it at load
// for executable subcommands; mmx has none, so the module (and net, dgram, which
// it loads) is required only if something ever reads a property of it.
let real;
module.exports = new Proxy(
  {},
  {
    get(_target, name) {
      real ??= require('node:child_process');
      return real[name];
    },
  },
);
