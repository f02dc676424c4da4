/**
 * Many single-image edits as one step: leave N images out or give them another class, remembering
 * what each had before, so one undo restores all N exactly (an image left out before stays out).
 * Built on {@link excludeImage} and {@link moveImage}: the user's files never move.
 */
import { excludeImage, moveImage, type ClassEdits } from './dataset-edits';

/** What one batch does to every image in it: leave it out, or give it class `class`. */
export type BatchAction = { kind: 'leave-out' } | { kind: 'move'; class: string };

/** How one image stood before a batch: left out or not, and the class it was given (if any). */
export interface ImageState {
  path: string;
  excluded: boolean;
  movedTo: string | undefined;
}

/** The images' current standing in `edits`. */
export function snapshotImages(edits: ClassEdits, paths: readonly string[]): ImageState[] {
  const excluded = new Set(edits.files?.excluded ?? []);
  return paths.map((path) => ({ path, excluded: excluded.has(path), movedTo: edits.files?.classes[path] }));
}

/** `edits` with `action` applied to every image in `paths`. */
export function applyBatch(edits: ClassEdits, paths: readonly string[], action: BatchAction): ClassEdits {
  let next = edits;
  for (const path of paths) {
    next = action.kind === 'leave-out' ? excludeImage(next, path, true) : moveImage(next, path, action.class);
  }
  return next;
}

/** `edits` with every image in `snapshot` standing as it did when the snapshot was taken. */
export function restoreImages(edits: ClassEdits, snapshot: readonly ImageState[]): ClassEdits {
  let next = edits;
  for (const { path, excluded, movedTo } of snapshot) {
    next = moveImage(next, path, movedTo);
    if (excluded) next = excludeImage(next, path, true);
  }
  return next;
}

/** Plain words for a batch, e.g. "Left out 3 images" or "Moved 1 image to cats". */
export function describeBatch(count: number, action: BatchAction): string {
  const images = `${count.toLocaleString('en-US')} image${count === 1 ? '' : 's'}`;
  return action.kind === 'leave-out' ? `Left out ${images}` : `Moved ${images} to ${action.class}`;
}
