/**
 * `npm run bench -- calibration [--json] [--per-class N] [--test-per-class M] [--epochs E --patience P --restore 0|1]` (format:
 * DESIGN.md §9; issue 14 item 3). Fashion-MNIST (Debian's set), N training images per class (default 100; 20 % of
 * them validation), trained with the default settings (or E head epochs and early-stopping patience P, e.g.
 * `--epochs 60 --patience 0 --restore 0` for an over-trained, over-confident head) on the bundled MobileNetV2; the run fits
 * its temperature on the validation
 * split. Then M images per class of the official test set (t10k, default 100) are scored with the calibrated
 * model: expected calibration error before (raw probabilities) and after temperature scaling, on validation
 * (run.json) and on the test images. Ratio: testEceAfterOverBefore (< 1: calibration helped).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { printReport } from './report';
import { fashionMnistFolders } from '../test/fixtures/fashion-mnist';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const perClass = option('--per-class', 100);
const testPerClass = option('--test-per-class', 100);
const epochs = option('--epochs', 0);
const patience = option('--patience', -1);
const restore = option('--restore', 1) !== 0;
const tmp = await mkdtemp(path.join(os.tmpdir(), 'ts-bench-calibration-'));
const { trainRun } = await import('../main/engine/training/run');
const { evaluateRun } = await import('../main/engine/evaluate/evaluate');
const { readRunState } = await import('../main/engine/run-folder/run-file');
const { backendReady } = await import('../main/engine/runtime');

try {
  const backend = (await backendReady()).name;
  const train = await fashionMnistFolders({ perClass });
  const test = await fashionMnistFolders({ perClass: testPerClass, set: 't10k' });
  const quiet = { signal: new AbortController().signal, progress: () => undefined };
  const started = performance.now();
  const run = await trainRun(
    {
      dirs: [train],
      runDir: path.join(tmp, 'run'),
      cacheDir: path.join(tmp, 'cache'),
      split: { train: 0.8, validation: 0.2, test: 0, seed: 1 },
      config: {
        seed: 1,
        ...(epochs > 0 ? { epochs } : {}),
        ...(patience >= 0 || !restore
          ? { earlyStopping: { ...(patience >= 0 ? { patience } : {}), restoreBestWeights: restore } }
          : {}),
      },
    } as never,
    quiet,
  );
  const trainSeconds = (performance.now() - started) / 1000;
  const calibration = (await readRunState(run.runDir)).calibration;
  if (calibration?.status !== 'applied') throw new Error(`the run was not calibrated: ${JSON.stringify(calibration)}`);
  const scored = await evaluateRun({ runDir: run.runDir, dataDir: test, batchSize: 32 }, quiet);
  const before = scored.calibration.eceBefore ?? Number.NaN;
  const after = scored.calibration.ece ?? Number.NaN;
  if (!process.argv.includes('--json')) {
    console.log(
      `${perClass * 10} training images (${calibration.images} validation), ${scored.count} official test images; ` +
        `T = ${calibration.temperature.toFixed(3)}; test accuracy ${scored.accuracy?.toFixed(3)}`,
    );
  }
  printReport({
    bench: 'calibration',
    backend,
    units: { trainSeconds: 's' },
    results: {
      temperature: calibration.temperature,
      valImages: calibration.images,
      valNllBefore: calibration.nllBefore,
      valNllAfter: calibration.nllAfter,
      valEceBefore: calibration.eceBefore,
      valEceAfter: calibration.eceAfter,
      testImages: scored.count,
      testAccuracy: scored.accuracy ?? Number.NaN,
      testEceBefore: before,
      testEceAfter: after,
      trainSeconds,
    },
    ratios: {
      testEceAfterOverBefore: after / before,
      valEceAfterOverBefore: calibration.eceAfter / calibration.eceBefore,
    },
  });
} finally {
  await rm(tmp, { recursive: true, force: true });
}
