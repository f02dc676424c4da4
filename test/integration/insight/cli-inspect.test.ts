/**
 * `transfer-studio inspect` from the built CLI (out/: `node scripts/build.mjs` first): the readable report, one
 * JSON document with --json, and the map as CSV with --map (paths with a comma and quotes quoted properly).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InsightResult } from '../../../shared/contract/insight';
import { writeCopy, writeScenes } from './scenes';

const run = promisify(execFile);

/** Parses RFC 4180 CSV (quoted fields may hold commas, doubled quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('transfer-studio inspect', () => {
  let tmp: string;
  let root: string;
  let copy: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-inspect-'));
    root = path.join(tmp, 'my "scenes", v1');
    const files = await writeScenes(root, 12);
    copy = path.join(root, 'boxes', 'copy-resized.png');
    await writeCopy(files.boxes![3]!, copy, 'resized');
    env = { ...process.env, TRANSFER_STUDIO_CACHE: path.join(tmp, 'cache'), TRANSFER_STUDIO_BACKEND: 'wasm' };
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  const cli = (args: string[]) =>
    run(process.execPath, ['bin/transfer-studio.js', 'inspect', ...args], { env, timeout: 240_000 });

  it('prints the sections of the report and writes the map as CSV', async () => {
    const csv = path.join(tmp, 'map.csv');
    const { stdout } = await cli([root, '--map', csv, '--similarity', '0.99']);
    expect(stdout).toMatch(
      /^Inspected 37 images in 3 classes with nsfwjs-mobilenet-v2 \(5 folds, seed 42, out-of-fold/,
    );
    for (const section of ['Possible mislabels', 'Split leakage', 'Label conflicts', 'Near-duplicates', 'Outliers'])
      expect(stdout).toContain(`\n${section} (`);
    expect(stdout).toContain(JSON.stringify(copy));
    expect(stdout).toContain(`Wrote the map of 37 images to ${csv}`);
    const rows = parseCsv(await readFile(csv, 'utf8'));
    expect(rows[0]).toEqual(['path', 'label', 'x', 'y']);
    expect(rows).toHaveLength(38);
    const copyRow = rows.find((r) => r[0] === copy)!;
    expect(copyRow[1]).toBe('boxes');
    expect(Number.isFinite(Number(copyRow[2])) && Number.isFinite(Number(copyRow[3]))).toBe(true);
    expect(new Set(rows.slice(1).map((r) => r[1]))).toEqual(new Set(['boxes', 'circles', 'stripes']));
  });

  it('prints one JSON document with --json, the same map for the same seed', async () => {
    const first = InsightResult.parse(JSON.parse((await cli([root, '--json', '--seed', '7'])).stdout));
    expect(first.images).toHaveLength(37);
    expect(first.settings).toEqual({ folds: 5, seed: 7, duplicateSimilarity: 0.97 });
    expect(first.map?.x).toHaveLength(37);
    expect(first.nearDuplicates.some((g) => g.images.some((i) => first.images[i]!.path === copy))).toBe(true);
    const second = InsightResult.parse(JSON.parse((await cli([root, '--json', '--seed', '7'])).stdout));
    expect(second.map).toEqual(first.map);
  });

  it('says why when given nothing to inspect or a bad option', async () => {
    await expect(cli([])).rejects.toMatchObject({ stderr: expect.stringMatching(/give image folders to inspect/) });
    await expect(cli([root, '--folds', '1'])).rejects.toMatchObject({ stderr: expect.stringMatching(/received "1"/) });
  });
});
