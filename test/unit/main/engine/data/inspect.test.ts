/**
 * inspectFile on real files written by sharp: formats whose sniff needs more than the first bytes
 * (issue 12 #2: a 300×300 uncompressed TIFF from libvips keeps its directory at the end), SVG (not
 * supported, never decoded) and the words of a wrong extension (#10).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFile } from '../../../../../main/engine/data/inspect';

const options = { maxPixels: 268_402_689, decode: true };

describe('inspectFile', () => {
  let tmp = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'inspect-'));
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  async function write(name: string, bytes: Buffer): Promise<string> {
    const file = path.join(tmp, name);
    await writeFile(file, bytes);
    return file;
  }

  it('accepts a 300×300 uncompressed TIFF whose directory is at the end of the file', async () => {
    const bytes = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#336699' } })
      .tiff({ compression: 'none' })
      .toBuffer();
    expect(bytes.length).toBeGreaterThan(4100 * 10);
    const file = await write('big.tif', bytes);
    const facts = await inspectFile(file, bytes.length, options);
    expect(facts.error).toBeUndefined();
    expect(facts).toMatchObject({ format: 'tif', width: 300, height: 300, warnings: [] });
  });

  it('calls an SVG unsupported without decoding it (it may reference other files)', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?>\n<!-- a drawing -->\n<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">' +
        '<image href="http://127.0.0.1:9/never-fetched.png" width="64" height="64"/></svg>\n',
    );
    const file = await write('drawing.svg', svg);
    const facts = await inspectFile(file, svg.length, options);
    expect(facts.error?.kind).toBe('unsupported-format');
    expect(facts.error?.message).toMatch(
      /is an SVG drawing \(vector graphics\), which is not supported; export it as PNG or JPEG/,
    );
  });

  it('says what a wrongly named JPEG is named as, in plain words', async () => {
    const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#aa0000' } })
      .jpeg()
      .toBuffer();
    const asText = await inspectFile(await write('photo.txt', jpeg), jpeg.length, options);
    expect(asText.error).toBeUndefined();
    expect(asText.warnings[0]?.message).toMatch(
      /has the extension "\.txt", not an image's, but is really a JPEG image/,
    );
    const asPng = await inspectFile(await write('photo.png', jpeg), jpeg.length, options);
    expect(asPng.warnings[0]?.message).toMatch(/is named as a PNG image but is really a JPEG image/);
  });
});
