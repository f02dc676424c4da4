import type { AutoSettings } from '../../../../shared/auto/auto-settings';
import { parseBudget } from '../../../../shared/auto/budget';
import type { FreezePolicyInput } from '../../../../shared/contract/models';
import type { AutoRecord, TrainConfig } from '../../../../shared/contract/training';
import { errorMessage } from '../error-message';
import { fineTuneOf, freezeOf } from './training.svelte';

/** The fields the automatic settings fill, by their config path. */
export const AUTO_FIELDS = ['epochs', 'augment', 'fineTune.top', 'fineTune.epochs', 'fineTune.learningRate'] as const;
export type AutoField = (typeof AUTO_FIELDS)[number];

/** Where the automatic settings go: the Train step's config and the Head step's freeze policy (fine-tune depth). */
export interface AutoTarget {
  config: TrainConfig;
  freeze: FreezePolicyInput;
}

/** The current value of an auto field in `target`. */
export function fieldValue(target: AutoTarget, field: AutoField): number {
  switch (field) {
    case 'epochs':
      return target.config.epochs;
    case 'augment':
      return target.config.augment;
    case 'fineTune.top':
      return fineTuneOf(target.freeze).top;
    case 'fineTune.epochs':
      return target.config.fineTune.epochs;
    case 'fineTune.learningRate':
      return target.config.fineTune.learningRate;
  }
}

/**
 * The Train step's "Auto (budget 5 min)": the time budget the user typed, the settings chosen for it
 * (shared/auto/auto-settings.ts, computed by the form from the dataset, the base and its measured speeds) and which
 * fields they still set. Editing a field switches it to manual: a field is auto while it holds the value auto
 * last put there. Off by default: every field is the user's.
 */
export class AutoTrain {
  /** Auto on. Default: false. */
  enabled = $state(false);
  /** The budget as typed ("5m", "90s", "1h"). Default: "5m". */
  budgetText = $state('5m');
  /** The last settings chosen (while enabled). */
  settings = $state.raw<AutoSettings | undefined>();
  /** What auto last put in each field. */
  private applied = $state.raw<Partial<Record<AutoField, number>>>({});

  /** The budget in seconds, or undefined when the text is not a budget. */
  readonly budgetSeconds: number | undefined = $derived.by(() => {
    try {
      return parseBudget(this.budgetText);
    } catch {
      return undefined;
    }
  });
  /** Why the typed budget is refused, quoting it. */
  readonly budgetError: string | undefined = $derived.by(() => {
    try {
      parseBudget(this.budgetText);
      return undefined;
    } catch (error) {
      return errorMessage(error);
    }
  });

  /** True when `field` is set by hand: auto is off, or the user changed what auto put there. */
  isManual(target: AutoTarget, field: AutoField): boolean {
    const applied = this.applied[field];
    return !this.enabled || applied === undefined || fieldValue(target, field) !== applied;
  }

  /** Puts `settings` into every field still auto (the first time: every field), and remembers them. */
  apply(settings: AutoSettings, target: AutoTarget): void {
    const first = Object.keys(this.applied).length === 0;
    const auto = (field: AutoField) => first || !this.isManual(target, field);
    const next: Partial<Record<AutoField, number>> = {};
    const put = (field: AutoField, value: number, write: () => void) => {
      if (!auto(field)) return;
      write();
      next[field] = value;
    };
    put('epochs', settings.epochs, () => (target.config.epochs = settings.epochs));
    put('augment', settings.augment, () => (target.config.augment = settings.augment));
    put('fineTune.epochs', settings.fineTune.epochs, () => (target.config.fineTune.epochs = settings.fineTune.epochs));
    put(
      'fineTune.learningRate',
      settings.fineTune.learningRate,
      () => (target.config.fineTune.learningRate = settings.fineTune.learningRate),
    );
    put(
      'fineTune.top',
      settings.fineTune.top,
      () => (target.freeze = freezeOf({ top: settings.fineTune.top, unit: 'blocks' })),
    );
    this.applied = { ...this.applied, ...next };
    this.settings = settings;
  }

  /** Turns auto off (every field stays as it is, now by hand) or on (the next apply sets every field again). */
  setEnabled(on: boolean): void {
    this.enabled = on;
    this.applied = {};
    if (!on) this.settings = undefined;
  }

  /** What a run records (run.json `auto`): the budget, the sentence, the estimate and the fields auto set. */
  record(target: AutoTarget): AutoRecord | undefined {
    if (!this.enabled || this.budgetSeconds === undefined || !this.settings) return undefined;
    return {
      budgetSeconds: this.budgetSeconds,
      reason: this.settings.reason,
      estimatedSeconds: this.settings.estimatedSeconds,
      fields: AUTO_FIELDS.filter((field) => !this.isManual(target, field)),
    };
  }
}
