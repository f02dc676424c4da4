import { describe, expect, it } from 'vitest';
import { NO_EDITS, excludeImage, moveImage } from '../../../../../renderer/src/lib/state/dataset-edits';
import {
  applyBatch,
  describeBatch,
  restoreImages,
  snapshotImages,
} from '../../../../../renderer/src/lib/state/image-batch';

const A = '/data/cats/a.png';
const B = '/data/cats/b.png';
const C = '/data/dogs/c.png';

describe('image batches', () => {
  it('leaves every image out and one restore brings all back to nothing edited', () => {
    const snapshot = snapshotImages(NO_EDITS, [A, B, C]);
    const out = applyBatch(NO_EDITS, [A, B, C], { kind: 'leave-out' });
    expect(out.files?.excluded).toEqual([A, B, C]);
    const back = restoreImages(out, snapshot);
    expect(back).toEqual(NO_EDITS);
    expect(back.files).toBeUndefined();
  });

  it('restores each image as it was: one already left out stays out, one already moved keeps its class', () => {
    const before = moveImage(excludeImage(NO_EDITS, A, true), B, 'dogs');
    const snapshot = snapshotImages(before, [A, B, C]);
    expect(snapshot).toEqual([
      { path: A, excluded: true, movedTo: undefined },
      { path: B, excluded: false, movedTo: 'dogs' },
      { path: C, excluded: false, movedTo: undefined },
    ]);
    const moved = applyBatch(before, [A, B, C], { kind: 'move', class: 'birds' });
    expect(moved.files?.classes).toEqual({ [A]: 'birds', [B]: 'birds', [C]: 'birds' });
    expect(moved.files?.excluded).toEqual([]);
    expect(restoreImages(moved, snapshot)).toEqual(before);
  });

  it('leaves other edits alone', () => {
    const before = { ...NO_EDITS, renames: { cats: 'felines' }, excluded: ['wolves'] };
    const out = applyBatch(before, [A], { kind: 'leave-out' });
    expect(out.renames).toEqual({ cats: 'felines' });
    expect(out.excluded).toEqual(['wolves']);
    expect(restoreImages(out, snapshotImages(before, [A]))).toEqual(before);
  });

  it('says what a batch did', () => {
    expect(describeBatch(3, { kind: 'leave-out' })).toBe('Left out 3 images');
    expect(describeBatch(1, { kind: 'move', class: 'cats' })).toBe('Moved 1 image to cats');
    expect(describeBatch(1200, { kind: 'leave-out' })).toBe('Left out 1,200 images');
  });
});
