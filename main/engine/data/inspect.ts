import { access, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { ProblemKind } from '../../../shared/contract/data';
import type { CacheStore } from './cache';
import { sha256, sha256File } from './hash';
import { openImage } from './preprocess';
import { formatName, looksLikeSvg, sniff } from './sniff';
import { errorText } from './walk';

/** Files larger than this are hashed as a stream and decoded from disk instead of from memory. */
const IN_MEMORY_LIMIT = 64 * 1024 * 1024;
/** Side of the thumbnails made while scanning. */
export const THUMBNAIL_SIZE = 128;

/** A finding about one file, before options like minSide turn it into a reported problem. */
export interface Finding {
  kind: ProblemKind;
  message: string;
}

/** Everything a scan learns about one file (cacheable by path + size + mtime). */
export interface FileFacts {
  size: number;
  hash?: string;
  /** file-type name of the content ('jpg', 'png', …). */
  format?: string;
  /** Displayed size (after EXIF orientation). */
  width?: number;
  height?: number;
  /** Set when the file cannot be used. */
  error?: Finding;
  /** Problems that do not stop the file being used (wrong extension, animated). */
  warnings: Finding[];
}

export interface InspectOptions {
  /** Refuse images with more pixels. */
  maxPixels: number;
  /** Decode fully (finds truncation) and write a thumbnail to the cache. */
  decode: boolean;
  cache?: CacheStore;
}

/**
 * Checks one file: size, content hash, content sniffing (never trusting the name), header,
 * pixel-count limit, animation, and (optionally) a full decode that also makes its thumbnail.
 * Holds at most one file's bytes, and one small thumbnail, in memory.
 */
export async function inspectFile(filePath: string, size: number, options: InspectOptions): Promise<FileFacts> {
  const quoted = JSON.stringify(filePath);
  const facts: FileFacts = { size, warnings: [] };
  if (size === 0) {
    facts.error = { kind: 'zero-byte', message: `${quoted} is empty (0 bytes).` };
    return facts;
  }
  let input: Buffer | string;
  let head: Uint8Array;
  try {
    if (size <= IN_MEMORY_LIMIT) {
      input = await readFile(filePath);
      head = input;
      facts.hash = sha256(input);
    } else {
      input = filePath;
      head = await readHead(filePath, 4100);
      facts.hash = await sha256File(filePath);
    }
  } catch (error) {
    facts.error = { kind: 'unreadable', message: `Could not read ${quoted}: ${errorText(error)}.` };
    return facts;
  }

  const sniffed = await sniff(filePath, typeof input === 'string' && !looksLikeSvg(head) ? input : head);
  if (!sniffed.isImage) {
    const what = sniffed.format
      ? `its content is ${sniffed.format.toUpperCase()} data`
      : 'its content is not a known image format';
    const named = sniffed.claimed ? `named like a ${formatName(sniffed.claimed)} image but ` : '';
    facts.error = { kind: 'not-an-image', message: `${quoted} is not an image: ${named}${what}.` };
    return facts;
  }
  facts.format = sniffed.format;
  if (sniffed.format === 'svg') {
    // Never handed to a decoder: an SVG can reference other files and URLs.
    facts.error = {
      kind: 'unsupported-format',
      message: `${quoted} is an SVG drawing (vector graphics), which is not supported; export it as PNG or JPEG.`,
    };
    return facts;
  }
  if (!sniffed.decodable) {
    facts.error = {
      kind: 'unsupported-format',
      message: `${quoted} is a ${sniffed.formatName} image, which cannot be read; convert it to JPEG, PNG or WebP.`,
    };
    return facts;
  }
  if (sniffed.extensionMismatch) {
    const named = sniffed.claimed
      ? `is named as a ${formatName(sniffed.claimed)} image`
      : `has the extension ${JSON.stringify(path.extname(filePath) || '(none)')}, not an image's,`;
    facts.warnings.push({
      kind: 'wrong-extension',
      message: `${quoted} ${named} but is really a ${sniffed.formatName} image; it is used as ${sniffed.formatName}.`,
    });
  }

  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    const reason = firstLine(error);
    const detail = /^\s*$|unknown error/i.test(reason) ? '' : ` (${reason})`;
    facts.error = { kind: 'corrupt', message: `${quoted} is damaged: its header cannot be read${detail}.` };
    return facts;
  }
  const rawWidth = metadata.width ?? 0;
  const rawHeight = metadata.height ?? 0;
  const rotated = (metadata.orientation ?? 1) >= 5;
  facts.width = rotated ? rawHeight : rawWidth;
  facts.height = rotated ? rawWidth : rawHeight;
  if (rawWidth * rawHeight > options.maxPixels) {
    facts.error = {
      kind: 'decompression-bomb',
      message: `${quoted} claims ${rawWidth}×${rawHeight} pixels (${((rawWidth * rawHeight) / 1e6).toFixed(0)} megapixels), over the limit of ${(options.maxPixels / 1e6).toFixed(0)} megapixels; it was not decoded.`,
    };
    return facts;
  }
  if (
    (metadata.pages ?? 1) > 1 &&
    (sniffed.format === 'gif' || sniffed.format === 'webp' || sniffed.format === 'png')
  ) {
    facts.warnings.push({
      kind: 'animated',
      message: `${quoted} is animated (${metadata.pages} frames); only the first frame is used.`,
    });
  }

  if (options.decode) {
    const thumb = options.cache?.thumbnailPath(facts.hash, { size: THUMBNAIL_SIZE });
    if (thumb && (await exists(thumb))) return facts;
    try {
      const jpeg = await makeThumbnail(input, THUMBNAIL_SIZE, options.maxPixels);
      if (thumb && options.cache) await options.cache.writeAtomic(thumb, jpeg);
    } catch (error) {
      const reason = firstLine(error);
      // libvips sometimes loses the decoder's words under concurrency and says only "Unknown error".
      const detail = /^\s*$|unknown error/i.test(reason) ? '' : ` (${reason})`;
      facts.error = /pixel limit/i.test(reason)
        ? { kind: 'decompression-bomb', message: `${quoted} is over the pixel limit; it was not decoded.` }
        : { kind: 'corrupt', message: `${quoted} is truncated or damaged: its image data cannot be decoded${detail}.` };
    }
  }
  return facts;
}

/** A JPEG thumbnail fitting in size×size: oriented, sRGB, alpha on white. */
export async function makeThumbnail(input: Buffer | string, size: number, maxPixels?: number): Promise<Buffer> {
  return openImage(input, { maxPixels })
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg({ quality: 80 })
    .toBuffer();
}

async function readHead(filePath: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
