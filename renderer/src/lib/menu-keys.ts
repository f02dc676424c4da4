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
