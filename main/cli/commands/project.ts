import path from 'node:path';
import type { Command } from 'commander';
import type { ProjectOpened } from '../../../shared/contract/project';
import { formatLayerToken } from '../../../shared/layer-spec';
import { withEngine } from '../engine-session';
import { printJson } from '../output';

/** Readable report of a project. */
export function formatProject(opened: ProjectOpened): string {
  const { project: p } = opened;
  const lines = [`${p.name} — ${opened.dir} (revision ${p.revision}, updated ${p.updatedAt})`];
  if (p.dataset) {
    lines.push(`Data: ${p.dataset.sources.map((s) => `${s.path} (${s.mode})`).join(', ')}`);
  } else {
    lines.push('Data: none yet');
  }
  const f = p.split.fractions;
  lines.push(`Split: train ${f.train}, validation ${f.validation}, test ${f.test} (seed ${p.split.seed})`);
  lines.push(`Images: ${p.preprocess.size}px, ${p.preprocess.resize}, background ${p.preprocess.background}`);
  const freeze =
    p.base.freeze.mode === 'all' ? 'frozen' : `${p.base.freeze.mode}${p.base.freeze.n ? ` ${p.base.freeze.n}` : ''}`;
  lines.push(`Base: ${p.base.id} (${freeze})`);
  const output = p.head.output?.activation ?? 'softmax';
  lines.push(`Head: ${[...p.head.layers.map(formatLayerToken), `dense:C:${output}`].join(' → ')}`);
  const t = p.training;
  lines.push(
    `Training: ${t.epochs} epochs, batch ${t.batchSize}, ${t.optimizer} ${t.learningRate}, patience ${t.earlyStopping.patience}`,
  );
  if (p.runs.length === 0) lines.push('Runs: none');
  else {
    lines.push('Runs:');
    for (const run of p.runs) {
      const acc = run.valAccuracy === undefined ? '' : `, val accuracy ${(run.valAccuracy * 100).toFixed(1)}%`;
      lines.push(`  ${run.id}  ${run.status}${acc}  ${run.dir}`);
    }
  }
  for (const warning of opened.warnings) lines.push(`! ${warning}`);
  return lines.join('\n');
}

/** `transfer-studio project create <dir> [--name N]` and `project show <dir> [--json]`. */
export function registerProject(program: Command): void {
  const project = program
    .command('project')
    .description('create and inspect project folders (project.json, cache/, runs/)');

  project
    .command('create')
    .description('create a project folder with default settings (the folder must be new or empty)')
    .argument('<dir>', 'project folder')
    .option('--name <name>', 'display name (default: the folder name)')
    .option('--json', 'print one JSON document')
    .action(async (dir: string, options: { name?: string; json?: boolean }) => {
      const opened = await withEngine((engine) =>
        engine.call('project.create', { dir: path.resolve(dir), ...(options.name ? { name: options.name } : {}) }),
      );
      if (options.json) printJson(opened);
      else console.log(`Created project ${JSON.stringify(opened.project.name)} in ${opened.dir}`);
    });

  project
    .command('show')
    .description('show a project: data, split, base, head, training options and runs')
    .argument('<dir>', 'project folder')
    .option('--json', 'print one JSON document')
    .action(async (dir: string, options: { json?: boolean }) => {
      const opened = await withEngine((engine) =>
        engine.call('project.open', { dir: path.resolve(dir), remember: false }),
      );
      if (options.json) printJson(opened);
      else console.log(formatProject(opened));
    });
}
