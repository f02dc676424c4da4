/**
 * `npm run bench -- quality [--json] [--quick]` (format: DESIGN.md §9; issue 14, item 2 and the targets): what makes
 * better models by default, measured on two tasks built in the set-up (bench/quality/datasets.ts):
 * - fmnist: Debian's Fashion-MNIST, 1,000 training images per class, scored on the official 10,000 test images;
 * - style: Phosphor icons (MIT), six categories, trained on the regular/bold/fill weights, scored on thin + duotone.
 * Every setting trains a head with the product's own phase on features of the bundled MobileNetV2 (ONNX Runtime,
 * cached on disk under .fixtures/quality-features) and is scored on the held-out set: accuracy, ECE before/after
 * temperature scaling, head seconds and the extraction seconds of the rows it used. Costly variants (augmentation,
 * flip TTA, the second base) run on stated subsets, each next to the default head on the same subset.
 * `--quick`: 100 training images per class and 2,000 test images for fmnist, 20 icons per class, no fine-tuning.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { printReport } from './report';
import { fashionTask, styleTask, type Task } from './quality/datasets';
import { extractMatrix, tapBase, type FeatureMatrix, type TappedBase, type Variant } from './quality/features';
import {
  firstPerClass,
  runSetting,
  type ExperimentResult,
  type Setting,
  type TaskFeatures,
} from './quality/experiment';
import { measureFineTune } from './quality/fine-tune';
import { meanResult, slug, table, type Row } from './quality/summary';
import { FIXTURES_ROOT } from '../test/fixtures/fashion-mnist';

const quick = process.argv.includes('--quick');
/** `--only fmnist|style`: run one task. Default: both. */
const only = option('--only');
/** `--match TEXT`: run only the settings whose name contains TEXT (summary figures need their settings). Default: all. */
const match = option('--match');
/** Seeds each setting is trained with (results are their mean): `--seeds N`. Default: 3 for style, 1 for fmnist. */
const seedsOption = option('--seeds');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const json = process.argv.includes('--json');
const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
const CACHE = path.join(FIXTURES_ROOT, 'quality-features');
/** Inner MobileNetV2 layers whose pooled outputs are concatenated with the pooled feature (28², 14², 7² grids). */
const TAPS = ['block_6_expand_relu', 'block_13_expand_relu', 'block_16_expand_relu'];

/** Sizes of each task's subsets: [full, quick]. */
const SIZES = {
  fmnist: {
    perClass: quick ? 100 : 1000,
    testPerClass: quick ? 200 : 1000,
    augmentPerClass: quick ? 20 : 100,
    flipTestPerClass: quick ? 50 : 200,
    secondTrainPerClass: quick ? 10 : 20,
    secondTestPerClass: quick ? 10 : 30,
  },
  /** Every `secondEvery`-th training image gets the second base's features (all test images do). */
  style: { perClass: quick ? 20 : 50, secondEvery: 3 },
};

const tmp = await mkdtemp(path.join(os.tmpdir(), 'ts-bench-quality-'));
process.env.TRANSFER_STUDIO_CACHE ??= path.join(tmp, 'cache');
const { backendReady } = await import('../main/engine/runtime');
const { loadBase } = await import('../main/engine/models/bases/registry');

