/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import type { Method, RequestOf, ResponseOf } from '../../../../../shared/contract';
import type { DatasetSpecInput, ScanSummary } from '../../../../../shared/contract/data';
import { StudioError } from '../../../../../shared/errors';
import type { CallOptions } from '../../../../../renderer/src/lib/api';
import { DataSources } from '../../../../../renderer/src/lib/state/data-sources.svelte';
import { Dataset } from '../../../../../renderer/src/lib/state/dataset.svelte';
import { FakeClient, settle } from '../../fake-client';

/** Original class folders under /data/pets and their image counts. */
const FOLDERS: Record<string, number> = { cats: 12, dogs: 9, kittens: 3 };

/** Resolves the spec like the engine and counts images per final class. */
function summarise(spec: DatasetSpecInput, scanId: string): ScanSummary {
  const renames = spec.renames ?? {};
  const merged = new Map<string, string>();
  for (const merge of spec.merges ?? []) for (const from of merge.from) merged.set(from, merge.into);
  const counts = new Map<string, number>();
  for (const [original, count] of Object.entries(FOLDERS)) {
    if (spec.excluded?.includes(original)) continue;
    const renamed = renames[original] ?? original;
    const final = merged.get(renamed) ?? renamed;
    if (spec.excluded?.includes(final)) continue;
    counts.set(final, (counts.get(final) ?? 0) + count);
  }
  const classes = [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => a.name.localeCompare(b.name));
  const blocking = classes.length < 2;
  return {
    scanId,
    recordsFile: `/cache/scans/${scanId}.records.jsonl`,
    classes,
    images: classes.reduce((sum, c) => sum + c.count, 0),
    filesSeen: 25,
    problems: [
      { path: '/data/pets/cats/bad.jpg', kind: 'corrupt', message: 'damaged', severity: 'error', class: 'cats' },
    ],
    problemCounts: { corrupt: 1 },
    problemsOmitted: 0,
    duplicates: [],
    warnings: blocking ? [{ kind: 'one-class', severity: 'blocking', message: 'Only one class was found.' }] : [],
    canTrain: !blocking,
  };
}

/** A fake engine and host: scans answer when the test says, with progress; cancel rejects with CANCELLED. */
class DataClient extends FakeClient {
  scans: { spec: DatasetSpecInput; options?: CallOptions<'data.scan'>; finish: () => void }[] = [];

  constructor() {
    super('web');
    this.handle('host.listDir', ({ path }) => {
      const names = path === '/data/pets' ? Object.keys(FOLDERS) : [];
      const files = path.startsWith('/data/pets/') ? ['bad.jpg', 'a.jpg', 'b.png', 'notes.txt'] : [];
      return {
        path,
        parent: null,
        entries: [
          ...names.map((name) => ({ name, path: `${path}/${name}`, isDirectory: true })),
          ...files.map((name) => ({ name, path: `${path}/${name}`, isDirectory: false })),
        ],
      };
    });
    this.handle('data.split', ({ scanId, fractions }) => ({
      splitFile: `/cache/scans/${scanId}.split.jsonl`,
      counts: { train: Math.round(24 * fractions!.train), validation: 24 - Math.round(24 * fractions!.train), test: 0 },
      perClass: [],
      warnings: [],
    }));
    this.handle('data.thumbnail', ({ path }) => ({
      mime: 'image/jpeg',
      base64: btoa(path),
      file: '/cache/t.jpg',
      width: 96,
      height: 96,
    }));
    this.handle('data.augmentPreview', ({ count, seed }) => ({
      images: Array.from({ length: count ?? 9 }, (_, i) => ({ mime: 'image/png' as const, base64: `${seed}-${i}` })),
      width: 160,
      height: 160,
    }));
  }

  override async call<M extends Method>(
    method: M,
    request: RequestOf<M>,
    options?: CallOptions<M>,
  ): Promise<ResponseOf<M>> {
    if (method !== 'data.scan') return super.call(method, request, options);
    this.calls.push({ method, request });
    const { spec } = request as RequestOf<'data.scan'>;
    const scanOptions = options as CallOptions<'data.scan'> | undefined;
    return new Promise((resolve, reject) => {
      const id = (this.scans.length + 1).toString(16).padStart(8, '0');
      scanOptions?.signal?.addEventListener('abort', () =>
        reject(new StudioError('CANCELLED', 'data.scan was cancelled.')),
      );
      this.scans.push({ spec, options: scanOptions, finish: () => resolve(summarise(spec, id) as ResponseOf<M>) });
    });
  }

