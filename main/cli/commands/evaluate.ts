import path from 'node:path';
import type { Command } from 'commander';
import type { Evaluation } from '../../../shared/contract/evaluate';
import { withEngine } from '../engine-session';
import { printJson } from '../output';

interface EvaluateOptions {
  data?: string;
  json?: boolean;
}

function percent(x: number | null): string {
  return x === null ? '—' : `${(100 * x).toFixed(1)}%`;
}

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padStart(width);
}

/** The confusion matrix as a text table (rows: actual, columns: predicted; names cut to 10 characters). */
export function confusionText(evaluation: Pick<Evaluation, 'classes' | 'confusion'>): string[] {
  const names = evaluation.classes;
  const nameWidth = Math.min(16, Math.max(6, ...names.map((n) => n.length)));
  const width = Math.max(5, Math.min(10, Math.max(...names.map((n) => n.length)))) + 1;
  const lines = [`${''.padEnd(nameWidth + 2)}${names.map((n) => cell(n, width)).join('')}`];
  evaluation.confusion.matrix.forEach((row, i) => {
    lines.push(
      `${cell(names[i]!, nameWidth).trimStart().padEnd(nameWidth)}  ${row.map((count) => cell(String(count), width)).join('')}`,
    );
  });
  return lines;
}

/** "Probabilities calibrated (T = 1.83): ECE 0.0912 → 0.0281" for a temperature-scaled model; null otherwise. */
export function calibrationText(calibration: Evaluation['calibration']): string | null {
  if (calibration.temperature === undefined) return null;
  const ece = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(4));
  if (calibration.temperature === 1) return 'Probabilities left as they are (T = 1.00 fitted on validation)';
  return `Probabilities calibrated (T = ${calibration.temperature.toFixed(2)}): ECE ${ece(calibration.eceBefore)} → ${ece(calibration.ece)}`;
}

/** The human report of an evaluation: headline, per-class table, confusion matrix, confused pairs, top losses, notices. */
export function evaluationReport(evaluation: Evaluation): string[] {
  const { classes } = evaluation;
  const what =
    evaluation.source.kind === 'test-split' ? 'its held-out test split' : `the folder ${evaluation.source.dir}`;
  const lines = [
    `Evaluated ${evaluation.runDir} (${evaluation.model}/) on ${what}: ${evaluation.count} images, ${classes.length} classes`,
  ];
  const interval = evaluation.accuracyInterval;
  lines.push(
    `Accuracy ${percent(evaluation.accuracy)}${interval ? ` (95% interval ${percent(interval.low)}–${percent(interval.high)})` : ''}` +
      `, loss ${evaluation.loss === null ? '—' : evaluation.loss.toFixed(4)}, ECE ${evaluation.calibration.ece === null ? '—' : evaluation.calibration.ece.toFixed(4)}`,
  );
  const calibrated = calibrationText(evaluation.calibration);
  if (calibrated) lines.push(calibrated);
  if (evaluation.count > 0) {
    const nameWidth = Math.max(12, ...classes.map((n) => n.length));
    lines.push('', `${'class'.padEnd(nameWidth)}  precision     recall         F1  support`);
    const row = (
      name: string,
      m: { precision: number | null; recall: number | null; f1: number | null },
      support: string,
    ) =>
      `${name.padEnd(nameWidth)}  ${percent(m.precision).padStart(9)}  ${percent(m.recall).padStart(9)}  ${percent(m.f1).padStart(9)}  ${support.padStart(7)}`;
    for (const c of evaluation.perClass) lines.push(row(c.name, c, String(c.support)));
    lines.push(
      row('macro avg', evaluation.macro, ''),
      row('weighted avg', evaluation.weighted, String(evaluation.count)),
    );
    lines.push('', 'Confusion matrix (rows: actual class, columns: predicted class)', ...confusionText(evaluation));
    if (evaluation.confusion.mostConfused.length > 0) {
      lines.push('', 'Most confused:');
      for (const pair of evaluation.confusion.mostConfused.slice(0, 5)) {
        lines.push(`  ${classes[pair.actual]} → ${classes[pair.predicted]}: ${pair.count}`);
      }
    }
    const mistakes = evaluation.images.filter((i) => i.label !== i.predicted).slice(0, 10);
    if (mistakes.length > 0) {
      lines.push('', 'Top losses (mistakes):');
      for (const m of mistakes) {
        lines.push(
          `  loss ${m.loss.toFixed(3)}  given ${classes[m.label]}, predicted ${classes[m.predicted]} (${percent(m.probabilities[m.predicted] ?? 0)})  ${m.path}`,
        );
      }
    }
  }
  for (const notice of evaluation.notices) lines.push(`! ${notice}`);
  for (const failure of evaluation.failed.slice(0, 10)) lines.push(`! not scored: ${failure.path}: ${failure.error}`);
  if (evaluation.source.kind === 'test-split')
    lines.push('', `Written to ${path.join(evaluation.runDir, 'evaluation.json')}`);
  return lines;
}

/** `transfer-studio evaluate <run-dir> [--data DIR] [--json]`. */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description(
      "score a completed run's model on its held-out test split (writes evaluation.json) or on a labelled folder",
    )
    .argument('<run-dir>', 'run folder (with run.json and model/)')
    .option(
      '--data <dir>',
      "labelled folder to evaluate instead (one sub-folder per class, named as the run's classes)",
    )
    .option('--json', 'print the evaluation as one JSON document')
    .action(async (runDir: string, options: EvaluateOptions) => {
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const evaluation = await withEngine((engine) =>
          engine.call(
            'evaluation.evaluate',
            { runDir: path.resolve(runDir), ...(options.data ? { dataDir: path.resolve(options.data) } : {}) },
            { signal: controller.signal },
          ),
        );
        if (options.json) printJson(evaluation);
        else console.log(evaluationReport(evaluation).join('\n'));
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