/** The settings every task runs, in table order. */
function settings(task: string): Setting[] {
  const fmnist = task === 'fmnist';
  const augmentSubset = fmnist ? ` [${SIZES.fmnist.augmentPerClass}/class train]` : '';
  const flipSubset = fmnist ? ` [${SIZES.fmnist.flipTestPerClass * 10} test images]` : '';
  return [
    { name: 'linear probe (pooled 1280-d)', head: { layers: [] } },
    { name: 'default head (Dense 128 relu, Dropout 0.2)' },
    { name: 'head Dense 512, Dropout 0.5', head: 'dense:512:relu,dropout:0.5' },
    { name: 'head Dense 128, Dropout 0.5', head: 'dense:128:relu,dropout:0.5' },
    { name: 'label smoothing 0.1', config: { labelSmoothing: 0.1 } },
    { name: 'up to 60 epochs (early stopping decides)', config: { epochs: 60 } },
    { name: 'linear probe, up to 60 epochs', head: { layers: [] }, config: { epochs: 60 } },
    {
      name: 'head Dense 512, Dropout 0.5, up to 60 epochs',
      head: 'dense:512:relu,dropout:0.5',
      config: { epochs: 60 },
    },
    { name: 'multi-layer: + block 16 pooled', layers: ['block_16_expand_relu', 'feature'] },
    {
      name: 'multi-layer: + blocks 13, 16 pooled',
      layers: ['block_13_expand_relu', 'block_16_expand_relu', 'feature'],
    },
    { name: 'multi-layer: + blocks 6, 13, 16 pooled', layers: [...TAPS, 'feature'] },
    {
      name: 'multi-layer 6, 13, 16 + label smoothing 0.1',
      layers: [...TAPS, 'feature'],
      config: { labelSmoothing: 0.1 },
    },
    ...(fmnist ? [{ name: `default head${flipSubset}`, flippedSubset: true }] : []),
    { name: `flip TTA${flipSubset}`, flipTta: true },
    { name: `multi-layer 6, 13, 16 + flip TTA${flipSubset}`, layers: [...TAPS, 'feature'], flipTta: true },
    ...(fmnist ? [{ name: `default head${augmentSubset}`, trainPerClass: SIZES.fmnist.augmentPerClass }] : []),
    { name: `augment ×2, product default${augmentSubset}`, augment: 'default' },
    { name: `augment ×2, up to 60 epochs${augmentSubset}`, augment: 'default', config: { epochs: 60 } },
    { name: 'default head [2-base subset]', secondSubset: true },
    { name: 'both bases: + InceptionV3 pooled 2048-d [2-base subset]', secondBase: true },
  ];
}

/** Augmentations the settings use (name → options): the product's default. */
const AUGMENTATIONS: Record<string, Record<string, number>> = { default: {} };

async function matrix(
  tapped: TappedBase,
  task: Task,
  which: 'train' | 'test',
  images: number[],
  variant: Variant,
  label: string,
): Promise<FeatureMatrix> {
  const list = images.map((i) => task[which].images[i]!);
  const started = performance.now();
  const m = await extractMatrix({
    tapped,
    images: list,
    variant,
    cacheDir: CACHE,
    setKey: `${task.name}-${which}-${task[which].images.length}-${images.length}-${images[0]}-${images.at(-1)}`,
  });
  const wall = (performance.now() - started) / 1000;
  log(
    `  ${task.name} ${which} ${label}: ${list.length} images, ${m.seconds.toFixed(1)} s (${wall > 1 ? 'computed' : 'cached'})`,
  );
  return m;
}

/** Every feature matrix a task's settings need. */
async function taskFeatures(task: Task, mobilenet: TappedBase, inception: TappedBase): Promise<TaskFeatures> {
  const all = (which: 'train' | 'test') => [...task[which].images.keys()];
  const trainLabels = Int32Array.from(task.train.images, (i) => i.label);
  const testLabels = Int32Array.from(task.test.images, (i) => i.label);
  const fmnist = task.name === 'fmnist';
  const plain: Variant = { kind: 'plain' };
  const train = await matrix(mobilenet, task, 'train', all('train'), plain, 'MobileNetV2 + taps');
  const test = await matrix(mobilenet, task, 'test', all('test'), plain, 'MobileNetV2 + taps');
  const flipImages = fmnist ? firstPerClass(testLabels, SIZES.fmnist.flipTestPerClass) : all('test');
  const flipped = {
    images: flipImages,
    matrix: await matrix(mobilenet, task, 'test', flipImages, { kind: 'flip' }, 'mirrored'),
  };
  const augmentImages = fmnist ? firstPerClass(trainLabels, SIZES.fmnist.augmentPerClass) : all('train');
  const augmented: NonNullable<TaskFeatures['augmented']> = {};
  for (const name of ['default']) {
    const matrices: FeatureMatrix[] = [];
    for (const index of [1, 2]) {
      const variant: Variant = { kind: 'augment', index, seed: 1, options: AUGMENTATIONS[name]! };
      matrices.push(await matrix(mobilenet, task, 'train', augmentImages, variant, `augmented (${name}) #${index}`));
    }
    augmented[name] = { images: augmentImages, matrices };
  }
  const secondTrain = fmnist
    ? firstPerClass(trainLabels, SIZES.fmnist.secondTrainPerClass)
    : all('train').filter((i) => i % SIZES.style.secondEvery === 0);
  const secondTest = fmnist ? firstPerClass(testLabels, SIZES.fmnist.secondTestPerClass) : all('test');
  const second = {
    trainImages: secondTrain,
    testImages: secondTest,
    train: await matrix(inception, task, 'train', secondTrain, plain, 'InceptionV3'),
    test: await matrix(inception, task, 'test', secondTest, plain, 'InceptionV3'),
  };
  return { numClasses: task.train.classes.length, trainLabels, testLabels, train, test, flipped, augmented, second };
}

