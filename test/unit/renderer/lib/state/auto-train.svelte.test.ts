/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import { chooseAutoSettings } from '../../../../../shared/auto/auto-settings';
import { AutoTrain, type AutoTarget } from '../../../../../renderer/src/lib/state/auto-train.svelte';
import { defaultTrainConfig } from '../../../../../renderer/src/lib/state/training.svelte';

const settings = (budgetSeconds: number) =>
  chooseAutoSettings({
    budgetSeconds,
    imagesPerClass: [100, 100, 100],
    base: { id: 'nsfwjs-mobilenet-v2', fineTunable: true },
    speeds: { extract: 300, fineTune: 10, headRows: 5000 },
  });

function target(): AutoTarget {
  return { config: defaultTrainConfig(), freeze: { mode: 'all', n: 0 } };
}

describe('AutoTrain', () => {
  it('is off by default: every field is the user’s, nothing is recorded', () => {
    const auto = new AutoTrain();
    const t = target();
    expect(auto.enabled).toBe(false);
    expect(auto.isManual(t, 'epochs')).toBe(true);
    expect(auto.record(t)).toBeUndefined();
  });

  it('fills every field when turned on, and records the budget, the sentence and the fields', () => {
    const auto = new AutoTrain();
    const t = target();
    auto.setEnabled(true);
    auto.budgetText = '10m';
    const chosen = settings(600);
    auto.apply(chosen, t);
    expect(t.config.epochs).toBe(chosen.epochs);
    expect(t.config.augment).toBe(chosen.augment);
    expect(t.freeze).toEqual({ mode: 'topBlocks', n: chosen.fineTune.top });
    expect(t.config.fineTune.epochs).toBe(chosen.fineTune.epochs);
    expect(auto.record(t)).toEqual({
      budgetSeconds: 600,
      reason: chosen.reason,
      estimatedSeconds: chosen.estimatedSeconds,
      fields: ['epochs', 'augment', 'fineTune.top', 'fineTune.epochs', 'fineTune.learningRate'],
    });
  });

  it('editing a field makes it manual: a new budget leaves it alone and fills the others', () => {
    const auto = new AutoTrain();
    const t = target();
    auto.setEnabled(true);
    auto.apply(settings(600), t);
    t.config.epochs = 3; // the user edits Epochs
    expect(auto.isManual(t, 'epochs')).toBe(true);
    expect(auto.isManual(t, 'augment')).toBe(false);
    const short = settings(60);
    auto.apply(short, t);
    expect(t.config.epochs).toBe(3);
    expect(t.freeze).toEqual(
      short.fineTune.top > 0 ? { mode: 'topBlocks', n: short.fineTune.top } : { mode: 'all', n: 0 },
    );
    expect(auto.record(t)!.fields).not.toContain('epochs');
  });

  it('a budget that is not one is refused, quoted, and records nothing', () => {
    const auto = new AutoTrain();
    auto.setEnabled(true);
    auto.budgetText = 'soon';
    expect(auto.budgetSeconds).toBeUndefined();
    expect(auto.budgetError).toContain('"soon"');
    auto.budgetText = '90s';
    expect(auto.budgetSeconds).toBe(90);
    expect(auto.budgetError).toBeUndefined();
  });
});
