import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import type { RequestOf } from '../../../shared/contract';
import type { ProjectFile } from '../../../shared/contract/project';
import type {
  AutoRecord,
  TrainConfigInput,
  TrainProgress,
  TrainRequest,
  TrainResponse,
} from '../../../shared/contract/training';
import { withEngine } from '../engine-session';
import { printJson } from '../output';
import { checkHeadOption, headOptionHelp } from './summary';
import { isErrorData } from '../../../shared/errors';
import { EXIT_INTERRUPTED, handleInterrupts } from '../interrupt';
import { budgetOption, describePlan, planAuto } from '../auto-plan';

/** A path as a shell word: unchanged when safe, else single-quoted. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`expected an integer ≥ ${min}, received ${JSON.stringify(value)}`);
    return n;
  };
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number, received ${JSON.stringify(value)}`);
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
  /** false with --no-calibrate. */
  calibrate?: boolean;
  out?: string;
  cache?: string;
  resume?: string;
  allowChangedData?: boolean;
  project?: string;
  budget?: number;
  json?: boolean;
}

/**
 * The request the app sends for a project (renderer buildTrainRequest): the project's dataset (sources
 * and class edits), split (fractions and seed), base, head and training config (`overrides` on top),
 * recorded in the project. @throws InvalidArgumentError when the project has no dataset yet.
 */
export function projectTrainRequest(
  projectDir: string,
  project: ProjectFile,
  overrides: TrainConfigInput = {},
): TrainRequest {
  if (!project.dataset) {
    throw new InvalidArgumentError(
      `the project in ${JSON.stringify(projectDir)} has no images yet: add folders on its Data step, or give image folders`,
    );
  }
  const { fineTune, earlyStopping, ...rest } = overrides;
  const config = {
    ...project.training,
    ...rest,
    earlyStopping: { ...project.training.earlyStopping, ...earlyStopping },
    fineTune: { ...project.training.fineTune, ...fineTune },
  } as TrainRequest['config'];
  return {
    dataset: project.dataset,
    split: { ...project.split.fractions, seed: project.split.seed },
    base: project.base.id,
    head: project.head,
    projectDir,
    config,
  };
}

