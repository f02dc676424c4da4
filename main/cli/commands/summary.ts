import { InvalidArgumentError, type Command } from 'commander';
import type { ModelSummary } from '../../../shared/contract/models';
import { StudioError } from '../../../shared/errors';
import { HeadSpecError, headTokenHelp, parseHeadString, type HeadSpec } from '../../../shared/layer-spec';
import { withEngine } from '../engine-session';
import { printJson } from '../output';

/**
 * Parses `--head dense:128:relu,dropout:0.2` (see parseHeadString).
 * @throws StudioError BAD_INPUT quoting only the bad part of the bad token, e.g.
 * `Invalid --head: layer 0 (dense): "abc" is not a whole number of units; …` (not commander's
 * InvalidArgumentError, whose message would quote the whole option value first).
 */
export function parseHeadOption(value: string): HeadSpec {
  try {
    return parseHeadString(value);
  } catch (error) {
    if (error instanceof HeadSpecError) {
      throw new StudioError('BAD_INPUT', `Invalid --head: ${error.issues.map((i) => i.message).join('; ')}`, {
        issues: error.issues,
      });
    }
    throw error;
  }
}

/** Checks `--head` text like {@link parseHeadOption} and keeps it as text (what `train` sends to the engine). */
export function checkHeadOption(value: string): string {
  parseHeadOption(value);
  return value;
}

/** The `--head` help: the syntax of every layer kind, from the table. */
export function headOptionHelp(example: string): string {
  return `head layers, comma-separated, e.g. ${example} (the output layer is added); layers: ${headTokenHelp()}`;
}

function parseClasses(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2)
    throw new InvalidArgumentError(`expected an integer ≥ 2, received ${JSON.stringify(value)}`);
  return n;
}

/** `transfer-studio summary --base ID --head SPEC --classes N [--json]`: Keras-like summary of base + head. */
export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('show the layers and parameter counts of a base with a head (like Keras model.summary())')
    .requiredOption('--base <id>', 'base id (see `bases`)')
    .option('--head <spec>', headOptionHelp('dense:128:relu,dropout:0.2'), parseHeadOption, {
      layers: [],
    } as HeadSpec)
    .requiredOption('--classes <n>', 'number of classes', parseClasses)
    .option('--json', 'print one JSON document')
    .action(async (options: { base: string; head: HeadSpec; classes: number; json?: boolean }) => {
      const summary = await withEngine((engine) =>
        engine.call('models.summary', { base: options.base, head: options.head, classes: options.classes }),
      );
      if (options.json) printJson(summary);
      else console.log(formatSummary(summary));
    });
}

/** Formats a summary as Keras prints it (for the CLI). */
export function formatSummary(summary: ModelSummary): string {
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Trainable'];
  const lines = summary.rows.map((r) => [
    `${r.name} (${r.kind})`,
    `(${r.outputShape.map((d) => (d === null ? 'None' : d)).join(', ')})`,
    r.params.toLocaleString('en-US'),
    r.trainable ? 'yes' : 'no',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const rule = '─'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [
    fmt(header),
    rule,
    ...lines.map(fmt),
    rule,
    `Total params: ${summary.totalParams.toLocaleString('en-US')}`,
    `Trainable params: ${summary.trainableParams.toLocaleString('en-US')}`,
    `Non-trainable params: ${summary.nonTrainableParams.toLocaleString('en-US')}`,
  ].join('\n');
}
