/**
 * Possible mislabels by confident learning (Northcutt, Jiang & Chuang, 2021, "Confident Learning: Estimating
 * Uncertainty in Dataset Labels", JAIR 70), from out-of-fold probabilities p:
 *
 * 1. Thresholds: t_j = the mean p(j) over the images labelled j (class j's average self-confidence).
 * 2. Confident joint C[i][j]: each image labelled i is counted at the most probable class j with p(j) ≥ t_j
 *    (none reaching its threshold: not counted). An image labelled i with p(i) < t_i and another class at or
 *    above its own threshold is the paper's confident off-diagonal case.
 * 3. Calibration: each row of C is rescaled to the number of images labelled i, so C[i][j] estimates how many
 *    images labelled i truly belong to j.
 * 4. Filter, by default `'margin'` (cleanlab's `filter_by='low_normalized_margin'`): the number of label issues
 *    is estimated as the off-diagonal sum of C, rounded, and that many images with the largest margin
 *    max_{j≠given} p(j) − p(given) over the whole set are suspects. `'noise-rate'` is the paper's prune by noise
 *    rate (PBNR): for each i ≠ j, the round(C[i][j]) images labelled i with the largest margin p(j) − p(i).
 *    Measured (docs/insight.md): PBNR's per-cell quotas drop flipped images whose probabilities reach no
 *    threshold even when the estimated total is right; one global ranking keeps them.
 *
 * The suggested label is the image's most probable other class. Suspects are ranked by that margin (the paper's
 * normalized margin), most suspect first.
 */

/** One possibly mislabelled image (indices into the image list and the classes). */
export interface LabelIssue {
  image: number;
  given: number;
  suggested: number;
  givenProbability: number;
  suggestedProbability: number;
  /** max(0, p(suggested) − p(given)): higher = more suspect. */
  score: number;
}

/** Per-class thresholds t_j (mean self-confidence); a class without images gets +∞ (never suggested). */
export function classThresholds(probabilities: Float32Array, labels: ArrayLike<number>, classes: number): number[] {
  const sum = new Array<number>(classes).fill(0);
  const count = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    sum[labels[i]!]! += probabilities[i * classes + labels[i]!]!;
    count[labels[i]!]!++;
  }
  return sum.map((s, j) => (count[j]! > 0 ? s / count[j]! : Number.POSITIVE_INFINITY));
}

/** The calibrated confident joint: C[i][j] ≈ images labelled i that belong to j (rows sum to the class sizes). */
export function confidentJoint(probabilities: Float32Array, labels: ArrayLike<number>, classes: number): number[][] {
  const thresholds = classThresholds(probabilities, labels, classes);
  const joint = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const sizes = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const given = labels[i]!;
    sizes[given]!++;
    let best = -1;
    for (let j = 0; j < classes; j++) {
      const p = probabilities[i * classes + j]!;
      if (p >= thresholds[j]! && (best < 0 || p > probabilities[i * classes + best]!)) best = j;
    }
    if (best >= 0) joint[given]![best]!++;
  }
  return joint.map((row, i) => {
    const counted = row.reduce((s, v) => s + v, 0);
    return counted > 0 ? row.map((v) => (v / counted) * sizes[i]!) : row;
  });
}

/** Options of {@link findLabelIssues}. */
export interface LabelIssueOptions {
  /**
   * How the suspects are picked from the calibrated confident joint: `'margin'` (the estimated number of issues,
   * largest margins over all images) or `'noise-rate'` (the paper's per-cell prune by noise rate). Default: 'margin'.
   */
  filter?: 'margin' | 'noise-rate';
}

/** The issue of one image: its most probable other class and the margin of that class over the given one. */
function issueOf(probabilities: Float32Array, classes: number, image: number, given: number): LabelIssue {
  const p = (cls: number) => probabilities[image * classes + cls]!;
  let best = given === 0 ? 1 : 0;
  for (let j = 0; j < classes; j++) if (j !== given && p(j) > p(best)) best = j;
  return {
    image,
    given,
    suggested: best,
    givenProbability: p(given),
    suggestedProbability: p(best),
    score: Math.max(0, p(best) - p(given)),
  };
}

/** Most suspect first: the larger margin (unclamped), then the lower given probability, then the image index. */
function bySuspicion(a: LabelIssue, b: LabelIssue): number {
  const margin = (i: LabelIssue) => i.suggestedProbability - i.givenProbability;
  return margin(b) - margin(a) || a.givenProbability - b.givenProbability || a.image - b.image;
}

/**
 * The suspects, most suspect first (see the file comment).
 * @param probabilities n × classes, row-major (out-of-fold).
 */
export function findLabelIssues(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  classes: number,
  options: LabelIssueOptions = {},
): LabelIssue[] {
  if (classes < 2) return [];
  const joint = confidentJoint(probabilities, labels, classes);
  if ((options.filter ?? 'margin') === 'margin') {
    let count = 0;
    joint.forEach((row, i) => row.forEach((v, j) => (count += i === j ? 0 : v)));
    const all = Array.from(labels, (given, image) => issueOf(probabilities, classes, image, given));
    return all.sort(bySuspicion).slice(0, Math.round(count));
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const members = byClass.get(labels[i]!) ?? [];
    members.push(i);
    byClass.set(labels[i]!, members);
  }
  const picked = new Map<number, LabelIssue>();
  const p = (image: number, cls: number) => probabilities[image * classes + cls]!;
  for (const [given, members] of byClass) {
    for (let suggested = 0; suggested < classes; suggested++) {
      const count = Math.round(joint[given]![suggested]!);
      if (suggested === given || count === 0) continue;
      const ranked = members
        .filter((image) => !picked.has(image))
        .sort((a, b) => p(b, suggested) - p(b, given) - (p(a, suggested) - p(a, given)) || a - b)
        .slice(0, count);
      // Suggested: the most probable other class (the cell that picked it may be a less probable one).
      for (const image of ranked) picked.set(image, issueOf(probabilities, classes, image, given));
    }
  }
  return [...picked.values()].sort(bySuspicion);
}
