import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { PredictionRow } from '../../../shared/contract/evaluate';
import { withEngine } from '../engine-session';
import { printJson } from '../output';

interface PredictOptions {
  top?: number;
  csv?: string;
  json?: boolean;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected an integer ≥ 1, received ${JSON.stringify(value)}`);
  return n;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV of the rows: path,label,probability,top,error — `top` as "label=probability;…", error empty when predicted. */
export function predictionsCsv(rows: readonly PredictionRow[]): string {
  const lines = ['path,label,probability,top,error'];
  for (const row of rows) {
    const fields =
      'error' in row
        ? [row.path, '', '', '', row.error]
        : [
            row.path,
            row.label,
            String(row.probability),
            row.top.map((t) => `${t.label}=${t.probability}`).join(';'),
            '',
          ];
    lines.push(fields.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A readable table: probability, label, the other top classes, path; failures say why. */
export function predictionsTable(rows: readonly PredictionRow[]): string[] {
  const width = Math.max(5, ...rows.map((row) => ('error' in row ? 0 : row.label.length)));
  const lines = [`${'prob'.padStart(6)}  ${'label'.padEnd(width)}  path  [other top classes]`];
  for (const row of rows) {
    if ('error' in row) {
      lines.push(`${'—'.padStart(6)}  ${'error'.padEnd(width)}  ${row.path}  ${row.error}`);
      continue;
    }
    const others = row.top.slice(1).map((t) => `${t.label} ${(100 * t.probability).toFixed(1)}%`);
    lines.push(
      `${`${(100 * row.probability).toFixed(1)}%`.padStart(6)}  ${row.label.padEnd(width)}  ${row.path}${others.length ? `  [${others.join(', ')}]` : ''}`,
    );
  }
  return lines;
}

/** `transfer-studio predict <run-or-model-dir> <images or folders>... [--top K] [--csv FILE] [--json]`. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('top-k predictions of a run folder or exported TF.js / ONNX model on image files and folders')
    .argument(
      '<model-dir>',
      'run folder (with run.json), exported TF.js folder (model.json + metadata.json) or ONNX folder (model.onnx + metadata.json)',
    )
    .argument('<paths...>', 'image files and folders (walked recursively)')
    .option('--top <k>', 'classes listed per image; default 3', positiveInteger)
    .option('--csv <file>', 'also write the rows as CSV (path,label,probability,top,error)')
    .option('--json', 'print {"predictions":[{"path","label","probability","top":[{"label","probability"}]}]}')
    .action(async (modelDir: string, paths: string[], options: PredictOptions) => {
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const result = await withEngine((engine) =>
          engine.call(
            'prediction.predict',
            {
              model: path.resolve(modelDir),
              paths: paths.map((p) => path.resolve(p)),
              ...(options.top !== undefined ? { top: options.top } : {}),
            },
            { signal: controller.signal },
          ),
        );
        if (options.csv) await writeFile(path.resolve(options.csv), predictionsCsv(result.predictions));
        if (options.json) {
          printJson({ predictions: result.predictions });
          return;
        }
        console.log(predictionsTable(result.predictions).join('\n'));
        const failed = result.predictions.filter((row) => 'error' in row).length;
        console.log(
          `${result.predictions.length - failed} image(s) predicted${failed ? `, ${failed} could not be read` : ''} in ${(result.durationMs / 1000).toFixed(1)} s (${result.imagesPerSecond.toFixed(1)} img/s)` +
            `${options.csv ? `; CSV written to ${path.resolve(options.csv)}` : ''}`,
        );
        const engine = result.engine;
        if (engine) {
          const on = engine.engine === 'onnxruntime' ? `ONNX Runtime (${engine.provider ?? 'cpu'})` : 'tfjs';
          console.log(`engine: ${on}${engine.engine === 'tfjs' && engine.reason ? ` — ${engine.reason}` : ''}`);
        }
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
