/** A labelled image list from a folder of class sub-folders (sorted, so class indices are stable). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from '../../main/engine/data/hash';

/** One image with its class index and content hash (the augmentation seed uses the hash). */
export interface BenchImage {
  path: string;
  hash: string;
  label: number;
}

/** A labelled image set: its images and class names (index = label). */
export interface ImageSet {
  images: BenchImage[];
  classes: string[];
}

/**
 * The PNG/JPEG images of `folder`'s class sub-folders; class index = position in `classes` (default: the sub-folders,
 * sorted).
 * @throws Error naming the folder when a class sub-folder is missing or holds no image.
 */
export function imageSet(folder: string, classes?: readonly string[]): ImageSet {
  const names =
    classes ??
    readdirSync(folder, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  const images: BenchImage[] = [];
  names.forEach((name, label) => {
    const dir = path.join(folder, name);
    const files = readdirSync(dir)
      .filter((f) => /\.(png|jpe?g)$/i.test(f))
      .sort();
    if (files.length === 0) throw new Error(`Class folder ${JSON.stringify(dir)} holds no image.`);
    for (const file of files) {
      const full = path.join(dir, file);
      images.push({ path: full, hash: sha256(readFileSync(full)), label });
    }
  });
  return { images, classes: [...names] };
}

/** Several sets with the same classes, concatenated (e.g. the training weights of the icon task). */
export function concatSets(sets: readonly ImageSet[]): ImageSet {
  const classes = sets[0]!.classes;
  for (const set of sets) {
    if (set.classes.join() !== classes.join())
      throw new Error(`Expected classes ${JSON.stringify(classes)}, received ${JSON.stringify(set.classes)}.`);
  }
  return { images: sets.flatMap((s) => s.images), classes };
}
