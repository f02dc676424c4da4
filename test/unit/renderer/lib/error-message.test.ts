import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../../shared/errors';
import { errorMessage } from '../../../../renderer/src/lib/error-message';

describe('errorMessage', () => {
  it("gives an Error's message, a StudioError's included", () => {
    expect(errorMessage(new Error('Disk full'))).toBe('Disk full');
    expect(errorMessage(new StudioError('BAD_INPUT', 'Expected units > 0, received 0'))).toBe(
      'Expected units > 0, received 0',
    );
  });

  it('turns anything else into a string', () => {
    expect(errorMessage('plain words')).toBe('plain words');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
