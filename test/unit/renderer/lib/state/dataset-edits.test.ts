import { describe, expect, it } from 'vitest';
import { classResolver } from '../../../../../shared/dataset/class-resolver';
import {
  NO_EDITS,
  excludeClass,
  excludeImage,
  imageEditCount,
  isUnedited,
  moveImage,
  mergeClasses,
  originsOf,
  pickConflict,
  renameClass,
  unmergeClass,
} from '../../../../../renderer/src/lib/state/dataset-edits';

const ORIGINALS = ['cats', 'dogs', 'kittens', 'wolves'];
/** Original class → final class (or 'out'), as the engine would resolve it. */
const finals = (edits: Parameters<typeof classResolver>[0]) =>
  Object.fromEntries(ORIGINALS.map((name) => [name, classResolver(edits)(name) ?? 'out']));

describe('class edits', () => {
  it('renames, and renaming a renamed class keeps one rename from the original', () => {
    const once = renameClass(NO_EDITS, 'cats', 'felines');
    expect(once.renames).toEqual({ cats: 'felines' });
    const twice = renameClass(once, 'felines', 'cats!');
    expect(twice.renames).toEqual({ cats: 'cats!' });
    expect(renameClass(twice, 'cats!', 'cats').renames).toEqual({});
    expect(finals(twice)).toEqual({ cats: 'cats!', dogs: 'dogs', kittens: 'kittens', wolves: 'wolves' });
  });

  it('with the original names known, a renamed class that is also a folder name follows the rename', () => {
    const merged = renameClass(NO_EDITS, 'kittens', 'cats', ORIGINALS); // kittens join cats
    const renamed = renameClass(merged, 'cats', 'felines', ORIGINALS);
    expect(renamed.renames).toEqual({ kittens: 'felines', cats: 'felines' });
    expect(renameClass(renameClass(NO_EDITS, 'cats', 'x', ORIGINALS), 'x', 'y', ORIGINALS).renames).toEqual({
      cats: 'y',
    });
  });

  it('renaming onto an existing name merges the two', () => {
    expect(finals(renameClass(NO_EDITS, 'kittens', 'cats'))).toEqual({
      cats: 'cats',
      dogs: 'dogs',
      kittens: 'cats',
      wolves: 'wolves',
    });
  });

  it('merges two or more classes, folds earlier merges in, renames and undoes merges', () => {
    const pets = mergeClasses(NO_EDITS, ['cats', 'kittens'], 'pets');
    expect(pets.merges).toEqual([{ into: 'pets', from: ['cats', 'kittens'] }]);
    expect(finals(pets)).toEqual({ cats: 'pets', dogs: 'dogs', kittens: 'pets', wolves: 'wolves' });

    const animals = mergeClasses(pets, ['pets', 'dogs'], 'animals');
    expect(animals.merges).toEqual([{ into: 'animals', from: ['cats', 'dogs', 'kittens', 'pets'] }]);
    expect(finals(animals)).toEqual({ cats: 'animals', dogs: 'animals', kittens: 'animals', wolves: 'wolves' });

    const renamed = renameClass(animals, 'animals', 'friends');
    expect(finals(renamed)).toEqual({ cats: 'friends', dogs: 'friends', kittens: 'friends', wolves: 'wolves' });
    expect(originsOf(renamed, 'friends').mergedFrom).toEqual(['cats', 'dogs', 'kittens', 'pets']);

    expect(finals(unmergeClass(renamed, 'friends'))).toEqual({
      cats: 'cats',
      dogs: 'dogs',
      kittens: 'kittens',
      wolves: 'wolves',
    });
    // Merging into one of the merged names keeps that name.
    expect(finals(mergeClasses(NO_EDITS, ['cats', 'kittens'], 'cats'))).toEqual({
      cats: 'cats',
      dogs: 'dogs',
      kittens: 'cats',
      wolves: 'wolves',
    });
  });

  it('excludes and includes by final name, also after a merge', () => {
    const out = excludeClass(mergeClasses(NO_EDITS, ['cats', 'kittens'], 'pets'), 'pets', true);
    expect(finals(out)).toEqual({ cats: 'out', dogs: 'dogs', kittens: 'out', wolves: 'wolves' });
    const back = excludeClass(out, 'pets', false);
    expect(back.excluded).toEqual([]);
    expect(isUnedited(unmergeClass(back, 'pets'))).toBe(true);
    expect(originsOf(renameClass(NO_EDITS, 'wolves', 'dogs'), 'dogs').renamedFrom).toEqual(['wolves']);
  });

  it('leaves single images out and moves them to other classes by path, and undoes both', () => {
    const out = excludeImage(NO_EDITS, '/d/cats/1.png', true);
    expect(out.files).toEqual({ excluded: ['/d/cats/1.png'], classes: {} });
    expect(isUnedited(out)).toBe(false);
    const moved = moveImage(out, '/d/dogs/2.png', 'cats');
    expect(moved.files).toEqual({ excluded: ['/d/cats/1.png'], classes: { '/d/dogs/2.png': 'cats' } });
    expect(imageEditCount(moved)).toBe(2);
    // Moving an image left out takes it back in.
    expect(moveImage(moved, '/d/cats/1.png', 'dogs').files).toEqual({
      excluded: [],
      classes: { '/d/dogs/2.png': 'cats', '/d/cats/1.png': 'dogs' },
    });
    const undone = moveImage(excludeImage(moved, '/d/cats/1.png', false), '/d/dogs/2.png', undefined);
    expect(undone).toEqual(NO_EDITS);
    expect(isUnedited(undone)).toBe(true);
    expect(excludeClass(moved, 'dogs', true).files).toEqual(moved.files);
  });

  it('settles a label conflict by content hash, keeps the other image edits, and undoes it', () => {
    const hash = 'a'.repeat(64);
    const out = excludeImage(NO_EDITS, '/d/cats/a.png', true);
    const kept = pickConflict(out, hash, 'dogs');
    expect(kept.files).toEqual({ excluded: ['/d/cats/a.png'], classes: {}, conflicts: { [hash]: 'dogs' } });
    expect(imageEditCount(kept)).toBe(2);
    // Another image edit keeps the pick; "leave out everywhere" is null.
    const moved = moveImage(pickConflict(kept, hash, null), '/d/cats/b.png', 'dogs');
    expect(moved.files!.conflicts).toEqual({ [hash]: null });
    expect(moved.files!.classes).toEqual({ '/d/cats/b.png': 'dogs' });
    // Undo: the pick is forgotten, and with no other image edit `files` goes away.
    const undone = pickConflict(pickConflict(NO_EDITS, hash, 'cats'), hash, undefined);
    expect(undone).toEqual(NO_EDITS);
    expect(isUnedited(undone)).toBe(true);
    expect(isUnedited(pickConflict(NO_EDITS, hash, null))).toBe(false);
  });
});
