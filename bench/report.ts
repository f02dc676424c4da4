import os from 'node:os';

/** One benchmark's output (DESIGN.md §9): results with units, and ratios of variants measured in the same run. */
export interface BenchReport {
  bench: string;
  machine: { cpus: number; backend: string; node: string };
  units: Record<string, 'img/s' | 's' | 'ms' | 'MB'>;
  results: Record<string, number>;
  ratios: Record<string, number>;
}

/** Prints the report: exactly one JSON document with `--json`, readable lines otherwise. */
export function printReport(report: Omit<BenchReport, 'machine'> & { backend: string }): void {
  const { backend, ...rest } = report;
  const full: BenchReport = { ...rest, machine: { cpus: os.cpus().length, backend, node: process.versions.node } };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(full)}\n`);
    return;
  }
  console.log(`${full.bench} (${full.machine.cpus} CPUs, backend ${backend}, node ${full.machine.node})`);
  for (const [key, value] of Object.entries(full.results))
    console.log(`  ${key}: ${round(value)} ${full.units[key] ?? ''}`);
  for (const [key, value] of Object.entries(full.ratios)) console.log(`  ${key}: ${round(value)}×`);
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
