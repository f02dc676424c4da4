import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocessImage } from '../../../../../main/engine/data/preprocess';
import { cmykJpeg, exifRotatedJpeg, grayPng, png16, transparentPng, writeImage } from '../../../../fixtures/generated';

let tmp: string;
const at = (name: string) => path.join(tmp, name);

function pixel(image: { data: Uint8Array; width: number }, x: number, y: number): number[] {
  const o = (y * image.width + x) * 3;
  return [image.data[o]!, image.data[o + 1]!, image.data[o + 2]!];
}

function near(actual: number[], expected: number[], tolerance: number): void {
  actual.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThanOrEqual(tolerance));
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ts-pre-'));
  await writeFile(at('rotated.jpg'), await exifRotatedJpeg());
  await writeFile(at('cmyk.jpg'), await cmykJpeg({ r: 180, g: 120, b: 90 }));
  await writeFile(at('deep.png'), await png16({ r: 65535, g: 32896, b: 0 }));
  await writeFile(at('alpha.png'), await transparentPng());
  await writeFile(at('gray.png'), await grayPng(100));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('preprocessImage', () => {
  it('turns an EXIF-rotated JPEG upright (orientation 6: red right, blue left)', async () => {
    const image = await preprocessImage(at('rotated.jpg'), { size: 32, resize: 'stretch' });
    expect([image.width, image.height, image.data.length]).toEqual([32, 32, 32 * 32 * 3]);
    near(pixel(image, 4, 16), [0, 0, 255], 40); // left: blue
    near(pixel(image, 28, 16), [255, 0, 0], 40); // right: red
    near(pixel(image, 4, 2), [0, 0, 255], 40); // no top/bottom split any more
    near(pixel(image, 4, 30), [0, 0, 255], 40);
  });

  it('converts a CMYK JPEG to the right sRGB colour', async () => {
    const image = await preprocessImage(at('cmyk.jpg'), { size: 16 });
    near(pixel(image, 8, 8), [180, 120, 90], 12);
  });

  it('converts a 16-bit PNG to 8-bit RGB by scaling, not clipping', async () => {
    const image = await preprocessImage(at('deep.png'), { size: 16 });
    near(pixel(image, 8, 8), [255, 128, 0], 1);
  });

  it('expands grayscale to three equal channels', async () => {
    const image = await preprocessImage(at('gray.png'), { size: 16 });
    expect(image.data.length).toBe(16 * 16 * 3);
    near(pixel(image, 3, 3), [100, 100, 100], 1);
  });

  it('flattens alpha on the chosen background', async () => {
    const image = await preprocessImage(at('alpha.png'), { size: 16, background: '#00ff00' });
    expect(pixel(image, 5, 5)).toEqual([0, 255, 0]);
  });

  it('resize modes: cover crops, contain pads with the background, stretch fills', async () => {
    // 80×40: left half black, right half white → centre crop is 40 px wide around the seam.
    const raw = Buffer.alloc(80 * 40 * 3);
    for (let y = 0; y < 40; y++) raw.fill(255, (y * 80 + 40) * 3, (y * 80 + 80) * 3);
    const sharp = (await import('sharp')).default;
    await sharp(raw, { raw: { width: 80, height: 40, channels: 3 } })
      .png()
      .toFile(at('wide.png'));
    const cover = await preprocessImage(at('wide.png'), { size: 20, resize: 'cover' });
    expect(pixel(cover, 0, 10)).toEqual([0, 0, 0]);
    expect(pixel(cover, 19, 10)).toEqual([255, 255, 255]);
    const contain = await preprocessImage(at('wide.png'), { size: 20, resize: 'contain', background: '#ff0000' });
    expect(pixel(contain, 10, 0)).toEqual([255, 0, 0]); // padding above
    expect(pixel(contain, 2, 10)).toEqual([0, 0, 0]);
    const stretch = await preprocessImage(at('wide.png'), { size: 20, resize: 'stretch' });
    expect(pixel(stretch, 2, 0)).toEqual([0, 0, 0]);
    expect(pixel(stretch, 17, 19)).toEqual([255, 255, 255]);
  });

  it('names the file when decoding fails', async () => {
    await writeFile(at('bad.jpg'), 'not an image');
    await expect(preprocessImage(at('bad.jpg'))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining(JSON.stringify(at('bad.jpg'))),
    });
  });

  it('uses JPEG shrink-on-load for large inputs (output is exact size)', async () => {
    await writeImage(at('big.jpg'), 1600, 1200, 5);
    const image = await preprocessImage(at('big.jpg'), { size: 224 });
    expect([image.width, image.height, image.data.length]).toEqual([224, 224, 224 * 224 * 3]);
  });
});
