/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import type { CallOptions } from '../../../../../renderer/src/lib/api';
import type { Method, RequestOf, ResponseOf } from '../../../../../shared/contract';
import type { ScanSummary } from '../../../../../shared/contract/data';
import { InsightResult } from '../../../../../shared/contract/insight';
import { StudioError } from '../../../../../shared/errors';
import { DataSources } from '../../../../../renderer/src/lib/state/data-sources.svelte';
import { Dataset } from '../../../../../renderer/src/lib/state/dataset.svelte';
import { Insight } from '../../../../../renderer/src/lib/state/insight.svelte';
import { FakeClient, settle } from '../../fake-client';

const ROOT = '/data/pets';
const path = (cls: string, i: number) => `${ROOT}/${cls}/${cls}${i}.png`;

/** What the engine would find in six cats and six dogs: dog 0 filed as a cat, a leak, an outlier. */
function resultFor(): InsightResult {
  const images = ['cats', 'dogs'].flatMap((cls) =>
    Array.from({ length: 6 }, (_, i) => ({
      path: path(cls, i),
      label: cls,
      split: i === 5 ? ('test' as const) : ('train' as const),
      hash: `${cls}-${i}`,
    })),
  );
  return InsightResult.parse({
    createdAt: '2026-11-27T17:00:00.000Z',
    base: 'mobilenet-v2',
    fingerprint: 'f',
    classes: ['cats', 'dogs'],
    images,
    suspects: [
      { image: 0, label: 'cats', suggested: 'dogs', givenProbability: 0.2, suggestedProbability: 0.8, score: 0.6 },
    ],
    nearDuplicates: [{ kind: 'leakage', images: [6, 11], similarity: 0.99, message: 'dogs0 (train), dogs5 (test)' }],
    outliers: [{ image: 3, score: 5, nearestClass: 'cats', message: 'cats3 is far from every class' }],
    outOfFoldAccuracy: 0.92,
    map: { seed: 42, x: images.map((_, i) => i), y: images.map((_, i) => i % 3) },
    settings: { folds: 5, seed: 42, duplicateSimilarity: 0.97 },
    skipped: [],
    durationMs: 10,
  });
}

function summary(scanId: string): ScanSummary {
  const classes = [
    { name: 'cats', count: 6 },
    { name: 'dogs', count: 6 },
  ];
  return {
    scanId,
    recordsFile: `/cache/${scanId}.jsonl`,
    classes,
    images: 12,
    filesSeen: 12,
    problems: [],
    problemCounts: {},
    problemsOmitted: 0,
    duplicates: [],
    warnings: [],
    canTrain: true,
  };
}

/** Scans answer at once; inspections wait for the test (`finish`) and reject when cancelled. */
class InsightClient extends FakeClient {
  inspections: { request: RequestOf<'insight.inspect'>; finish: () => void }[] = [];
  scans = 0;

  constructor() {
    super('web');
    this.handle('host.listDir', ({ path: dir }) => ({
      path: dir,
      parent: null,
      entries:
        dir === ROOT ? ['cats', 'dogs'].map((name) => ({ name, path: `${ROOT}/${name}`, isDirectory: true })) : [],
    }));
    this.handle('data.split', () => ({
      splitFile: '/cache/s.jsonl',
      counts: { train: 10, validation: 2, test: 0 },
      perClass: [],
      warnings: [],
    }));
    this.handle('data.augmentPreview', () => ({ images: [], width: 160, height: 160 }));
    this.handle('insight.read', () => ({ ...resultFor(), stale: true }));
  }

  override async call<M extends Method>(
    method: M,
    request: RequestOf<M>,
    options?: CallOptions<M>,
  ): Promise<ResponseOf<M>> {
    if (method === 'data.scan') {
      this.calls.push({ method, request });
      return summary(String(++this.scans)) as ResponseOf<M>;
    }
    if (method !== 'insight.inspect') return super.call(method, request, options);
    this.calls.push({ method, request });
    return new Promise((resolve, reject) => {
      options?.signal?.addEventListener('abort', () =>
        reject(new StudioError('CANCELLED', 'insight.inspect was cancelled.')),
      );
      options?.onProgress?.({ phase: 'folds', done: 2, total: 5 } as never);
      this.inspections.push({
        request: request as RequestOf<'insight.inspect'>,
        finish: () => resolve(resultFor() as ResponseOf<M>),
      });
    });
  }
}

