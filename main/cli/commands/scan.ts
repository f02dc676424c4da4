import path from 'node:path';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import type { DataSource, ScanSummary } from '../../../shared/contract/data';
import { detectSourceMode } from '../../engine/data/sources';
import { withEngine } from '../engine-session';
import { printJson } from '../output';
import { EXIT_INTERRUPTED, handleInterrupts } from '../interrupt';

interface ScanCliOptions {
  json?: boolean;
  layout: 'auto' | 'parent' | 'class';
  cacheDir?: string;
  minSide: number;
  decode: boolean;
}

/** Exit code of `scan` when nothing can be trained (a missing folder, a file, no usable images, one class…). */
export const EXIT_NOT_READY = 2;

/**
 * Builds the sources: each folder's layout is given or guessed ('class' if it holds images and no sub-folders).
 * A folder given twice is one source.
 */
export async function sourcesFor(dirs: string[], layout: ScanCliOptions['layout']): Promise<DataSource[]> {
  const unique = [...new Set(dirs.map((dir) => path.resolve(dir)))];
  return Promise.all(
    unique.map(async (dir) => {
      const full = path.resolve(dir);
      const mode = layout === 'auto' ? await detectSourceMode(full).catch(() => 'parent' as const) : layout;
      return { path: full, mode };
    }),
  );
}

/** A class name for one line of a table: quoted, with escapes, when it holds a newline or another control character. */
export function tableName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(name) ? JSON.stringify(name) : name;
}

/** Readable report of a scan; the header's count is the sum of the class counts (extra identical copies apart). */
export function formatScanReport(summary: ScanSummary): string {
  const lines: string[] = [];
  const used = (g: ScanSummary['duplicates'][number]) =>
    g.kind === 'label-conflict' || (g.kind === 'resolved-conflict' && g.kept === null) ? 0 : 1;
  const copies = summary.duplicates.reduce((n, g) => n + g.paths.length - used(g), 0);
  const extra = copies > 0 ? `; ${copies} identical cop${copies === 1 ? 'y' : 'ies'} left out` : '';
  lines.push(
    `${summary.images} usable images in ${summary.classes.length} classes (${summary.filesSeen} files seen${extra})`,
  );
  const names = summary.classes.map((c) => tableName(c.name));
  const width = Math.max(5, ...names.map((n) => n.length));
  summary.classes.forEach((cls, i) => lines.push(`  ${names[i]!.padEnd(width)}  ${String(cls.count).padStart(7)}`));
  if (summary.problems.length) {
    lines.push(
      '',
      `Problems (${Object.entries(summary.problemCounts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}):`,
    );
    for (const problem of summary.problems.slice(0, 50))
      lines.push(`  ${problem.severity === 'error' ? '✗' : '!'} [${problem.kind}] ${problem.message}`);
    const more = summary.problems.length - 50 + summary.problemsOmitted;
    if (more > 0) lines.push(`  … and ${more} more (use --json for all)`);
  }
  if (summary.duplicates.length) {
    lines.push('', 'Duplicates:');
    for (const group of summary.duplicates.slice(0, 20))
      lines.push(`  ${group.kind === 'label-conflict' ? '✗' : '!'} ${group.message}`);
    if (summary.duplicates.length > 20) lines.push(`  … and ${summary.duplicates.length - 20} more`);
  }
  if (summary.warnings.length) {
    lines.push('', 'Dataset:');
    for (const warning of summary.warnings)
      lines.push(`  ${warning.severity === 'blocking' ? '✗' : '!'} ${warning.message}`);
  }
  lines.push(
    '',
    summary.canTrain ? 'Ready to train.' : `Not ready to train: fix the ✗ items above (exit code ${EXIT_NOT_READY}).`,
  );
  return lines.join('\n');
}

function parseSide(value: string): number {
  const side = Number(value);
  if (!Number.isInteger(side) || side < 1)
    throw new Error(`expected a whole number of pixels ≥ 1, received ${JSON.stringify(value)}`);
  return side;
}

/** `transfer-studio scan <dir>... [--json]`: classes, problems, duplicates and warnings of image folders. */
export function registerScan(program: Command): void {
  program
    .command('scan')
    .description(
      `check folders of images: classes, broken files, duplicates, imbalance; exits ${EXIT_NOT_READY} when nothing can be trained`,
    )
    .argument('<dir...>', 'a folder whose sub-folders are classes, or folders that are one class each')
    .option('--json', 'print one JSON document')
    .addOption(
      new Option(
        '--layout <layout>',
        'parent: sub-folders are classes; class: each folder is a class; auto: guess per folder',
      )
        .choices(['auto', 'parent', 'class'])
        .default('auto'),
    )
    .option('--cache-dir <dir>', 'cache folder for thumbnails and scan records (default: your user cache)')
    .option('--min-side <px>', 'report images with a side shorter than this as tiny', parseSide, 32)
    .option('--no-decode', 'skip full decoding (faster; truncated files go unnoticed)')
    .action(async (dirs: string[], options: ScanCliOptions) => {
      const progress: { bar?: cliProgress.SingleBar } = {};
      // Ctrl-C: give the terminal back (cursor shown, line wrap on) before leaving; nothing is written by a scan.
      // Handled from the start, so a Ctrl-C as soon as the bar shows never meets Node's default exit.
      const stopHandling = handleInterrupts({
        first: () => {
          progress.bar?.stop();
          process.stderr.write('\ntransfer-studio: scan cancelled\n');
          process.exit(EXIT_INTERRUPTED);
        },
      });
      const sources = await sourcesFor(dirs, options.layout).catch((error: unknown) => {
        stopHandling();
        throw error;
      });
      const bar =
        !options.json && process.stderr.isTTY
          ? new cliProgress.SingleBar(
              {
                format: 'Scanning |{bar}| {value}/{total} files · {imagesOk} ok · {problems} problems',
                stream: process.stderr,
                hideCursor: true,
              },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
      progress.bar = bar;
      bar?.start(1, 0, { imagesOk: 0, problems: 0 });
      const summary = await withEngine((engine) =>
        engine.call(
          'data.scan',
          {
            spec: { sources },
            ...(options.cacheDir ? { cacheDir: path.resolve(options.cacheDir) } : {}),
            options: { minSide: options.minSide, decode: options.decode },
          },
          {
            onProgress: (p) => {
              bar?.setTotal(Math.max(1, p.filesSeen));
              bar?.update(Math.min(p.filesSeen, p.imagesOk + p.problems), {
                imagesOk: p.imagesOk,
                problems: p.problems,
              });
            },
          },
        ),
      ).finally(() => {
        bar?.stop();
        stopHandling();
      });
      if (options.json) printJson(summary);
      else console.log(formatScanReport(summary));
      if (!summary.canTrain) process.exitCode = EXIT_NOT_READY;
    });
}
