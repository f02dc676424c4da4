import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import type { InspectProgress } from '../../../shared/contract/insight';
import { isErrorData } from '../../../shared/errors';
import { mapCsv } from '../../engine/insight/map-csv';
import { withEngine } from '../engine-session';
import { EXIT_INTERRUPTED, handleInterrupts } from '../interrupt';
import { formatInspectReport } from '../inspect-report';
import { printJson } from '../output';
import { sourcesFor } from './scan';

interface InspectCliOptions {
  base?: string;
  json?: boolean;
  map?: string;
  folds: number;
  seed: number;
  similarity: number;
  project?: string;
  cacheDir?: string;
  layout: 'auto' | 'parent' | 'class';
}

/** A whole number within [min, max], or an error quoting what was received. */
function integerIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`expected a whole number from ${min} to ${max}, received ${JSON.stringify(value)}`);
    return n;
  };
}

function parseSimilarity(value: string): number {
  const n = Number(value);
  if (!(value.trim() !== '' && n >= 0 && n <= 1))
    throw new Error(`expected a number from 0 to 1, received ${JSON.stringify(value)}`);
  return n;
}

const PHASES: Record<InspectProgress['phase'], string> = {
  scan: 'Scanning',
  extract: 'Features',
  folds: 'Folds',
  duplicates: 'Duplicates',
  outliers: 'Outliers',
  map: 'Map',
  save: 'Saving',
};

/**
 * `transfer-studio inspect <folders...>`: possible mislabels, near-duplicates, split leakage and outliers;
 * `--map FILE` writes the 2-D map as CSV (path,label,x,y).
 */
export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('find possible mislabels, near-duplicates, split leakage and outliers; --map writes a 2-D map (CSV)')
    .argument('[folders...]', "image folders (sub-folders are classes); default: the --project's images")
    .option('--base <id>', "base whose features are compared (default: the project's, else the bundled MobileNetV2)")
    .option('--json', 'print one JSON document (the whole insight)')
    .option('--map <file>', 'write the 2-D embedding map as CSV: path,label,x,y')
    .option('--folds <k>', 'folds of the out-of-fold predictions (2–20)', integerIn(2, 20), 5)
    .option('--seed <n>', 'seed of the folds and the map', integerIn(-(2 ** 31), 2 ** 31 - 1), 42)
    .option('--similarity <s>', 'feature cosine similarity of near-duplicates (0–1)', parseSimilarity, 0.97)
    .option('--project <dir>', 'a project: its images, split and base are the defaults; saves its insight.json')
    .option('--cache-dir <dir>', "feature cache folder (default: the project's cache, else your user cache)")
    .addOption(
      new Option('--layout <layout>', 'parent: sub-folders are classes; class: each folder is a class; auto: guess')
        .choices(['auto', 'parent', 'class'])
        .default('auto'),
    )
    .action(async (folders: string[], options: InspectCliOptions) => {
      if (folders.length === 0 && !options.project)
        throw new Error('give image folders to inspect, or --project <dir>; received neither');
      const controller = new AbortController();
      const bar =
        !options.json && process.stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: '{phase} |{bar}| {value}/{total}', stream: process.stderr, hideCursor: true },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
      const stopHandling = handleInterrupts({
        first: () => {
          bar?.stop();
          process.stderr.write('Cancelling the inspection (press Ctrl-C again to quit at once)…\n');
          controller.abort();
        },
        cleanup: () => bar?.stop(),
      });
      bar?.start(1, 0, { phase: PHASES.scan });
      const sources = folders.length > 0 ? await sourcesFor(folders, options.layout) : undefined;
      const request = {
        ...(sources ? { dataset: { sources } } : {}),
        ...(options.base ? { base: options.base } : {}),
        ...(options.project ? { projectDir: path.resolve(options.project) } : {}),
        ...(options.cacheDir ? { cacheDir: path.resolve(options.cacheDir) } : {}),
        folds: options.folds,
        seed: options.seed,
        duplicateSimilarity: options.similarity,
        // The map costs seconds: made when it is written (--map), kept in a project's insight.json, or printed (--json).
        map: Boolean(options.map || options.project || options.json),
      };
      let result;
      try {
        result = await withEngine((engine) =>
          engine.call('insight.inspect', request, {
            signal: controller.signal,
            onProgress: (p) => {
              bar?.setTotal(Math.max(1, p.total));
              bar?.update(p.done, { phase: PHASES[p.phase] });
            },
          }),
        );
      } catch (error) {
        if (!isErrorData(error) || error.code !== 'CANCELLED') throw error;
        process.stderr.write('transfer-studio: the inspection was cancelled\n');
        process.exitCode = EXIT_INTERRUPTED;
        return;
      } finally {
        bar?.stop();
        stopHandling();
      }
      if (options.map) await writeFile(path.resolve(options.map), mapCsv(result));
      if (options.json) printJson(result);
      else {
        console.log(formatInspectReport(result));
        if (options.map)
          console.log(`\nWrote the map of ${result.images.length} images to ${path.resolve(options.map)}`);
      }
    });
}
