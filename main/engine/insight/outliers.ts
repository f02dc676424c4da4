/**
 * Outliers: images far from every class. Each class centre is the mean of its images' unit-length features
 * (re-normalized); an image's distance is 1 − cosine to the nearest centre. Within each class that distance is
 * scored robustly — the modified z-score of Iglewicz & Hoaglin (1993), 0.6745·(d − median) / MAD — and images
 * above the threshold (3.5, their recommendation) are reported. A mislabelled image sits near another class's
 * centre, so it is a suspect, not an outlier; a blank frame or a screenshot in a photo class is far from all.
 */

/** Options of {@link findOutliers}. */
export interface OutlierOptions {
  /** Modified z-score above which an image is an outlier. Default: 3.5. */
  threshold?: number;
  /** Classes with fewer images are scored against every image's distances instead of their own. Default: 8. */
  minClassSize?: number;
}

export interface OutlierFinding {
  image: number;
  /** Modified z-score of the distance to the nearest class centre. */
  score: number;
  /** Index of the nearest class. */
  nearest: number;
  /** 1 − cosine similarity to that class's centre. */
  distance: number;
  /** The median distance of the image's class (what is typical there). */
  typical: number;
}

/** Median of a non-empty list (not modified). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median and MAD (floored, so a class of identical distances does not make every small difference infinite). */
function robustScale(values: readonly number[]): { median: number; mad: number } {
  const m = median(values);
  return { median: m, mad: Math.max(median(values.map((v) => Math.abs(v - m))), 1e-3) };
}

/**
 * The outliers, most outlying first.
 * @param unit unit-length feature rows (n × dim); `labels` class index per row.
 */
export function findOutliers(
  unit: Float32Array,
  dim: number,
  labels: ArrayLike<number>,
  classes: number,
  options: OutlierOptions = {},
): OutlierFinding[] {
  const n = labels.length;
  const centres = new Float64Array(classes * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) centres[labels[i]! * dim + j]! += unit[i * dim + j]!;
  for (let c = 0; c < classes; c++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += centres[c * dim + j]! ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) centres[c * dim + j]! *= scale;
  }
  const nearest = new Int32Array(n);
  const distance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let c = 0; c < classes; c++) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += unit[i * dim + j]! * centres[c * dim + j]!;
      if (dot > best) [best, nearest[i]] = [dot, c];
    }
    distance[i] = 1 - best;
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byClass.get(labels[i]!) ?? [];
    list.push(distance[i]!);
    byClass.set(labels[i]!, list);
  }
  const pooled = robustScale(Array.from(distance));
  const minSize = options.minClassSize ?? 8;
  const scales = new Map([...byClass].map(([c, d]) => [c, d.length >= minSize ? robustScale(d) : pooled]));
  const threshold = options.threshold ?? 3.5;
  const found: OutlierFinding[] = [];
  for (let i = 0; i < n; i++) {
    const { median: m, mad } = scales.get(labels[i]!)!;
    const score = (0.6745 * (distance[i]! - m)) / mad;
    if (score > threshold) found.push({ image: i, score, nearest: nearest[i]!, distance: distance[i]!, typical: m });
  }
  return found.sort((a, b) => b.score - a.score || a.image - b.image);
}