/**
 * `transfer-studio train <dir>... [--base ID] [--head SPEC] [--epochs N] [--fine-tune N] [--fine-tune-epochs N]
 * [--augment K] [--seed S] [--out RUN_DIR] [--project DIR] [--json]`, or `train --resume RUN_DIR`.
 * `train --project DIR` with no folders trains what the app would for that project (its dataset,
 * split, base, head and config; flags override config fields); with folders, it trains those and
 * records the run in the project.
 */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a classifier on folders of images (one sub-folder per class); checkpoints every epoch')
    .argument('[dirs...]', 'image folders: parents of class folders, or class folders')
    .option('--base <id>', 'base model id (see `bases`); default: the bundled MobileNetV2')
    .option('--head <spec>', headOptionHelp('"dense:128:relu,dropout:0.2"'), checkHeadOption)
    .option('--epochs <n>', 'head epochs (phase 1); default 20', integer(1))
    .option('--batch-size <n>', 'feature rows per head step; default 128 (fine-tuning: at most 32 images)', integer(1))
    .option('--learning-rate <x>', 'head learning rate; default 0.003', positive)
    .option('--optimizer <name>', 'adam, sgd or rmsprop; default adam')
    .option('--patience <n>', 'early-stopping patience in epochs (0 = off); default 5', integer(0))
    .option('--fine-tune <n>', 'unfreeze the top N base blocks and fine-tune (phase 2); default 0 (off)', integer(0))
    .option('--fine-tune-epochs <n>', 'fine-tuning epochs; default 5', integer(1))
    .option('--augment <k>', 'augmented variants cached per training image; default 0', integer(0))
    .option('--seed <s>', 'seed of split, initialisation, order, augmentation; default 42', integer(0))
    .option('--no-calibrate', 'keep raw probabilities: no temperature fitted on validation; default: calibrated')
    .option('--out <dir>', 'run folder (checkpoints, run.json, model/); default: a new folder in the app data')
    .option('--cache <dir>', 'feature/pixel cache folder; default: the app cache')
    .option('--resume <dir>', 'continue a stopped run from its last checkpoint')
    .option(
      '--allow-changed-data',
      'with --resume: continue although the images changed since the run started (recorded in run.json); default: refuse, naming what changed',
    )
    .option(
      '--project <dir>',
      "record the run in this project (run and cache inside it); without folders, train the project's dataset, split, base, head and config",
    )
    .option(
      '--budget <time>',
      'time budget, e.g. 90s, 5m, 1h: chooses base, epochs, augmentation and fine-tuning from the data (flags win) and stops fine-tuning in time',
      budgetOption,
    )
    .option('--json', 'print one JSON document')
    .action(async (dirs: string[], options: TrainOptions) => {
      if (options.resume && options.budget !== undefined) {
        throw new InvalidArgumentError('--budget starts a new run; a resumed run keeps the budget it started with');
      }
      if (!options.resume && !options.project && dirs.length === 0) {
        throw new InvalidArgumentError('give at least one image folder (or --project DIR, or --resume RUN_DIR)');
      }
      const bar =
        !options.json && process.stderr.isTTY
          ? new SingleBar({ format: '{phase} |{bar}| {value}/{total} {info}', hideCursor: true })
          : undefined;
      let phase = '';
      const onProgress = (p: TrainProgress) => {
        if (!bar) return;
        const info = [
          p.epoch !== undefined ? `epoch ${p.epoch + 1}/${p.epochs}` : '',
          p.loss !== undefined ? `loss ${p.loss.toFixed(4)}` : '',
          p.accuracy !== undefined ? `acc ${p.accuracy.toFixed(3)}` : '',
          p.valAccuracy !== undefined ? `val_acc ${p.valAccuracy.toFixed(3)}` : '',
          p.imagesPerSecond ? `${p.imagesPerSecond.toFixed(0)} img/s` : '',
          p.etaSeconds !== undefined ? `ETA ${Math.round(p.etaSeconds)}s` : '',
        ]
          .filter(Boolean)
          .join('  ');
        if (p.phase !== phase) {
          if (phase) bar.stop();
          phase = p.phase;
          bar.start(p.total, p.done, { phase: p.phase.padEnd(9), info });
        } else bar.update(p.done, { phase: p.phase.padEnd(9), info });
        bar.setTotal(p.total);
      };
      const config: TrainConfigInput = {
        ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        ...(options.learningRate !== undefined ? { learningRate: options.learningRate } : {}),
        ...(options.optimizer !== undefined ? { optimizer: options.optimizer } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.augment !== undefined ? { augment: options.augment } : {}),
        ...(options.patience !== undefined ? { earlyStopping: { patience: options.patience } } : {}),
        ...(options.calibrate === false ? { calibrate: false } : {}),
        ...(options.fineTune !== undefined || options.fineTuneEpochs !== undefined
          ? {
              fineTune: {
                top: options.fineTune ?? 0,
                ...(options.fineTuneEpochs !== undefined ? { epochs: options.fineTuneEpochs } : {}),
              },
            }
          : {}),
      };
      const controller = new AbortController();
      const stopHandling = handleInterrupts({
        first: () => {
          bar?.stop();
          process.stderr.write('Cancelling: the best weights so far are kept (press Ctrl-C again to quit at once)…\n');
          controller.abort();
        },
        cleanup: () => bar?.stop(),
      });
      let result: TrainResponse;
      let auto: (AutoRecord & { summary: string }) | undefined;
      try {
        result = await withEngine(async (engine) => {
          const call = { onProgress, signal: controller.signal };
          if (options.resume) {
            const resume = {
              runDir: path.resolve(options.resume),
              ...(options.allowChangedData ? { allowChangedData: true } : {}),
            };
            return engine.call('training.resume', resume, call);
          }
          const projectDir = options.project ? path.resolve(options.project) : undefined;
          let request: RequestOf<'training.train'>;
          if (projectDir && dirs.length === 0) {
            const opened = await engine.call('project.open', { dir: projectDir, remember: false });
            request = projectTrainRequest(opened.dir, opened.project, config);
            if (options.base) request.base = options.base;
            if (options.head !== undefined) request.head = options.head;
          } else {
            request = {
              dirs: dirs.map((d) => path.resolve(d)),
              ...(options.base ? { base: options.base } : {}),
              ...(options.head !== undefined ? { head: options.head } : {}),
              ...(projectDir ? { projectDir } : {}),
              config,
            };
          }
          if (options.out) request.runDir = path.resolve(options.out);
          if (options.cache) request.cacheDir = path.resolve(options.cache);
          if (options.budget !== undefined) {
            const plan = await planAuto(engine, request, options.budget, config, options.base !== undefined);
            auto = { ...plan.record, summary: describePlan(plan, request)[0]! };
            if (!options.json) process.stderr.write(`${describePlan(plan, request).join('\n')}\n`);
          }
          return engine.call('training.train', request, call);
        });
      } catch (error) {
        if (!isErrorData(error) || error.code !== 'CANCELLED') throw error;
        const runDir = (error.details as { runDir?: string } | undefined)?.runDir ?? options.resume ?? options.out;
        const where = runDir ? ` in ${JSON.stringify(runDir)}` : '';
        const resume = runDir ? `; resume with: transfer-studio train --resume ${shellQuote(runDir)}` : '';
        process.stderr.write(
          `transfer-studio: training was cancelled; the best weights so far are kept${where}${resume}\n`,
        );
        process.exitCode = EXIT_INTERRUPTED;
        return;
      } finally {
        bar?.stop();
        stopHandling();
      }
      const summary = {
        runDir: result.runDir,
        base: result.base,
        backend: result.backend,
        classes: result.classes,
        history: result.history.map(({ epoch, loss, accuracy, valLoss, valAccuracy }) => ({
          epoch,
          loss,
          accuracy,
          valLoss,
          valAccuracy,
        })),
        valAccuracy: result.valAccuracy,
        bestEpoch: result.bestEpoch,
        stoppedBy: result.stoppedBy,
        resumed: result.resumed,
        durationMs: result.durationMs,
        trainImages: result.trainImages,
        valImages: result.valImages,
        testImages: result.testImages ?? 0,
        ...(result.projectRunId ? { projectRunId: result.projectRunId } : {}),
        ...(result.warnings ? { warnings: result.warnings } : {}),
        skipped: result.skipped ?? [],
        ...(auto ? { auto } : {}),
      };
      if (options.json) {
        printJson(summary);
        return;
      }
      console.log(
        `Trained ${result.classes.length} classes (${result.classes.join(', ')}) on ${result.base} [${result.backend}]`,
      );
      console.log(
        `Validation accuracy ${(result.valAccuracy * 100).toFixed(1)}% (best epoch ${result.bestEpoch + 1}, ${result.stoppedBy}) in ${(result.durationMs / 1000).toFixed(1)} s`,
      );
      console.log(
        `Images: ${result.trainImages} train, ${result.valImages} validation, ${result.testImages ?? 0} test (held out)`,
      );
      console.log(
        `Run folder: ${result.runDir}${result.projectRunId ? ` (run ${result.projectRunId} of the project)` : ''}`,
      );
      for (const warning of result.warnings ?? []) console.log(`! ${warning}`);
      const skipped = result.skipped ?? [];
      if (skipped.length > 0) {
        console.log(`Skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} (also listed in run.json):`);
        for (const file of skipped.slice(0, 50)) console.log(`  ✗ [${file.kind}] ${file.message}`);
        if (skipped.length > 50) console.log(`  … and ${skipped.length - 50} more (use --json for all)`);
      }
    });
}
