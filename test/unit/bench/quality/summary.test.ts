import { describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../../../../bench/quality/experiment';
import { meanResult, slug, table } from '../../../../bench/quality/summary';

const run = (accuracy: number, headSeconds: number): ExperimentResult => ({
  setting: 'default head (Dense 128 relu, Dropout 0.2)',
  trainImages: 900,
  testImages: 600,
  accuracy,
  ece: 0.05,
  eceAfterTemperature: 0.03,
  temperature: 0.8,
  epochs: 20,
  headSeconds,
  extractSeconds: 55,
});

describe('quality summaries', () => {
  it('averages a setting over seeds with the accuracy sd', () => {
    const mean = meanResult([run(0.6, 10), run(0.7, 20), run(0.8, 30)]);
    expect(mean.accuracy).toBeCloseTo(0.7, 10);
    expect(mean.accuracySd).toBeCloseTo(0.1, 10);
    expect(mean.headSeconds).toBe(20);
    expect(mean.seeds).toBe(3);
    expect(meanResult([run(0.6, 10)]).accuracySd).toBe(0);
  });

  it('makes JSON keys and a Markdown table', () => {
    expect(slug('flip TTA [2000 test images]')).toBe('flipTta');
    expect(slug('head Dense 512, Dropout 0.5')).toBe('headDense512Dropout05');
    const lines = table([{ dataset: 'style', result: meanResult([run(0.6, 10), run(0.7, 20)]) }]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(
      '| style | default head (Dense 128 relu, Dropout 0.2) | 900 / 600 | 0.650 ± 0.071 | 0.050 | 0.030 (0.80) | 20 | 15.0 | 55.0 |',
    );
  });
});
