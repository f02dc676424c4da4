import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSpeeds, recordSpeed, speedStoreFile } from '../../../../../../main/engine/models/speed/speed-store';

let dir = '';
let file = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'speed-store-'));
  file = speedStoreFile(path.join(dir, 'cache'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('speed store', () => {
  it('is empty with no file, and keeps each figure of each base with its origin and time', async () => {
    expect(await readSpeeds(file)).toEqual({ speeds: {} });
    const at = new Date('2026-11-27T12:00:00.000Z');
    await recordSpeed('nsfwjs-mobilenet-v2', 'extract.onnxruntime', 381.5, 'run', file, at);
    await recordSpeed('nsfwjs-mobilenet-v2', 'extract.tfjs', 21, 'probe', file, at);
    await recordSpeed('nsfwjs-mobilenet-v2', 'fineTune', 9.6, 'run', file, at);
    await recordSpeed('tm-mobilenet-v2-1.00', 'headRows', 5000, 'probe', file, at);
    const { speeds, notice } = await readSpeeds(file);
    expect(notice).toBeUndefined();
    expect(speeds['nsfwjs-mobilenet-v2']).toEqual({
      extract: {
        onnxruntime: { perSecond: 381.5, from: 'run', at: at.toISOString() },
        tfjs: { perSecond: 21, from: 'probe', at: at.toISOString() },
      },
      fineTune: { perSecond: 9.6, from: 'run', at: at.toISOString() },
    });
    expect(speeds['tm-mobilenet-v2-1.00']!.headRows!.perSecond).toBe(5000);
  });

  it('a newer figure replaces the old one; concurrent updates are all kept', async () => {
    await recordSpeed('a', 'extract.tfjs', 10, 'probe', file);
    await Promise.all([
      recordSpeed('a', 'extract.tfjs', 20, 'run', file),
      recordSpeed('b', 'fineTune', 5, 'run', file),
      recordSpeed('c', 'headRows', 100, 'run', file),
    ]);
    const { speeds } = await readSpeeds(file);
    expect(speeds.a!.extract!.tfjs).toMatchObject({ perSecond: 20, from: 'run' });
    expect(Object.keys(speeds).sort()).toEqual(['a', 'b', 'c']);
  });

  it('writes atomically: no temp file left, the file is always whole JSON', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => recordSpeed(`base-${i}`, 'fineTune', i + 1, 'run', file)));
    expect(await readdir(path.dirname(file))).toEqual(['speeds.json']);
    const json = JSON.parse(await readFile(file, 'utf8')) as { version: number; bases: Record<string, unknown> };
    expect(json.version).toBe(1);
    expect(Object.keys(json.bases)).toHaveLength(8);
  });

  it('ignores nonsense figures (0, NaN, Infinity)', async () => {
    await recordSpeed('a', 'fineTune', 0, 'run', file);
    await recordSpeed('a', 'fineTune', Number.NaN, 'run', file);
    await recordSpeed('a', 'fineTune', Number.POSITIVE_INFINITY, 'run', file);
    expect(await readSpeeds(file)).toEqual({ speeds: {} });
  });

  it.each([
    ['not JSON', '{"version": 1, "bases": {', /is not valid JSON/],
    ['another version', '{"version": 9, "bases": {}}', /version/],
    [
      'a bad figure',
      '{"version": 1, "bases": {"a": {"fineTune": {"perSecond": -3, "from": "run", "at": "x"}}}}',
      /a\.fineTune/,
    ],
  ])('a damaged file (%s) is ignored with a notice naming it, then rebuilt', async (_, text, why) => {
    await recordSpeed('a', 'fineTune', 1, 'run', file);
    await writeFile(file, text);
    const read = await readSpeeds(file);
    expect(read.speeds).toEqual({});
    expect(read.notice).toContain(JSON.stringify(file));
    expect(read.notice).toMatch(why);
    expect(read.notice).toMatch(/ignored and will be measured again/);
    await recordSpeed('b', 'headRows', 7, 'probe', file);
    const again = await readSpeeds(file);
    expect(again.notice).toBeUndefined();
    expect(Object.keys(again.speeds)).toEqual(['b']);
  });
});
