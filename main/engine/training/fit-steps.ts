/**
 * Training steps with tfjs' own `fit` numerics, for batches of tensors (images streamed from disk
 * through a frozen prefix in fine-tuning; the reference for the head's lean steps): per batch,
 * class weights per sample as `standardizeWeights` makes them, the model's own train function
 * (the one `fit`/`fitDataset` calls), and epoch means summed as tfjs' BaseLogger sums them;
 * validation through `evaluate`/`evaluateDataset`. Same ops in the same order as
 * `model.fitDataset`, so the numbers are the same bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import type { ClassWeights, StepLogs, TrainingSteps } from './phase';

/** A batch: inputs and (one-hot, possibly smoothed) targets. */
export type BatchData = { xs: tf.Tensor; ys: tf.Tensor };

/** Validation data: tensors (evaluated in batches of 32, as fit does) or a dataset of batches. */
export type ValidationData = [tf.Tensor, tf.Tensor] | tf.data.Dataset<tf.TensorContainer>;

/** Options of {@link FitSteps}. */
export interface FitStepsOptions {
  /** The batches of an epoch, in that epoch's order; each is disposed after its step. */
  batches: (epoch: number) => AsyncIterable<BatchData> | Iterable<BatchData>;
  validation: ValidationData;
  samples: number;
  batchesPerEpoch: number;
  /** Tensors the steps own and free at the end (e.g. validation tensors). Default: none. */
  owned?: tf.Tensor[];
}

type TrainFunction = (data: tf.Tensor[]) => tf.Scalar[];

/** Training steps through the model's own train function; see the file comment. */
export class FitSteps implements TrainingSteps<BatchData> {
  readonly samples: number;
  readonly batchesPerEpoch: number;
  private trainFunction: TrainFunction | undefined;
  private trainFunctionOf: tf.LayersModel | undefined;
  private totals: Record<string, tf.Tensor> = {};
  private seen = 0;

  constructor(private readonly options: FitStepsOptions) {
    this.samples = options.samples;
    this.batchesPerEpoch = options.batchesPerEpoch;
  }

  batches(epoch: number): AsyncIterable<BatchData> | Iterable<BatchData> {
    return this.options.batches(epoch);
  }

  beginEpoch(): void {
    this.resetTotals();
  }

  async trainBatch(
    model: tf.LayersModel,
    batch: BatchData,
    index: number,
    classWeights: ClassWeights | undefined,
  ): Promise<StepLogs> {
    const size = batch.xs.shape[0]!;
    const inputs = [batch.xs, batch.ys];
    if (classWeights) inputs.push(await sampleWeights(batch.ys, classWeights));
    const [loss, acc] = this.trainFunctionFor(model)(inputs);
    tf.dispose(inputs);
    // BaseLogger: Σ value·size per metric, on the device.
    this.seen += size;
    for (const [key, value] of [
      ['loss', loss!],
      ['acc', acc!],
    ] as const) {
      const previous = this.totals[key];
      this.totals[key] = tf.tidy(() => tf.add(previous ?? 0, tf.mul(value, size)));
      previous?.dispose();
    }
    return { batch: index, size, loss: loss!, acc: acc! };
  }

  async endEpoch(model: tf.LayersModel, finished: boolean): Promise<StepLogs> {
    const logs: StepLogs = {};
    for (const [key, total] of Object.entries(this.totals))
      logs[key] = tf.tidy(() => tf.mul(tf.div(1, this.seen), total));
    this.resetTotals();
    if (finished) {
      const [valLoss, valAcc] = await this.evaluate(model);
      Object.assign(logs, { val_loss: valLoss, val_acc: valAcc });
    }
    return logs;
  }

  dispose(): void {
    this.resetTotals();
    tf.dispose(this.options.owned ?? []);
  }

  private resetTotals(): void {
    tf.dispose(Object.values(this.totals));
    this.totals = {};
    this.seen = 0;
  }

  private async evaluate(model: tf.LayersModel): Promise<tf.Scalar[]> {
    const validation = this.options.validation;
    const out = Array.isArray(validation)
      ? model.evaluate(validation[0], validation[1], { batchSize: 32, verbose: 0 })
      : await model.evaluateDataset(validation as tf.data.Dataset<[tf.Tensor, tf.Tensor]>, {});
    return Array.isArray(out) ? out : [out];
  }

  /** The model's train function (private in tfjs' typings; what fitDataset calls), made once per model. */
  private trainFunctionFor(model: tf.LayersModel): TrainFunction {
    if (this.trainFunctionOf !== model) {
      // A Sequential compiles (and fits) through its inner LayersModel.
      const compiled = model instanceof tf.Sequential ? (model as unknown as { model: tf.LayersModel }).model : model;
      this.trainFunction = (compiled as unknown as { makeTrainFunction(): TrainFunction }).makeTrainFunction();
      this.trainFunctionOf = model;
    }
    return this.trainFunction!;
  }
}

/** Per-sample weights from the class (argmax) of each target row, as tfjs' standardizeWeights makes them. */
async function sampleWeights(ys: tf.Tensor, classWeights: ClassWeights): Promise<tf.Tensor1D> {
  const classes = tf.tidy(() => tf.argMax(ys, 1));
  const indices = Array.from(await classes.data());
  classes.dispose();
  return tf.tensor1d(
    indices.map((c) => classWeights[c]!),
    'float32',
  );
}
