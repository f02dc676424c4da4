/**
 * `train --budget`: the automatic settings for the images to train (shared/auto), chosen before the run from the
 * engine's scan (images per class, tiny images), the speeds measured on this machine and — when no base is given —
 * the recommended base. Explicit flags win over auto: only fields the user did not set are filled.
 */
import { readdir } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { chooseAutoSettings, type AutoSettings } from '../../shared/auto/auto-settings';
import { budgetWords, parseBudget } from '../../shared/auto/budget';
import { recommendBase } from '../../shared/auto/recommend-base';
import { autoSpeedsOf, bestExtractSpeed } from '../../shared/auto/speeds';
import type { RequestOf } from '../../shared/contract';
import type { DatasetSpecInput } from '../../shared/contract/dataset-spec';
import type { AutoRecord, TrainConfigInput } from '../../shared/contract/training';
import type { EngineLink } from '../engine-link/engine-link';

type TrainRequestInput = RequestOf<'training.train'>;

/** `--budget <time>`: seconds of "90s", "5m", "1h"…; an invalid value is refused, quoted. */
export function budgetOption(value: string): number {
  try {
    return parseBudget(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** The spec of plain folders, by the engine's rule (training/dataset.ts sourceFor): sub-folders = classes. */
async function specOfDirs(dirs: readonly string[]): Promise<DatasetSpecInput> {
  const sources = await Promise.all(
    dirs.map(async (dir) => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      const parent = entries.some((e) => e.isDirectory() && !e.name.startsWith('.'));
      return { path: dir, mode: parent ? ('parent' as const) : ('class' as const) };
    }),
  );
  return { sources };
}

/** What {@link planAuto} decided: the settings, the fields it filled, and the record for run.json. */
export interface AutoPlan {
  settings: AutoSettings;
  fields: string[];
  record: AutoRecord;
}

/**
 * Fills `request` (in place) with automatic settings for `budgetSeconds`: base (when none is given), epochs,
 * augment and fine-tuning, each only where `explicit` has no value, and `request.auto`.
 */
export async function planAuto(
  engine: EngineLink,
  request: TrainRequestInput,
  budgetSeconds: number,
  explicit: TrainConfigInput,
  explicitBase: boolean,
): Promise<AutoPlan> {
  const spec = request.dataset ?? (await specOfDirs(request.dirs ?? []));
  const [scan, { speeds }, bases] = await Promise.all([
    engine.call('data.scan', { spec, ...(request.cacheDir ? { cacheDir: request.cacheDir } : {}) }),
    engine.call('models.speeds', {}),
    engine.call('models.bases', {}),
  ]);
  const images = scan.images;
  let baseId = request.base;
  if (!explicitBase || !baseId) {
    const network = await engine.call('models.network', {});
    const recommended = recommendBase({
      bases: bases.map((b) => ({ ...b, ...extractOf(bestExtractSpeed(speeds[b.id])) })),
      networkReachable: network.reachable,
      images,
      budgetSeconds,
    });
    baseId = recommended?.id ?? baseId;
  }
  const base = bases.find((b) => b.id === baseId) ?? bases[0]!;
  const trainFraction = request.split?.train ?? 1 - (request.config?.validationSplit ?? 0.2);
  const settings = chooseAutoSettings({
    budgetSeconds,
    imagesPerClass: scan.classes.map((c) => c.count),
    trainFraction,
    validationFraction: request.split?.validation ?? 1 - trainFraction,
    smallImageShare: images > 0 ? (scan.problemCounts.tiny ?? 0) / images : 0,
    base: { id: base.id, fineTunable: base.fineTunable },
    speeds: autoSpeedsOf(speeds[base.id]),
  });
  const fields: string[] = [];
  const config = { ...request.config } as TrainConfigInput;
  if (!explicitBase) {
    request.base = settings.base;
    fields.push('base');
  }
  if (explicit.epochs === undefined) {
    config.epochs = settings.epochs;
    fields.push('epochs');
  }
  if (explicit.augment === undefined) {
    config.augment = settings.augment;
    fields.push('augment');
  }
  if (explicit.fineTune?.top === undefined && explicit.fineTune?.epochs === undefined) {
    config.fineTune = { ...config.fineTune, ...settings.fineTune, unit: 'blocks' };
    fields.push('fineTune.top', 'fineTune.epochs', 'fineTune.learningRate');
  }
  request.config = config as TrainRequestInput['config'];
  const record: AutoRecord = {
    budgetSeconds,
    reason: settings.reason,
    estimatedSeconds: settings.estimatedSeconds,
    fields,
  };
  request.auto = record;
  return { settings, fields, record };
}

function extractOf(perSecond: number | undefined): { extractPerSecond?: number } {
  return perSecond === undefined ? {} : { extractPerSecond: perSecond };
}

/** The plan in lines for the terminal: what was chosen, by hand or by auto, and the one sentence of why. */
export function describePlan(plan: AutoPlan, request: TrainRequestInput): string[] {
  const config = request.config ?? {};
  const ft = config.fineTune;
  const by = (field: string) => (plan.fields.includes(field) ? '' : ' (your flag)');
  const fineTune =
    ft?.top && ft.top > 0
      ? `fine-tune top ${ft.top} block${ft.top === 1 ? '' : 's'} × ${ft.epochs ?? 5} epochs (lr ${ft.learningRate ?? 1e-5})`
      : 'no fine-tuning';
  return [
    `Auto (budget ${budgetWords(plan.record.budgetSeconds)}): base ${request.base}${by('base')}, ` +
      `${config.epochs} head epochs${by('epochs')}, augmentation ×${config.augment ?? 0}${by('augment')}, ` +
      `${fineTune}${by('fineTune.top')}; estimated ${budgetWords(plan.settings.estimatedSeconds)}` +
      (plan.settings.assumed.length > 0
        ? ` (speeds not measured yet: ${plan.settings.assumed.join(', ')} assumed)`
        : ''),
    plan.settings.reason,
  ];
}
