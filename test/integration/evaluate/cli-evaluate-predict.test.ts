/**
 * `transfer-studio evaluate` and `transfer-studio predict` through the built CLI (real engine process,
 * MobileNetV2 on wasm) on a run trained in-process on sharp-made images with a test split: JSON and human
 * output, --data with an unknown class, a non-image file as an error row, --top and --csv.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeColourImages } from '../../fixtures/colour-images';
import { trainRun } from '../../../main/engine/training/run';
import { readEvaluation } from '../../../main/engine/evaluate/evaluation-file';
import { backendReady } from '../../../main/engine/runtime';
import { Evaluation } from '../../../shared/contract/evaluate';
import type { TrainResponse } from '../../../shared/contract/training';

const exec = promisify(execFile);

describe('transfer-studio evaluate / predict (built CLI)', () => {
  let tmp = '';
  let images = '';
  let run: TrainResponse;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[]) =>
    exec(process.execPath, ['bin/transfer-studio.js', ...args], { env, maxBuffer: 64 * 1024 * 1024 });

  beforeAll(async () => {
    process.env.TRANSFER_STUDIO_BACKEND = 'wasm';
    await backendReady();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-evaluate-'));
    env = { ...process.env, TRANSFER_STUDIO_BACKEND: 'wasm', TRANSFER_STUDIO_CONFIG_DIR: path.join(tmp, 'config') };
    images = path.join(tmp, 'images');
    await writeColourImages(path.join(images, 'red'), { r: 210, g: 40, b: 30 }, 10);
    await writeColourImages(path.join(images, 'blue'), { r: 30, g: 50, b: 210 }, 10);
    const quiet = { signal: new AbortController().signal, progress: () => undefined };
    run = await trainRun(
      {
        dirs: [images],
        runDir: path.join(tmp, 'run'),
        cacheDir: path.join(tmp, 'cache'),
        split: { train: 0.6, validation: 0.2, test: 0.2, seed: 2 },
        config: { epochs: 15, seed: 2, batchSize: 4 },
      } as never,
      quiet,
    );
  }, 300_000);

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('evaluate --json prints the evaluation of the test split, the same as evaluation.json', async () => {
    const { stdout } = await cli(['evaluate', run.runDir, '--json']);
    const printed = Evaluation.parse(JSON.parse(stdout));
    const saved = (await readEvaluation(run.runDir))!;
    expect(printed.count).toBe(run.testImages);
    expect(printed.count).toBeGreaterThan(0);
    expect(printed.writtenAt).toBe(saved.writtenAt);
    expect(printed.accuracy).toBe(saved.accuracy);
    expect(printed.classes).toEqual(['blue', 'red']);
  });

  it('evaluate prints a readable report with the confusion matrix as text', async () => {
    const { stdout } = await cli(['evaluate', run.runDir]);
    expect(stdout).toMatch(/Evaluated .* on its held-out test split: \d+ images, 2 classes/);
    expect(stdout).toMatch(/Accuracy \d+\.\d% \(95% interval \d+\.\d%–\d+\.\d%\)/);
    expect(stdout).toMatch(/class\s+precision\s+recall\s+F1\s+support/);
    expect(stdout).toMatch(
      /Confusion matrix \(rows: actual class, columns: predicted class\)\n\s+blue\s+red\nblue\s+\d+\s+\d+\nred\s+\d+\s+\d+/,
    );
    expect(stdout).toMatch(/Small test set/);
    // The run fitted a temperature on its validation split: T and the ECE before → after.
    expect(stdout).toMatch(
      /\nProbabilities (calibrated \(T = \d+\.\d\d\): ECE \d\.\d{4} → \d\.\d{4}|left as they are \(T = 1\.00 fitted on validation\))\n/,
    );
    console.log(stdout);
  });

  it('evaluate --data with a class the run does not know exits non-zero naming it', async () => {
    const folder = path.join(tmp, 'other');
    await writeColourImages(path.join(folder, 'green'), { r: 30, g: 200, b: 30 }, 1);
    const failure = await cli(['evaluate', run.runDir, '--data', folder]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toMatch(/class folders the run does not know: "green"/);
  });

  it('predict --json --top 1 --csv: one row per file, a non-image file gets its error, the CSV has the same rows', async () => {
    const notImage = path.join(tmp, 'readme.txt');
    await writeFile(notImage, 'hello');
    const csv = path.join(tmp, 'out.csv');
    const { stdout } = await cli([
      'predict',
      run.runDir,
      path.join(images, 'red'),
      notImage,
      '--top',
      '1',
      '--csv',
      csv,
      '--json',
    ]);
    const printed = JSON.parse(stdout) as {
      predictions: (
        | { path: string; label: string; probability: number; top: { label: string; probability: number }[] }
        | { path: string; error: string }
      )[];
    };
    expect(Object.keys(printed)).toEqual(['predictions']);
    expect(printed.predictions).toHaveLength(11);
    const [first] = printed.predictions;
    expect(Object.keys(first!)).toEqual(['path', 'label', 'probability', 'top']);
    expect(
      printed.predictions
        .slice(0, 10)
        .every((row) => 'top' in row && row.top.length === 1 && row.top[0]!.label === row.label),
    ).toBe(true);
    expect(printed.predictions[10]).toMatchObject({ path: notImage, error: expect.stringContaining('readme.txt') });
    const right = printed.predictions.filter((row) => 'label' in row && row.label === 'red').length;
    console.log(`predict: ${right}/10 red images predicted red`);
    const lines = (await readFile(csv, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('path,label,probability,top,error');
    expect(lines).toHaveLength(12);
    expect(lines[11]).toMatch(/readme\.txt,,,,/);
  });

  it('predict prints a readable table', async () => {
    const { stdout } = await cli([
      'predict',
      run.runDir,
      path.join(images, 'blue', '0.png'),
      path.join(images, 'red', '0.png'),
    ]);
    expect(stdout).toMatch(/prob\s+label\s+path/);
    expect(stdout).toMatch(/\d+\.\d%\s+(blue|red)\s+\S+0\.png\s+\[(blue|red) \d+\.\d%\]/);
    expect(stdout).toMatch(/2 image\(s\) predicted in/);
    expect(stdout).toMatch(/engine: (ONNX Runtime \(\w+\)|tfjs — .+)/);
  });
});
