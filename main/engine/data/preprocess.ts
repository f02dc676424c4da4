import sharp, { type Sharp } from 'sharp';
import { PreprocessOptions, type PreprocessOptionsInput } from '../../../shared/contract/data';
import { StudioError } from '../../../shared/errors';

/** Raw interleaved RGB, 8 bits per channel, row-major. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Parsed preprocessing options (see PreprocessOptions in shared/contract/data.ts). */
export type ResolvedPreprocessOptions = ReturnType<typeof PreprocessOptions.parse>;

/** Fills in defaults: size 224, resize 'cover', background '#ffffff'. */
export function resolvePreprocessOptions(options: PreprocessOptionsInput = {}): ResolvedPreprocessOptions {
  return PreprocessOptions.parse(options);
}

/** Options for the sharp constructor shared by every decode of user images. */
export interface DecodeLimits {
  /** Refuse images with more pixels (decompression bombs). Default: 268402689 (sharp's). */
  maxPixels?: number;
  /** How picky to be about damaged pixel data. Default: 'truncated' (minor encoder warnings pass). */
  failOn?: 'none' | 'truncated' | 'error' | 'warning';
}

/** sharp instance for a user image: EXIF auto-orient, first frame, pixel limit, damage policy. */
export function openImage(input: string | Buffer, limits: DecodeLimits = {}): Sharp {
  return sharp(input, {
    autoOrient: true,
    limitInputPixels: limits.maxPixels ?? 268_402_689,
    failOn: limits.failOn ?? 'truncated',
    pages: 1,
    sequentialRead: true,
  });
}

const FIT = { cover: 'cover', contain: 'contain', stretch: 'fill' } as const;

/**
 * Applies the model's preprocessing to a sharp pipeline: alpha flattened on the background,
 * sRGB (CMYK, grayscale and 16-bit inputs included), resized by mode to size×size.
 * JPEG shrink-on-load applies automatically because the resize is known before decoding.
 */
export function applyPreprocess(image: Sharp, options: ResolvedPreprocessOptions): Sharp {
  return image
    .flatten({ background: options.background })
    .resize(options.size, options.size, {
      fit: FIT[options.resize],
      position: 'centre',
      background: options.background,
    })
    .toColourspace('srgb')
    .removeAlpha();
}

/**
 * Decodes one image file (or its bytes) to size×size raw RGB uint8, exactly as every base sees
 * it before its own scaling to floats.
 * @throws StudioError BAD_INPUT naming the file when it cannot be decoded.
 */
export async function preprocessImage(
  input: string | Buffer,
  options: PreprocessOptionsInput = {},
  limits: DecodeLimits = {},
): Promise<RgbImage> {
  return preprocessResolved(input, resolvePreprocessOptions(options), limits);
}

/** {@link preprocessImage} with options already resolved (no per-image validation: the hot path). */
export async function preprocessResolved(
  input: string | Buffer,
  resolved: ResolvedPreprocessOptions,
  limits: DecodeLimits = {},
): Promise<RgbImage> {
  try {
    const { data, info } = await applyPreprocess(openImage(input, limits), resolved)
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new Error(`expected 3 channels after conversion, received ${info.channels}`);
    }
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    throw decodeError(input, error);
  }
}

/** Encodes raw RGB as PNG (for previews). */
export async function encodePng(image: RgbImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A StudioError naming the file that failed to decode. */
export function decodeError(input: string | Buffer, error: unknown): StudioError {
  if (error instanceof StudioError) return error;
  const what = typeof input === 'string' ? JSON.stringify(input) : 'the image';
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new StudioError('BAD_INPUT', `Could not decode ${what}: ${reason}`, {
    path: typeof input === 'string' ? input : undefined,
  });
}
