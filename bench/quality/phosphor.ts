/**
 * The cross-style benchmark set from @phosphor-icons/core 2.1.1 (MIT, © Phosphor Icons): the same icons drawn in six
 * weights (thin, light, regular, bold, fill, duotone) with category metadata. Classes are categories whose icons
 * picture the category; an icon is kept only when it belongs to exactly one of the chosen categories.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { createRandom } from '../../main/engine/random';
import { FIXTURES_ROOT } from '../../test/fixtures/fashion-mnist';

/** The six weights Phosphor ships. */
export const PHOSPHOR_WEIGHTS = ['thin', 'light', 'regular', 'bold', 'fill', 'duotone'] as const;
export type PhosphorWeight = (typeof PHOSPHOR_WEIGHTS)[number];

/**
 * Categories used as classes: each one's icons picture it (arrows; chat bubbles and envelopes; charts, coins and
 * currency signs; dice, crowns and game pieces; animals and plants; hands and people).
 */
export const PHOSPHOR_CLASSES = ['arrows', 'communications', 'finances', 'games', 'nature', 'people'] as const;

/** One icon of the metadata (the fields used here). */
export interface PhosphorIcon {
  name: string;
  categories: readonly string[];
}

/** The package's icon list (dist/index.mjs `icons`). */
export async function phosphorIcons(): Promise<readonly PhosphorIcon[]> {
  const module: { icons: readonly PhosphorIcon[] } = await import('@phosphor-icons/core');
  return module.icons;
}

/** Options of {@link iconsByCategory}. */
export interface CategoryOptions {
  /** Categories to use as classes. Default: {@link PHOSPHOR_CLASSES}. */
  categories?: readonly string[];
  /** Most icons per class (a seeded sample when a category has more). Default: 50. */
  perClass?: number;
  /** Seed of the sample. Default: 1. */
  seed?: number;
}

/**
 * Icon names per category, for icons in exactly one of `categories` (an icon tagged "arrows" and "games" is left
 * out), sorted by name, at most `perClass` each.
 * @throws Error naming a category that has no such icon.
 */
export function iconsByCategory(icons: readonly PhosphorIcon[], options: CategoryOptions = {}): Map<string, string[]> {
  const categories = options.categories ?? PHOSPHOR_CLASSES;
  const perClass = options.perClass ?? 50;
  const random = createRandom(options.seed ?? 1);
  const result = new Map<string, string[]>();
  for (const category of categories) {
    const names = icons
      .filter((icon) => icon.categories.includes(category))
      .filter((icon) => icon.categories.filter((c) => categories.includes(c)).length === 1)
      .map((icon) => icon.name)
      .sort();
    if (names.length === 0) throw new Error(`Phosphor category ${JSON.stringify(category)} has no icon of its own.`);
    // Seeded Fisher–Yates, then the first perClass, sorted again for stable listings.
    for (let i = names.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [names[i], names[j]] = [names[j]!, names[i]!];
    }
    result.set(category, names.slice(0, perClass).sort());
  }
  return result;
}

/** The folder of the installed package's SVGs (`assets/<weight>/<name>[-<weight>].svg`). */
export function phosphorAssetsDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@phosphor-icons/core')), '..', 'assets');
}

/** The SVG file of an icon in a weight (regular files carry no suffix). */
export function svgPath(name: string, weight: PhosphorWeight, assets = phosphorAssetsDir()): string {
  return path.join(assets, weight, weight === 'regular' ? `${name}.svg` : `${name}-${weight}.svg`);
}

/**
 * Renders one SVG (black `currentColor` strokes on a transparent background) to a size×size PNG on white, with
 * sharp's SVG renderer, at a density that draws the 256-unit viewBox at `size` pixels directly.
 */
export async function renderSvg(file: string, size: number): Promise<Buffer> {
  const svg = await readFile(file);
  return sharp(svg, { density: (72 * size) / 256 })
    .resize(size, size, { fit: 'contain', background: '#ffffff' })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
}

/** Options of {@link phosphorFolders}. */
export interface PhosphorFolderOptions extends CategoryOptions {
  /** Weights to render, one folder each. */
  weights: readonly PhosphorWeight[];
  /** Side of the PNGs. Default: 224. */
  size?: number;
  /** Parent folder. Default: `.fixtures/` of the repository. */
  root?: string;
}

/**
 * Renders the chosen icons as PNG folders `<root>/phosphor-<key>/<weight>/<category>/<icon>.png`, built once per key
 * (in a temp folder then renamed) and reused.
 * @returns the folder of each weight (its sub-folders are the classes).
 */
export async function phosphorFolders(options: PhosphorFolderOptions): Promise<Record<string, string>> {
  const size = options.size ?? 224;
  const byCategory = iconsByCategory(await phosphorIcons(), options);
  const key = [size, options.perClass ?? 50, options.seed ?? 1, [...byCategory.keys()].join('+').replace(/\W/g, '_')];
  const target = path.join(options.root ?? FIXTURES_ROOT, `phosphor-${key.join('-')}`);
  const folders = Object.fromEntries(options.weights.map((w) => [w, path.join(target, w)]));
  if (options.weights.every((w) => existsSync(path.join(target, w, '.complete')))) return folders;
  const assets = phosphorAssetsDir();
  for (const weight of options.weights) {
    if (existsSync(path.join(target, weight, '.complete'))) continue;
    const temp = `${target}/${weight}.tmp-${process.pid}-${Date.now()}`;
    for (const [category, names] of byCategory) {
      const dir = path.join(temp, category.replace(/\W+/g, '_'));
      await mkdir(dir, { recursive: true });
      await Promise.all(
        names.map(async (name) =>
          writeFile(path.join(dir, `${name}.png`), await renderSvg(svgPath(name, weight, assets), size)),
        ),
      );
    }
    await writeFile(path.join(temp, '.complete'), new Date().toISOString());
    try {
      await rename(temp, path.join(target, weight));
    } catch {
      await rm(temp, { recursive: true, force: true }); // another process built it first
    }
  }
  return folders;
}
