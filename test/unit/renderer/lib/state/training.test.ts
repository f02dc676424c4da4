/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import type { Method, RequestOf, ResponseOf } from '../../../../../shared/contract';
import { TrainRequest, type TrainResponse } from '../../../../../shared/contract/training';
import { StudioError } from '../../../../../shared/errors';
import { defaultHeadSpec } from '../../../../../shared/layer-spec';
import type { CallOptions } from '../../../../../renderer/src/lib/api';
import {
  Training,
  bestEpochOf,
  buildTrainRequest,
  calibrates,
  configIssues,
  defaultTrainConfig,
  fineTuneOf,
  formatDuration,
  freezeOf,
  validationFraction,
  type TrainProgress,
} from '../../../../../renderer/src/lib/state/training.svelte';
import { FakeClient, settle } from '../../fake-client';

/** A fake engine whose training job is driven step by step by the test: progress, then finish or fail. */
class JobClient extends FakeClient {
  job:
    | {
        request: unknown;
        options: CallOptions<'training.train'>;
        resolve: (r: TrainResponse) => void;
        reject: (e: Error) => void;
      }
    | undefined;

  override call<M extends Method>(method: M, request: RequestOf<M>, options?: CallOptions<M>): Promise<ResponseOf<M>> {
    if (method !== 'training.train' && method !== 'training.resume') return super.call(method, request, options);
    this.calls.push({ method, request });
    return new Promise((resolve, reject) => {
      const opts = (options ?? {}) as CallOptions<'training.train'>;
      this.job = { request, options: opts, resolve: resolve as (r: TrainResponse) => void, reject };
      opts.signal?.addEventListener('abort', () =>
        reject(
          new StudioError(
            'CANCELLED',
            'Training was cancelled; the best weights so far are kept in "/p/runs/r1" (resume with training.resume).',
            { runDir: '/p/runs/r1', bestEpoch: 0 },
          ),
        ),
      );
    });
  }

  progress(p: Partial<TrainProgress>): void {
    this.job!.options.onProgress!({
      phase: 'head',
      done: 0,
      total: 1,
      numTensors: 10,
      rssBytes: 1e8,
      ...p,
    } as TrainProgress);
  }
}

const history = [
  { epoch: 0, phase: 'head' as const, loss: 0.9, accuracy: 0.5, valLoss: 0.8, valAccuracy: 0.5 },
  { epoch: 1, phase: 'head' as const, loss: 0.5, accuracy: 0.8, valLoss: 0.4, valAccuracy: 0.9 },
  { epoch: 2, phase: 'head' as const, loss: 0.3, accuracy: 0.9, valLoss: 0.45, valAccuracy: 0.85 },
];

function response(): TrainResponse {
  return {
    runDir: '/p/runs/r1',
    base: 'nsfwjs-mobilenet-v2',
    backend: 'wasm',
    classes: ['a', 'b'],
    history,
    valAccuracy: 0.9,
    durationMs: 4200,
    bestEpoch: 1,
    stoppedBy: 'completed',
    resumed: false,
    trainImages: 20,
    valImages: 4,
    cache: { hits: 0, misses: 24 },
  };
}

const SPEC = { sources: [{ path: '/data/pets', mode: 'parent' as const }] };

