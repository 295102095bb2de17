/** The proxy rule as tables: which setting applies to which target, what NO_PROXY covers, what a proxy URL means, how it is shown. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { maskProxyUrl } from '../../src/http/mask-url.js';
import { describeRoute, noProxyCovers, parseIp, parseProxy, proxyFor } from '../../src/http/proxy.js';

const HTTPS = 'https://api.minimaxi.com/v1/x';
const HTTP = 'http://api.minimaxi.com/v1/x';

describe('proxyFor: which setting applies', () => {
  const S = 'http://s:1';
  const H = 'http://h:1';
  const A = 'socks5h://a:1';
  const cases: Array<[string, string, Record<string, string>, string | undefined, string | undefined]> = [
    // [what, target, env, config proxy, expected "url from setBy" or undefined]
    ['https: HTTPS_PROXY first', HTTPS, { HTTPS_PROXY: S, HTTP_PROXY: H, ALL_PROXY: A }, 'http://c:1', `${S} HTTPS_PROXY`],
    ['https: ALL_PROXY before HTTP_PROXY', HTTPS, { HTTP_PROXY: H, ALL_PROXY: A }, undefined, `${A} ALL_PROXY`],
    ['https: HTTP_PROXY alone applies (as mmx-cli)', HTTPS, { HTTP_PROXY: H }, 'http://c:1', `${H} HTTP_PROXY`],
    ['https: http_proxy alone applies', HTTPS, { http_proxy: H }, undefined, `${H} http_proxy`],
    ['http: HTTP_PROXY first', HTTP, { HTTPS_PROXY: S, HTTP_PROXY: H, ALL_PROXY: A }, undefined, `${H} HTTP_PROXY`],
    ['http: ALL_PROXY next', HTTP, { HTTPS_PROXY: S, ALL_PROXY: A }, undefined, `${A} ALL_PROXY`],
    ['http: HTTPS_PROXY never applies', HTTP, { HTTPS_PROXY: S }, undefined, undefined],
    ['config proxy when no variable applies', HTTPS, {}, ' http://c:1 ', 'http://c:1 config proxy'],
    ['config proxy for http targets too', HTTP, { HTTPS_PROXY: S }, 'http://c:1', 'http://c:1 config proxy'],
    ['nothing set: direct', HTTPS, {}, undefined, undefined],
    ['blank config: direct', HTTPS, {}, '  ', undefined],
    ['lower case wins', HTTPS, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' }, undefined, 'http://lower:1 https_proxy'],
    [
      'an empty lower-case variable hides its upper-case twin',
      HTTPS,
      { https_proxy: '', HTTPS_PROXY: S, ALL_PROXY: A },
      undefined,
      `${A} ALL_PROXY`,
    ],
    ['values are trimmed', HTTPS, { HTTPS_PROXY: `  ${S}\n` }, undefined, `${S} HTTPS_PROXY`],
    ['NO_PROXY beats every variable', HTTPS, { HTTPS_PROXY: S, NO_PROXY: 'minimaxi.com' }, undefined, undefined],
    ['NO_PROXY beats the config proxy', HTTPS, { NO_PROXY: '.minimaxi.com' }, 'http://c:1', undefined],
    ['no_proxy wins over NO_PROXY', HTTPS, { HTTPS_PROXY: S, no_proxy: 'other.test', NO_PROXY: '*' }, undefined, `${S} HTTPS_PROXY`],
  ];
  it.each(cases)('%s', (_, target, env, config, expected) => {
    const choice = proxyFor(target, env, config);
    expect(choice === undefined ? undefined : `${choice.url} ${choice.setBy}`).toBe(expected);
  });
});

describe('noProxyCovers: the NO_PROXY forms', () => {
  const cases: Array<[string, string, boolean]> = [
    // [target, NO_PROXY, covered]
    ['https://api.minimaxi.com', '*', true],
    ['https://api.minimaxi.com', 'minimaxi.com', true],
    ['https://api.minimaxi.com', '.minimaxi.com', true],
    ['https://api.minimaxi.com', '*.minimaxi.com', true],
    ['https://minimaxi.com', '.minimaxi.com', true],
    ['https://api.minimaxi.com', 'API.MINIMAXI.COM', true],
    ['https://notminimaxi.com', 'minimaxi.com', false],
    ['https://api.minimaxi.com', 'a.test, api.minimaxi.com b.test', true],
    ['https://api.minimaxi.com', 'api.minimaxi.com:443', true],
    ['https://api.minimaxi.com', 'api.minimaxi.com:8443', false],
    ['http://api.minimaxi.com', 'api.minimaxi.com:80', true],
    ['http://127.0.0.1:8080/x', '127.0.0.1', true],
    ['http://127.0.0.1:8080/x', '127.0.0.1:8080', true],
    ['http://127.0.0.1:8080/x', '127.0.0.1:9090', false],
    ['http://127.0.0.2/x', '127.0.0.1', false],
    ['http://[::1]:8080/x', '::1', true],
    ['http://[::1]:8080/x', '[::1]', true],
    ['http://[::1]:8080/x', '[::1]:8080', true],
    ['http://[::1]:8080/x', '[::1]:9090', false],
    ['http://[::1]:8080/x', '0:0:0:0:0:0:0:1', true],
    ['http://[::2]/x', '::1', false],
    ['http://10.20.30.40/x', '10.0.0.0/8', true],
    ['http://11.0.0.1/x', '10.0.0.0/8', false],
    ['http://192.168.1.7/x', '192.168.0.0/16', true],
    ['http://192.168.1.7/x', '192.168.1.7/32', true],
    ['http://192.168.1.7/x', '0.0.0.0/0', true],
    ['http://[fd12:3456::1]/x', 'fd00::/8', true],
    ['http://[fe80::1]/x', 'fd00::/8', false],
    ['http://[::ffff:10.1.2.3]/x', '::ffff:10.0.0.0/104', true],
    ['http://10.1.2.3/x', 'fd00::/8', false], // another family
    ['http://[fd00::1]/x', '10.0.0.0/8', false],
    ['https://api.minimaxi.com', '10.0.0.0/8', false], // a name is not resolved to check a range
    ['http://10.1.2.3/x', '10.0.0.0/33', false], // not a range
    ['http://10.1.2.3/x', '10.0.0.0/', false],
    ['https://api.minimaxi.com', '', false],
    ['https://api.minimaxi.com', ' , ', false],
  ];
  it.each(cases)('%s with NO_PROXY=%j: %s', (target, noProxy, covered) => {
    expect(noProxyCovers(new URL(target), noProxy)).toBe(covered);
  });

  it('parseIp reads dotted IPv4 and every IPv6 spelling, and nothing else', () => {
    expect(parseIp('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(parseIp('::')).toEqual({ family: 6, value: 0n });
    expect(parseIp('fe80::1%eth0')).toEqual(parseIp('fe80:0:0:0:0:0:0:1'));
    expect(parseIp('::ffff:1.2.3.4')).toEqual({ family: 6, value: 0xffff01020304n });
    for (const bad of ['256.0.0.1', '1.2.3', 'example.com', ':1', '1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '1:2:3:4:5:6:7::8:9']) {
      expect(parseIp(bad)).toBeUndefined();
    }
  });
});

describe('parseProxy: what a proxy URL means', () => {
  const parsed = (url: string) => {
    const p = parseProxy({ url, setBy: 'HTTPS_PROXY' });
    return { protocol: p.protocol, hostname: p.hostname, port: p.port, credentials: p.credentials, shown: p.shown };
  };

  it.each([
    ['http://127.0.0.1:7890', 'http:', '127.0.0.1', 7890, undefined, 'http://127.0.0.1:7890'],
    ['127.0.0.1:7890', 'http:', '127.0.0.1', 7890, undefined, 'http://127.0.0.1:7890'], // as curl reads it
    ['localhost:7890', 'http:', 'localhost', 7890, undefined, 'http://localhost:7890'],
    ['proxy.corp', 'http:', 'proxy.corp', 80, undefined, 'http://proxy.corp'],
    ['https://proxy.corp', 'https:', 'proxy.corp', 443, undefined, 'https://proxy.corp'],
    ['socks5://127.0.0.1', 'socks5:', '127.0.0.1', 1080, undefined, 'socks5://127.0.0.1'],
    ['SOCKS5H://127.0.0.1:7891/', 'socks5h:', '127.0.0.1', 7891, undefined, 'socks5h://127.0.0.1:7891'],
    ['http://[::1]:3128', 'http:', '::1', 3128, undefined, 'http://[::1]:3128'],
    ['http://alice:s3cret@10.0.0.1:3128', 'http:', '10.0.0.1', 3128, { username: 'alice', password: 's3cret' }, 'http://…@10.0.0.1:3128'],
    ['http://alice@10.0.0.1:3128', 'http:', '10.0.0.1', 3128, { username: 'alice', password: '' }, 'http://…@10.0.0.1:3128'],
    ['alice:pw@10.0.0.1:3128', 'http:', '10.0.0.1', 3128, { username: 'alice', password: 'pw' }, 'http://…@10.0.0.1:3128'],
    ['socks5://a%40b:p%3Aw%2F@h:1', 'socks5:', 'h', 1, { username: 'a@b', password: 'p:w/' }, 'socks5://…@h:1'],
  ])('%s', (url, protocol, hostname, port, credentials, shown) => {
    expect(parsed(url)).toEqual({ protocol, hostname, port, credentials, shown });
  });

  it.each([
    ['ftp://proxy.corp:21', 'HTTPS_PROXY names a ftp proxy (ftp://proxy.corp:21); mmx speaks http, https, socks5 and socks5h.'],
    ['socks4://u:secret@h:1080', 'HTTPS_PROXY names a socks4 proxy (socks4://…@h:1080); mmx speaks http, https, socks5 and socks5h.'],
    ['http://u:secret@[::1', 'HTTPS_PROXY is not a valid proxy URL (http://…@[::1).'],
    ['http://:99999', 'HTTPS_PROXY is not a valid proxy URL (http://:99999).'],
  ])('%s is a usage error naming the setting, the password masked', (url, message) => {
    let error: unknown;
    try {
      parseProxy({ url, setBy: 'HTTPS_PROXY' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(message);
    expect((error as UsageError).hint).toContain('socks5h://host:port');
  });
});

describe('maskProxyUrl: never a user or a password, whatever the shape', () => {
  it.each([
    ['http://127.0.0.1:7890', 'http://127.0.0.1:7890'],
    ['http://127.0.0.1:7890/path?x=1', 'http://127.0.0.1:7890'],
    ['http://user:secret@proxy:3128', 'http://…@proxy:3128'],
    ['http://user@proxy:3128', 'http://…@proxy:3128'],
    ['HTTP://user:secret@proxy:3128', 'http://…@proxy:3128'],
    ['http://user:se@cr/et@proxy:3128', 'http://…@proxy:3128'],
    ['user:secret@proxy:3128', 'http://…@proxy:3128'],
    ['socks5h://u:p@[::1]:1080', 'socks5h://…@[::1]:1080'],
    ['not a url at all', 'http://not a url at all'],
  ])('%s → %s', (raw, shown) => {
    expect(maskProxyUrl(raw)).toBe(shown);
  });
});

describe('describeRoute: the --verbose line', () => {
  const proxy = (url: string) => parseProxy({ url, setBy: 'HTTPS_PROXY' });
  it.each([
    ['http://u:p@127.0.0.1:7890', HTTP, '* proxy http://…@127.0.0.1:7890 (HTTPS_PROXY): the request in absolute form'],
    ['http://127.0.0.1:7890', HTTPS, '* proxy http://127.0.0.1:7890 (HTTPS_PROXY): CONNECT api.minimaxi.com:443, TLS to the host inside'],
    [
      'socks5://127.0.0.1:7890',
      HTTPS,
      '* proxy socks5://127.0.0.1:7890 (HTTPS_PROXY): SOCKS5 to api.minimaxi.com:443, the name resolved here',
    ],
    [
      'socks5h://127.0.0.1:7890',
      HTTP,
      '* proxy socks5h://127.0.0.1:7890 (HTTPS_PROXY): SOCKS5 to api.minimaxi.com:80, the name resolved by the proxy',
    ],
  ])('%s to %s', (url, target, line) => {
    expect(describeRoute(proxy(url), target)).toBe(line);
  });
});
