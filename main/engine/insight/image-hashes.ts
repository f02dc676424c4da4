/**
 * The perceptual hash (dHash) of every image, computed with bounded concurrency and cached by content hash in
 * `<cacheRoot>/dhash` (a FeatureCache of 8 bytes stored as 8 floats), so a second inspection decodes nothing.
 */
import { mapConcurrent } from '../data/pipeline';
import { FeatureCache } from '../training/features-cache';
import { differenceHash } from './perceptual-hash';

/** Cache key parts of a dHash row (no base, no preprocessing: the hash is of the file itself). */
const KEY = { base: 'dhash-9x8', preprocess: null, variant: 0 } as const;

/**
 * The dHash (16 hex digits) of each image, undefined for a file that cannot be decoded now.
 * @param root folder of the hash cache, e.g. `<cacheRoot>/dhash`.
 */
export async function imageHashes(
  images: readonly { path: string; hash: string }[],
  root: string,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<(string | undefined)[]> {
  const cache = new FeatureCache(root, 8);
  const row = new Float32Array(8);
  const result: (string | undefined)[] = [];
  let done = 0;
  const work = async (image: { path: string; hash: string }) => {
    const key = cache.key(image.hash, KEY);
    const out = new Float32Array(8);
    if (await cache.read(key, out, 0)) return Array.from(out, (b) => b.toString(16).padStart(2, '0')).join('');
    const hex = await differenceHash(image.path).catch(() => undefined);
    if (hex) {
      for (let b = 0; b < 8; b++) row[b] = parseInt(hex.slice(2 * b, 2 * b + 2), 16);
      await cache.write(key, row.slice());
    }
    return hex;
  };
  for await (const hex of mapConcurrent(images, work, options.signal ? { signal: options.signal } : {})) {
    result.push(hex);
    if (++done % 64 === 0 || done === images.length) options.onProgress?.(done, images.length);
  }
  return result;
}
