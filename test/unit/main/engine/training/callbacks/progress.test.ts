import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { TrainProgress } from '../../../../../../shared/contract/training';
import type { ReportOptions } from '../../../../../../main/engine/handler';
import { ProgressCallback } from '../../../../../../main/engine/training/callbacks/progress';

/** Drives the callback the way the phase runner does: 2 epochs of 3 batches, each epoch with its own val metrics. */
async function drive(): Promise<{ progress: TrainProgress; options?: ReportOptions }[]> {
  const reports: { progress: TrainProgress; options?: ReportOptions }[] = [];
  const callback = new ProgressCallback({
    phase: 'head',
    epochs: 2,
    batchesPerEpoch: 3,
    intervalMs: 0,
    yieldMs: 1e9,
    report: (progress, options) => reports.push({ progress, ...(options ? { options } : {}) }),
  });
  callback.setParams({ initialEpoch: 0 });
  await callback.onTrainBegin();
  for (let epoch = 0; epoch < 2; epoch++) {
    await callback.onEpochBegin(epoch);
    for (let batch = 0; batch < 3; batch++) await callback.onBatchEnd(batch, { size: 4, loss: 1, acc: 0.5 });
    await callback.onEpochEnd(epoch, {
      loss: 0.9,
      acc: 0.6,
      val_loss: [0.8, 0.6][epoch]!,
      val_acc: [0.7, 0.9][epoch]!,
    });
  }
  return reports;
}

describe('ProgressCallback', () => {
  it("reports each epoch's end once, as a milestone, with that epoch's own validation metrics", async () => {
    const before = tf.memory().numTensors;
    const reports = await drive();
    const ends = reports.filter((r) => r.progress.batch === r.progress.batches);
    expect(
      ends.map((r) => [r.progress.epoch, r.progress.valLoss, r.progress.valAccuracy, r.options?.milestone]),
    ).toEqual([
      [0, 0.8, 0.7, true],
      [1, 0.6, 0.9, true],
    ]);
    // Batch reports in between are ordinary (throttled) ones and carry the last finished epoch's val metrics.
    const batches = reports.filter((r) => r.progress.batch! < r.progress.batches!);
    expect(batches.map((r) => [r.progress.epoch, r.progress.batch, r.progress.valLoss])).toEqual([
      [0, 1, undefined],
      [0, 2, undefined],
      [1, 1, 0.8],
      [1, 2, 0.8],
    ]);
    expect(batches.every((r) => r.options === undefined)).toBe(true);
    expect(reports.at(-1)!.progress.done).toBe(reports.at(-1)!.progress.total);
    expect(tf.memory().numTensors).toBe(before);
  });
});
