/**
 * Near-duplicates, split leakage and outliers on real image files: generated scenes (sharp), copies made
 * resized, recompressed and slightly cropped, one copy chosen so it falls in the test split while its original is
 * in training, a blank frame among the photos; features from the bundled MobileNetV2.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InspectRequest, type InsightResult } from '../../../shared/contract/insight';
import { assignSplit } from '../../../main/engine/data/split';
import { sha256 } from '../../../main/engine/data/hash';
import { inspectDataset } from '../../../main/engine/insight/inspect';
import { backendReady } from '../../../main/engine/runtime';
import { writeCopy, writeScenes } from './scenes';

const SPLIT = { train: 0.7, validation: 0.15, test: 0.15, seed: 42 };

describe('insight.inspect finds near-duplicates, leakage and outliers', () => {
  let tmp: string;
  let copies: { original: string; copy: string; how: string }[];
  let leaked: { original: string; copy: string };
  let blank: string;
  let result: InsightResult;

  const splitOf = async (file: string) => assignSplit(sha256(await readFile(file)), SPLIT.seed, SPLIT);

  beforeAll(async () => {
    process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
    await backendReady();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'insight-duplicates-'));
    const root = path.join(tmp, 'scenes');
    const files = await writeScenes(root, 30);
    copies = [];
    const hows = ['resized', 'recompressed', 'cropped'] as const;
    for (const [c, cls] of Object.keys(files).entries())
      for (const [k, how] of hows.entries()) {
        const original = files[cls]![k * 7 + c]!;
        const copy = path.join(
          root,
          cls,
          `copy-${how}-${path.basename(original, '.png')}.${how === 'recompressed' ? 'jpg' : 'png'}`,
        );
        await writeCopy(original, copy, how);
        copies.push({ original, copy, how });
      }
    // A recompressed copy of a training image, its JPEG quality chosen so the copy's split is 'test'.
    const trainImages = [];
    for (const file of files.circles!.slice(20)) if ((await splitOf(file)) === 'train') trainImages.push(file);
    const original = trainImages[0]!;
    let copy = '';
    for (let quality = 60; quality <= 95 && !copy; quality++) {
      const candidate = path.join(root, 'circles', `leaked-q${quality}.jpg`);
      await sharp(original).jpeg({ quality }).toFile(candidate);
      if ((await splitOf(candidate)) === 'test') copy = candidate;
      else await rm(candidate);
    }
    leaked = { original, copy };
    blank = path.join(root, 'circles', 'blank.png');
    await sharp({ create: { width: 160, height: 120, channels: 3, background: '#ffffff' } })
      .png()
      .toFile(blank);
    const request = InspectRequest.parse({
      dirs: [root],
      split: SPLIT,
      cacheDir: path.join(tmp, 'cache'),
      duplicateSimilarity: 0.99,
      map: false,
    });
    result = await inspectDataset(request, { signal: new AbortController().signal, progress: () => undefined });
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  const groupOf = (file: string) =>
    result.nearDuplicates.find((g) => g.images.some((i) => result.images[i]!.path === file));

  it('groups every resized, recompressed and cropped copy with its original', () => {
    for (const { original, copy, how } of copies) {
      const group = groupOf(original);
      expect(group, `${how} copy of ${original}`).toBeDefined();
      expect(group!.images.map((i) => result.images[i]!.path)).toContain(copy);
    }
    console.log(
      `insight: ${result.nearDuplicates.length} groups for ${copies.length + 1} copies among ${result.images.length} images: ` +
        JSON.stringify(
          result.nearDuplicates.map((g) => [g.kind, g.images.length, +g.similarity.toFixed(3), g.hashDistance]),
        ),
    );
    // Few groups beyond the copies made on purpose.
    expect(result.nearDuplicates.length).toBeLessThanOrEqual(copies.length + 1 + 2);
  });

  it('reports a copy in the test split of its training original as leakage', () => {
    expect(leaked.copy).not.toBe('');
    const group = groupOf(leaked.copy)!;
    expect(group.kind).toBe('leakage');
    const members = group.images.map((i) => result.images[i]!);
    expect(members.find((m) => m.path === leaked.original)!.split).toBe('train');
    expect(members.find((m) => m.path === leaked.copy)!.split).toBe('test');
    expect(group.message).toMatch(/test score counts it as unseen/);
    // Every group whose members straddle splits (and share a class) is leakage.
    for (const g of result.nearDuplicates) {
      const of = g.images.map((i) => result.images[i]!);
      if (new Set(of.map((m) => m.label)).size === 1 && new Set(of.map((m) => m.split)).size > 1)
        expect(g.kind).toBe('leakage');
    }
  });

  it('reports the blank frame as the top outlier', () => {
    const top = result.outliers[0]!;
    expect(result.images[top.image]!.path).toBe(blank);
    expect(top.message).toMatch(/looks unlike every class/);
    console.log(`insight: ${result.outliers.length} outliers; top score ${top.score.toFixed(1)}`);
  });
});