/** Extraction speed of the pooled feature alone vs with the inner taps, on the same images in this run. */
async function tapCost(
  task: Task,
  plainBase: TappedBase,
  tapped: TappedBase,
): Promise<{ plain: number; taps: number }> {
  const images = task.train.images.slice(0, quick ? 64 : 256);
  const speed = async (t: TappedBase) => {
    const m = await extractMatrix({
      tapped: t,
      images,
      variant: { kind: 'plain' },
      cacheDir: path.join(tmp, 'timing'),
      setKey: `timing-${Date.now()}`,
    });
    return images.length / m.seconds;
  };
  return { plain: await speed(plainBase), taps: await speed(tapped) };
}

/** The named results and ratios of a task (DESIGN.md §9): default, linear probe and best, and same-run ratios. */
function summarise(
  task: Task,
  rows: Row[],
  results: Record<string, number>,
  units: Record<string, 's' | 'img/s'>,
  ratios: Record<string, number>,
): void {
  const fmnist = task.name === 'fmnist';
  const of = (name: string) => rows.find((r) => r.dataset === task.name && r.result.setting.startsWith(name))!.result;
  const fullTest = rows.filter(
    (r) =>
      r.dataset === task.name &&
      r.result.trainImages === task.train.images.length &&
      r.result.testImages === task.test.images.length,
  );
  const best = fullTest.reduce((a, b) => (b.result.accuracy > a.result.accuracy ? b : a)).result;
  const def = of('default head (');
  const probe = of('linear probe');
  results[`${task.name}Default`] = def.accuracy;
  results[`${task.name}LinearProbe`] = probe.accuracy;
  results[`${task.name}Best`] = best.accuracy;
  results[`${task.name}DefaultEce`] = def.ece;
  results[`${task.name}DefaultEceAfterTemperature`] = def.eceAfterTemperature;
  results[`${task.name}BestEceAfterTemperature`] = best.eceAfterTemperature;
  results[`${task.name}DefaultSeconds`] = def.headSeconds + def.extractSeconds;
  units[`${task.name}DefaultSeconds`] = 's';
  ratios[`${task.name}BestOverDefault`] = best.accuracy / def.accuracy;
  ratios[`${task.name}DefaultOverLinearProbe`] = def.accuracy / probe.accuracy;
  const longProbe = rows.find((r) => r.dataset === task.name && r.result.setting.startsWith('linear probe, up to 60'));
  if (longProbe) {
    results[`${task.name}LinearProbe60Epochs`] = longProbe.result.accuracy;
    ratios[`${task.name}DefaultOverLinearProbe60Epochs`] = def.accuracy / longProbe.result.accuracy;
  }
  const flipBaseline = fmnist ? of(`default head [${SIZES.fmnist.flipTestPerClass * 10} test`) : def;
  ratios[`${task.name}FlipTtaOverPlain`] = of('flip TTA').accuracy / flipBaseline.accuracy;
  ratios[`${task.name}BothBasesOverMobileNet`] = of('both bases').accuracy / of('default head [2-base').accuracy;
  log(`  best on the full test set: ${best.setting} (${best.accuracy.toFixed(3)})`);
}

