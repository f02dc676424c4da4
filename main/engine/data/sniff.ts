import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import path from 'node:path';

/** Formats this build of sharp decodes, by file-type's extension name. */
const DECODABLE = new Set(['jpg', 'png', 'webp', 'gif', 'tif', 'avif']);

/** Image formats we recognise but cannot decode (named in messages). */
const IMAGE_NAMES: Record<string, string> = {
  jpg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  gif: 'GIF',
  tif: 'TIFF',
  avif: 'AVIF',
  heic: 'HEIC',
  bmp: 'BMP',
  ico: 'ICO',
  icns: 'ICNS',
  psd: 'Photoshop',
  jxl: 'JPEG XL',
  jp2: 'JPEG 2000',
  cr2: 'Canon RAW',
  nef: 'Nikon RAW',
  arw: 'Sony RAW',
  dng: 'DNG RAW',
  orf: 'Olympus RAW',
  rw2: 'Panasonic RAW',
  xcf: 'GIMP',
  apng: 'APNG',
  svg: 'SVG',
};

/** File extensions (lower case, without dot) → the file-type name their content should have. */
const EXTENSIONS: Record<string, string> = {
  jpg: 'jpg',
  jpeg: 'jpg',
  jpe: 'jpg',
  jfif: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  tif: 'tif',
  tiff: 'tif',
  avif: 'avif',
  heic: 'heic',
  heif: 'heic',
  bmp: 'bmp',
  dib: 'bmp',
  ico: 'ico',
  psd: 'psd',
  jxl: 'jxl',
  jp2: 'jp2',
  svg: 'svg',
  cr2: 'cr2',
  nef: 'nef',
  arw: 'arw',
  dng: 'dng',
  orf: 'orf',
  rw2: 'rw2',
  apng: 'png',
};

/** True when the name has an image extension (used to guess a folder's layout). */
export function looksLikeImageName(name: string): boolean {
  return Object.hasOwn(EXTENSIONS, path.extname(name).slice(1).toLowerCase());
}

/** What the bytes are, compared with what the name says. */
export interface Sniffed {
  /** file-type's name for the content ('jpg', 'png', …), or undefined when unrecognised. */
  format: string | undefined;
  /** Readable format name, e.g. 'JPEG'. */
  formatName: string;
  isImage: boolean;
  /** sharp can decode it. */
  decodable: boolean;
  /** The name's extension maps to a different format than the content (or a non-image extension on an image). */
  extensionMismatch: boolean;
  /** What the extension claims, e.g. 'jpg', if it is an image extension. */
  claimed: string | undefined;
}

/**
 * True when the text at the start of a file is an SVG drawing: optional BOM, XML declaration, comments
 * and DOCTYPE, then an `<svg` element. (file-type does not recognise SVG: it is XML text.)
 */
export function looksLikeSvg(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, 4096))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const rest = text.replace(/^(\s*(<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>))*\s*/i, '');
  return /^<svg[\s>]/i.test(rest);
}

/**
 * Identifies a file by its content (file-type), never by its name, and checks the name agrees.
 * `content` is the whole file in memory, or its path for a large file: some formats need more than the
 * first bytes (a TIFF written by libvips keeps its directory at the end of the file), and file-type
 * reads as far as each format needs. SVG, which file-type leaves out, is recognised from its text.
 */
export async function sniff(filePath: string, content: Uint8Array | string): Promise<Sniffed> {
  const ext = path.extname(filePath).slice(1).toLowerCase();
  const claimed = Object.hasOwn(EXTENSIONS, ext) ? EXTENSIONS[ext] : undefined;
  let detected = typeof content === 'string' ? await fileTypeFromFile(content) : await fileTypeFromBuffer(content);
  if ((!detected || detected.ext === 'xml') && typeof content !== 'string' && looksLikeSvg(content))
    detected = { ext: 'svg', mime: 'image/svg+xml' } as never;
  const format = detected?.ext as string | undefined;
  const isImage = detected !== undefined && detected.mime.startsWith('image/');
  const normalised = format === 'apng' ? 'png' : format;
  return {
    format: normalised,
    formatName: normalised ? (IMAGE_NAMES[normalised] ?? normalised.toUpperCase()) : 'unknown',
    isImage,
    decodable: normalised !== undefined && DECODABLE.has(normalised),
    extensionMismatch: isImage && ext !== '' && claimed !== normalised,
    claimed,
  };
}

/** Readable name of a format by its file-type name. */
export function formatName(format: string): string {
  return IMAGE_NAMES[format] ?? format.toUpperCase();
}
