// The dashboard's guards. It binds loopback by default; the Host check stops DNS rebinding (a page on evil.com that
// re-resolves to 127.0.0.1 still sends `Host: evil.com`); state changes need POST plus a token minted at start,
// which a cross-site page can neither read nor send (custom headers need CORS, which we never grant).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { resolve, sep } from 'node:path';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Host header allowed: a loopback name, the explicitly bound address or a name in `extra`, with the bound port. */
export function hostAllowed(header: string | undefined, port: number, boundHost: string, extra: readonly string[] = []): boolean {
  if (!header) return false;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(?::(\d+))?$/.exec(header.trim().toLowerCase());
  if (!m) return false;
  const name = m[1] ?? '';
  if (Number(m[2] ?? '80') !== port) return false;
  if (LOOPBACK.has(name) || extra.some((h) => h.toLowerCase() === name)) return true;
  const bound = boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost;
  return !['0.0.0.0', '[::]'].includes(bound) && name === bound.toLowerCase();
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The file under `root` a URL path names, or null for anything that escapes it: `..` in any encoding, NUL,
 * backslashes, absolute paths. Decoding happens once, here, before the checks.
 */
export function safeStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((p) => p === '..' || p === '.')) return null;
  const base = resolve(root);
  const full = resolve(base, '.' + (decoded.startsWith('/') ? decoded : `/${decoded}`));
  return full.startsWith(base + sep) ? full : null;
}

/** Content-Security-Policy for one response: scripts only from us, inline ones only with this response's nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

/** Adds the nonce to every <script> tag of a page we rendered (user text is escaped, so it holds no `<script`). */
export function withNonce(html: string, nonce: string): string {
  return html.replaceAll('<script', `<script nonce="${nonce}"`);
}

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': contentSecurityPolicy(''),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
