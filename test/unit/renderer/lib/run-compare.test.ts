import { describe, expect, it } from 'vitest';
import { configSummary, runDifferences } from '../../../../renderer/src/lib/run-compare';
import { summaryOf } from '../run-fixtures';

describe('configSummary', () => {
  it('says epochs, batch, optimizer and learning rate, then augmentation and fine-tuning when used', () => {
    expect(configSummary(summaryOf({}, { epochs: 3, batchSize: 8, learningRate: 0.001 }))).toBe(
      '3 epochs · batch 8 · adam 0.001',
    );
    expect(
      configSummary(
        summaryOf(
          {},
          {
            epochs: 1,
            batchSize: 32,
            learningRate: 0.001,
            augment: 2,
            fineTune: { top: 2, unit: 'blocks', epochs: 5, learningRate: 1e-5, optimizer: 'adam' },
          },
        ),
      ),
    ).toBe('1 epoch · batch 32 · adam 0.001 · augment ×2 · fine-tune 2 blocks × 5');
  });

  it('says "not calibrated" when calibration was switched off, nothing when on', () => {
    expect(configSummary(summaryOf({}, { epochs: 3, batchSize: 8, calibrate: false }))).toBe(
      '3 epochs · batch 8 · adam 0.003 · not calibrated',
    );
    expect(configSummary(summaryOf({}, { epochs: 3, batchSize: 8, calibrate: true }))).not.toContain('calibrated');
  });
});

describe('runDifferences', () => {
  it('lists each setting that differs, by dotted name, with both values in words', () => {
    const a = summaryOf({}, { epochs: 3 });
    const b = summaryOf(
      { head: 'dense:64:relu', classes: ['cats', 'dogs', 'birds'] },
      { epochs: 5, fineTune: { top: 1, unit: 'blocks', epochs: 5, learningRate: 1e-5, optimizer: 'adam' } },
    );
    expect(runDifferences(a, b)).toEqual([
      { field: 'head', a: 'dense:128:relu,dropout:0.2', b: 'dense:64:relu' },
      { field: 'classes', a: '["cats","dogs"]', b: '["cats","dogs","birds"]' },
      { field: 'config.epochs', a: '3', b: '5' },
      { field: 'config.fineTune.top', a: '0', b: '1' },
    ]);
  });

  it('words calibration as on / off, absent counting as on (the default)', () => {
    const off = summaryOf({}, { calibrate: false });
    expect(runDifferences(summaryOf(), off)).toEqual([{ field: 'config.calibrate', a: 'on', b: 'off' }]);
    expect(runDifferences(summaryOf(), summaryOf({}, { calibrate: true }))).toEqual([]);
  });

  it('is empty for the same settings, and says "—" for a setting only one run has', () => {
    expect(runDifferences(summaryOf(), summaryOf({ id: 'r2', runDir: '/p/runs/r2' }))).toEqual([]);
    const { split: _split, ...noSplit } = summaryOf();
    expect(runDifferences(summaryOf(), noSplit).map((d) => [d.field, d.b])).toEqual([
      ['split.train', '—'],
      ['split.validation', '—'],
      ['split.test', '—'],
      ['split.seed', '—'],
    ]);
  });
});
