/**
 * TRAINING.md of the Keras training job folder (README.md beside it is the model card every export gets): what is in it, how to run it on one machine or a cluster, and how
 * it relates to the run it reproduces.
 */
import type { ExportRun } from './registry';

/** What the README says about a job. */
export interface JobReadmeOptions {
  run: ExportRun;
  /** Images per split in manifest.csv. */
  counts: { train: number; validation: number; test: number };
  /** Base layers unfrozen in phase 2. */
  fineTuneLayers: string[];
}

/** The README text. */
export function jobReadme({ run, counts, fineTuneLayers }: JobReadmeOptions): string {
  const { config } = run.state.request;
  const { base, preprocess } = run;
  const phase2 =
    config.fineTune.top > 0
      ? `then fine-tunes the top ${config.fineTune.top} ${config.fineTune.unit} of the base (${fineTuneLayers.length} layers) for ` +
        `${config.fineTune.epochs} epochs with ${config.fineTune.optimizer} at ${config.fineTune.learningRate}`
      : 'no fine-tuning phase (fineTune.top is 0)';
  return `# Keras training job — ${run.classes.length} classes

Reproduces the Transfer Studio run \`${run.runDir}\` in TensorFlow (tf.keras 2, TensorFlow 2.9 or newer), for
machines with more GPUs than the one it trained on.

| File | What it is |
| --- | --- |
| \`train.py\` | The training script: loading, preprocessing, model, both phases, every setting of the run (\`SETTINGS\`). |
| \`manifest.csv\` | \`path,label,split\`: ${counts.train} training, ${counts.validation} validation and ${counts.test} test images — the run's exact split. |
| \`base.h5\` | The base, ${base.name} (\`${base.id}\`, licence: ${base.licence}), cut at \`${base.cutLayer}\`${base.pooling === 'avg' ? ' + global average pooling' : ''}, as the run started from it. It takes raw 0–255 RGB pixels (${base.inputSize}×${base.inputSize}) and applies its scaling (\`${base.scaling}\`) itself. |

## Run it

    pip install "tensorflow>=2.9,<2.16" numpy
    python train.py                       # all GPUs of this machine: tf.distribute.MirroredStrategy
    python train.py --out results/        # model.h5 and history.json go to results/

Images moved? \`--old-root /where/they/were --data-root /where/they/are\` rewrites the paths of the manifest.

### On a cluster

\`python train.py --multi-worker\` uses \`tf.distribute.MultiWorkerMirroredStrategy\`. Start it on every worker
with \`TF_CONFIG\` describing the cluster and that worker's index, for example on worker 0 of two:

    export TF_CONFIG='{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}}'
    python train.py --multi-worker --data-root /shared/images --old-root ${JSON.stringify(commonRoot(run))}

Every worker must read the images (a shared folder) and write \`--out\` to its own place. The batch size in
\`SETTINGS\` is the global batch; scale it (and the learning rate) with the number of replicas if you want.

## What it does (the run's settings)

- Preprocessing: each image resized to ${preprocess.size}×${preprocess.size} by \`${preprocess.resize}\`, transparency on \`${preprocess.background}\`.
- Phase 1: the base frozen, the Sequential head trained for up to ${config.epochs} epochs, batch ${config.batchSize},
  ${config.optimizer} at ${config.learningRate}, label smoothing ${config.labelSmoothing}, class weights \`${JSON.stringify(config.classWeights)}\`,
  early stopping on val_loss with patience ${config.earlyStopping.patience}${config.augment > 0 ? `, augmentation on the fly` : ''}.
- Phase 2: ${phase2}. The base is called with \`training=False\`, so its BatchNormalization layers stay in
  inference mode, as in the app.
- Seed ${config.seed} (\`keras.utils.set_random_seed\`); numbers will be close to the app's, not identical (other
  kernels, resampling and shuffling).
`;
}

function commonRoot(run: ExportRun): string {
  const sources = run.state.request.dataset?.sources.map((s) => s.path) ?? run.state.request.dirs ?? [];
  return sources[0] ?? '/old/images';
}