async function setUp(): Promise<{ client: InsightClient; dataset: Dataset; insight: Insight }> {
  const client = new InsightClient();
  const sources = new DataSources(client);
  const dataset = new Dataset(client, sources);
  sources.add([ROOT]);
  await settle();
  dataset.autoScan();
  await settle();
  const insight = new Insight(client, dataset, () => ({ projectDir: '/projects/pets', base: 'mobilenet-v2' }));
  return { client, dataset, insight };
}

async function inspected(): Promise<{ client: InsightClient; dataset: Dataset; insight: Insight }> {
  const set = await setUp();
  const running = set.insight.inspect();
  set.client.inspections[0]!.finish();
  await running;
  return set;
}

describe('Insight', () => {
  it('inspects the dataset as the Data step shows it, with the project, base and split, and shows progress', async () => {
    const { client, dataset, insight } = await setUp();
    const running = insight.inspect();
    expect(insight.running).toBe(true);
    expect(insight.progress).toEqual({ phase: 'folds', done: 2, total: 5 });
    const request = client.inspections[0]!.request;
    expect(request.dataset).toEqual(dataset.spec);
    expect(request).toMatchObject({
      projectDir: '/projects/pets',
      base: 'mobilenet-v2',
      split: { train: 0.7, seed: 0 },
    });
    client.inspections[0]!.finish();
    await running;
    expect(insight.running).toBe(false);
    expect(insight.groups.map((g) => g.kind)).toEqual(['mislabel', 'leakage', 'outlier']);
    expect(insight.open).toBe(3);
    expect(insight.stale).toBe(false);
  });

  it('leaves three images out as one step, and one undo brings all three back', async () => {
    const { client, dataset, insight } = await inspected();
    const scans = client.scans;
    const paths = [path('cats', 1), path('cats', 2), path('dogs', 4)];
    const step = insight.edit(paths, { kind: 'leave-out' });
    expect(step?.label).toBe('Left out 3 images');
    expect(dataset.edits.files?.excluded).toEqual(paths);
    expect(insight.editOf(path('cats', 2))).toBe('out');
    await settle();
    expect(client.scans).toBe(scans + 1); // the dataset rescans with the edits
    insight.undo();
    expect(dataset.edits.files).toBeUndefined();
    expect(insight.undoStack).toEqual([]);
    // Image edits act on the findings; they do not make them stale.
    expect(insight.stale).toBe(false);
  });

  it('fixes a finding, keeps another, and undoes each', async () => {
    const { dataset, insight } = await inspected();
    const [mislabels, , outliers] = insight.groups;
    const suspect = mislabels!.items[0]!;
    insight.fix(suspect, suspect.fixes[0]!);
    expect(dataset.edits.files?.classes).toEqual({ [path('cats', 0)]: 'dogs' });
    expect(insight.stateOf(suspect)).toBe('fixed');
    const outlier = outliers!.items[0]!;
    insight.keep(outlier);
    expect(insight.stateOf(outlier)).toBe('kept');
    expect(insight.open).toBe(1);
    insight.reopen(suspect);
    insight.reopen(outlier);
    expect(dataset.edits.files).toBeUndefined();
    expect(insight.open).toBe(3);
  });

  it('takes an image back as one undoable step', async () => {
    const { dataset, insight } = await inspected();
    insight.edit([path('dogs', 1)], { kind: 'move', class: 'cats' });
    insight.takeBack([path('dogs', 1)]);
    expect(dataset.edits.files).toBeUndefined();
    insight.undo();
    expect(dataset.edits.files?.classes).toEqual({ [path('dogs', 1)]: 'cats' });
  });

  it('goes stale when the data changes (a class left out), not on image edits', async () => {
    const { dataset, insight } = await inspected();
    dataset.exclude('dogs', true);
    expect(insight.stale).toBe(true);
    dataset.exclude('dogs', false);
    expect(insight.stale).toBe(false);
  });

  it("reads a project's saved result with the engine's stale flag, once per project", async () => {
    const { client, insight } = await setUp();
    await insight.load('/projects/pets');
    expect(client.count('insight.read')).toBe(1);
    expect(insight.result?.images).toHaveLength(12);
    expect(insight.stale).toBe(true);
    await insight.load('/projects/pets');
    expect(client.count('insight.read')).toBe(1);
    await insight.load(undefined);
    expect(insight.result).toBeUndefined();
  });

  it('cancels a running inspection and keeps the last result', async () => {
    const { client, insight } = await inspected();
    const again = insight.inspect();
    insight.cancel();
    await again;
    expect(insight.cancelled).toBe(true);
    expect(insight.running).toBe(false);
    expect(insight.result).toBeDefined();
    expect(client.inspections).toHaveLength(2);
  });
});
