/**
 * `transfer-studio bases import <path>`: imports a tfjs layers-model folder or a Keras 2 .h5 model file as a base
 * (`models.import`), after `models.inspectImport` has listed its layers; `--list-layers` only lists them.
 */
import type { Command } from 'commander';
import { Scaling } from '../../../shared/contract/models';
import { StudioError, quote } from '../../../shared/errors';
import { withEngine } from '../engine-session';
import { printJson } from '../output';

/** Options of `bases import`. */
interface ImportCliOptions {
  scaling?: string;
  cutLayer?: string;
  name?: string;
  listLayers?: boolean;
  json?: boolean;
}

function parseScaling(text: string | undefined): Scaling | undefined {
  if (text === undefined) return undefined;
  const parsed = Scaling.safeParse(text);
  if (!parsed.success) {
    throw new StudioError(
      'BAD_INPUT',
      `--scaling must be one of ${Scaling.options.join(', ')}; received ${quote(text)}.`,
    );
  }
  return parsed.data;
}

/** Adds `import` under the `bases` command. */
export function registerBasesImport(bases: Command): void {
  bases
    .command('import <path>')
    .description('import a tfjs layers-model folder or a Keras .h5 model file as a base')
    .option(
      '--scaling <scaling>',
      `pixel scaling the model was trained with: ${Scaling.options.join(', ')} (required unless the .h5 starts with a Rescaling layer)`,
    )
    .option('--cut-layer <layer>', 'layer whose output is the feature (default: the last pooling/flatten layer)')
    .option('--name <name>', 'display name (default: the folder or file name)')
    .option('--list-layers', 'only list the layers it can be cut at')
    .option('--json', 'print one JSON document')
    .action(async (target: string, _options: ImportCliOptions, command: Command) => {
      // optsWithGlobals: `--json` after the subcommand is also an option of `bases` itself.
      const options = command.optsWithGlobals<ImportCliOptions>();
      const scaling = parseScaling(options.scaling);
      const result = await withEngine(async (engine) => {
        const inspection = await engine.call('models.inspectImport', { path: target });
        if (options.listLayers) return { inspection };
        const info = await engine.call('models.import', {
          path: target,
          scaling,
          cutLayer: options.cutLayer,
          name: options.name,
        });
        return { inspection, info };
      });
      if (options.json) {
        printJson(result.info ?? result.inspection);
        return;
      }
      const { inspection, info } = result;
      if (!info) {
        const what = inspection.format === 'keras' ? 'Keras .h5 model' : 'tfjs layers model';
        const scales = inspection.scaling ? ' (it scales raw pixels itself)' : '';
        console.log(
          `${what}, input ${inspection.inputSize}×${inspection.inputSize}${scales}; layers it can be cut at:`,
        );
        for (const layer of inspection.layers) {
          const mark = layer.name === inspection.defaultCutLayer ? '  ← default' : '';
          console.log(
            `  ${layer.name.padEnd(32)} ${layer.kind.padEnd(24)} [${layer.outputShape.map((d) => d ?? 'None').join(', ')}]${mark}`,
          );
        }
        return;
      }
      console.log(
        `Imported ${info.id}: ${info.name} — input ${info.inputSize}, scaling ${info.scaling}, cut at ${info.cutLayer}, feature ${info.featureSize}.`,
      );
    });
}
