import { describe, expect, it } from 'vitest';
import {
  autoSpeedsOf,
  bestExtractSpeed,
  fineTuneSpeedOf,
  roughRate,
  speedSourceWords,
  speedWords,
} from '../../../../shared/auto/speeds';
import type { BaseSpeed } from '../../../../shared/contract/models';

const at = '2026-11-27T12:00:00.000Z';
const measured: BaseSpeed = {
  extract: { onnxruntime: { perSecond: 381.4, from: 'run', at }, tfjs: { perSecond: 21, from: 'probe', at } },
  fineTune: { perSecond: 9.64, from: 'probe', at: '2026-11-26T12:00:00.000Z' },
};

describe('speeds for people and for the auto settings', () => {
  it('takes the faster extraction engine', () => {
    expect(bestExtractSpeed(measured)).toBe(381.4);
    expect(bestExtractSpeed({ extract: { tfjs: { perSecond: 21, from: 'run', at } } })).toBe(21);
    expect(bestExtractSpeed(undefined)).toBeUndefined();
    expect(autoSpeedsOf(measured)).toEqual({ extract: 381.4, fineTune: 9.64 });
    expect(autoSpeedsOf({})).toEqual({});
    // Fine-tuning not measured: estimated from the extraction figure (one block on stored activations: tfjs ×3,
    // ORT ×0.3 — both ~60 images/s on this machine).
    expect(autoSpeedsOf({ extract: { onnxruntime: { perSecond: 200, from: 'run', at } } })).toEqual({
      extract: 200,
      fineTune: 60,
    });
    expect(fineTuneSpeedOf({ extract: { tfjs: { perSecond: 20, from: 'run', at } } })).toBe(60);
  });

  it('says it in plain words, rounded', () => {
    expect(speedWords(measured)).toBe('about 380 images/s on this computer; fine-tuning about 9.6 images/s');
    expect(speedWords({ extract: { tfjs: { perSecond: 1234, from: 'run', at } } })).toBe(
      'about 1,200 images/s on this computer',
    );
    expect(speedWords({})).toBeUndefined();
    expect(roughRate(46.2)).toBe('46');
    expect(speedSourceWords(measured)).toBe('measured in a training run, 27 Nov');
    expect(speedSourceWords(undefined)).toBeUndefined();
  });
});
