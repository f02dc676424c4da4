import type { Command } from 'commander';
import { withEngine } from '../engine-session';
import { printJson } from '../output';
import { registerBasesImport } from './bases-import';

/** `transfer-studio bases [--json]`: every base (bundled, catalog, imported), its sizes and whether it is cached. */
export function registerBases(program: Command): void {
  const bases = program
    .command('bases')
    .description('list the bases: bundled, downloadable (catalog) and imported')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      const bases = await withEngine((engine) => engine.call('models.bases', {}));
      if (options.json) {
        printJson(bases);
        return;
      }
      for (const b of bases) {
        const flags = [
          b.source,
          b.cached ? 'cached' : 'not downloaded',
          b.fineTunable ? 'fine-tunable' : 'frozen only',
        ];
        console.log(
          `${b.id.padEnd(26)} ${b.name} — input ${b.inputSize}, feature ${b.featureSize} (${flags.join(', ')})`,
        );
      }
    });
  registerBasesImport(bases);
}
