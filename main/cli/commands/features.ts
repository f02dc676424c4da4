import type { Command } from 'commander';
import path from 'node:path';
import { withEngine } from '../engine-session';
import { printJson } from '../output';

/** `transfer-studio features <dir> --base ID [--layer NAME] --out FILE.npy|FILE.csv`: a layer's outputs for images. */
export function registerFeatures(program: Command): void {
  program
    .command('features')
    .description('save the outputs of a base layer (default: its pooled feature) for every image in a folder')
    .argument('<inputs...>', 'folders (searched recursively) or image files')
    .requiredOption('--base <id>', 'base id (see `bases`)')
    .option('--layer <name>', 'inner layer name (default: the base feature layer)')
    .requiredOption('--out <file>', 'output file: .npy (float32, [N, ...]) or .csv (file, f0, f1, …)')
    .option('--json', 'print one JSON document')
    .action(async (inputs: string[], options: { base: string; layer?: string; out: string; json?: boolean }) => {
      const request = {
        inputs: inputs.map((p) => path.resolve(p)),
        base: options.base,
        out: path.resolve(options.out),
        ...(options.layer ? { layer: options.layer } : {}),
      };
      const result = await withEngine((engine) =>
        engine.call('models.features', request, {
          onProgress: (p) => {
            if (!options.json && process.stderr.isTTY)
              process.stderr.write(`\r${String(p.done)}/${String(p.total)} images`);
          },
        }),
      );
      if (process.stderr.isTTY && !options.json) process.stderr.write('\n');
      const skipped = result.skipped ?? [];
      if (options.json) {
        printJson({ count: result.count, shape: result.shape, out: result.out, skipped });
        return;
      }
      console.log(`Wrote features of ${result.count} images, shape [${result.shape.join(', ')}], to ${result.out}`);
      if (skipped.length > 0)
        console.log(`Skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} that could not be read:`);
      for (const file of skipped) console.log(`  ✗ ${file.message}`);
    });
}
