/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import type { CallOptions } from '../../../../../renderer/src/lib/api';
import type { Method, RequestOf, ResponseOf } from '../../../../../shared/contract';
import type { BaseListItem, BaseSpeed } from '../../../../../shared/contract/models';
import { StudioError } from '../../../../../shared/errors';
import { BaseChoice } from '../../../../../renderer/src/lib/state/base-choice.svelte';
import { FakeClient, settle } from '../../fake-client';

const at = '2026-11-27T12:00:00.000Z';
const item = (id: string, name: string, source: BaseListItem['source'], cached: boolean): BaseListItem => ({
  id,
  name,
  source,
  inputSize: 224,
  featureSize: 1280,
  cached,
  fineTunable: true,
});
const BASES = [
  item('nsfwjs-mobilenet-v2', 'MobileNetV2 224 (bundled, nsfwjs)', 'bundled', true),
  item('tm-mobilenet-v2-1.00', 'MobileNetV2 1.00 224 (Teachable Machine)', 'catalog', false),
];
const MEASURED: BaseSpeed = { extract: { onnxruntime: { perSecond: 380, from: 'probe', at } } };

/** Answers models.measureSpeed after `finish()`, or CANCELLED on abort, like the engine's job. */
class ProbeClient extends FakeClient {
  finish?: () => void;
  override async call<M extends Method>(
    method: M,
    request: RequestOf<M>,
    options?: CallOptions<M>,
  ): Promise<ResponseOf<M>> {
    if (method !== 'models.measureSpeed') return super.call(method, request, options);
    this.calls.push({ method, request });
    return new Promise((resolve, reject) => {
      options?.signal?.addEventListener('abort', () => reject(new StudioError('CANCELLED', 'Cancelled.')));
      this.finish = () => resolve(MEASURED as ResponseOf<M>);
    });
  }
}

function client(reachable: boolean, notice?: string): ProbeClient {
  const fake = new ProbeClient();
  fake.handle('models.bases', () => BASES);
  fake.handle('models.baseInfo', () => {
    throw new StudioError('NOT_FOUND', 'not needed here');
  });
  fake.handle('models.speeds', () => ({ speeds: {}, ...(notice ? { notice } : {}) }));
  fake.handle('models.network', () => ({ reachable, host: 'storage.googleapis.com' }));
  return fake;
}

describe('BaseChoice speeds and recommendation', () => {
  it('online: recommends the ImageNet catalog base, the bundled one as the fallback', async () => {
    const bases = new BaseChoice(client(true));
    await bases.load();
    await settle();
    expect(bases.networkReachable).toBe(true);
    expect(bases.recommendation).toMatchObject({ id: 'tm-mobilenet-v2-1.00', fallbackId: 'nsfwjs-mobilenet-v2' });
  });

  it('offline: recommends the bundled base; a damaged speed record is reported', async () => {
    const bases = new BaseChoice(client(false, 'The measured speeds in "x" could not be read'));
    await bases.load();
    await settle();
    expect(bases.recommendation?.id).toBe('nsfwjs-mobilenet-v2');
    expect(bases.speedNotice).toMatch(/could not be read/);
  });

  it('measures a base: the figure arrives and feeds the recommendation sentence; a cancel leaves no error', async () => {
    const fake = client(false);
    const bases = new BaseChoice(fake);
    await bases.load();
    await settle();
    const measuring = bases.measure('nsfwjs-mobilenet-v2');
    expect(bases.measuring['nsfwjs-mobilenet-v2']).toEqual({ running: true });
    fake.finish!();
    await measuring;
    expect(bases.measuring['nsfwjs-mobilenet-v2']).toBeUndefined();
    expect(bases.speeds['nsfwjs-mobilenet-v2']).toEqual(MEASURED);
    expect(bases.recommendation?.reason).toMatch(/about 380 images\/s here/);

    const again = bases.measure('nsfwjs-mobilenet-v2');
    bases.cancelMeasure('nsfwjs-mobilenet-v2');
    await again;
    expect(bases.measuring['nsfwjs-mobilenet-v2']).toBeUndefined();
  });
});
