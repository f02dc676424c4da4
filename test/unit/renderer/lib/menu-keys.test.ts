import { describe, expect, it } from 'vitest';
import { handleMenuKey, nextMenuIndex } from '../../../../renderer/src/lib/menu-keys';

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

describe('handleMenuKey', () => {
  function harness() {
    const focused: number[] = [];
    const items = [0, 1, 2].map((i) => ({ focus: () => focused.push(i) }));
    const event = (key: string) => {
      const calls: string[] = [];
      return { key, calls, preventDefault: () => calls.push('prevent'), stopPropagation: () => calls.push('stop') };
    };
    return { focused, items, event };
  }

  it('closes on Escape and keeps the key from reaching an enclosing dialog', () => {
    const { items, event } = harness();
    let closed = 0;
    const escape = event('Escape');
    handleMenuKey(escape, items, items[1], () => closed++);
    expect(closed).toBe(1);
    expect(escape.calls).toEqual(['prevent', 'stop']);
  });

  it('moves focus with the arrows from the focused item, and leaves other keys alone', () => {
    const { focused, items, event } = harness();
    const close = () => {
      throw new Error('must not close');
    };
    handleMenuKey(event('ArrowDown'), items, items[2], close);
    handleMenuKey(event('ArrowUp'), items, undefined, close);
    const enter = event('Enter');
    handleMenuKey(enter, items, items[0], close);
    expect(focused).toEqual([0, 1]); // down from the last wraps to the first; up from none lands on the one before the end
    expect(enter.calls).toEqual([]);
  });
});
