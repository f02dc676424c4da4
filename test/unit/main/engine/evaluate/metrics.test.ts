/**
 * Metrics against values worked out by hand on a fixed set of predictions: 9 images of 4 classes,
 * "fox" never predicted, "owl" absent from the images (and never predicted).
 *
 *              predicted: cat dog fox owl
 *     actual cat           3   1   0   0
 *     actual dog           1   2   0   0
 *     actual fox           1   1   0   0
 *     actual owl           0   0   0   0
 */
import { describe, expect, it } from 'vitest';
import { Evaluation } from '../../../../../shared/contract/evaluate';
import { confusionMatrix, mostConfused } from '../../../../../main/engine/evaluate/confusion';
import {
  accuracyOf,
  classMetrics,
  macroAverage,
  weightedAverage,
  wilsonInterval,
} from '../../../../../main/engine/evaluate/metrics';
import { summarize } from '../../../../../main/engine/evaluate/summarize';

const classes = ['cat', 'dog', 'fox', 'owl'];
const actual = [0, 0, 0, 0, 1, 1, 1, 2, 2];
const predicted = [0, 0, 0, 1, 1, 1, 0, 0, 1];

describe('confusion matrix', () => {
  it('counts rows by actual class and columns by predicted class', () => {
    expect(confusionMatrix(actual, predicted, 4)).toEqual([
      [3, 1, 0, 0],
      [1, 2, 0, 0],
      [1, 1, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('lists the most-confused pairs, most images first, ties by actual then predicted', () => {
    const matrix = confusionMatrix([0, 0, 2, 2, 2, 1], [1, 1, 0, 1, 1, 1], 3);
    expect(mostConfused(matrix)).toEqual([
      { actual: 0, predicted: 1, count: 2 },
      { actual: 2, predicted: 1, count: 2 },
      { actual: 2, predicted: 0, count: 1 },
    ]);
    expect(mostConfused(matrix, 1)).toHaveLength(1);
  });

  it('refuses a label outside the classes, quoting it', () => {
    expect(() => confusionMatrix([0, 5], [0, 0], 3)).toThrow(/actual 5/);
  });
});

describe('per-class metrics and averages (hand-computed)', () => {
  const matrix = confusionMatrix(actual, predicted, 4);
  const perClass = classMetrics(matrix, classes);

  it('accuracy is the trace over the total: 5/9', () => {
    expect(accuracyOf(matrix)).toBeCloseTo(5 / 9, 12);
  });

  it('cat: P 3/5, R 3/4, F1 6/9; dog: P 2/4, R 2/3, F1 4/7', () => {
    expect(perClass[0]).toEqual({ name: 'cat', precision: 0.6, recall: 0.75, f1: 6 / 9, support: 4, predicted: 5 });
    expect(perClass[1]!.precision).toBe(0.5);
    expect(perClass[1]!.recall).toBeCloseTo(2 / 3, 12);
    expect(perClass[1]!.f1).toBeCloseTo(4 / 7, 12);
    expect(perClass[1]!.support).toBe(3);
  });

  it('a class never predicted: precision null (0/0), recall 0, F1 0', () => {
    expect(perClass[2]).toEqual({ name: 'fox', precision: null, recall: 0, f1: 0, support: 2, predicted: 0 });
  });

  it('a class absent from the images and never predicted: every metric null, support 0', () => {
    expect(perClass[3]).toEqual({ name: 'owl', precision: null, recall: null, f1: null, support: 0, predicted: 0 });
  });

  it('a class absent from the images but predicted: precision 0, recall null, F1 0', () => {
    const m = confusionMatrix([0, 0], [0, 1], 2);
    expect(classMetrics(m, ['a', 'b'])[1]).toEqual({
      name: 'b',
      precision: 0,
      recall: null,
      f1: 0,
      support: 0,
      predicted: 1,
    });
  });

  it('macro: mean over cat, dog, fox (owl is in neither), null counted as 0', () => {
    const macro = macroAverage(perClass);
    expect(macro.precision).toBeCloseTo((0.6 + 0.5 + 0) / 3, 12);
    expect(macro.recall).toBeCloseTo((0.75 + 2 / 3 + 0) / 3, 12);
    expect(macro.f1).toBeCloseTo((6 / 9 + 4 / 7 + 0) / 3, 12);
  });

  it('weighted: by support (4, 3, 2, 0); weighted recall equals the accuracy', () => {
    const weighted = weightedAverage(perClass);
    expect(weighted.precision).toBeCloseTo((4 * 0.6 + 3 * 0.5) / 9, 12);
    expect(weighted.recall).toBeCloseTo(5 / 9, 12);
    expect(weighted.f1).toBeCloseTo((4 * (6 / 9) + 3 * (4 / 7)) / 9, 12);
  });

  it('nothing evaluated: null accuracy and averages, no NaN anywhere', () => {
    const empty = confusionMatrix([], [], 2);
    const metrics = classMetrics(empty, ['a', 'b']);
    expect(accuracyOf(empty)).toBeNull();
    expect(macroAverage(metrics)).toEqual({ precision: null, recall: null, f1: null });
    expect(weightedAverage(metrics)).toEqual({ precision: null, recall: null, f1: null });
  });
});

describe('Wilson 95% interval on known cases', () => {
  it('8/10 → [0.4902, 0.9433] (the textbook example)', () => {
    const interval = wilsonInterval(8, 10)!;
    expect(interval.low).toBeCloseTo(0.490162, 5);
    expect(interval.high).toBeCloseTo(0.943318, 5);
    expect(interval).toMatchObject({ level: 0.95, method: 'wilson' });
  });

  it('0/10 → [0, 0.2775] and 10/10 → [0.7225, 1]: never outside [0, 1]', () => {
    expect(wilsonInterval(0, 10)!.low).toBe(0);
    expect(wilsonInterval(0, 10)!.high).toBeCloseTo(0.277533, 5);
    expect(wilsonInterval(10, 10)!.low).toBeCloseTo(0.722467, 5);
    expect(wilsonInterval(10, 10)!.high).toBeLessThanOrEqual(1);
    expect(wilsonInterval(10, 10)!.high).toBeCloseTo(1, 12);
  });

  it('no images → no interval', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('summarize', () => {
  /** 0.7 on the predicted class, 0.1 on each other one. */
  const rows = actual.map((label, i) => ({
    path: `/t/${classes[label]}/${i}.png`,
    label,
    probabilities: classes.map((_, k) => (k === predicted[i] ? 0.7 : 0.1)),
  }));
  const result = summarize(classes, rows);

  it('gives the hand-computed metrics and a valid evaluation.json part', () => {
    expect(result.count).toBe(9);
    expect(result.accuracy).toBeCloseTo(5 / 9, 12);
    expect(result.accuracyInterval!.low).toBeCloseTo(0.266651, 5);
    expect(result.accuracyInterval!.high).toBeCloseTo(0.811221, 5);
    // 5 right at −ln 0.7, 4 wrong at −ln 0.1.
    expect(result.loss).toBeCloseTo((5 * -Math.log(0.7) + 4 * -Math.log(0.1)) / 9, 12);
    const file = {
      version: 1,
      writtenAt: new Date().toISOString(),
      runDir: '/r',
      model: 'model',
      source: { kind: 'test-split' },
      failed: [],
      skippedTrained: 0,
      durationMs: 1,
      ...result,
    };
    expect(Evaluation.safeParse(JSON.parse(JSON.stringify(file))).success).toBe(true);
  });

  it('top losses: the 4 mistakes first (loss −ln 0.1), each with given, predicted and probabilities', () => {
    expect(
      result.images.slice(0, 4).every((i) => i.label !== i.predicted && Math.abs(i.loss + Math.log(0.1)) < 1e-12),
    ).toBe(true);
    expect(result.images.slice(4).every((i) => i.label === i.predicted)).toBe(true);
    expect(result.images[0]).toEqual({
      path: '/t/cat/3.png',
      label: 0,
      predicted: 1,
      probabilities: [0.1, 0.7, 0.1, 0.1],
      loss: -Math.log(0.1),
    });
  });

  it('calibration: every top probability is 0.7 → one bin [0.7, 0.8), ECE |5/9 − 0.7|', () => {
    const filled = result.calibration.bins.filter((b) => b.count > 0);
    expect(filled).toHaveLength(1);
    expect(filled[0]!.lower).toBeCloseTo(0.7, 12);
    expect(result.calibration.ece).toBeCloseTo(0.7 - 5 / 9, 12);
  });

  it('small test set: every class has fewer than 5 images → said so, with the interval', () => {
    expect(result.smallClasses).toEqual([
      { name: 'cat', support: 4 },
      { name: 'dog', support: 3 },
      { name: 'fox', support: 2 },
      { name: 'owl', support: 0 },
    ]);
    expect(result.notices[0]).toMatch(/Small test set.*"owl" \(0\).*between 26\.7% and 81\.1%/);
  });

  it('no images: nulls, no notices about small classes, empty images list', () => {
    const empty = summarize(classes, []);
    expect(empty).toMatchObject({
      count: 0,
      accuracy: null,
      accuracyInterval: null,
      loss: null,
      images: [],
      notices: [],
    });
    expect(empty.calibration.ece).toBeNull();
  });
});
