import { describe, expect, it } from 'vitest';
import { contract, methods, parseRequest, pathsOf } from '../../../shared/contract';
import { StudioError } from '../../../shared/errors';
import { ClientMessage, ServerMessage } from '../../../shared/contract/wire';

/** A payload that breaks each method's request schema: a field of the wrong type. */
function malformed(): unknown {
  return { __notAField: 1, steps: 'many', path: 42, exitCode: 'x', title: 7 };
}

describe('contract', () => {
  it('has a summary and schemas for every method', () => {
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      const spec = contract[method];
      expect(spec.summary.length, method).toBeGreaterThan(10);
      expect(typeof spec.request.safeParse, method).toBe('function');
      expect(typeof spec.response.safeParse, method).toBe('function');
    }
  });

  it.each(methods)('rejects a malformed payload for %s with INVALID_REQUEST naming the field', (method) => {
    let caught: unknown;
    try {
      parseRequest(method, malformed());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StudioError);
    const error = caught as StudioError;
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toContain(method);
    const issues = (error.details as { issues: { path: string[] }[] }).issues;
    expect(issues.length).toBeGreaterThan(0);
    // Every issue names a field (or the request itself) and the message repeats it.
    for (const issue of issues) {
      const name = issue.path.length ? issue.path.join('.') : '(request)';
      expect(error.message).toContain(name);
    }
  });

  it.each(methods)('rejects a non-object payload for %s', (method) => {
    expect(() => parseRequest(method, 'hello')).toThrow(/Invalid request/);
  });

  it('names the bad field and value in the message', () => {
    expect(() => parseRequest('system.count', { steps: 0, delayMs: 1 })).toThrow(/steps: .*>=1/);
    expect(() => parseRequest('system.count', { steps: 3 })).toThrow(/delayMs/);
    expect(() => parseRequest('host.listDir', { path: '' })).toThrow(/path/);
  });

  it('rejects unknown methods with UNKNOWN_METHOD quoting the name', () => {
    expect(() => parseRequest('nope.nothing', {})).toThrow(/Unknown method "nope.nothing"/);
  });

  it('parses valid requests and lists their user paths', () => {
    expect(parseRequest('system.count', { steps: 2, delayMs: 0 })).toEqual({ steps: 2, delayMs: 0 });
    expect(parseRequest('info', undefined)).toEqual({});
    expect(pathsOf('host.listDir', { path: '/tmp/x' })).toEqual(['/tmp/x']);
    expect(pathsOf('info', {})).toEqual([]);
  });

  it('validates wire envelopes', () => {
    expect(ClientMessage.safeParse({ type: 'call', id: '1', method: 'info', params: {} }).success).toBe(true);
    expect(ClientMessage.safeParse({ type: 'call', id: '', method: 'info' }).success).toBe(false);
    expect(ClientMessage.safeParse({ type: 'launch', id: '1' }).success).toBe(false);
    expect(ServerMessage.safeParse({ type: 'result', id: '1', ok: true, value: 3 }).success).toBe(true);
    expect(ServerMessage.safeParse({ type: 'result', id: '1', ok: false }).success).toBe(false);
  });
});
