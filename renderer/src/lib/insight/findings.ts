/**
 * The insight result as groups of findings a user works through, each item with its one-click fix
 * (a batch of image edits) and alternatives: possible mislabels, label conflicts, split leakage,
 * near-duplicates and outliers. Pure: the state class decides what is done, kept or undone.
 */
import type { InsightResult, NearDuplicateGroup } from '../../../../shared/contract/insight';
import { MAX_FINDING_ID_LENGTH } from '../../../../shared/contract/project';
import type { BatchAction } from '../state/image-batch';

export type FindingKind = 'mislabel' | 'label-conflict' | 'leakage' | 'near-duplicate' | 'outlier';

/** One way to act on a finding: `action` applied to `paths`. */
export interface FindingFix {
  /** Button words, e.g. "Move to cats". */
  label: string;
  paths: string[];
  action: BatchAction;
}

/** One finding: the images it is about (indices into `result.images`), in words, with its fixes. */
export interface FindingItem {
  /** Stable across renders: kind and the images' hashes. */
  id: string;
  kind: FindingKind;
  images: number[];
  message: string;
  /** Mislabels: the class the out-of-fold model prefers. */
  suggested?: string;
  /** Higher = more sure (mislabels: margin 0–1; outliers: robust z-score; duplicates: similarity). */
  score: number;
  /** The recommended fix first. */
  fixes: FindingFix[];
}

export interface FindingGroup {
  kind: FindingKind;
  title: string;
  explanation: string;
  items: FindingItem[];
}

const WORDS: Record<FindingKind, { title: string; explanation: string }> = {
  mislabel: {
    title: 'Possibly mislabelled',
    explanation:
      'A model trained without each image finds another class more likely than the one it is filed under. Move it, leave it out, or keep it if the label is right.',
  },
  'label-conflict': {
    title: 'Near-copies in different classes',
    explanation: 'The same picture (resized, recompressed or cropped) is filed under two classes; keep it in one.',
  },
  leakage: {
    title: 'Copies across train and test',
    explanation:
      'A test or validation image has a near-copy in training, so the scores flatter the model. Leave the held-out copy out.',
  },
  'near-duplicate': {
    title: 'Near-duplicates',
    explanation: 'Nearly the same picture more than once in a class: it counts several times in training.',
  },
  outlier: {
    title: 'Unusual images',
    explanation: 'Far from every class (a blank frame, a screenshot among photos): check they belong.',
  },
};

/** Title and explanation of a kind of finding. */
export function findingWords(kind: FindingKind): { title: string; explanation: string } {
  return WORDS[kind];
}

const ORDER: readonly FindingKind[] = ['mislabel', 'label-conflict', 'leakage', 'near-duplicate', 'outlier'];

const percent = (p: number) => `${Math.round(p * 100)}%`;

