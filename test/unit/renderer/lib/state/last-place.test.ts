import { describe, expect, it } from 'vitest';
import {
  LAST_PLACE_KEY,
  readPlace,
  writePlace,
  type PlaceStorage,
} from '../../../../../renderer/src/lib/state/last-place';

/** A Storage over a Map, like localStorage. */
function memoryStorage(): PlaceStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
  };
}

describe('last place', () => {
  it('keeps the project, step and run, and forgets them when no project is open', () => {
    const storage = memoryStorage();
    expect(readPlace(storage)).toBeUndefined();
    writePlace(storage, { dir: '/p/pets', step: 'evaluate', run: '/p/pets/runs/r1' });
    expect(readPlace(storage)).toEqual({ dir: '/p/pets', step: 'evaluate', run: '/p/pets/runs/r1' });
    writePlace(storage, { dir: '/p/pets', step: 'train' });
    expect(readPlace(storage)).toEqual({ dir: '/p/pets', step: 'train' });
    writePlace(storage, undefined);
    expect(storage.map.has(LAST_PLACE_KEY)).toBe(false);
  });

  it('ignores what is not a place: bad JSON, an unknown step, no folder', () => {
    const storage = memoryStorage();
    for (const kept of ['{', '"x"', '{"dir":"/p","step":"deploy"}', '{"dir":"","step":"data"}', '{"step":"data"}']) {
      storage.map.set(LAST_PLACE_KEY, kept);
      expect(readPlace(storage)).toBeUndefined();
    }
    expect(readPlace(undefined)).toBeUndefined();
  });

  it('survives a storage that throws (full or blocked)', () => {
    const broken: PlaceStorage = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('full');
      },
      removeItem: () => undefined,
    };
    expect(() => writePlace(broken, { dir: '/p', step: 'data' })).not.toThrow();
    expect(readPlace(broken)).toBeUndefined();
  });
});
