import { describe, expect, it } from 'vitest';
import { networkError } from '../../../../../main/engine/models/bases/network-error';
import { StudioError } from '../../../../../shared/errors';

const url = 'https://models.example/m/model.json';
const host = 'models.example';

function studio(error: unknown): StudioError {
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

describe('networkError', () => {
  it('says cancelled when the signal aborted, whatever failed', () => {
    const controller = new AbortController();
    controller.abort();
    expect(studio(networkError(url, host, new Error('socket hang up'), false, 30_000, controller.signal)).code).toBe(
      'CANCELLED',
    );
  });

  it('names a stall with its idle time and the address', () => {
    const error = studio(networkError(url, host, new Error('aborted'), true, 30_000));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toBe(`The download from ${host} stalled: no data for 30 s ("${url}").`);
  });

  it('says offline for the system codes of an unreachable host, from the error or its cause', () => {
    const direct = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    expect(studio(networkError(url, host, direct, false, 1)).message).toBe(
      `Cannot reach ${host}: you seem to be offline, or the server is down (ENOTFOUND).`,
    );
    const wrapped = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    expect(studio(networkError(url, host, wrapped, false, 1)).details).toEqual({ url, code: 'ECONNREFUSED' });
  });

  it('keeps a StudioError as it is, and words any other break with its message', () => {
    const own = new StudioError('BAD_INPUT', 'not a model');
    expect(networkError(url, host, own, false, 1)).toBe(own);
    expect(studio(networkError(url, host, new Error('ECONNRESET'), false, 1)).message).toBe(
      `The connection to ${host} broke while downloading "${url}" (ECONNRESET).`,
    );
  });
});
