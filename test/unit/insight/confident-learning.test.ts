import { describe, expect, it } from 'vitest';
import { classThresholds, confidentJoint, findLabelIssues } from '../../../main/engine/insight/confident-learning';

describe('confident learning', () => {
  // 3 classes; rows are out-of-fold probabilities.
  const probabilities = Float32Array.from(
    [
      [0.9, 0.05, 0.05], // 0: labelled 0, confident
      [0.8, 0.1, 0.1], // 1: labelled 0
      [0.1, 0.85, 0.05], // 2: labelled 0 but looks like 1 → suspect, suggested 1
      [0.1, 0.8, 0.1], // 3: labelled 1
      [0.05, 0.9, 0.05], // 4: labelled 1
      [0.3, 0.35, 0.35], // 5: labelled 1, unsure: below t_1 but no other class reaches its threshold
      [0.1, 0.1, 0.8], // 6: labelled 2
      [0.65, 0.05, 0.3], // 7: labelled 2, below t_2; class 0 reaches t_0 → suspect, smaller margin
    ].flat(),
  );
  const labels = [0, 0, 0, 1, 1, 1, 2, 2];

  it('thresholds are the mean self-confidence of each class (+∞ for a class without images)', () => {
    const t = classThresholds(probabilities, labels, 3);
    expect(t[0]).toBeCloseTo((0.9 + 0.8 + 0.1) / 3, 5);
    expect(t[1]).toBeCloseTo((0.8 + 0.9 + 0.35) / 3, 5);
    expect(t[2]).toBeCloseTo((0.8 + 0.3) / 2, 5);
    expect(classThresholds(Float32Array.from([0.5, 0.5]), [0], 2)[1]).toBe(Number.POSITIVE_INFINITY);
  });

  it('counts the confident joint and calibrates each row to the class size', () => {
    // Image 5 reaches no threshold: class 1's row [0, 2, 0] is scaled to its 3 images.
    expect(confidentJoint(probabilities, labels, 3)).toEqual([
      [2, 1, 0],
      [0, 3, 0],
      [1, 0, 1],
    ]);
  });

  it('flags images below their class threshold with another class above its own, ranked by margin', () => {
    const issues = findLabelIssues(probabilities, labels, 3);
    expect(issues.map((i) => [i.image, i.given, i.suggested])).toEqual([
      [2, 0, 1],
      [7, 2, 0],
    ]);
    expect(issues[0]!.score).toBeCloseTo(0.75, 5);
    expect(issues[1]!.score).toBeCloseTo(0.35, 5);
    expect(issues[0]!.givenProbability).toBeCloseTo(0.1, 5);
    expect(issues[0]!.suggestedProbability).toBeCloseTo(0.85, 5);
  });

  it("'margin' picks the estimated number of issues over all images; 'noise-rate' fills each cell's quota", () => {
    // Two classes; p(1) per image. Thresholds t_0 ≈ 0.77, t_1 ≈ 0.63; calibrated joint [[4.8, 1.2], [2.33, 4.67]]:
    // 3.53 issues estimated, 1 + 2 by rounded cells. Image 12 (labelled 1, p(0) = 0.7) reaches no threshold, so
    // no cell counted it, but its margin ties the weakest picked image's.
    const p1 = [0, 0, 0, 0.7, 0.1, 0.6, 1, 1, 1, 0.95, 0.05, 0.1, 0.3];
    const given = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
    const twoClass = Float32Array.from(p1.flatMap((q) => [1 - q, q]));
    const joint = confidentJoint(twoClass, given, 2);
    expect(joint[0]![1]).toBeCloseTo(1.2, 5);
    expect(joint[1]![0]).toBeCloseTo(7 / 3, 5);
    const byMargin = findLabelIssues(twoClass, given, 2);
    expect(byMargin.map((i) => i.image)).toEqual([10, 11, 3, 12]);
    expect(byMargin.map((i) => i.suggested)).toEqual([0, 0, 1, 0]);
    expect(byMargin[3]!.score).toBeCloseTo(0.4, 5);
    expect(findLabelIssues(twoClass, given, 2, { filter: 'noise-rate' }).map((i) => i.image)).toEqual([10, 11, 3]);
  });

  it('finds nothing with fewer than two classes or no images', () => {
    expect(findLabelIssues(Float32Array.from([1, 1]), [0, 0], 1)).toEqual([]);
    expect(findLabelIssues(new Float32Array(0), [], 3)).toEqual([]);
  });
});
