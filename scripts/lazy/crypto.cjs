// Stands in for node:crypto inside dist/lazy/conf.cjs, which imports it at load for
// `encryptionKey`, an option mmx never passes: node:crypto (17 internal modules) is
// required only if something ever reads a property of it.
let real;
module.exports = new Proxy(
  {},
  {
    get(_target, name) {
      real ??= require('node:crypto');
      return real[name];
    },
  },
);
