/** Runs in words: a one-line config summary, and what differs between two runs' settings. */
import type { RunSummary } from '../../../shared/contract/evaluate';

/** One setting that differs between two runs, as words for each side. */
export interface RunDifference {
  /** Dotted name of the setting, e.g. "config.fineTune.top". */
  field: string;
  a: string;
  b: string;
}

/** A run's config in one short line: "3 epochs · batch 8 · adam 0.001 · fine-tune 2 blocks × 5". */
export function configSummary(summary: Pick<RunSummary, 'config'>): string {
  const { config } = summary;
  const parts = [`${config.epochs} epoch${config.epochs === 1 ? '' : 's'}`, `batch ${config.batchSize}`];
  parts.push(`${config.optimizer} ${config.learningRate}`);
  if (config.augment > 0) parts.push(`augment ×${config.augment}`);
  if (config.fineTune.top > 0) {
    const depth = config.fineTune.top >= 10_000 ? 'all' : `${config.fineTune.top} ${config.fineTune.unit}`;
    parts.push(`fine-tune ${depth} × ${config.fineTune.epochs}`);
  }
  if (config.calibrate === false) parts.push('not calibrated');
  return parts.join(' · ');
}

/** Leaves of a plain value, by dotted path (arrays are one leaf). */
function flatten(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (value !== undefined) out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
  return out;
}

/** The settings that differ between two runs: base, head, data sources, split, classes and every config option. */
export function runDifferences(a: RunSummary, b: RunSummary): RunDifference[] {
  const settings = (run: RunSummary) =>
    flatten(
      {
        base: run.base,
        head: run.head,
        sources: run.sources,
        split: run.split,
        classes: run.classes,
        // Calibration in words: absent means on (the default).
        config: { ...run.config, calibrate: run.config.calibrate === false ? 'off' : 'on' },
      },
      '',
      new Map(),
    );
  const left = settings(a);
  const right = settings(b);
  const fields = [...new Set([...left.keys(), ...right.keys()])];
  return fields
    .filter((field) => left.get(field) !== right.get(field))
    .map((field) => ({ field, a: left.get(field) ?? '—', b: right.get(field) ?? '—' }));
}
