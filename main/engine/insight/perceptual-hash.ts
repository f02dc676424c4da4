/**
 * 64-bit difference hash (dHash, Neal Krawetz's "Kind of Like That", 2013): the image decoded with sharp (EXIF
 * orientation applied), made grey, squeezed to 9 × 8 pixels; each bit says whether a pixel is brighter than its
 * right-hand neighbour. Resized and recompressed copies keep (almost) the same bits; small crops flip a few.
 * Two images whose hashes differ in few bits (Hamming distance) look alike.
 */
import { openImage } from '../data/preprocess';

/** The dHash of an image file as 16 hex digits. @throws the decoder's error when the file cannot be read. */
export async function differenceHash(file: string): Promise<string> {
  const pixels = await openImage(file).grayscale().resize(9, 8, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer();
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let col = 0; col < 8; col++)
      byte = (byte << 1) | (pixels[row * 9 + col]! > pixels[row * 9 + col + 1]! ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Set bits of a 32-bit integer (SWAR popcount). */
function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** A hash as two 32-bit halves, for fast comparisons. */
export function hashWords(hex: string): [number, number] {
  return [parseInt(hex.slice(0, 8), 16) | 0, parseInt(hex.slice(8, 16), 16) | 0];
}

/** Number of differing bits (0–64) between two hashes of {@link differenceHash}. */
export function hammingDistance(a: string, b: string): number {
  const [a0, a1] = hashWords(a);
  const [b0, b1] = hashWords(b);
  return popcount32(a0 ^ b0) + popcount32(a1 ^ b1);
}

/**
 * Every pair (i < j) of hashes within `maxDistance` bits, by brute force over two 32-bit words per hash
 * (20,000 hashes are 2·10⁸ comparisons, well under a second). Missing hashes (undefined) pair with nothing.
 */
export function closeHashPairs(hashes: readonly (string | undefined)[], maxDistance: number): [number, number][] {
  const n = hashes.length;
  const hi = new Int32Array(n);
  const lo = new Int32Array(n);
  const present = new Uint8Array(n);
  hashes.forEach((hash, i) => {
    if (!hash) return;
    [hi[i], lo[i]] = hashWords(hash);
    present[i] = 1;
  });
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (!present[i]) continue;
    const [h, l] = [hi[i]!, lo[i]!];
    for (let j = i + 1; j < n; j++) {
      if (present[j] && popcount32(h ^ hi[j]!) + popcount32(l ^ lo[j]!) <= maxDistance) pairs.push([i, j]);
    }
  }
  return pairs;
}
