import { access, readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { AugmentOptionsInput, PreprocessOptionsInput } from '../../../shared/contract/data';
import { StudioError } from '../../../shared/errors';
import { augment, augmentSeed } from './augment';
import { type CacheStore } from './cache';
import { sha256 } from './hash';
import { makeThumbnail } from './inspect';
import { decodeError, encodePng, preprocessImage } from './preprocess';

async function readImageFile(filePath: string): Promise<Buffer> {
  try {
    return await readFile(filePath);
  } catch (error) {
    throw new StudioError('NOT_FOUND', `Could not read ${JSON.stringify(filePath)}: ${(error as Error).message}`, {
      path: filePath,
    });
  }
}

/** A cached JPEG thumbnail of an image (made on a miss). */
export async function thumbnail(filePath: string, size: number, cache: CacheStore) {
  const bytes = await readImageFile(filePath);
  const file = cache.thumbnailPath(sha256(bytes), { size });
  let jpeg: Buffer;
  try {
    await access(file);
    jpeg = await readFile(file);
  } catch {
    try {
      jpeg = await makeThumbnail(bytes, size);
    } catch (error) {
      throw decodeError(filePath, error);
    }
    await cache.writeAtomic(file, jpeg);
  }
  const { width = 0, height = 0 } = await sharp(jpeg).metadata();
  return { mime: 'image/jpeg' as const, base64: jpeg.toString('base64'), file, width, height };
}

/** The image exactly as a base will see it, as a PNG. */
export async function preprocessPreview(filePath: string, options: PreprocessOptionsInput) {
  const image = await preprocessImage(await readImageFile(filePath), options).catch((error: unknown) => {
    throw decodeError(filePath, error);
  });
  const png = await encodePng(image);
  return { mime: 'image/png' as const, base64: png.toString('base64'), width: image.width, height: image.height };
}

/** `count` augmented variants of one image (variant i uses seed augmentSeed(hash, i, seed)). */
export async function augmentPreview(
  filePath: string,
  count: number,
  seed: number,
  augmentOptions: AugmentOptionsInput,
  options: PreprocessOptionsInput,
) {
  const bytes = await readImageFile(filePath);
  const hash = sha256(bytes);
  const image = await preprocessImage(bytes, options).catch((error: unknown) => {
    throw decodeError(filePath, error);
  });
  const images = [];
  for (let i = 0; i < count; i++) {
    const png = await encodePng(augment(image, augmentOptions, augmentSeed(hash, i, seed)));
    images.push({ mime: 'image/png' as const, base64: png.toString('base64') });
  }
  return { images, width: image.width, height: image.height };
}
