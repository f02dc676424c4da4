import { describe, expect, it } from 'vitest';
import { baseName } from '../../../../renderer/src/lib/base-name';

describe('baseName', () => {
  it('takes the last segment with either separator, ignoring a trailing one', () => {
    expect(baseName('/data/dogs/dog-01.png')).toBe('dog-01.png');
    expect(baseName('C:\\data\\birds\\')).toBe('birds');
    expect(baseName('plain')).toBe('plain');
    expect(baseName('/')).toBe('/');
  });
});
