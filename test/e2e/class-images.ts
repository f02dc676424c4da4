/**
 * Generated class folders for the e2e tests: small, distinct PNGs (sharp) so a scan finds real,
 * trainable classes. Used by data-step.test.ts; any e2e test that needs the Data step to be
 * complete can call it too (the Data step unlocks Base only when the scan can train).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const COLOURS = [
  [200, 60, 60],
  [60, 160, 80],
  [70, 90, 210],
  [200, 150, 40],
  [140, 70, 180],
] as const;

/** Writes one distinct 48×48 PNG: a colour per class with a light block placed by `index`. */
export async function writeClassImage(file: string, classIndex: number, index: number): Promise<void> {
  const [r, g, b] = COLOURS[classIndex % COLOURS.length]!;
  const block = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 250, g: 250, b: 250 } } })
    .png()
    .toBuffer();
  await sharp({ create: { width: 48, height: 48, channels: 3, background: { r, g: (g + index * 5) % 256, b } } })
    .composite([{ input: block, left: (index * 7) % 32, top: (index * 3) % 32 }])
    .png()
    .toFile(file);
}

/**
 * Creates `root/<class>/<class>-NN.png` for every class, `perClass` images each; returns the folders.
 * @param perClass images per class (2 is the least a class needs to train). Default: 2.
 */
export async function writeClassImages(root: string, classes: readonly string[], perClass = 2): Promise<string[]> {
  const folders: string[] = [];
  for (const [c, name] of classes.entries()) {
    const folder = path.join(root, name);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < perClass; i++)
      await writeClassImage(path.join(folder, `${name}-${String(i).padStart(2, '0')}.png`), c, i);
    folders.push(folder);
  }
  return folders;
}
