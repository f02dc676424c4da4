import { describe, expect, it } from 'vitest';
import { discStamp, fill, parseHex, stampDots } from '../../../../../renderer/src/lib/map/dot-layer';

const image = (width: number, height: number) => ({ data: new Uint8ClampedArray(width * height * 4), width, height });
const pixel = (img: ReturnType<typeof image>, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

describe('dot layer', () => {
  it('parses hex colours and refuses others', () => {
    expect(parseHex('#0072B2')).toEqual([0, 114, 178]);
    expect(parseHex('#fff')).toEqual([255, 255, 255]);
    expect(parseHex(' #000000 ')).toEqual([0, 0, 0]);
    expect(parseHex('rebeccapurple')).toBeUndefined();
  });

  it('makes a disc covering about πr² pixels, symmetric about its centre, softer at the edge', () => {
    const { offsets: disc, coverage } = discStamp(3);
    const area = coverage.reduce((sum, c) => sum + c, 0);
    expect(area).toBeGreaterThan(Math.PI * 9 * 0.9);
    expect(area).toBeLessThan(Math.PI * 9 * 1.1);
    expect(coverage[disc.length / 4 - 0.5]).toBe(1); // the centre pixel is in the middle of the list
    expect(Math.min(...coverage)).toBeLessThan(0.5);
    const pairs = new Set<string>();
    for (let k = 0; k < disc.length; k += 2) pairs.add(`${disc[k]},${disc[k + 1]}`);
    for (const pair of pairs) {
      const [dx, dy] = pair.split(',').map(Number);
      expect(pairs.has(`${-dx!},${-dy!}`)).toBe(true);
    }
  });

  it('fills, stamps opaque dots in their class colour and skips points off the image', () => {
    const img = image(20, 10);
    fill(img, [255, 255, 255]);
    expect(pixel(img, 0, 0)).toEqual([255, 255, 255, 255]);
    const colours = [
      [0, 114, 178],
      [230, 159, 0],
    ] as const;
    stampDots(img, [5, 15, -50], [5, 5, 5], [0, 1, 0], colours, 2, 1);
    expect(pixel(img, 5, 5)).toEqual([0, 114, 178, 255]);
    expect(pixel(img, 6, 6)).toEqual([0, 114, 178, 255]);
    expect(pixel(img, 15, 4)).toEqual([230, 159, 0, 255]);
    expect(pixel(img, 10, 5)).toEqual([255, 255, 255, 255]);
    expect(pixel(img, 0, 5)).toEqual([255, 255, 255, 255]);
  });

  it('blends with alpha and lets a later point paint over an earlier one; −1 draws nothing', () => {
    const img = image(8, 8);
    fill(img, [255, 255, 255]);
    stampDots(img, [4], [4], [0], [[0, 0, 0]], 1, 0.5);
    expect(pixel(img, 4, 4)).toEqual([128, 128, 128, 255]);
    stampDots(
      img,
      [4, 4],
      [4, 4],
      [0, 1],
      [
        [0, 0, 0],
        [200, 0, 0],
      ],
      1,
      1,
    );
    expect(pixel(img, 4, 4)).toEqual([200, 0, 0, 255]);
    stampDots(img, [1], [1], [-1], [[0, 0, 0]], 1, 1);
    expect(pixel(img, 1, 1)).toEqual([255, 255, 255, 255]);
  });
});
