/**
 * The two-colour dataset of the training e2e tests (red with stripes, blue with a bright square: a
 * model learns them in a few epochs).
 */
import sharp from 'sharp';

export const CLASSES = ['blue', 'red'] as const;

/** A 48×48 PNG a model can tell apart: red with horizontal stripes, or blue with a bright square, varied by `index`. */
export async function png(file: string, cls: (typeof CLASSES)[number], index: number): Promise<void> {
  const shade = index * 6;
  if (cls === 'red') {
    const stripe = await sharp({
      create: { width: 48, height: 6, channels: 3, background: { r: 255, g: 220, b: 200 } },
    })
      .png()
      .toBuffer();
    await sharp({ create: { width: 48, height: 48, channels: 3, background: { r: 200 + (shade % 50), g: 40, b: 40 } } })
      .composite([0, 16, 32].map((top) => ({ input: stripe, left: 0, top: (top + index) % 42 })))
      .png()
      .toFile(file);
    return;
  }
  const square = await sharp({ create: { width: 18, height: 18, channels: 3, background: { r: 230, g: 240, b: 255 } } })
    .png()
    .toBuffer();
  await sharp({ create: { width: 48, height: 48, channels: 3, background: { r: 30, g: 60 + (shade % 40), b: 200 } } })
    .composite([{ input: square, left: (index * 5) % 30, top: (index * 7) % 30 }])
    .png()
    .toFile(file);
}
