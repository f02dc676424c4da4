import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { ExportProgress, ExportRunResponse } from '../../../shared/contract/export';
import { ExportFormatName } from '../../../shared/contract/run-file';
import { StudioError } from '../../../shared/errors';
import { withEngine } from '../engine-session';
import { formatBytes, printJson } from '../output';

/**
 * Parses `--format tfjs,tm` into format ids (the engine's registry says which exist).
 * @throws InvalidArgumentError quoting the bad id.
 */
export function parseFormats(value: string): string[] {
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0)
    throw new InvalidArgumentError(`expected format ids such as "tfjs,tm", received ${JSON.stringify(value)}`);
  for (const id of ids) {
    if (!ExportFormatName.safeParse(id).success)
      throw new InvalidArgumentError(`expected a format id such as "tfjs", received ${JSON.stringify(id)}`);
  }
  return [...new Set(ids)];
}

/** The human report of an export: one block per format, ✓ with its files or ✗ with its error. */
export function formatExportReport(response: ExportRunResponse): string {
  const lines: string[] = [];
  for (const result of response.results) {
    if (result.ok) {
      lines.push(`✓ ${result.format} → ${result.dir} (${(result.durationMs / 1000).toFixed(1)} s)`);
      for (const file of result.files)
        lines.push(`    ${file.path.padEnd(28)} ${formatBytes(file.bytes).padStart(10)}`);
      if (result.verify) lines.push(`    check: ${result.verify.detail}`);
    } else lines.push(`✗ ${result.format}: ${result.error?.message ?? 'failed'}`);
  }
  return lines.join('\n');
}

/** `transfer-studio export <run-dir> --format tfjs,tm[,keras,job] [--out DIR] [--json]`, or `export --list`. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      "export a completed run's model (each format to <run>/exports/<format>/, with a model card and labels.txt)",
    )
    .argument('[run-dir]', 'the run folder of a completed run')
    .option('--format <ids>', 'comma-separated format ids, e.g. tfjs,tm (see --list)', parseFormats)
    .option('--out <dir>', 'write each format to <dir>/<format>/ instead (not recorded in run.json)')
    .option('--list', 'list the export formats and exit')
    .option('--json', 'print one JSON document')
    .action(
      async (
        runDir: string | undefined,
        options: { format?: string[]; out?: string; list?: boolean; json?: boolean },
      ) => {
        if (options.list) {
          const { formats } = await withEngine((engine) => engine.call('export.formats', {}));
          if (options.json) printJson(formats);
          else
            for (const format of formats) console.log(`${format.id.padEnd(8)} ${format.name}: ${format.description}`);
          return;
        }
        if (!runDir) throw new StudioError('BAD_INPUT', 'Give the run folder to export (or --list).');
        if (!options.format)
          throw new StudioError('BAD_INPUT', 'Give the formats to export, e.g. --format tfjs,tm (see --list).');
        const onProgress = (p: ExportProgress): void => {
          if (!options.json && process.stderr.isTTY)
            process.stderr.write(`[${p.index + 1}/${p.count}] ${p.format}: ${p.phase}\n`);
        };
        const response = await withEngine((engine) =>
          engine.call(
            'export.run',
            {
              runDir: path.resolve(runDir),
              formats: options.format!,
              ...(options.out ? { outDir: path.resolve(options.out) } : {}),
            },
            { onProgress },
          ),
        );
        if (options.json) printJson(response);
        else console.log(formatExportReport(response));
        if (!response.ok) process.exitCode = 1;
      },
    );
}
