/**
 * Generated "photos" for the insight tests: each a unique scene (sharp renders an SVG): a two-colour gradient
 * sky and 4–7 random shapes whose kind is the class (circles, boxes or stripes). Distinct scenes differ in
 * layout and colour, so near-duplicates are only the copies a test makes on purpose (resized, recompressed,
 * cropped).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { createRandom } from '../../../main/engine/random';

export const SCENE_CLASSES = ['boxes', 'circles', 'stripes'] as const;

/** The SVG of scene `index` of class `kind` (deterministic). */
function sceneSvg(kind: (typeof SCENE_CLASSES)[number], index: number, width: number, height: number): string {
  const random = createRandom(1000 * (SCENE_CLASSES.indexOf(kind) + 1) + index);
  const colour = () => `rgb(${Math.floor(random() * 256)},${Math.floor(random() * 256)},${Math.floor(random() * 256)})`;
  const shapes: string[] = [];
  const count = 4 + Math.floor(random() * 4);
  for (let s = 0; s < count; s++) {
    const [x, y] = [random() * width, random() * height];
    const size = 12 + random() * 40;
    if (kind === 'circles') shapes.push(`<circle cx="${x}" cy="${y}" r="${size / 1.5}" fill="${colour()}"/>`);
    else if (kind === 'boxes')
      shapes.push(
        `<rect x="${x - size / 2}" y="${y - size / 2}" width="${size}" height="${size * 0.8}" fill="${colour()}"/>`,
      );
    else
      shapes.push(
        `<line x1="${x}" y1="0" x2="${x + (random() - 0.5) * 60}" y2="${height}" stroke="${colour()}" stroke-width="${4 + random() * 8}"/>`,
      );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="${random()}" y2="1"><stop offset="0" stop-color="${colour()}"/>` +
    `<stop offset="1" stop-color="${colour()}"/></linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`
  );
}

/** The scene rendered, softened (blur) and grained (seeded noise, soft-light), so it has a photo's texture. */
function photoLike(svg: string, width: number, height: number, seed: number): Sharp {
  const random = createRandom(seed);
  const grain = Buffer.from(Array.from({ length: width * height * 3 }, () => 128 + Math.round((random() - 0.5) * 90)));
  return sharp(Buffer.from(svg))
    .blur(1.2)
    .composite([{ input: grain, raw: { width, height, channels: 3 }, blend: 'soft-light' }])
    .png();
}

/** Writes `root/<class>/<class>-NNN.png`, `perClass` scenes per class (160 × 120); returns every file by class. */
export async function writeScenes(root: string, perClass: number): Promise<Record<string, string[]>> {
  const files: Record<string, string[]> = {};
  for (const kind of SCENE_CLASSES) {
    await mkdir(path.join(root, kind), { recursive: true });
    files[kind] = [];
    for (let i = 0; i < perClass; i++) {
      const file = path.join(root, kind, `${kind}-${String(i).padStart(3, '0')}.png`);
      await photoLike(sceneSvg(kind, i, 160, 120), 160, 120, 7919 * (SCENE_CLASSES.indexOf(kind) + 1) + i).toFile(file);
      files[kind].push(file);
    }
  }
  return files;
}

/** A resized (60 %), a recompressed (JPEG quality 50) or a slightly cropped (2 % off each side) copy of `from`. */
export async function writeCopy(from: string, to: string, how: 'resized' | 'recompressed' | 'cropped'): Promise<void> {
  const image = sharp(from);
  const { width, height } = await image.metadata();
  if (how === 'resized')
    await image
      .resize(Math.round(width * 0.6))
      .png()
      .toFile(to);
  else if (how === 'recompressed') await image.jpeg({ quality: 50 }).toFile(to);
  else {
    const [dx, dy] = [Math.round(width * 0.02), Math.round(height * 0.02)];
    await image
      .extract({ left: dx, top: dy, width: width - 2 * dx, height: height - 2 * dy })
      .png()
      .toFile(to);
  }
}