describe('buildTrainRequest', () => {
  it('takes the folders, base, head, and puts the freeze depth and validation share into the config', () => {
    const request = buildTrainRequest({
      spec: SPEC,
      baseId: 'nsfwjs-mobilenet-v2',
      head: defaultHeadSpec(),
      freeze: { mode: 'topBlocks', n: 2 },
      config: { ...defaultTrainConfig(), epochs: 3, batchSize: 8 },
      validationPercent: 20,
    });
    expect(request.dirs).toEqual(['/data/pets']);
    expect(request.base).toBe('nsfwjs-mobilenet-v2');
    expect(request.head).toEqual(defaultHeadSpec());
    expect(request.config).toMatchObject({
      epochs: 3,
      batchSize: 8,
      validationSplit: 0.2,
      fineTune: { top: 2, unit: 'blocks', epochs: 5, learningRate: 1e-5 },
    });
    expect(request.runDir).toBeUndefined();
    expect(request.cacheDir).toBeUndefined();
  });

  it('names the project folder, so the engine records the run there', () => {
    const request = buildTrainRequest({
      spec: SPEC,
      baseId: 'b',
      head: defaultHeadSpec(),
      freeze: { mode: 'all' },
      config: defaultTrainConfig(),
      validationPercent: 15,
      projectDir: '/home/u/pets',
    });
    expect(request.projectDir).toBe('/home/u/pets');
    expect(request.runDir).toBeUndefined(); // the engine picks <project>/runs/<run id> and <project>/cache
    expect(request.config?.fineTune?.top).toBe(0);
  });

  it("sends the Data step's spec (class renames, merges, exclusions) and split, so training sees the same classes", () => {
    const spec = { ...SPEC, renames: { kitty: 'cat' }, merges: [{ into: 'dog', from: ['puppy'] }], excluded: ['misc'] };
    const split = { train: 0.7, validation: 0.2, test: 0.1, seed: 5 };
    const request = buildTrainRequest({
      spec,
      baseId: 'b',
      head: defaultHeadSpec(),
      freeze: { mode: 'all' },
      config: defaultTrainConfig(),
      validationPercent: 20,
      split,
    });
    expect(request.dataset).toEqual(spec);
    expect(request.split).toEqual(split);
    expect(TrainRequest.safeParse(request).success).toBe(true);
    const withoutSplit = buildTrainRequest({
      spec,
      baseId: 'b',
      head: defaultHeadSpec(),
      freeze: {},
      config: defaultTrainConfig(),
      validationPercent: 20,
    });
    expect(withoutSplit.split).toBeUndefined();
  });

  it('sends calibrate: false only when the switch is off (absent = on, the engine default)', () => {
    const training = new Training(new JobClient());
    const request = () =>
      buildTrainRequest({
        spec: SPEC,
        baseId: 'b',
        head: defaultHeadSpec(),
        freeze: { mode: 'all' },
        config: training.config,
        validationPercent: 20,
      });
    expect(calibrates(training.config)).toBe(true);
    expect(request().config).not.toHaveProperty('calibrate');
    training.setCalibrate(false);
    expect(calibrates(training.config)).toBe(false);
    expect(request().config?.calibrate).toBe(false);
    expect(TrainRequest.parse(request()).config.calibrate).toBe(false);
    training.setCalibrate(true);
    expect(training.config).not.toHaveProperty('calibrate');
    expect(request().config).not.toHaveProperty('calibrate');
    // A config saved with calibrate: true (on) is sent as the default.
    training.config = { ...training.config, calibrate: true };
    expect(calibrates(training.config)).toBe(true);
    expect(request().config).not.toHaveProperty('calibrate');
    training.setCalibrate(false);
    training.resetConfig();
    expect(calibrates(training.config)).toBe(true);
  });

  it('refuses without folders or a base, in words', () => {
    const base = { head: defaultHeadSpec(), freeze: {}, config: defaultTrainConfig(), validationPercent: 15 };
    expect(() => buildTrainRequest({ ...base, spec: undefined, baseId: 'b' })).toThrow(
      'Choose image folders on the Data step first.',
    );
    expect(() => buildTrainRequest({ ...base, spec: SPEC, baseId: undefined })).toThrow(
      'Choose a base on the Base step first.',
    );
  });
});