try {
  const backend = (await backendReady()).name;
  const started = performance.now();
  const mobilenetBase = await loadBase('nsfwjs-mobilenet-v2');
  const inceptionBase = await loadBase('nsfwjs-inception-v3');
  const mobilenet = tapBase(mobilenetBase, TAPS);
  const inception = tapBase(inceptionBase, []);
  const style = await styleTask(SIZES.style.perClass);
  const tasks = [
    ...(only === undefined || only === 'style' ? [style] : []),
    ...(only === undefined || only === 'fmnist'
      ? [await fashionTask(SIZES.fmnist.perClass, SIZES.fmnist.testPerClass)]
      : []),
  ];
  const rows: Row[] = [];
  const results: Record<string, number> = {};
  const units: Record<string, 's' | 'img/s'> = {};
  const ratios: Record<string, number> = {};
  for (const task of tasks) {
    log(`${task.name}: ${task.train.images.length} training images, test: ${task.testNote}; features:`);
    const features = await taskFeatures(task, mobilenet, inception);
    for (const setting of settings(task.name).filter((s) => match === undefined || s.name.includes(match))) {
      const seeds = Number(seedsOption ?? (task.name === 'style' ? 3 : 1));
      const runs: ExperimentResult[] = [];
      for (let seed = 1; seed <= seeds; seed++) runs.push(await runSetting(features, setting, seed));
      const result = meanResult(runs);
      rows.push({ dataset: task.name, result });
      log(
        `  ${setting.name}: accuracy ${result.accuracy.toFixed(3)} ± ${result.accuracySd.toFixed(3)} (${seeds} seeds), ECE ${result.ece.toFixed(3)} → ${result.eceAfterTemperature.toFixed(3)}, head ${result.headSeconds.toFixed(1)} s`,
      );
      const key = `${task.name}.${slug(setting.name)}`;
      results[`${key}.accuracy`] = result.accuracy;
      results[`${key}.seconds`] = result.headSeconds + result.extractSeconds;
      units[`${key}.seconds`] = 's';
    }
    if (match === undefined) summarise(task, rows, results, units, ratios);
  }
  // The extraction-cost comparison and the fine-tune measure run with the fmnist task, when every setting runs.
  const extras = only !== 'style' && match === undefined;
  const cost = !extras ? undefined : await tapCost(style, tapBase(mobilenetBase, []), mobilenet);
  if (cost) {
    results.extractPooledImagesPerSecond = cost.plain;
    results.extractWithTapsImagesPerSecond = cost.taps;
    units.extractPooledImagesPerSecond = 'img/s';
    units.extractWithTapsImagesPerSecond = 'img/s';
    ratios.tapsOverPooledSpeed = cost.taps / cost.plain;
  }
  if (!quick && extras) {
    const { phosphorFolders } = await import('./quality/phosphor');
    const folders = await phosphorFolders({ weights: ['regular'], perClass: SIZES.style.perClass });
    const fine = await measureFineTune(folders.regular!, path.join(tmp, 'fine-tune-run'), path.join(tmp, 'ft-cache'));
    results.fineTuneImagesPerSecond = fine.imagesPerSecond;
    results.fineTuneSeconds = fine.seconds;
    units.fineTuneImagesPerSecond = 'img/s';
    units.fineTuneSeconds = 's';
    // One epoch of top-2-block fine-tuning over Fashion-MNIST's 8,000 training images (80% of 1,000 × 10).
    results.fineTuneFmnistEpochSecondsEstimate = 8000 / fine.imagesPerSecond;
    units.fineTuneFmnistEpochSecondsEstimate = 's';
    log(
      `fine-tune (top 2 blocks, 1 epoch, ${fine.trainImages} images): ${fine.imagesPerSecond.toFixed(1)} img/s, ${fine.seconds.toFixed(0)} s`,
    );
  }
  results.totalSeconds = (performance.now() - started) / 1000;
  units.totalSeconds = 's';
  log('');
  log(table(rows));
  printReport({ bench: 'quality', backend: `${backend} heads + onnxruntime extraction`, units, results, ratios });
} finally {
  await rm(tmp, { recursive: true, force: true });
}
