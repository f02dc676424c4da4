/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import type { CallOptions } from '../../../../../renderer/src/lib/api';
import type { Method, RequestOf, ResponseOf } from '../../../../../shared/contract';
import type { BaseInfo, BaseListItem } from '../../../../../shared/contract/models';
import { StudioError } from '../../../../../shared/errors';
import { BaseChoice, downloadFraction, formatBytes } from '../../../../../renderer/src/lib/state/base-choice.svelte';
import { FakeClient, settle } from '../../fake-client';

function info(id: string, source: BaseInfo['source'], extra: Partial<BaseInfo> = {}): BaseInfo {
  return {
    id,
    name: `Base ${id}`,
    description: `${id}, credited`,
    source,
    inputSize: 224,
    scaling: 'x/255',
    cutLayer: 'out_relu',
    pooling: 'avg',
    featureSize: 1280,
    featureShape: [1280],
    licence: 'MIT',
    fineTunable: true,
    sizeBytes: 2_600_000,
    ...extra,
  };
}

const INFOS = [
  info('mobilenet', 'bundled'),
  info('inception', 'bundled', { inputSize: 299, featureSize: 2048 }),
  info('tm-0.35', 'catalog'),
];
const item = (i: BaseInfo): BaseListItem => ({
  id: i.id,
  name: i.name,
  source: i.source,
  inputSize: i.inputSize,
  featureSize: i.featureSize,
  cached: i.source !== 'catalog',
  fineTunable: i.fineTunable,
});

/** A FakeClient whose `models.download` reports progress and honours the AbortSignal like the engine. */
class DownloadClient extends FakeClient {
  /** Resolves the running download; set while one runs. */
  finish?: () => void;
  fail?: (error: Error) => void;

  override async call<M extends Method>(
    method: M,
    request: RequestOf<M>,
    options?: CallOptions<M>,
  ): Promise<ResponseOf<M>> {
    if (method !== 'models.download') return super.call(method, request, options);
    this.calls.push({ method, request });
    const onProgress = options?.onProgress as CallOptions<'models.download'>['onProgress'];
    onProgress?.({ phase: 'weights', file: 2, files: 3, bytes: 500, totalBytes: 2000 });
    return new Promise((resolve, reject) => {
      options?.signal?.addEventListener('abort', () =>
        reject(new StudioError('CANCELLED', 'The download was cancelled.')),
      );
      this.finish = () => resolve(info('tm-0.35', 'catalog', { sizeBytes: 1_700_000 }) as ResponseOf<M>);
      this.fail = reject;
    });
  }
}

function client(): DownloadClient {
  const fake = new DownloadClient();
  fake.handle('models.bases', () => INFOS.map(item));
  fake.handle('models.baseInfo', ({ base }) => {
    const found = INFOS.find((i) => i.id === base);
    if (!found) throw new StudioError('NOT_FOUND', `No base ${JSON.stringify(base)}.`);
    return found;
  });
  return fake;
}

describe('BaseChoice', () => {
  it('loads every base with its record, grouped bundled / catalog / imported', async () => {
    const fake = client();
    const bases = new BaseChoice(fake);
    await bases.load();
    expect(bases.error).toBeUndefined();
    expect(bases.groups.map((g) => [g.source, g.items.map((b) => b.id)])).toEqual([
      ['bundled', ['mobilenet', 'inception']],
      ['catalog', ['tm-0.35']],
      ['imported', []],
    ]);
    expect(bases.bases.every((b) => b.info?.id === b.id)).toBe(true);
    expect(fake.count('models.baseInfo')).toBe(3);
  });

  it('chooses only bases usable offline, and is complete once one is chosen', async () => {
    const bases = new BaseChoice(client());
    await bases.load();
    expect(bases.complete).toBe(false);
    expect(bases.choose('tm-0.35')).toBe(false);
    expect(bases.choose('no-such-base')).toBe(false);
    expect(bases.complete).toBe(false);
    expect(bases.choose('inception')).toBe(true);
    expect(bases.selected?.inputSize).toBe(299);
    expect(bases.complete).toBe(true);
  });

  it('downloads a catalog base with progress, then marks it cached and chooses it', async () => {
    const fake = client();
    const bases = new BaseChoice(fake);
    await bases.load();
    const done = bases.download('tm-0.35');
    expect(bases.downloads['tm-0.35']?.running).toBe(true);
    expect(bases.downloads['tm-0.35']?.progress).toEqual({
      phase: 'weights',
      file: 2,
      files: 3,
      bytes: 500,
      totalBytes: 2000,
    });
    expect(downloadFraction(bases.downloads['tm-0.35']?.progress)).toBe(0.25);
    fake.finish!();
    expect((await done)?.sizeBytes).toBe(1_700_000);
    expect(bases.downloads['tm-0.35']).toBeUndefined();
    expect(bases.bases.find((b) => b.id === 'tm-0.35')?.cached).toBe(true);
    expect(bases.selectedId).toBe('tm-0.35');
    expect(bases.selected?.sizeBytes).toBe(1_700_000);
  });

  it('cancels a download without an error, and keeps a failure in words', async () => {
    const fake = client();
    const bases = new BaseChoice(fake);
    await bases.load();
    const cancelled = bases.download('tm-0.35');
    bases.cancel('tm-0.35');
    expect(await cancelled).toBeUndefined();
    expect(bases.downloads['tm-0.35']).toBeUndefined();
    expect(bases.selectedId).toBeUndefined();

    const failed = bases.download('tm-0.35');
    await settle();
    fake.fail!(
      new StudioError(
        'NETWORK',
        'Cannot reach storage.googleapis.com: you seem to be offline, or the server is down (ENOTFOUND).',
      ),
    );
    expect(await failed).toBeUndefined();
    expect(bases.downloads['tm-0.35']).toEqual({
      running: false,
      error: expect.stringContaining('you seem to be offline'),
    });
    expect(bases.bases.find((b) => b.id === 'tm-0.35')?.cached).toBe(false);
    bases.dismiss('tm-0.35');
    expect(bases.downloads['tm-0.35']).toBeUndefined();
  });

  it('reports a failing list in words', async () => {
    const fake = new FakeClient().handle('models.bases', () => {
      throw new StudioError('ENGINE_CRASHED', 'The engine stopped (exit code 3).');
    });
    const bases = new BaseChoice(fake);
    await bases.load();
    expect(bases.error).toBe('The engine stopped (exit code 3).');
    expect(bases.loading).toBe(false);
  });

  it('adds an imported base and chooses it', async () => {
    const bases = new BaseChoice(client());
    await bases.load();
    bases.addImported(info('imported-pets', 'imported', { name: 'pets' }));
    expect(bases.groups[2]!.items.map((b) => b.id)).toEqual(['imported-pets']);
    expect(bases.selected?.name).toBe('pets');
  });
});

describe('formatBytes', () => {
  it('uses decimal units with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(2_600_000)).toBe('2.6 MB');
    expect(formatBytes(21_900_000)).toBe('21.9 MB');
    expect(formatBytes(840_000)).toBe('840 kB');
    expect(formatBytes(1_200_000_000)).toBe('1.2 GB');
  });
});
