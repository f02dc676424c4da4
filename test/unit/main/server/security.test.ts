import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { contentSecurityPolicy, isAllowedOrigin, tokenMatches, tokenOf } from '../../../../main/server/security';

describe('server security', () => {
  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
  });

  it('reads the token from the query, else from our cookie', () => {
    const request = (cookie?: string) => ({ headers: { cookie } }) as IncomingMessage;
    expect(tokenOf(request(), new URL('http://127.0.0.1:1/?token=q1'))).toBe('q1');
    expect(tokenOf(request('a=1; ts_token=c2'), new URL('http://127.0.0.1:1/app.js'))).toBe('c2');
    expect(tokenOf(request('xts_token=c2'), new URL('http://127.0.0.1:1/'))).toBeUndefined();
  });

  it('allows only our own origin', () => {
    expect(isAllowedOrigin('http://127.0.0.1:5000', 5000)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5000', 5000)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:5001', 5000)).toBe(false);
    expect(isAllowedOrigin('http://evil.example', 5000)).toBe(false);
    expect(isAllowedOrigin(undefined, 5000)).toBe(false);
  });

  it('sends a CSP with no remote hosts and no inline scripts', () => {
    const csp = contentSecurityPolicy(5000);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("'unsafe-inline' 'self' https");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:5000");
    expect(csp).toContain("object-src 'none'");
  });
});
