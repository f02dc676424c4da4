/**
 * `npm run bench -- fine-tune-step [--json]` (format: DESIGN.md §9): one training step (batch 32) of the trainable
 * top of the bundled MobileNetV2 (top 1, 2 and 3 blocks unfrozen + the default head) on its stored-activation input
 * (7×7×160), on wasm, two ways in the same run on the same model:
 * - ours: the kernels and gradients `useWasmBackend` installs (pointwise Conv2DBackpropInput as a matmul, the
 *   FusedBatchNorm gradient without Tile, the global AvgPool gradient as a broadcast);
 * - stock: tfjs 4.22's own Conv2DBackpropInput kernel and FusedBatchNorm / AvgPool gradients, put back for the
 *   baseline.
 * Images/s = 32 × steps / seconds, after one warm-up step. Ratios (> 1 is better): oursVsStock per depth.
 */
import * as tf from '@tensorflow/tfjs';
import { printReport } from './report';
import { DEFAULT_BASE_ID } from '../main/engine/models/bases/bundled';
import { loadBase } from '../main/engine/models/bases/registry';
import { assembleModel } from '../main/engine/models/assemble';
import { disposeModels } from '../main/engine/models/dispose-models';
import { backendReady } from '../main/engine/runtime';
import { resolveConfig } from '../main/engine/training/config';
import { prepareFineTune } from '../main/engine/training/fine-tune-phase';
import { buildSeededHead } from '../main/engine/training/head';
import { defaultHeadSpec } from '../shared/layer-spec';

const BATCH = 32;
const STEPS = process.argv.includes('--quick') ? 2 : 5;

// tfjs's own kernel and gradients, taken before the backend set-up replaces them.
const stockKernel = tf.getKernel('Conv2DBackpropInput', 'wasm')!;
const stockGradients = ['FusedBatchNorm', 'AvgPool'].map((name) => tf.getGradient(name)!);
const backend = await backendReady();
const oursKernel = tf.getKernel('Conv2DBackpropInput', 'wasm')!;
const oursGradients = ['FusedBatchNorm', 'AvgPool'].map((name) => tf.getGradient(name)!);

/** Installs one set of kernels and gradients. */
function install(kernel: tf.KernelConfig, gradients: tf.GradConfig[]): void {
  tf.unregisterKernel(kernel.kernelName, 'wasm');
  tf.registerKernel(kernel);
  gradients.forEach((g) => tf.registerGradient(g));
}

/** Images/s of training steps of the top `blocks` blocks + head on random stored-activation-shaped input. */
async function stepSpeed(blocks: number): Promise<number> {
  const base = await loadBase(DEFAULT_BASE_ID);
  const head = buildSeededHead(defaultHeadSpec(), base.info.featureShape, 10, 1);
  const model = assembleModel(base.model, head);
  const setup = prepareFineTune(model, resolveConfig({ fineTune: { top: blocks, epochs: 1 } }));
  const shape = setup.suffix.inputs[0]!.shape.slice(1) as number[];
  const x = tf.randomUniform([BATCH, ...shape], 0, 6, 'float32', 1);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: BATCH }, (_, i) => i % 10),
      'int32',
    ),
    10,
  );
  try {
    await setup.suffix.trainOnBatch(x, y);
    const started = performance.now();
    for (let i = 0; i < STEPS; i++) await setup.suffix.trainOnBatch(x, y);
    return (BATCH * STEPS) / ((performance.now() - started) / 1000);
  } finally {
    tf.dispose([x, y]);
    disposeModels([setup.suffix, setup.prefix, model, head]);
  }
}

const results: Record<string, number> = {};
const ratios: Record<string, number> = {};
for (const blocks of [1, 2, 3]) {
  install(stockKernel, stockGradients);
  const stock = await stepSpeed(blocks);
  install(oursKernel, oursGradients);
  const ours = await stepSpeed(blocks);
  results[`top${blocks}OursImagesPerSecond`] = ours;
  results[`top${blocks}StockImagesPerSecond`] = stock;
  ratios[`top${blocks}OursVsStock`] = ours / stock;
}
printReport({
  bench: 'fine-tune-step',
  backend: backend.name,
  units: Object.fromEntries(Object.keys(results).map((k) => [k, 'img/s' as const])),
  results,
  ratios,
});
