import { describe, expect, it } from 'vitest';
import { nextMenuIndex } from '../../../../renderer/src/lib/menu-keys';

describe('nextMenuIndex', () => {
  it('steps with the arrows and wraps at both ends', () => {
    expect(nextMenuIndex('ArrowDown', 0, 3)).toBe(1);
    expect(nextMenuIndex('ArrowDown', 2, 3)).toBe(0);
    expect(nextMenuIndex('ArrowUp', 0, 3)).toBe(2);
    expect(nextMenuIndex('ArrowDown', -1, 3)).toBe(0);
    expect(nextMenuIndex('ArrowUp', -1, 3)).toBe(1);
  });

  it('jumps with Home and End, and ignores other keys and empty menus', () => {
    expect(nextMenuIndex('Home', 2, 3)).toBe(0);
    expect(nextMenuIndex('End', 0, 3)).toBe(2);
    expect(nextMenuIndex('Enter', 0, 3)).toBeUndefined();
    expect(nextMenuIndex('ArrowDown', -1, 0)).toBeUndefined();
  });
});
