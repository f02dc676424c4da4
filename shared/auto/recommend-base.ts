/**
 * The one base the Base step recommends, with a one-sentence reason. An ImageNet base from the catalog
 * (AUTO_TABLE.imagenetDefaults, e.g. Teachable Machine's MobileNetV2 1.00) is the general default when it is
 * downloaded, or downloadable because the network is reachable; the bundled MobileNetV2 is the offline
 * fallback — and the choice whenever the ImageNet base would not fit the time budget but the bundled one would.
 * Pure: the renderer and the CLI both call it.
 */
import { AUTO_TABLE } from './auto-table';
import { budgetAdjective } from './budget';

/** A base as the recommendation sees it. */
export interface BaseCandidate {
  id: string;
  name: string;
  source: 'bundled' | 'catalog' | 'imported';
  /** Usable offline now (bundled, imported, or downloaded). */
  cached: boolean;
  /** Measured extraction speed on this machine, images/s. Default: not measured. */
  extractPerSecond?: number;
}

/** What the recommendation weighs. */
export interface RecommendInput {
  bases: readonly BaseCandidate[];
  /** Whether the catalog's server answered; undefined while unknown (treated as offline). */
  networkReachable?: boolean;
  /** Images of the dataset (all splits). Default: unknown (the budget is not weighed). */
  images?: number;
  /** Time budget in seconds. Default: none. */
  budgetSeconds?: number;
}

/** The recommended base, why, and the offline fallback when the recommendation needs the network. */
export interface Recommendation {
  id: string;
  reason: string;
  /** The bundled base to use offline, when `id` is a catalog base. */
  fallbackId?: string;
}

/** Recommends one base (see the file comment); undefined when no base is listed at all. */
export function recommendBase(input: RecommendInput): Recommendation | undefined {
  const { bases } = input;
  const fallback = bases.find((b) => b.id === AUTO_TABLE.offlineDefault) ?? bases.find((b) => b.source === 'bundled');
  const imagenet = AUTO_TABLE.imagenetDefaults
    .map((id) => bases.find((b) => b.id === id))
    .find((b) => b !== undefined && (b.cached || input.networkReachable === true));
  const speed = (b: BaseCandidate) => b.extractPerSecond ?? AUTO_TABLE.fallbackSpeed.extract;
  // Reading every image once must fit in the budget's extraction share.
  const fits = (b: BaseCandidate) =>
    input.images === undefined ||
    input.budgetSeconds === undefined ||
    input.images / speed(b) <= AUTO_TABLE.extractShare * input.budgetSeconds;
  const measured = (b: BaseCandidate) =>
    b.extractPerSecond ? `about ${Math.round(b.extractPerSecond).toLocaleString('en-US')} images/s here` : 'fast';

  if (imagenet && (fits(imagenet) || !fallback || !fits(fallback))) {
    const how = imagenet.cached ? 'downloaded' : 'a one-time download';
    return {
      id: imagenet.id,
      reason:
        `${imagenet.name} learned from ImageNet's 1,000 everyday classes, so its features suit most images (${how}); ` +
        (fallback ? `the bundled ${shortName(fallback)} is the offline fallback.` : 'no bundled base is installed.'),
      ...(fallback ? { fallbackId: fallback.id } : {}),
    };
  }
  if (!fallback) return bases[0] ? { id: bases[0].id, reason: 'It is the only base available.' } : undefined;
  if (imagenet) {
    return {
      id: fallback.id,
      reason:
        `${shortName(fallback)} is bundled and ${measured(fallback)}, so ${input.images!.toLocaleString('en-US')} images fit your ` +
        `${budgetAdjective(input.budgetSeconds!)} budget, which the ImageNet base would not.`,
    };
  }
  const why =
    input.networkReachable === false
      ? 'the catalog cannot be reached, so'
      : input.networkReachable === undefined
        ? 'until the catalog is reachable'
        : 'no ImageNet base is in the catalog, so';
  return {
    id: fallback.id,
    reason:
      `${shortName(fallback)} works offline and is ${measured(fallback)}; ${why} ` +
      `it is the choice now, though its features were tuned for NSFW detection, so an ImageNet base generalises better.`,
  };
}

/** "MobileNetV2 224 (bundled, nsfwjs)" → "MobileNetV2 224". */
function shortName(base: BaseCandidate): string {
  return base.name.replace(/\s*\(.*\)\s*$/, '');
}
