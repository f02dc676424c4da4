import { describe, expect, it } from 'vitest';
import { classColour } from '../../../../../renderer/src/lib/map/palette';

describe('classColour', () => {
  it('gives 17 distinct colours before repeating, and wraps after', () => {
    const colours = Array.from({ length: 17 }, (_, k) => classColour(k));
    expect(new Set(colours).size).toBe(17);
    expect(classColour(17)).toBe(classColour(0));
  });

  it('turns black light on a dark theme', () => {
    expect(classColour(7)).toBe('#000000');
    expect(classColour(7, true)).not.toBe('#000000');
    expect(classColour(0, true)).toBe(classColour(0));
  });
});
