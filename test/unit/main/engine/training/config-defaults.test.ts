/**
 * The head's step defaults (batch 128, learning rate 0.003: bench/train.bench.ts measures both speed and accuracy
 * against batch 32 at 0.001) and the fine-tuning batch: `fineTune.batchSize` when given, else the head's batch
 * capped at 32 images (an explicit small batch is kept, so runs configured before keep their meaning).
 */
import { describe, expect, it } from 'vitest';
import { fineTuneBatchSize, resolveConfig } from '../../../../../main/engine/training/config';

describe('training config defaults', () => {
  it('steps the head 128 rows at a time at learning rate 0.003', () => {
    const config = resolveConfig({});
    expect(config.batchSize).toBe(128);
    expect(config.learningRate).toBe(0.003);
    expect(config.fineTune.batchSize).toBeUndefined();
  });

  it('fine-tunes at most 32 images a step unless fineTune.batchSize says otherwise', () => {
    expect(fineTuneBatchSize(resolveConfig({}))).toBe(32);
    expect(fineTuneBatchSize(resolveConfig({ batchSize: 8 }))).toBe(8);
    expect(fineTuneBatchSize(resolveConfig({ batchSize: 64 }))).toBe(32);
    expect(fineTuneBatchSize(resolveConfig({ batchSize: 256, fineTune: { top: 1, batchSize: 48 } }))).toBe(48);
    expect(fineTuneBatchSize(resolveConfig({ batchSize: 8, fineTune: { top: 1, batchSize: 64 } }))).toBe(64);
  });

  it('rejects a fine-tuning batch out of range, naming the field', () => {
    expect(() => resolveConfig({ fineTune: { batchSize: 0 } })).toThrow(/fineTune\.batchSize/);
  });
});
