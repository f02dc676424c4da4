/**
 * The model card, README.md of every export (DESIGN §7, issue 10 item 6): classes and their test counts,
 * the base with its source and licence, preprocessing and what the model's input holds, training
 * settings, test metrics and confusion matrix from evaluation.json ("not evaluated" without one), date,
 * app version, and load-and-predict snippets for the formats of this export.
 */
import type { ModelInput } from '../../../shared/contract/model-metadata';
import type { Scaling } from '../../../shared/contract/models';
import type { Evaluation } from '../../../shared/contract/evaluate';
import { snippets } from './model-card-snippets';
import type { ExportContext, ExportRun } from './registry';
import { fineTuneBatchSize } from '../training/config';

/** The format the card is written for, as the card needs it. */
export interface CardFormat {
  id: string;
  name: string;
  description: string;
  input?: ModelInput;
  /** Model file per format id of this export (for the snippets). */
  modelFiles: Record<string, string | undefined>;
}

/** One sentence per input kind: what the exported model expects (and where the scaling happens). */
export function inputSentence(input: ModelInput | undefined, scaling: Scaling, size: number): string {
  const tensor = `float32 \`[N, ${size}, ${size}, 3]\` RGB`;
  switch (input) {
    case 'pixels':
      return `${tensor} with raw pixel values 0–255. The base's scaling (\`${scaling}\`) is the model's first layer: do not scale the pixels yourself.`;
    case 'tm':
      return `${tensor} scaled as Teachable Machine does, \`x/127 − 1\`; the model's first layer maps that to the base's scaling (\`${scaling}\`).`;
    case 'scaled':
      return `${tensor} already scaled by the base's scaling, \`${scaling}\`.`;
    default:
      return `The base's scaling of 0–255 pixels is \`${scaling}\`.`;
  }
}

function pct(value: number | null | undefined): string {
  return value === undefined || value === null ? '–' : `${(value * 100).toFixed(1)} %`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function classesSection(classes: string[], testCounts: number[], evaluation: Evaluation | undefined): string[] {
  const lines = [
    '| Index | Class | Test images | Precision | Recall | F1 |',
    '| ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  classes.forEach((name, index) => {
    const metrics = evaluation?.perClass?.[index];
    lines.push(
      `| ${index} | ${cell(name)} | ${metrics?.support ?? testCounts[index] ?? 0} | ${pct(metrics?.precision)} | ${pct(metrics?.recall)} | ${pct(metrics?.f1)} |`,
    );
  });
  return lines;
}

function confusionSection(classes: string[], confusion: number[][]): string[] {
  const header = `| true \\ predicted | ${classes.map(cell).join(' | ')} |`;
  const rule = `| --- | ${classes.map(() => '---:').join(' | ')} |`;
  const rows = confusion.map((row, index) => `| ${cell(classes[index] ?? String(index))} | ${row.join(' | ')} |`);
  return [header, rule, ...rows];
}

function evaluationSection(run: ExportRun, evaluation: Evaluation | undefined): string[] {
  if (!evaluation)
    return [
      'Not evaluated: run the Evaluate step (or `transfer-studio evaluate`) and export again to include test metrics.',
    ];
  const what = evaluation.source.kind === 'test-split' ? 'held-out test images' : `images of ${evaluation.source.dir}`;
  const interval = evaluation.accuracyInterval
    ? ` (95 % interval ${pct(evaluation.accuracyInterval.low)} – ${pct(evaluation.accuracyInterval.high)})`
    : '';
  const lines = [
    `Accuracy: **${pct(evaluation.accuracy)}**${interval} on ${evaluation.count} ${what}, evaluated ${evaluation.writtenAt}.`,
    `Macro F1: ${pct(evaluation.macro.f1)}; weighted F1: ${pct(evaluation.weighted.f1)}.`,
    ...evaluation.notices.map((notice) => `> ${notice}`),
    '',
    'Confusion matrix (rows: true class, columns: predicted class):',
    '',
    ...confusionSection(run.classes, evaluation.confusion.matrix),
  ];
  return lines;
}