/** 64-bit FNV-1a of `text` as 16 hex digits (two 32-bit lanes with different offsets). */
function fnv64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * The id of a finding of `kind` about images with content `hashes`: the same whatever the images'
 * order in the result (so a "Keep" survives a new Inspect), at most MAX_FINDING_ID_LENGTH characters
 * (a long group's hashes are hashed once more).
 */
export function findingId(kind: FindingKind, hashes: readonly string[]): string {
  const id = `${kind}:${[...hashes].sort().join('+')}`;
  if (id.length <= MAX_FINDING_ID_LENGTH) return id;
  return `${kind}:${hashes.length}x${fnv64(id)}`;
}

function duplicateItem(result: InsightResult, group: NearDuplicateGroup): FindingItem {
  const images = group.images;
  const paths = images.map((i) => result.images[i]!.path);
  const id = findingId(
    group.kind,
    images.map((i) => result.images[i]!.hash),
  );
  const base = { id, kind: group.kind, images, message: group.message, score: group.similarity };
  if (group.kind === 'label-conflict') {
    const classes = [...new Set(images.map((i) => result.images[i]!.label))];
    const fixes: FindingFix[] = classes.map((cls) => ({
      label: `All in ${cls}`,
      paths: paths.filter((_, k) => result.images[images[k]!]!.label !== cls),
      action: { kind: 'move', class: cls },
    }));
    fixes.push({ label: 'Leave all out', paths, action: { kind: 'leave-out' } });
    return { ...base, fixes };
  }
  if (group.kind === 'leakage') {
    const heldOut = paths.filter((_, k) => result.images[images[k]!]!.split !== 'train');
    const copies = heldOut.length > 0 && heldOut.length < paths.length ? heldOut : paths.slice(1);
    const label = `Leave out ${copies.length === 1 ? 'the held-out copy' : `${copies.length} held-out copies`}`;
    return { ...base, fixes: [{ label, paths: copies, action: { kind: 'leave-out' } }] };
  }
  const copies = paths.slice(1);
  const label = `Leave out ${copies.length === 1 ? 'the copy' : `${copies.length} copies`}`;
  return { ...base, fixes: [{ label, paths: copies, action: { kind: 'leave-out' } }] };
}

/** Every finding of `result`, grouped by kind in the order a user best works through them; empty groups dropped. */
export function findingGroups(result: InsightResult): FindingGroup[] {
  const items: FindingItem[] = [];
  for (const suspect of result.suspects) {
    const image = result.images[suspect.image]!;
    items.push({
      id: findingId('mislabel', [image.hash]),
      kind: 'mislabel',
      images: [suspect.image],
      suggested: suspect.suggested,
      score: suspect.score,
      message: `Filed under ${suspect.label} (${percent(suspect.givenProbability)}); looks like ${suspect.suggested} (${percent(suspect.suggestedProbability)}).`,
      fixes: [
        {
          label: `Move to ${suspect.suggested}`,
          paths: [image.path],
          action: { kind: 'move', class: suspect.suggested },
        },
        { label: 'Leave out', paths: [image.path], action: { kind: 'leave-out' } },
      ],
    });
  }
  for (const group of result.nearDuplicates) items.push(duplicateItem(result, group));
  for (const outlier of result.outliers) {
    const image = result.images[outlier.image]!;
    items.push({
      id: findingId('outlier', [image.hash]),
      kind: 'outlier',
      images: [outlier.image],
      score: outlier.score,
      message: outlier.message,
      fixes: [{ label: 'Leave out', paths: [image.path], action: { kind: 'leave-out' } }],
    });
  }
  return ORDER.map((kind) => ({ kind, ...WORDS[kind], items: items.filter((item) => item.kind === kind) })).filter(
    (group) => group.items.length > 0,
  );
}

/** Marker bits of the map, per image: which findings it is part of. */
export const FLAG = { mislabel: 1, outlier: 2, duplicate: 4 } as const;

/** One byte per image of `result`, OR-ing {@link FLAG} bits. */
export function findingFlags(result: InsightResult): Uint8Array {
  const flags = new Uint8Array(result.images.length);
  for (const suspect of result.suspects) flags[suspect.image]! |= FLAG.mislabel;
  for (const outlier of result.outliers) flags[outlier.image]! |= FLAG.outlier;
  for (const group of result.nearDuplicates) for (const i of group.images) flags[i]! |= FLAG.duplicate;
  return flags;
}

/** The first finding about image `index`, in words (for the map's hover card), or undefined. */
export function findingOf(result: InsightResult, index: number): string | undefined {
  const suspect = result.suspects.find((s) => s.image === index);
  if (suspect)
    return `Possibly mislabelled: looks like ${suspect.suggested} (${percent(suspect.suggestedProbability)})`;
  const group = result.nearDuplicates.find((g) => g.images.includes(index));
  if (group) return `${WORDS[group.kind].title}: ${group.message}`;
  const outlier = result.outliers.find((o) => o.image === index);
  if (outlier) return `Unusual: ${outlier.message}`;
  return undefined;
}
