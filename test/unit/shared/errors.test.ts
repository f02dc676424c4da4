import { describe, expect, it } from 'vitest';
import { StudioError, isErrorData, quote, toErrorData } from '../../../shared/errors';

describe('errors', () => {
  it('round-trips StudioError through wire data', () => {
    const error = new StudioError('BAD_INPUT', 'Expected units > 0, received 0.', { field: 'units' });
    const data = toErrorData(error);
    expect(data).toEqual({
      code: 'BAD_INPUT',
      message: 'Expected units > 0, received 0.',
      details: { field: 'units' },
    });
    const back = StudioError.fromData(structuredClone(data));
    expect(back).toBeInstanceOf(Error);
    expect(back.code).toBe('BAD_INPUT');
    expect(back.details).toEqual({ field: 'units' });
  });

  it('wraps plain errors and non-errors as INTERNAL', () => {
    expect(toErrorData(new Error('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(toErrorData('weird')).toEqual({ code: 'INTERNAL', message: 'Unexpected error: weird' });
  });

  it('recognises error data only with a known code', () => {
    expect(isErrorData({ code: 'CANCELLED', message: 'x' })).toBe(true);
    expect(isErrorData({ code: 'NOPE', message: 'x' })).toBe(false);
    expect(isErrorData(null)).toBe(false);
  });

  it('quotes values the Keras way', () => {
    expect(quote('a')).toBe('"a"');
    expect(quote(0)).toBe('0');
    expect(quote({ units: -1 })).toBe('{"units":-1}');
    expect(quote('x'.repeat(500)).length).toBeLessThanOrEqual(200);
  });
});
