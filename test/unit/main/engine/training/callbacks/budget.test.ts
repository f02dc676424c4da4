/**
 * BudgetCallback in a real head phase (tfjs wasm, synthetic feature rows): it stops after the epoch whose
 * successor would pass the budget (judged by the longest epoch so far plus the reserve), the phase runner keeps the
 * best weights, and without pressure it lets every epoch run. The clock is a test clock: epochs of 5 s.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../../../../main/engine/training/wasm-setup';
import { fitHead, type FeatureSet } from '../../../../../../main/engine/training/head-phase';
import { bestWeightsFor } from '../../../../../../main/engine/training/phase-runner';
import { resolveConfig } from '../../../../../../main/engine/training/config';
import { buildSeededHead } from '../../../../../../main/engine/training/head';
import { BudgetCallback } from '../../../../../../main/engine/training/callbacks/budget';

const DIM = 16;

function rows(n: number): FeatureSet {
  const features = new Float32Array(n * DIM);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    for (let d = 0; d < DIM; d++) features[i * DIM + d] = (d === labels[i] ? 3 : 0) + Math.sin(i * 7 + d);
  }
  return { features, labels, dim: DIM };
}

async function train(budgetSeconds: number, epochs: number) {
  // Every clock reading moves 5 s on: an epoch (begin → end) takes 5 s of test time, and ends at 10k + 10 s.
  let clock = 0;
  const now = () => (clock += 5000);
  const stops: [number, number][] = [];
  const budget = new BudgetCallback({
    budgetSeconds,
    elapsedSeconds: () => clock / 1000,
    reserveSeconds: 5,
    onStop: (epoch, seconds) => stops.push([epoch, seconds]),
    now,
  });
  const config = resolveConfig({ epochs, batchSize: 8, earlyStopping: { patience: 0 } });
  const head = buildSeededHead(undefined, [DIM], 2, 1);
  const best = bestWeightsFor(config);
  const before = tf.memory().numTensors;
  const history: number[] = [];
  const record = new (class extends tf.Callback {
    override async onEpochEnd(epoch: number) {
      history.push(epoch);
    }
  })();
  const result = await fitHead({
    head,
    train: rows(64),
    val: rows(16),
    numClasses: 2,
    config,
    best,
    callbacks: [record, budget],
    signal: new AbortController().signal,
  });
  best.dispose();
  head.optimizer?.dispose();
  const leaked = tf.memory().numTensors - before;
  head.dispose();
  return { result, history, stops, budget, leaked };
}

beforeAll(async () => {
  await useWasmBackend();
});

describe('BudgetCallback', () => {
  it('stops after the epoch whose successor would pass the budget, keeping the best weights', async () => {
    // Stop when the end + a 5 s epoch + the 5 s reserve > 32 s: after epoch 2 (ends at 30 s).
    const { result, history, stops, budget, leaked } = await train(32, 10);
    expect(history).toEqual([0, 1, 2]);
    expect(stops).toEqual([[2, 5]]);
    expect(budget.stoppedAfter).toBe(2);
    expect(result.bestEpoch).toBeGreaterThanOrEqual(0);
    expect(result.bestEpoch).toBeLessThanOrEqual(2);
    expect(result.cancelled).toBe(false);
    expect(leaked).toBe(0);
  });

  it('lets every epoch run when they fit, and never "stops" after the last one', async () => {
    const { history, stops, budget } = await train(1000, 4);
    expect(history).toEqual([0, 1, 2, 3]);
    expect(stops).toEqual([]);
    expect(budget.stoppedAfter).toBeUndefined();
    // A budget already spent at the last epoch is no reason to report a stop.
    const tight = await train(12, 1);
    expect(tight.history).toEqual([0]);
    expect(tight.stops).toEqual([]);
  });
});