  /** Finishes the newest scan and lets the follow-up calls (split, samples) run. */
  async finish(): Promise<void> {
    this.scans.at(-1)!.finish();
    await settle();
    await settle();
  }
}

async function scanned(): Promise<{ client: DataClient; sources: DataSources; dataset: Dataset }> {
  const client = new DataClient();
  const sources = new DataSources(client);
  const dataset = new Dataset(client, sources);
  sources.add(['/data/pets']);
  await settle();
  dataset.autoScan();
  await client.finish();
  return { client, sources, dataset };
}

describe('Dataset', () => {
  it('guesses the folder mode, scans with live progress and becomes ready', async () => {
    const client = new DataClient();
    const sources = new DataSources(client);
    const dataset = new Dataset(client, sources);
    dataset.autoScan();
    expect(client.scans).toHaveLength(0); // nothing chosen yet

    sources.add(['/data/pets']);
    expect(sources.settled).toBe(false);
    dataset.autoScan();
    expect(client.scans).toHaveLength(0); // waits for the mode guess
    await settle();
    expect(sources.modeOf('/data/pets')).toBe('parent');
    expect(sources.contents['/data/pets']?.folders).toEqual(['cats', 'dogs', 'kittens']);

    dataset.autoScan();
    expect(dataset.scanning).toBe(true);
    expect(client.scans[0]!.spec).toEqual({
      sources: [{ path: '/data/pets', mode: 'parent' }],
      renames: {},
      merges: [],
      excluded: [],
    });
    client.scans[0]!.options!.onProgress!({ phase: 'checking', filesSeen: 10, imagesOk: 9, problems: 1 });
    expect(dataset.progress).toEqual({ phase: 'checking', filesSeen: 10, imagesOk: 9, problems: 1 });
    dataset.autoScan(); // same spec, already scanning: no second scan
    expect(client.scans).toHaveLength(1);

    await client.finish();
    expect(dataset.scanning).toBe(false);
    expect(dataset.ready).toBe(true);
    expect(dataset.classCount).toBe(3);
    expect(dataset.rows.map((row) => [row.name, row.count, row.excluded])).toEqual([
      ['cats', 12, false],
      ['dogs', 9, false],
      ['kittens', 3, false],
    ]);
    expect(dataset.largest).toBe(12);
    expect(dataset.health.map((group) => group.kind)).toEqual(['corrupt']);
    // The split and the augmentation sample follow the scan; the damaged file is never the sample.
    expect(client.calls.find((call) => call.method === 'data.split')?.request).toEqual({
      scanId: '00000001',
      fractions: { train: 0.7, validation: 0.15, test: 0.15 },
      seed: 0,
    });
    expect(dataset.split.result?.counts.train).toBe(17);
    expect(dataset.augment.sample).toBe('/data/pets/cats/a.jpg');
    expect(dataset.augment.images).toHaveLength(8);
    expect(await dataset.samples('cats')).toEqual(['/data/pets/cats/a.jpg', '/data/pets/cats/b.png']);

    dataset.autoScan(); // unchanged: no rescan
    expect(client.scans).toHaveLength(1);
  });

  it('renames, merges, excludes and undoes, rescanning each time', async () => {
    const { client, dataset } = await scanned();
    expect(dataset.rename('cats', '  ')).toBe(false);
    expect(dataset.rename('cats', 'felines')).toBe(true);
    expect(dataset.ready).toBe(false); // the spec changed: not ready until the rescan
    expect(client.scans.at(-1)!.spec.renames).toEqual({ cats: 'felines' });
    await client.finish();
    expect(dataset.rows.find((row) => row.name === 'felines')).toMatchObject({ count: 12, renamedFrom: ['cats'] });

    dataset.merge(['felines', 'kittens'], 'pets');
    await client.finish();
    expect(dataset.rows.map((row) => [row.name, row.count])).toEqual([
      ['dogs', 9],
      ['pets', 15],
    ]);
    expect(dataset.rows[1]!.mergedFrom).toEqual(['felines', 'kittens']);
    expect(await dataset.samples('pets', 10)).toEqual([
      '/data/pets/cats/a.jpg',
      '/data/pets/cats/b.png',
      '/data/pets/kittens/bad.jpg', // only cats/bad.jpg was reported damaged
      '/data/pets/kittens/a.jpg',
      '/data/pets/kittens/b.png',
    ]);

    dataset.exclude('dogs', true);
    await client.finish();
    expect(dataset.classCount).toBe(1);
    expect(dataset.ready).toBe(false);
    expect(dataset.blocker).toBe('Only one class was found.');
    expect(dataset.rows.find((row) => row.name === 'dogs')).toMatchObject({ count: 9, excluded: true });

    dataset.resetEdits();
    expect(dataset.edited).toBe(false);
    await client.finish();
    expect(dataset.classCount).toBe(3);
    expect(dataset.ready).toBe(true);
    expect(client.scans).toHaveLength(5);
  });

  it('leaves single images out or moves them to another class in the spec, rescanning; the files stay put', async () => {
    const { client, dataset } = await scanned();
    expect(dataset.editImage('/data/pets/cats/a.jpg', 'out')).toBe(true);
    expect(dataset.editImage('/data/pets/cats/a.jpg', 'out')).toBe(false); // already out: no change, no rescan
    expect(client.scans.at(-1)!.spec.files).toEqual({ excluded: ['/data/pets/cats/a.jpg'], classes: {} });
    await client.finish();
    expect(dataset.editImage('/data/pets/dogs/x.jpg', { class: 'cats' })).toBe(true);
    expect(client.scans.at(-1)!.spec.files).toEqual({
      excluded: ['/data/pets/cats/a.jpg'],
      classes: { '/data/pets/dogs/x.jpg': 'cats' },
    });
    expect(dataset.edited).toBe(true);
    await client.finish();
    dataset.editImage('/data/pets/cats/a.jpg', 'in');
    dataset.editImage('/data/pets/dogs/x.jpg', { class: undefined });
    expect(dataset.edited).toBe(false);
    expect(dataset.spec && 'files' in dataset.spec).toBe(false);
    await client.finish();
    expect(client.scans).toHaveLength(5);
  });

  it('keeps a conflicting image in one class or none by its content hash, rescanning; undo reopens it', async () => {
    const { client, dataset } = await scanned();
    const hash = 'c'.repeat(64);
    expect(dataset.keepConflict(hash, 'dogs')).toBe(true);
    expect(dataset.keepConflict(hash, 'dogs')).toBe(false); // the same pick: no change, no rescan
    expect(client.scans.at(-1)!.spec.files).toEqual({ excluded: [], classes: {}, conflicts: { [hash]: 'dogs' } });
    await client.finish();
    expect(dataset.edited).toBe(true);
    expect(dataset.keepConflict(hash, null)).toBe(true);
    expect(client.scans.at(-1)!.spec.files!.conflicts).toEqual({ [hash]: null });
    await client.finish();
    expect(dataset.keepConflict(hash, undefined)).toBe(true);
    expect(dataset.spec && 'files' in dataset.spec).toBe(false);
    expect(dataset.edited).toBe(false);
    await client.finish();
    expect(client.scans).toHaveLength(4);
  });

  it('cancels a scan, keeps the last summary, and a newer scan replaces an older one', async () => {
    const { client, dataset } = await scanned();
    dataset.rename('dogs', 'hounds');
    const first = client.scans.at(-1)!;
    dataset.rename('hounds', 'wolves'); // the first rescan is superseded and aborted
    expect(first.options!.signal!.aborted).toBe(true);
    await settle();
    expect(dataset.cancelled).toBe(false);
    expect(dataset.scanning).toBe(true);

    dataset.cancel();
    await settle();
    expect(dataset.scanning).toBe(false);
    expect(dataset.cancelled).toBe(true);
    expect(dataset.current).toBe(false);
    expect(dataset.summary?.classes.map((c) => c.name)).toEqual(['cats', 'dogs', 'kittens']); // the last finished scan

    void dataset.scan();
    await client.finish();
    expect(dataset.summary?.classes.map((c) => c.name)).toEqual(['cats', 'kittens', 'wolves']);
    expect(dataset.ready).toBe(true);
  });

  it('reports a failed scan in words', async () => {
    const client = new FakeClient()
      .handle('host.listDir', ({ path }) => ({ path, parent: null, entries: [] }))
      .handle('data.scan', () => {
        throw new StudioError('NOT_FOUND', '"/data/gone" does not exist.');
      });
    const sources = new DataSources(client);
    const dataset = new Dataset(client, sources);
    sources.add(['/data/gone']);
    await settle();
    await dataset.scan();
    expect(dataset.error).toBe('"/data/gone" does not exist.');
    expect(dataset.scanning).toBe(false);
    expect(dataset.ready).toBe(false);
  });

  it('reads "one class" folders by their name and forgets everything when the folders go', async () => {
    const { client, sources, dataset } = await scanned();
    sources.add(['/data/more/wolves']);
    await settle();
    expect(sources.modeOf('/data/more/wolves')).toBe('parent'); // no images listed there: guessed as parent
    sources.setMode('/data/more/wolves', 'class');
    dataset.autoScan();
    expect(client.scans.at(-1)!.spec.sources).toEqual([
      { path: '/data/pets', mode: 'parent' },
      { path: '/data/more/wolves', mode: 'class' },
    ]);
    expect(dataset.foldersOf('wolves')).toEqual(['/data/more/wolves']);
    await client.finish();

    sources.remove('/data/pets');
    sources.remove('/data/more/wolves');
    dataset.autoScan();
    expect(dataset.summary).toBeUndefined();
    expect(dataset.classCount).toBe(0);
    expect(dataset.split.result).toBeUndefined();
    expect(dataset.augment.images).toEqual([]);
  });

  it('splits with the chosen percentages and seed, keeping at least 10% for training', async () => {
    const { client, dataset } = await scanned();
    dataset.split.setPercent('validation', 30);
    dataset.split.setPercent('test', 75); // would leave -5%: validation gives way
    expect([dataset.split.train, dataset.split.validation, dataset.split.test]).toEqual([10, 15, 75]);
    dataset.split.setPercent('test', 0);
    dataset.split.setSeed(7.8);
    await settle();
    expect(client.calls.filter((call) => call.method === 'data.split').at(-1)!.request).toEqual({
      scanId: '00000001',
      fractions: { train: 0.85, validation: 0.15, test: 0 },
      seed: 7,
    });
    expect(dataset.split.result?.counts).toEqual({ train: 20, validation: 4, test: 0 });
  });

  it('keeps at least 5% for validation: training picks its best epoch on it', async () => {
    const { dataset } = await scanned();
    dataset.split.setPercent('validation', 0);
    expect(dataset.split.validation).toBe(5);
    dataset.split.setPercent('test', 0);
    expect(dataset.split.test).toBe(0);
  });

  it('previews augmentation settings on the sample and shuffles', async () => {
    const { client, dataset } = await scanned();
    const augment = dataset.augment;
    augment.set('rotation', 40);
    augment.set('flip', false);
    await settle();
    const last = () =>
      client.calls.filter((call) => call.method === 'data.augmentPreview').at(-1)!
        .request as RequestOf<'data.augmentPreview'>;
    expect(last()).toMatchObject({ path: '/data/pets/cats/a.jpg', count: 8, seed: 0, options: { size: 160 } });
    expect(last().augment).toMatchObject({ rotation: 40, flip: false, zoom: 0.15, noise: 4 });
    await augment.shuffle();
    expect(augment.images[0]).toBe('data:image/png;base64,1-0');
    await dataset.pickSample('dogs', 1);
    expect(augment.sample).toBe('/data/pets/dogs/a.jpg'); // the second image: only cats/bad.jpg was damaged
    await augment.reset();
    expect(last().augment).toMatchObject({ rotation: 15, flip: true });
  });

  it('makes thumbnails once per image', async () => {
    const { client, dataset } = await scanned();
    const [a, b] = await Promise.all([
      dataset.thumbnail('/data/pets/cats/a.jpg'),
      dataset.thumbnail('/data/pets/cats/a.jpg'),
    ]);
    expect(a).toBe(`data:image/jpeg;base64,${btoa('/data/pets/cats/a.jpg')}`);
    expect(b).toBe(a);
    expect(client.count('data.thumbnail')).toBe(1);
  });
});
