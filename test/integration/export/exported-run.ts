/**
 * A real small run for the export tests: Fashion-MNIST (Debian's files) Trouser / Bag / Sneaker, 20 images
 * each at 224 px (the base's size, so browsers and sharp see the same pixels), trained 4 epochs on the
 * bundled MobileNetV2 with a test split, and the app's own predictions on every test image.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fashionMnistFolders } from '../../fixtures/fashion-mnist';
import { trainRun } from '../../../main/engine/training/run';
import { backendReady } from '../../../main/engine/runtime';
import { readRunState } from '../../../main/engine/run-folder/run-file';
import { loadModel } from '../../../main/engine/training/checkpoint';
import { preprocessImage } from '../../../main/engine/data/preprocess';
import { scalePixels } from '../../../main/engine/models/scale';

export interface ExportedRun {
  runDir: string;
  classes: string[];
  /** Test images of the run (absolute paths) with the app's probabilities for each. */
  tests: { path: string; label: number; pixels: Uint8Array; probabilities: number[] }[];
}

/** Trains the run into `<tmp>/run` (cache in `<tmp>/cache`) and predicts every test image with the app's model. */
export async function trainExportRun(tmp: string): Promise<ExportedRun> {
  process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
  await backendReady();
  const dir = await fashionMnistFolders({
    perClass: 20,
    classes: ['Trouser', 'Bag', 'Sneaker'],
    size: 224,
    offset: 400,
  });
  const runDir = path.join(tmp, 'run');
  await trainRun(
    {
      dirs: [dir],
      runDir,
      cacheDir: path.join(tmp, 'cache'),
      split: { train: 0.6, validation: 0.2, test: 0.2 },
      config: { epochs: 4, seed: 7 },
    } as never,
    { signal: new AbortController().signal, progress: () => undefined },
  );
  const state = await readRunState(runDir);
  const model = await loadModel(path.join(runDir, 'model'));
  const tests = [];
  for (const image of state.test?.images ?? []) {
    const { data } = await preprocessImage(image.path, { size: 224 });
    const out = tf.tidy(() => model.predict(scalePixels(data, { inputSize: 224, scaling: 'x/255' })) as tf.Tensor);
    tests.push({ path: image.path, label: image.label, pixels: data, probabilities: Array.from(await out.data()) });
    out.dispose();
  }
  model.dispose();
  return { runDir, classes: state.classes, tests };
}

/** Index of the largest value. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