describe('training helpers', () => {
  it('maps freeze policies to fine-tune depths and back', () => {
    expect(fineTuneOf({ mode: 'all', n: 0 })).toEqual({ top: 0, unit: 'blocks' });
    expect(fineTuneOf({ mode: 'topBlocks', n: 3 })).toEqual({ top: 3, unit: 'blocks' });
    expect(fineTuneOf({ mode: 'topLayers', n: 7 })).toEqual({ top: 7, unit: 'layers' });
    for (const freeze of [
      { mode: 'all' as const, n: 0 },
      { mode: 'topBlocks' as const, n: 3 },
      { mode: 'topLayers' as const, n: 7 },
      { mode: 'none' as const, n: 0 },
    ]) {
      expect(freezeOf(fineTuneOf(freeze))).toEqual(freeze);
    }
  });

  it('clamps the validation share to what the engine accepts', () => {
    expect(validationFraction(15)).toBe(0.15);
    expect(validationFraction(0)).toBe(0.05);
    expect(validationFraction(80)).toBe(0.5);
  });

  it('names the field and quotes the value of each config problem', () => {
    expect(configIssues(defaultTrainConfig())).toEqual([]);
    const issues = configIssues({
      ...defaultTrainConfig(),
      epochs: 0,
      learningRate: -1,
      earlyStopping: { patience: 1.5, restoreBestWeights: true, minDelta: 0 },
    });
    expect(issues.map((i) => i.path)).toEqual(['epochs', 'learningRate', 'earlyStopping.patience']);
    expect(issues[0]!.message).toMatch(/>=1, received 0$/);
    expect(issues[1]!.message).toMatch(/received -1$/);
    expect(issues[2]!.message).toMatch(/received 1.5$/);
    expect(configIssues({ ...defaultTrainConfig(), epochs: null })[0]!.message).toMatch(/received null$/);
  });

  it('finds the best epoch by val loss and words durations', () => {
    expect(bestEpochOf(history)).toBe(1);
    expect(bestEpochOf([])).toBeUndefined();
    expect(formatDuration(4.2)).toBe('4 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });
});

describe('Training', () => {
  it('builds live curves from progress, then takes the run history and result', async () => {
    const client = new JobClient();
    const training = new Training(client);
    expect(training.totalEpochs).toBe(20);
    const done = training.train({ dirs: ['/data'] });
    expect(training.running).toBe(true);
    client.progress({ phase: 'extract', done: 12, total: 24 });
    expect(training.progress?.phase).toBe('extract');
    client.progress({ epoch: 0, epochs: 3, batch: 1, batches: 2, loss: 1.1, accuracy: 0.4 });
    client.progress({ epoch: 0, epochs: 3, batch: 2, batches: 2, loss: 0.9, accuracy: 0.5 }); // last batch, before val metrics
    client.progress({
      epoch: 0,
      epochs: 3,
      batch: 2,
      batches: 2,
      loss: 0.9,
      accuracy: 0.5,
      valLoss: 0.8,
      valAccuracy: 0.5,
    });
    client.progress({
      epoch: 1,
      epochs: 3,
      batch: 1,
      batches: 2,
      loss: 0.6,
      accuracy: 0.7,
      valLoss: 0.8,
      valAccuracy: 0.5,
    }); // stale val of epoch 0
    expect(training.batchLoss).toEqual([
      { x: 0.5, loss: 1.1 },
      { x: 1, loss: 0.9 },
      { x: 1.5, loss: 0.6 },
    ]);
    expect(training.history).toEqual([history[0]]);
    expect(training.bestEpoch).toBe(0);

    client.job!.resolve(response());
    expect(await done).toEqual(response());
    expect(training.running).toBe(false);
    expect(training.history).toEqual(history);
    expect(training.bestEpoch).toBe(1);
    expect(training.result?.valAccuracy).toBe(0.9);
  });

  it("keeps the planned epochs through the save phase, whose progress names none (the chart's x axis)", async () => {
    const client = new JobClient();
    const training = new Training(client);
    const done = training.train({ dirs: ['/data'] });
    expect(training.plannedEpochs).toBe(0);
    client.progress({
      epoch: 2,
      epochs: 3,
      batch: 2,
      batches: 2,
      loss: 0.3,
      accuracy: 0.9,
      valLoss: 0.45,
      valAccuracy: 0.85,
    });
    expect(training.plannedEpochs).toBe(3);
    client.progress({ phase: 'save', done: 0, total: 1 });
    expect(training.progress?.phase).toBe('save');
    expect(training.plannedEpochs).toBe(3);
    client.job!.resolve(response());
    await done;
    const again = training.train({ dirs: ['/data'] });
    expect(training.plannedEpochs).toBe(0);
    client.job!.resolve(response());
    await again;
  });

  it('cancels through the signal and keeps where the best weights are, for Resume', async () => {
    const client = new JobClient();
    const training = new Training(client);
    const done = training.train({ dirs: ['/data'] });
    client.progress({ epoch: 0, epochs: 3, batch: 1, batches: 2, loss: 1 });
    training.cancel();
    expect(await done).toBeUndefined();
    expect(training.running).toBe(false);
    expect(training.error).toBeUndefined();
    expect(training.stopped).toEqual({
      message: expect.stringContaining('best weights so far are kept'),
      runDir: '/p/runs/r1',
    });
    expect(training.batchLoss).toHaveLength(1); // what was drawn stays

    const resumed = training.resume('/p/runs/r1');
    expect(training.stopped).toBeUndefined();
    expect(client.calls.at(-1)).toEqual({ method: 'training.resume', request: { runDir: '/p/runs/r1' } });
    client.job!.resolve({ ...response(), resumed: true });
    expect((await resumed)?.resumed).toBe(true);
  });

  it("shows a failure in the engine's words and refuses a second start while running", async () => {
    const client = new JobClient();
    const training = new Training(client);
    const done = training.train({ dirs: ['/data'] });
    expect(await training.train({ dirs: ['/other'] })).toBeUndefined();
    expect(client.count('training.train')).toBe(1);
    client.job!.reject(
      new StudioError(
        'BAD_INPUT',
        'Every class needs training and validation images; these have too few images to split: "cats".',
      ),
    );
    expect(await done).toBeUndefined();
    await settle();
    expect(training.error).toBe(
      'Every class needs training and validation images; these have too few images to split: "cats".',
    );
    expect(training.stopped).toBeUndefined();
  });

  it('resets the options to the defaults', () => {
    const training = new Training(new JobClient());
    training.config.epochs = 0;
    expect(training.issues.map((i) => i.path)).toEqual(['epochs']);
    training.resetConfig();
    expect(training.config).toEqual(defaultTrainConfig());
    expect(training.issues).toEqual([]);
  });
});
