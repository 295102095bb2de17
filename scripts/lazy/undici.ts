// Entry of dist/lazy/undici.cjs: required only when a request goes through a proxy.
export { ProxyAgent, request } from 'undici';
