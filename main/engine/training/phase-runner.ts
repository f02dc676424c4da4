/**
 * The one training loop: {@link runPhase} runs a {@link Phase} epoch by epoch through its
 * callback list (tfjs-layers' CallbackList shape: onTrainBegin, onEpochBegin, onBatchEnd,
 * onEpochEnd, onTrainEnd), with seeded randomness per epoch, cancel after the current batch,
 * early stopping and the best weights put back at the end — whether training finished, stopped
 * early or was cancelled. How a batch trains is the phase's {@link TrainingSteps}.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../shared/contract/training';
import { CallbackList } from './callbacks/callback-list';
import { CancelCallback } from './callbacks/cancel';
import { BestWeightsCallback, type BestWeightsOptions } from './callbacks/early-stopping';
import { resolveLogs } from './callbacks/logs';
import type { Phase, PhaseResult, StepLogs } from './phase';
import { createRandom, deriveSeed, withSeededRandom } from './seed';
import { useFastWasmMatMul } from './wasm-matmul';

/** Compiles for classification with categorical cross-entropy and accuracy. */
export function compileClassifier(model: tf.LayersModel, optimizer: tf.Optimizer): void {
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
}

/** Early stopping with best weights, as the config asks; `initial` carries state over from an earlier phase. */
export function bestWeightsFor(config: TrainConfig, initial?: BestWeightsOptions['initial']): BestWeightsCallback {
  return new BestWeightsCallback({
    patience: config.earlyStopping.patience,
    minDelta: config.earlyStopping.minDelta,
    ...(initial ? { initial } : {}),
  });
}

/** Trains `phase.model` as the phase describes; see the file comment. */
export async function runPhase<Batch>(phase: Phase<Batch>): Promise<PhaseResult> {
  if (tf.getBackend() === 'wasm') useFastWasmMatMul();
  const { model, steps, signal } = phase;
  if (phase.optimizer) compileClassifier(model, phase.optimizer);
  const cancel = new CancelCallback(signal);
  const callbacks = new CallbackList([phase.best, ...(phase.callbacks ?? []), cancel]);
  callbacks.setModel(model);
  callbacks.setParams({
    epochs: phase.epochs,
    initialEpoch: phase.initialEpoch ?? 0,
    samples: steps.samples,
    steps: steps.batchesPerEpoch,
    verbose: 0,
    doValidation: true,
    metrics: ['loss', 'acc', 'val_loss', 'val_acc'],
  });
  model.stopTraining = false;
  try {
    await withSeededRandom(deriveSeed(phase.seed, 'fit', phase.initialEpoch ?? 0), async () => {
      await callbacks.onTrainBegin();
      // Read after onTrainBegin: a BackupAndRestoreCallback sets it to the epoch after its checkpoint.
      const initialEpoch = callbacks.params.initialEpoch as number;
      for (let epoch = initialEpoch; epoch < phase.epochs && !signal.aborted; epoch++) {
        // Each epoch's randomness (dropout masks) depends only on the seed and the epoch number,
        // so a run resumed at epoch e draws exactly what the uninterrupted run drew.
        Math.random = createRandom(deriveSeed(phase.seed, 'epoch', epoch));
        await callbacks.onEpochBegin(epoch);
        steps.beginEpoch();
        let index = 0;
        let finished = true;
        for await (const batch of steps.batches(epoch)) {
          const logs = await steps.trainBatch(model, batch, index, phase.classWeights);
          await callbacks.onBatchEnd(index, await resolveLogs(logs));
          index++;
          if (model.stopTraining) {
            finished = false;
            break;
          }
        }
        await callbacks.onEpochEnd(epoch, await resolved(steps.endEpoch(model, finished)));
        if (model.stopTraining) break;
      }
      await callbacks.onTrainEnd();
    });
  } finally {
    steps.dispose();
  }
  const best = phase.best;
  if (phase.restoreBestWeights ?? true) best.restoreBest(model);
  return {
    cancelled: cancel.cancelled || signal.aborted,
    stoppedEarly: best.stoppedEarly,
    bestEpoch: best.bestEpoch,
    bestValLoss: best.bestValLoss,
    bestValAccuracy: best.bestValAccuracy,
  };
}

async function resolved(logs: Promise<StepLogs>): Promise<Record<string, number>> {
  return resolveLogs(await logs);
}
