/** The benchmark's summaries: the mean of a setting over seeds, its Markdown table, and JSON keys. */
import type { ExperimentResult } from './experiment';

/** Mean of one setting's runs over seeds, with the accuracy's standard deviation. */
export function meanResult(runs: ExperimentResult[]): ExperimentResult & { accuracySd: number; seeds: number } {
  const mean = (f: (r: ExperimentResult) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const accuracy = mean((r) => r.accuracy);
  const variance = runs.length > 1 ? runs.reduce((s, r) => s + (r.accuracy - accuracy) ** 2, 0) / (runs.length - 1) : 0;
  return {
    ...runs[0]!,
    accuracy,
    accuracySd: Math.sqrt(variance),
    seeds: runs.length,
    ece: mean((r) => r.ece),
    eceAfterTemperature: mean((r) => r.eceAfterTemperature),
    temperature: mean((r) => r.temperature),
    epochs: mean((r) => r.epochs),
    headSeconds: mean((r) => r.headSeconds),
  };
}

export type Row = { dataset: string; result: ReturnType<typeof meanResult> };

/** The results as a Markdown table (the one in docs/experiments.md). */
export function table(rows: Row[]): string {
  const lines = [
    '| dataset | setting | train / test images | accuracy (± sd over seeds) | ECE | ECE after T (T) | epochs | head s | extract s |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { dataset, result: r } of rows) {
    lines.push(
      `| ${dataset} | ${r.setting} | ${r.trainImages} / ${r.testImages} | ${r.accuracy.toFixed(3)}${r.seeds > 1 ? ` ± ${r.accuracySd.toFixed(3)}` : ''} | ${r.ece.toFixed(3)} | ` +
        `${r.eceAfterTemperature.toFixed(3)} (${r.temperature.toFixed(2)}) | ${r.epochs.toFixed(0)} | ${r.headSeconds.toFixed(1)} | ${r.extractSeconds.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

/** A camelCase JSON key from a setting's name (subset notes in brackets dropped). */
export function slug(name: string): string {
  return name
    .replace(/\[.*?\]/g, '')
    .replace(/[^a-zA-Z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
}
