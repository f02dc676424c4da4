/**
 * Near-duplicates: pairs of images whose features are nearly the same (cosine similarity ≥ the threshold), and
 * pairs whose perceptual hashes (dHash) differ in few bits (≤ 8) while their features still show the same kind
 * of picture (≥ threshold − 0.35), or in a few more (≤ 12) while their features are close (≥ threshold − 0.1) —
 * resized, recompressed or slightly cropped copies, which a base's features alone can miss (measured:
 * JPEG quality 50 copies of generated scenes at cosine 0.67–0.89 with nsfwjs MobileNetV2, while distinct scenes
 * reached 0.97) — joined into groups (union-find). A group is a 'label-conflict' when its members carry
 * different classes, else 'leakage' when they sit in different splits (a test image with a copy in training
 * makes test accuracy lie), else a 'near-duplicate'.
 *
 * Byte-identical files are the scan's (DuplicateGroup): the split keeps one copy per class and none of a
 * conflicting set, so two images here never share a content hash; a pair that did is skipped, never reported twice.
 */
import type { NearDuplicateGroup, SplitName } from '../../../shared/contract/insight';
import { throwIfCancelled } from '../cancel';
import { closeHashPairs, hammingDistance } from './perceptual-hash';
import { UnionFind } from './union-find';

/** What the finder needs to know of an image. */
export interface DuplicateCandidate {
  path: string;
  /** sha256 of the file bytes. */
  hash: string;
  label: string;
  split: SplitName;
}

/** Options of {@link findNearDuplicates}. */
export interface NearDuplicateOptions {
  /** Cosine similarity at or above which two images are near-duplicates. */
  similarity: number;
  /** Largest dHash Hamming distance (of 64 bits) that makes a pair. Default: 8. */
  maxHashDistance?: number;
  /** Lowest feature similarity of a hash-found pair (the same kind of picture). Default: similarity − 0.35, ≥ 0. */
  hashSimilarity?: number;
  /**
   * Largest Hamming distance of a pair whose features are close too (≥ similarity − 0.1): cropped copies shift
   * the hash more than resized or recompressed ones, while their features stay close. Default: 12.
   */
  croppedHashDistance?: number;
  signal?: AbortSignal;
}

/** Cosine similarity of rows a and b of unit-length rows. */
function cosine(unit: Float32Array, dim: number, a: number, b: number): number {
  let dot = 0;
  for (let j = 0; j < dim; j++) dot += unit[a * dim + j]! * unit[b * dim + j]!;
  return Math.min(1, dot);
}

/**
 * Groups of near-identical images, largest first.
 * @param unit the images' feature rows scaled to unit length (n × dim).
 * @param featurePairs every pair (i < j) that may reach `similarity` (e.g. neighbours.ts pairs within
 *   √(2 − 2·similarity) in a projection that never lengthens distances); each is checked in the full space.
 * @param hashes each image's dHash (perceptual-hash.ts), undefined when it could not be computed.
 */
export function findNearDuplicates(
  unit: Float32Array,
  dim: number,
  images: readonly DuplicateCandidate[],
  featurePairs: readonly (readonly [number, number])[],
  hashes: readonly (string | undefined)[],
  options: NearDuplicateOptions,
): NearDuplicateGroup[] {
  const signal = options.signal ?? new AbortController().signal;
  const floor = options.hashSimilarity ?? Math.max(0, options.similarity - 0.35);
  const sets = new UnionFind(images.length);
  const join = (a: number, b: number, min: number) => {
    if (images[a]!.hash !== images[b]!.hash && cosine(unit, dim, a, b) >= min) sets.union(a, b);
  };
  for (const [a, b] of featurePairs) join(a, b, options.similarity);
  throwIfCancelled(signal);
  const distance = (a: number, b: number) =>
    hashes[a] && hashes[b] ? hammingDistance(hashes[a], hashes[b]) : undefined;
  const maxHash = options.maxHashDistance ?? 8;
  const cropped = Math.max(maxHash, options.croppedHashDistance ?? 12);
  for (const [a, b] of closeHashPairs(hashes, cropped))
    join(a, b, distance(a, b)! <= maxHash ? floor : Math.max(floor, options.similarity - 0.1));
  const groups: NearDuplicateGroup[] = [];
  for (const members of sets.groups()) {
    throwIfCancelled(signal);
    let similarity = 1;
    let hashDistance: number | undefined = 0;
    for (let x = 0; x < members.length; x++)
      for (let y = x + 1; y < members.length; y++) {
        similarity = Math.min(similarity, cosine(unit, dim, members[x]!, members[y]!));
        const bits = distance(members[x]!, members[y]!);
        hashDistance = bits === undefined || hashDistance === undefined ? undefined : Math.max(hashDistance, bits);
      }
    groups.push(describeGroup(members, images, similarity, hashDistance));
  }
  return groups.sort((a, b) => b.images.length - a.images.length || b.similarity - a.similarity);
}

/** The group's kind and message (files with class and split, in plain words). */
function describeGroup(
  members: number[],
  images: readonly DuplicateCandidate[],
  similarity: number,
  hashDistance: number | undefined,
): NearDuplicateGroup {
  const of = members.map((i) => images[i]!);
  const classes = [...new Set(of.map((image) => image.label))].sort();
  const splits = (['train', 'validation', 'test'] as const).filter((s) => of.some((image) => image.split === s));
  const shown = of
    .slice(0, 5)
    .map((image) => `${JSON.stringify(image.path)} (${JSON.stringify(image.label)}, ${image.split})`)
    .join(', ');
  const listed = of.length > 5 ? `${shown} and ${of.length - 5} more` : shown;
  const how = `similarity ${similarity.toFixed(3)}${hashDistance === undefined ? '' : `, hash distance ${hashDistance}/64`}`;
  let kind: NearDuplicateGroup['kind'];
  let message: string;
  if (classes.length > 1) {
    kind = 'label-conflict';
    message = `Nearly the same picture is labelled ${classes.map((c) => JSON.stringify(c)).join(' and ')}: ${listed} (${how}). Keep it in one class.`;
  } else if (splits.length > 1) {
    kind = 'leakage';
    const held = splits.filter((s) => s !== 'train');
    const why = splits.includes('train')
      ? `the ${held.join(' and ')} score counts it as unseen though training saw a copy`
      : 'the validation and test scores are not independent';
    message = `Nearly the same picture is in ${splits.join(' and ')}: ${listed} (${how}); ${why}. Keep one.`;
  } else {
    kind = 'near-duplicate';
    message = `${of.length} near-identical images in ${JSON.stringify(classes[0])}: ${listed} (${how}). Keeping one gives the class no less to learn from.`;
  }
  return { kind, images: members, similarity, ...(hashDistance === undefined ? {} : { hashDistance }), message };
}
