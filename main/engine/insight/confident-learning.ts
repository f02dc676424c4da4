/**
 * Possible mislabels by confident learning (Northcutt, Jiang & Chuang, 2021, "Confident Learning: Estimating
 * Uncertainty in Dataset Labels", JAIR 70): from out-of-fold probabilities p, each class j gets a threshold
 * t_j = the mean p(j) over the images labelled j (its average self-confidence). An image labelled i is suspect
 * when p(i) < t_i and some other class j reaches its own threshold, p(j) ≥ t_j; the suggested label is the most
 * probable such j. Suspects are ranked by the margin p(suggested) − p(given) (the paper's normalized margin).
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

/**
 * The suspects, most suspect first (ties: the lower given probability first, then the image index).
 * @param probabilities n × classes, row-major (out-of-fold).
 */
export function findLabelIssues(probabilities: Float32Array, labels: ArrayLike<number>, classes: number): LabelIssue[] {
  const thresholds = classThresholds(probabilities, labels, classes);
  const issues: LabelIssue[] = [];
  for (let i = 0; i < labels.length; i++) {
    const given = labels[i]!;
    const row = i * classes;
    const pGiven = probabilities[row + given]!;
    if (!(pGiven < thresholds[given]!)) continue;
    let suggested = -1;
    for (let j = 0; j < classes; j++) {
      if (j === given || probabilities[row + j]! < thresholds[j]!) continue;
      if (suggested < 0 || probabilities[row + j]! > probabilities[row + suggested]!) suggested = j;
    }
    if (suggested < 0) continue;
    const pSuggested = probabilities[row + suggested]!;
    issues.push({
      image: i,
      given,
      suggested,
      givenProbability: pGiven,
      suggestedProbability: pSuggested,
      score: Math.max(0, pSuggested - pGiven),
    });
  }
  return issues.sort((a, b) => b.score - a.score || a.givenProbability - b.givenProbability || a.image - b.image);
}
