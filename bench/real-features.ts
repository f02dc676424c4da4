/**
 * Real head-training data for the `train` bench: Fashion-MNIST images (Debian's dataset-fashion-mnist, PNG folders
 * made by test/fixtures/fashion-mnist.ts) through the bundled MobileNetV2, on ONNX Runtime when it converts (tfjs
 * otherwise), extracted once into a feature cache under `.fixtures/` and read back on later runs.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { FASHION_CLASSES, FIXTURES_ROOT, fashionMnistFolders } from '../test/fixtures/fashion-mnist';
import { sha256File } from '../main/engine/data/hash';
import { resolvePreprocessOptions } from '../main/engine/data/preprocess';
import { loadBase } from '../main/engine/models/bases/registry';
import { DEFAULT_BASE_ID } from '../main/engine/models/bases/bundled';
import { createExtractor } from '../main/engine/onnx/extractor';
import { extractFeatureSet, type LabelledImage } from '../main/engine/training/extract';
import { FeatureCache } from '../main/engine/training/features-cache';
import type { FeatureSet } from '../main/engine/training/head-phase';

/** Options of {@link realFeatures}. */
export interface RealFeaturesOptions {
  /** Training images per class (from Fashion-MNIST's train file). Default: 400. */
  trainPerClass?: number;
  /** Validation images per class (from its t10k file). Default: 100. */
  valPerClass?: number;
}

/** Features of Fashion-MNIST training and validation images, ten classes; see the file comment. */
export async function realFeatures(options: RealFeaturesOptions = {}): Promise<{ train: FeatureSet; val: FeatureSet }> {
  const base = await loadBase(DEFAULT_BASE_ID);
  const extractor = await createExtractor(base.model, base.info, { cacheDir: path.join(FIXTURES_ROOT, 'bench-cache') });
  const cache = new FeatureCache(path.join(FIXTURES_ROOT, 'bench-cache', 'features'), base.info.featureSize);
  const preprocess = resolvePreprocessOptions({ size: base.info.inputSize });
  const never = new AbortController().signal;
  const features = async (set: 'train' | 't10k', perClass: number) =>
    extractFeatureSet({
      base,
      images: await labelledImages(await fashionMnistFolders({ perClass, set })),
      seed: 1,
      preprocess,
      cache,
      extractor,
      signal: never,
    });
  try {
    return {
      train: await features('train', options.trainPerClass ?? 400),
      val: await features('t10k', options.valPerClass ?? 100),
    };
  } finally {
    await extractor.dispose();
  }
}

async function labelledImages(root: string): Promise<LabelledImage[]> {
  const images: LabelledImage[] = [];
  for (const [label, name] of FASHION_CLASSES.entries()) {
    for (const file of (await readdir(path.join(root, name))).sort()) {
      const full = path.join(root, name, file);
      images.push({ path: full, hash: await sha256File(full), label });
    }
  }
  return images;
}
