/**
 * The two benchmark tasks, built in the bench's set-up (under the git-ignored .fixtures/, never committed):
 * - fmnist: Debian's Fashion-MNIST, `perClass` training images per class taken from the official training set at a
 *   seeded offset, scored on the official 10,000 t10k test images (1,000 per class).
 * - style: Phosphor icons in six categories; trained on the regular, bold and fill weights, scored on thin and
 *   duotone, weights never seen in training.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRandom } from '../../main/engine/random';
import { FASHION_MNIST_DIR, fashionMnistFolders } from '../../test/fixtures/fashion-mnist';
import { concatSets, imageSet, type ImageSet } from './images';
import { phosphorFolders, type PhosphorWeight } from './phosphor';

/** A task: training images, held-out test images, and a short name. */
export interface Task {
  name: string;
  train: ImageSet;
  test: ImageSet;
  /** What the test set is, in words. */
  testNote: string;
}

/** Training weights and unseen test weights of the style task. */
export const STYLE_TRAIN_WEIGHTS: readonly PhosphorWeight[] = ['regular', 'bold', 'fill'];
export const STYLE_TEST_WEIGHTS: readonly PhosphorWeight[] = ['thin', 'duotone'];

/** Official training images per class in Fashion-MNIST (6,000), the range the seeded offset is drawn from. */
const FASHION_TRAIN_PER_CLASS = 6000;

/**
 * Fashion-MNIST: `perClass` training images per class (a contiguous window of each class at a seed-drawn offset of
 * the official training set) and the official t10k test set (`testPerClass` of its 1,000 per class).
 * @throws Error naming the file when Debian's t10k files are missing.
 */
export async function fashionTask(perClass: number, testPerClass = 1000, seed = 1): Promise<Task> {
  for (const file of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
    if (!existsSync(path.join(FASHION_MNIST_DIR, file)))
      throw new Error(`${path.join(FASHION_MNIST_DIR, file)} is missing: the official test set is needed.`);
  }
  const offset = Math.floor(createRandom(seed)() * (FASHION_TRAIN_PER_CLASS - perClass));
  const train = imageSet(await fashionMnistFolders({ perClass, offset }));
  const test = imageSet(await fashionMnistFolders({ perClass: testPerClass, set: 't10k' }));
  return {
    name: 'fmnist',
    train,
    test,
    testNote: `official t10k test set (${test.images.length} images)`,
  };
}

/** The cross-style icon task (see the file comment). */
export async function styleTask(perClass = 50, seed = 1): Promise<Task> {
  const folders = await phosphorFolders({ weights: [...STYLE_TRAIN_WEIGHTS, ...STYLE_TEST_WEIGHTS], perClass, seed });
  return {
    name: 'style',
    train: concatSets(STYLE_TRAIN_WEIGHTS.map((w) => imageSet(folders[w]!))),
    test: concatSets(STYLE_TEST_WEIGHTS.map((w) => imageSet(folders[w]!))),
    testNote: `Phosphor ${STYLE_TEST_WEIGHTS.join(' + ')} weights, never seen in training`,
  };
}
