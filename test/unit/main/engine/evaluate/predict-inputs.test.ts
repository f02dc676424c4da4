/**
 * What predict and evaluate read besides pixels: folders expanded to sorted files (missing paths become
 * error rows), top-k ordering, which folder is a model (run folder, exported TF.js folder, neither),
 * metadata.json and evaluation.json checked with errors naming the file.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPaths, topK } from '../../../../../main/engine/evaluate/predict';
import { loadInferenceModel, readModelMetadata } from '../../../../../main/engine/evaluate/model-source';
import { readEvaluation } from '../../../../../main/engine/evaluate/evaluation-file';
import { writeImage } from '../../../../fixtures/generated';

describe('predict inputs', () => {
  let tmp = '';

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'predict-inputs-'));
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('expands folders recursively to their files sorted by path, skipping hidden files; files stay in the order given', async () => {
    const dir = path.join(tmp, 'folder');
    await writeImage(path.join(dir, 'b.png'), 16, 16, 1);
    await writeImage(path.join(dir, 'sub', 'a.jpg'), 16, 16, 2);
    await writeFile(path.join(dir, '.DS_Store'), 'junk');
    await writeFile(path.join(dir, 'notes.txt'), 'text');
    const single = await writeImage(path.join(tmp, 'single.webp'), 16, 16, 3);
    const entries = await expandPaths([single, dir, path.join(tmp, 'nope.png')]);
    expect(entries.map((e) => path.relative(tmp, e.path))).toEqual([
      'single.webp',
      'folder/b.png',
      'folder/notes.txt',
      'folder/sub/a.jpg',
      'nope.png',
    ]);
    expect(entries.slice(0, 4).every((e) => !('error' in e))).toBe(true);
    expect(entries[4]).toMatchObject({ error: expect.stringMatching(/Cannot read ".*nope\.png"/) });
  });

  it('top-k: most probable first, ties in class order, k capped by the classes', () => {
    expect(topK([0.2, 0.5, 0.2, 0.1], ['a', 'b', 'c', 'd'], 3)).toEqual([
      { label: 'b', probability: 0.5 },
      { label: 'a', probability: 0.2 },
      { label: 'c', probability: 0.2 },
    ]);
    expect(topK([0.4, 0.6], ['a', 'b'], 10)).toHaveLength(2);
  });

  it('a folder that is neither a run nor an exported model is refused, naming it', async () => {
    const empty = path.join(tmp, 'empty');
    await mkdir(empty);
    await expect(loadInferenceModel(empty)).rejects.toThrow(
      /"[^"]*empty" is neither a run folder \(no run\.json\) nor an exported TF\.js model folder/,
    );
  });

  it('an exported folder without metadata.json, or with a bad one, is refused naming the file and field', async () => {
    const dir = path.join(tmp, 'export');
    await mkdir(dir);
    await writeFile(path.join(dir, 'model.json'), '{}');
    await expect(loadInferenceModel(dir)).rejects.toThrow(
      /metadata\.json": it does not exist \(it holds the class labels\)/,
    );
    await writeFile(path.join(dir, 'metadata.json'), JSON.stringify({ labels: [], imageSize: 224 }));
    await expect(readModelMetadata(dir)).rejects.toThrow(
      /metadata\.json" is not a valid model metadata file: .*labels/,
    );
  });

  it('evaluation.json: none yet → null; a bad one → an error naming the file and the field', async () => {
    const run = path.join(tmp, 'run');
    await mkdir(run);
    expect(await readEvaluation(run)).toBeNull();
    await writeFile(path.join(run, 'evaluation.json'), JSON.stringify({ version: 1, count: -1 }));
    await expect(readEvaluation(run)).rejects.toThrow(/evaluation\.json" is not a valid evaluation file: .*count/);
    await writeFile(path.join(run, 'evaluation.json'), '{');
    await expect(readEvaluation(run)).rejects.toThrow(/evaluation\.json" is not valid JSON/);
  });
});
