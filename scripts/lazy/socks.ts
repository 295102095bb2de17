// Entry of dist/lazy/socks.cjs: required only when a request goes through a SOCKS5 proxy.
export { SocksClient } from 'socks';