/** One line on the output probabilities: temperature-scaled (how to undo it) or raw, and why. */
export function calibrationLine(calibration: ExportRun['state']['calibration']): string {
  if (calibration?.status !== 'applied') {
    return `- Probabilities: not calibrated${calibration ? ` (${calibration.reason.replace(/\.$/, '')})` : ''}`;
  }
  const { temperature: t, layer, images, eceBefore, eceAfter } = calibration;
  return `- Probabilities: calibrated by temperature scaling, T = ${t.toFixed(3)} fitted on ${images} validation images (ECE ${eceBefore.toFixed(3)} → ${eceAfter.toFixed(3)}); the kernel and bias of \`${layer}\` are divided by T, multiply them by T for the raw model`;
}

function trainingSection(run: ExportRun): string[] {
  const { request, history, best, durationMs } = run.state;
  const config = request.config;
  const head =
    typeof request.head === 'string'
      ? request.head
      : request.head
        ? JSON.stringify(request.head)
        : 'default: Dense(128, relu) → Dropout(0.2) → Dense(classes, softmax)';
  const split = request.split;
  const lines = [
    `- Head: ${head}`,
    `- Phase 1 (head on frozen base features): up to ${config.epochs} epochs, batch size ${config.batchSize}, ${config.optimizer} with learning rate ${config.learningRate}, label smoothing ${config.labelSmoothing}, class weights ${JSON.stringify(config.classWeights)}, ${config.augment} augmented variants per image`,
    config.fineTune.top > 0
      ? `- Phase 2 (fine-tuning): top ${config.fineTune.top} ${config.fineTune.unit} of the base, ${config.fineTune.epochs} epochs, batch size ${fineTuneBatchSize(config)}, ${config.fineTune.optimizer} with learning rate ${config.fineTune.learningRate}`
      : '- Phase 2 (fine-tuning): off',
    `- Early stopping on val_loss: patience ${config.earlyStopping.patience}, restore best weights ${config.earlyStopping.restoreBestWeights}`,
    `- Split: ${split ? `train ${split.train}, validation ${split.validation}, test ${split.test}` : `validation ${config.validationSplit}`}, seed ${split?.seed ?? config.seed}`,
    calibrationLine(run.state.calibration),
    `- Epochs run: ${history.length}; kept weights of epoch ${best?.epoch ?? history.length - 1}${best ? ` (val_loss ${best.valLoss.toFixed(4)}, val accuracy ${pct(best.valAccuracy)})` : ''}; training time ${(durationMs / 1000).toFixed(1)} s`,
  ];
  return lines;
}

/** README.md for `format`'s folder of an export. */
export function modelCard(run: ExportRun, format: CardFormat, ctx: ExportContext): string {
  const evaluation = run.evaluation;
  const testCounts = run.classes.map(
    (_, label) => (run.state.test?.images ?? []).filter((image) => image.label === label).length,
  );
  const { base, preprocess } = run;
  return [
    `# ${format.name} export of run ${run.state.project?.runId ?? run.runDir.split(/[\\/]/).pop()}`,
    '',
    `${format.description} Exported by Transfer Studio ${ctx.appVersion} on ${ctx.timeStamp}.`,
    '',
    '## Classes',
    '',
    `${run.classes.length} classes (\`labels.txt\`: \`index label\` per line, the order of the model's outputs):`,
    '',
    ...classesSection(run.classes, testCounts, evaluation),
    '',
    '## Base model',
    '',
    `${base.name} (\`${base.id}\`, ${base.source}): ${base.description}`,
    '',
    `Licence: ${base.licence}.`,
    '',
    '## Preprocessing',
    '',
    `- Size: ${preprocess.size} × ${preprocess.size} pixels`,
    `- Resize: ${preprocess.resize}${preprocess.resize === 'cover' ? ' (centre-crop to a square, then resize)' : ''}`,
    `- Background behind transparent pixels: ${preprocess.background}`,
    `- Input: ${inputSentence(format.input, base.scaling, preprocess.size)}`,
    '',
    '## Training',
    '',
    ...trainingSection(run),
    '',
    '## Test metrics',
    '',
    ...evaluationSection(run, evaluation),
    '',
    '## Load and predict',
    '',
    ...snippets({
      format: format.id,
      formats: ctx.formats,
      size: preprocess.size,
      modelFiles: format.modelFiles,
      ...(format.input ? { input: format.input } : {}),
    }).flatMap((part) => [part, '']),
  ].join('\n');
}

/** labels.txt: `index label` per line. */
export function labelsText(classes: string[]): string {
  return classes.map((name, index) => `${index} ${name}`).join('\n') + '\n';
}
