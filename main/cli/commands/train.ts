import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import type { TrainProgress, TrainResponse } from '../../../shared/contract/training';
import { withEngine } from '../engine-session';
import { printJson } from '../output';

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, received ${JSON.stringify(value)}`);
    return n;
  };
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, received ${JSON.stringify(value)}`);
  return n;
}

interface TrainOptions {
  base?: string;
  head?: string;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  optimizer?: 'adam' | 'sgd' | 'rmsprop';
  fineTune?: number;
  fineTuneEpochs?: number;
  augment?: number;
  seed?: number;
  patience?: number;
  out?: string;
  cache?: string;
  resume?: string;
  json?: boolean;
}

/**
 * `transfer-studio train <dir>... [--base ID] [--head SPEC] [--epochs N] [--fine-tune N] [--fine-tune-epochs N]
 * [--augment K] [--seed S] [--out RUN_DIR] [--json]`, or `train --resume RUN_DIR`.
 */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a classifier on folders of images (one sub-folder per class); checkpoints every epoch')
    .argument('[dirs...]', 'image folders: parents of class folders, or class folders')
    .option('--base <id>', 'base model id (see `bases`); default: the bundled MobileNetV2')
    .option('--head <spec>', 'head layers, e.g. "dense:128:relu,dropout:0.2" (the softmax output is added)')
    .option('--epochs <n>', 'head epochs (phase 1); default 20', integer(1))
    .option('--batch-size <n>', 'batch size; default 32', integer(1))
    .option('--learning-rate <x>', 'head learning rate; default 0.001', positive)
    .option('--optimizer <name>', 'adam, sgd or rmsprop; default adam')
    .option('--patience <n>', 'early-stopping patience in epochs (0 = off); default 5', integer(0))
    .option('--fine-tune <n>', 'unfreeze the top N base blocks and fine-tune (phase 2); default 0 (off)', integer(0))
    .option('--fine-tune-epochs <n>', 'fine-tuning epochs; default 5', integer(1))
    .option('--augment <k>', 'augmented variants cached per training image; default 0', integer(0))
    .option('--seed <s>', 'seed of split, initialisation, order, augmentation; default 42', integer(0))
    .option('--out <dir>', 'run folder (checkpoints, run.json, model/); default: a new folder in the app data')
    .option('--cache <dir>', 'feature/pixel cache folder; default: the app cache')
    .option('--resume <dir>', 'continue a stopped run from its last checkpoint')
    .option('--json', 'print one JSON document')
    .action(async (dirs: string[], options: TrainOptions) => {
      if (!options.resume && dirs.length === 0) throw new InvalidArgumentError('give at least one image folder (or --resume RUN_DIR)');
      const bar = !options.json && process.stderr.isTTY ? new SingleBar({ format: '{phase} |{bar}| {value}/{total} {info}', hideCursor: true }) : undefined;
      let phase = '';
      const onProgress = (raw: Record<string, unknown>) => {
        const p = raw as unknown as TrainProgress;
        if (!bar) return;
        const info = [
          p.epoch !== undefined ? `epoch ${p.epoch + 1}/${p.epochs}` : '',
          p.loss !== undefined ? `loss ${p.loss.toFixed(4)}` : '',
          p.accuracy !== undefined ? `acc ${p.accuracy.toFixed(3)}` : '',
          p.valAccuracy !== undefined ? `val_acc ${p.valAccuracy.toFixed(3)}` : '',
          p.imagesPerSecond ? `${p.imagesPerSecond.toFixed(0)} img/s` : '',
          p.etaSeconds !== undefined ? `ETA ${Math.round(p.etaSeconds)}s` : '',
        ].filter(Boolean).join('  ');
        if (p.phase !== phase) {
          if (phase) bar.stop();
          phase = p.phase;
          bar.start(p.total, p.done, { phase: p.phase.padEnd(9), info });
        } else bar.update(p.done, { phase: p.phase.padEnd(9), info });
        bar.setTotal(p.total);
      };
      const config = {
        ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        ...(options.learningRate !== undefined ? { learningRate: options.learningRate } : {}),
        ...(options.optimizer !== undefined ? { optimizer: options.optimizer } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.augment !== undefined ? { augment: options.augment } : {}),
        ...(options.patience !== undefined ? { earlyStopping: { patience: options.patience } } : {}),
        ...(options.fineTune !== undefined || options.fineTuneEpochs !== undefined
          ? { fineTune: { top: options.fineTune ?? 0, ...(options.fineTuneEpochs !== undefined ? { epochs: options.fineTuneEpochs } : {}) } }
          : {}),
      };
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      let result: TrainResponse;
      try {
        result = (await withEngine((engine) =>
          options.resume
            ? engine.call('training.resume', { runDir: path.resolve(options.resume) }, { onProgress, signal: controller.signal })
            : engine.call(
                'training.train',
                {
                  dirs: dirs.map((d) => path.resolve(d)),
                  ...(options.base ? { base: options.base } : {}),
                  ...(options.head !== undefined ? { head: options.head } : {}),
                  ...(options.out ? { runDir: path.resolve(options.out) } : {}),
                  ...(options.cache ? { cacheDir: path.resolve(options.cache) } : {}),
                  config,
                },
                { onProgress, signal: controller.signal },
              ),
        )) as TrainResponse;
      } finally {
        bar?.stop();
        process.off('SIGINT', onSigint);
      }
      const summary = {
        runDir: result.runDir,
        base: result.base,
        backend: result.backend,
        classes: result.classes,
        history: result.history.map(({ epoch, loss, accuracy, valLoss, valAccuracy }) => ({ epoch, loss, accuracy, valLoss, valAccuracy })),
        valAccuracy: result.valAccuracy,
        durationMs: result.durationMs,
      };
      if (options.json) {
        printJson(summary);
        return;
      }
      console.log(`Trained ${result.classes.length} classes (${result.classes.join(', ')}) on ${result.base} [${result.backend}]`);
      console.log(`Validation accuracy ${(result.valAccuracy * 100).toFixed(1)}% (best epoch ${result.bestEpoch + 1}, ${result.stoppedBy}) in ${(result.durationMs / 1000).toFixed(1)} s`);
      console.log(`Run folder: ${result.runDir}`);
    });
}
