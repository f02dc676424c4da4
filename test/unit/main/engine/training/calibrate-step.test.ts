/** When a fitted temperature may sharpen (T < 1): only without the validation split's epoch selection bias. */
import { describe, expect, it } from 'vitest';
import { mayLowerTemperature } from '../../../../../main/engine/training/calibrate-step';
import { TrainConfig } from '../../../../../shared/contract/training';

describe('mayLowerTemperature', () => {
  it('is false with the defaults (best weights restored by val_loss, no label smoothing)', () => {
    expect(mayLowerTemperature(TrainConfig.parse({}))).toBe(false);
  });

  it('is true with label smoothing (a really under-confident head) or without restoring best weights', () => {
    expect(mayLowerTemperature(TrainConfig.parse({ labelSmoothing: 0.1 }))).toBe(true);
    expect(mayLowerTemperature(TrainConfig.parse({ earlyStopping: { restoreBestWeights: false } }))).toBe(true);
  });

  it('calibrate is absent by default (on: configs written before it read back unchanged) and can be turned off', () => {
    expect(TrainConfig.parse({})).not.toHaveProperty('calibrate');
    expect(TrainConfig.parse({ calibrate: false }).calibrate).toBe(false);
  });
});
