/**
 * The Keras training job (`job`): a folder that reproduces a run in TensorFlow on bigger machines —
 * `train.py` (shared/keras-code/train-script.ts), `manifest.csv` (every image with its label and the run's split),
 * `base.h5` (the base as the run started from it, raw 0–255 pixels in, see ./keras-h5.ts) and a README.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { defaultHeadSpec, parseHeadString, type HeadSpec } from '../../../shared/layer-spec';
import { kerasTrainScript } from '../../../shared/keras-code/train-script';
import { StudioError, quote } from '../../../shared/errors';
import { loadBase, type BaseOptions } from '../models/bases/registry';
import { applyFreeze } from '../models/freeze';
import { datasetSpecOf, loadDataset, runSplitOf } from '../training/dataset';
import { jobReadme } from './job-readme';
import { writeKerasModel } from './keras-h5';
import type { ExportRun } from './registry';

/** Files of the job; README.md and labels.txt (the model card, written for every format) come beside them. */
export const JOB_FILES = ['train.py', 'manifest.csv', 'base.h5', 'TRAINING.md'] as const;

/** One manifest row. */
export interface ManifestRow {
  path: string;
  label: string;
  split: 'train' | 'validation' | 'test';
}

/** Writes one CSV field (quoted when it holds a comma, quote or line break). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The run's images with their labels and split, found the way the run found them (same dataset spec, fractions,
 * seed). The test images must be the ones run.json recorded.
 * @throws StudioError CONFLICT when the images changed since the run (classes or test split differ).
 */
export async function runManifest(run: ExportRun, signal: AbortSignal): Promise<ManifestRow[]> {
  const { request } = run.state;
  const data = await loadDataset(
    await datasetSpecOf(request),
    runSplitOf(request.split, request.config),
    undefined,
    signal,
  );
  const recordedTest = (run.state.test?.images ?? []).map((i) => i.path).sort();
  const foundTest = data.test.map((i) => i.path).sort();
  if (data.classes.join('\n') !== run.classes.join('\n') || recordedTest.join('\n') !== foundTest.join('\n')) {
    throw new StudioError(
      'CONFLICT',
      `The images of the run in ${quote(run.runDir)} changed since it trained (classes ${quote(data.classes)} now, ` +
        `${quote(run.classes)} then; ${foundTest.length} test images now, ${recordedTest.length} recorded), so its split cannot be reproduced.`,
      { runDir: run.runDir },
    );
  }
  const rows = (split: ManifestRow['split'], images: { path: string; label: number }[]) =>
    images.map((i) => ({ path: i.path, label: data.classes[i.label]!, split }));
  return [...rows('train', data.train), ...rows('validation', data.validation), ...rows('test', data.test)];
}

/** manifest.csv text: a `path,label,split` header and one row per image. */
export function manifestCsv(rows: readonly ManifestRow[]): string {
  return ['path,label,split', ...rows.map((r) => [r.path, r.label, r.split].map(csvField).join(','))].join('\n') + '\n';
}

/** The run's head spec (request.head as given: a spec, a CLI string, or the default). */
export function runHeadSpec(head: HeadSpec | string | undefined): HeadSpec {
  return head === undefined ? defaultHeadSpec() : typeof head === 'string' ? parseHeadString(head) : head;
}

/** Options of {@link writeJob}. */
export interface JobOptions extends BaseOptions {
  signal: AbortSignal;
}

/**
 * Writes the training job folder for a completed run.
 * @returns the files written, relative to dir.
 */
export async function writeJob(run: ExportRun, dir: string, options: JobOptions): Promise<string[]> {
  const { config } = run.state.request;
  const rows = await runManifest(run, options.signal);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'manifest.csv'), manifestCsv(rows));
  const base = await loadBase(run.base.id, options.cacheDir ? { cacheDir: options.cacheDir } : {});
  let fineTuneLayers: string[];
  try {
    const top = config.fineTune.top;
    fineTuneLayers =
      top > 0
        ? applyFreeze(base.model, { mode: config.fineTune.unit === 'blocks' ? 'topBlocks' : 'topLayers', n: top })
            .trainable
        : [];
    await writeKerasModel(base.model, base.info.scaling, path.join(dir, 'base.h5'));
  } finally {
    base.model.dispose();
  }
  const head = runHeadSpec(run.state.request.head);
  const script = kerasTrainScript({
    model: { base: run.base, head, numClasses: run.classes.length },
    classes: run.classes,
    config,
    preprocess: run.preprocess,
    fineTuneLayers,
    runId: path.basename(run.runDir),
  });
  await fs.writeFile(path.join(dir, 'train.py'), script);
  const counts = { train: 0, validation: 0, test: 0 };
  for (const row of rows) counts[row.split]++;
  await fs.writeFile(path.join(dir, 'TRAINING.md'), jobReadme({ run, counts, fineTuneLayers }));
  return [...JOB_FILES];
}
