import { describe, expect, it } from 'vitest';
import { hostAllowed, isLoopbackHost, safeStaticPath, tokenMatches } from './security.ts';

describe('hostAllowed', () => {
  it('admits loopback names with the bound port only', () => {
    expect(hostAllowed('localhost:8686', 8686, '127.0.0.1')).toBe(true);
    expect(hostAllowed('LOCALHOST:8686', 8686, '127.0.0.1')).toBe(true);
    expect(hostAllowed('[::1]:8686', 8686, '127.0.0.1')).toBe(true);
    expect(hostAllowed('localhost', 80, '127.0.0.1')).toBe(true);
    expect(hostAllowed('localhost:8687', 8686, '127.0.0.1')).toBe(false);
    expect(hostAllowed('attacker.example:8686', 8686, '127.0.0.1')).toBe(false);
    expect(hostAllowed('127.0.0.1.nip.io:8686', 8686, '127.0.0.1')).toBe(false);
    expect(hostAllowed('localhost:8686:1', 8686, '127.0.0.1')).toBe(false);
    expect(hostAllowed(undefined, 8686, '127.0.0.1')).toBe(false);
  });

  it('admits an explicitly bound address, never a wildcard one', () => {
    expect(hostAllowed('10.0.0.5:8686', 8686, '10.0.0.5')).toBe(true);
    expect(hostAllowed('10.0.0.6:8686', 8686, '10.0.0.5')).toBe(false);
    expect(hostAllowed('0.0.0.0:8686', 8686, '0.0.0.0')).toBe(false);
    expect(hostAllowed('[fe80::1]:8686', 8686, 'fe80::1')).toBe(true);
    expect(hostAllowed('gpu-login01:8686', 8686, '0.0.0.0', ['gpu-login01'])).toBe(true);
    expect(hostAllowed('gpu-login02:8686', 8686, '0.0.0.0', ['gpu-login01'])).toBe(false);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::'].some(isLoopbackHost)).toBe(false);
  });
});

describe('safeStaticPath', () => {
  const root = '/srv/static';
  it('resolves plain names under the root', () => {
    expect(safeStaticPath(root, 'echarts.min.js')).toBe('/srv/static/echarts.min.js');
    expect(safeStaticPath(root, 'sub/a.js')).toBe('/srv/static/sub/a.js');
  });
  it('refuses every traversal spelling', () => {
    for (const p of ['../x', '..%2fx', '..%2Fx', '%2e%2e/x', '%2e%2e%2fx', 'a/../../x', '..%5cx', '..\\x', '%00', 'a%00.js', '/etc/passwd', '%2fetc%2fpasswd', './x', '%E0%A4%A', '']) {
      const got = safeStaticPath(root, p);
      expect([p, got === null || got.startsWith('/srv/static/')]).toEqual([p, true]);
    }
    expect(safeStaticPath(root, '/etc/passwd')).toBe('/srv/static/etc/passwd');
    expect(safeStaticPath(root, '..%2f..%2fetc%2fpasswd')).toBeNull();
  });
});

describe('tokenMatches', () => {
  it('compares in constant time and rejects absent or different tokens', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('abcd', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
  });
});
