/**
 * Where focus goes in a menu of `count` items when `key` is pressed on item `at` (-1: none):
 * ArrowDown / ArrowUp step and wrap, Home / End jump; undefined for any other key.
 */
export function nextMenuIndex(key: string, at: number, count: number): number | undefined {
  if (count === 0) return undefined;
  const steps: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: count - 1 };
  const to = steps[key];
  return to === undefined ? undefined : (to + count) % count;
}

/** What {@link handleMenuKey} needs of the event: the key and preventDefault/stopPropagation. */
export type MenuKeyEvent = Pick<KeyboardEvent, 'key' | 'preventDefault' | 'stopPropagation'>;

/**
 * Keyboard handling of an open menu: Escape closes it (and stops the key there, so an enclosing
 * dialog stays open); the arrows, Home and End move focus among `items`.
 * @param items the menu items, in order.
 * @param focused the item that has focus, if any.
 * @param close closes the menu (and returns focus to its button).
 */
export function handleMenuKey(
  event: MenuKeyEvent,
  items: readonly { focus(): void }[],
  focused: unknown,
  close: () => void,
): void {
  if (event.key === 'Escape') {
    event.preventDefault();
    event.stopPropagation();
    close();
    return;
  }
  const to = nextMenuIndex(event.key, items.indexOf(focused as { focus(): void }), items.length);
  if (to !== undefined) {
    event.preventDefault();
    items[to]?.focus();
  }
}
