/**
 * One short fine-tuning schedule through the product's whole run (trainRun: phase 1 head, then phase 2 unfreezing the
 * top blocks of the base on tfjs), timed from its progress events, to extrapolate what a longer schedule costs.
 */
import path from 'node:path';
import type { TrainConfigInput } from '../../shared/contract/training';
import { trainRun } from '../../main/engine/training/run';

/** What the short schedule measured. */
export interface FineTuneMeasure {
  /** Images the fine-tune phase trained on per second (the product's own progress figure). */
  imagesPerSecond: number;
  /** Wall seconds of the fine-tune phase (first to last progress event). */
  seconds: number;
  /** Training images (phase 2 goes over each once per epoch). */
  trainImages: number;
  valAccuracy: number;
}

/**
 * Trains `dir` (class sub-folders) with a few head epochs, then `fineTune` (default: top 2 blocks, 1 epoch, the
 * product's learning rate), into `runDir`.
 */
export async function measureFineTune(
  dir: string,
  runDir: string,
  cacheDir: string,
  fineTune: NonNullable<TrainConfigInput['fineTune']> = { top: 2, epochs: 1 },
): Promise<FineTuneMeasure> {
  let first = 0;
  let last = 0;
  let imagesPerSecond = 0;
  const run = await trainRun(
    {
      dirs: [dir],
      runDir: path.resolve(runDir),
      cacheDir,
      config: { seed: 1, epochs: 3, fineTune },
    } as never,
    {
      signal: new AbortController().signal,
      progress: (p) => {
        if (p.phase !== 'fine-tune') return;
        const now = performance.now();
        if (first === 0) first = now;
        last = now;
        if (p.imagesPerSecond) imagesPerSecond = p.imagesPerSecond;
      },
    },
  );
  return {
    imagesPerSecond,
    seconds: (last - first) / 1000,
    trainImages: run.trainImages,
    valAccuracy: run.valAccuracy,
  };
}
