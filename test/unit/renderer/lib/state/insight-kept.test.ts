/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import { InsightResult } from '../../../../../shared/contract/insight';
import { ProjectFile, ProjectPatch, type ProjectOpened } from '../../../../../shared/contract/project';
import { findingGroups, type FindingItem } from '../../../../../renderer/src/lib/insight/findings';
import { BaseChoice } from '../../../../../renderer/src/lib/state/base-choice.svelte';
import { DataSources } from '../../../../../renderer/src/lib/state/data-sources.svelte';
import { Dataset } from '../../../../../renderer/src/lib/state/dataset.svelte';
import { HeadEditor } from '../../../../../renderer/src/lib/state/head-editor.svelte';
import { Insight } from '../../../../../renderer/src/lib/state/insight.svelte';
import { ProjectState } from '../../../../../renderer/src/lib/state/project.svelte';
import { Training } from '../../../../../renderer/src/lib/state/training.svelte';
import { FakeClient } from '../../fake-client';

const NOW = '2026-11-27T17:00:00.000Z';
const DIR = '/home/u/pets';

/** The same six images (same content hashes), in the order given, with findings pointing at them. */
function resultWith(order: readonly string[]): InsightResult {
  const at = (name: string) => order.indexOf(name);
  const images = order.map((name) => ({
    path: `/data/${name[0] === 'c' ? 'cats' : 'dogs'}/${name}.png`,
    label: name[0] === 'c' ? 'cats' : 'dogs',
    split: name === 'd2' ? ('test' as const) : ('train' as const),
    hash: `hash-${name}`,
  }));
  return InsightResult.parse({
    createdAt: NOW,
    base: 'mobilenet-v2',
    fingerprint: 'f',
    classes: ['cats', 'dogs'],
    images,
    suspects: [
      {
        image: at('c0'),
        label: 'cats',
        suggested: 'dogs',
        givenProbability: 0.2,
        suggestedProbability: 0.8,
        score: 0.6,
      },
    ],
    nearDuplicates: [
      { kind: 'leakage', images: [at('d1'), at('d2')], similarity: 0.99, message: 'd1 (train), d2 (test)' },
      { kind: 'near-duplicate', images: [at('c1'), at('c2')], similarity: 0.98, message: 'c1 and c2' },
    ],
    outliers: [{ image: at('d0'), score: 5, nearestClass: 'dogs', message: 'd0 is far from every class' }],
    outOfFoldAccuracy: 0.9,
    map: { seed: 42, x: images.map((_, i) => i), y: images.map((_, i) => i) },
    settings: { folds: 5, seed: 42, duplicateSimilarity: 0.97 },
    skipped: [],
    durationMs: 10,
  });
}

const ORDER = ['c0', 'c1', 'c2', 'd0', 'd1', 'd2'];
const REVERSED = [...ORDER].reverse();

const opened = (project: ProjectFile): ProjectOpened => ({
  dir: DIR,
  file: `${DIR}/project.json`,
  project,
  warnings: [],
});

/** An engine keeping one project file in memory (written before `insightKept` existed) and a saved insight result. */
function engine() {
  let stored = ProjectFile.parse({ formatVersion: 1, revision: 2, name: 'Pets', createdAt: NOW, updatedAt: NOW });
  const client = new FakeClient('web')
    .handle('host.listDir', ({ path }) => ({ path, parent: null, entries: [] }))
    .handle('models.bases', () => [])
    .handle('project.recent', () => ({ projects: [] }))
    .handle('project.open', () => opened(stored))
    .handle('project.update', ({ patch, expectedRevision }) => {
      if (expectedRevision !== stored.revision) throw new Error(`revision ${expectedRevision} ≠ ${stored.revision}`);
      stored = ProjectFile.parse({ ...stored, ...ProjectPatch.parse(patch), revision: stored.revision + 1 });
      return opened(stored);
    })
    .handle('insight.read', () => ({ ...resultWith(ORDER), stale: false }));
  return {
    client,
    get stored() {
      return stored;
    },
  };
}

/** A fresh window (state classes as App.svelte wires them) that opens the project and reads its insight. */
async function openWindow(client: FakeClient): Promise<{ project: ProjectState; insight: Insight }> {
  const sources = new DataSources(client);
  const dataset = new Dataset(client, sources);
  const bases = new BaseChoice(client);
  const head = new HeadEditor(client, () => bases.selected);
  const training = new Training(client);
  const insight: Insight = new Insight(client, dataset, () => ({ projectDir: project.dir }));
  const project: ProjectState = new ProjectState(client, { sources, dataset, bases, head, training, insight }, 0);
  expect(await project.open(DIR)).toBe(true);
  await insight.load(project.dir);
  return { project, insight };
}

const item = (insight: Insight, kind: FindingItem['kind']): FindingItem =>
  insight.groups.flatMap((group) => group.items).find((candidate) => candidate.kind === kind)!;

describe('finding ids', () => {
  it('are the same when a new Inspect lists the images in another order', () => {
    const ids = (order: readonly string[]) =>
      findingGroups(resultWith(order)).flatMap((group) => group.items.map((found) => found.id));
    expect(ids(ORDER)).toEqual(ids(REVERSED));
    expect(ids(ORDER)).toEqual([
      'mislabel:hash-c0',
      'leakage:hash-d1+hash-d2',
      'near-duplicate:hash-c1+hash-c2',
      'outlier:hash-d0',
    ]);
  });

  it('stay within the project file bound for large groups, still order-free', () => {
    const many = Array.from({ length: 40 }, (_, i) => `hash-${String(i).padStart(40, '0')}`);
    const result = resultWith(ORDER);
    const big = InsightResult.parse({
      ...result,
      images: many.map((hash, i) => ({ path: `/data/cats/${i}.png`, label: 'cats', split: 'train', hash })),
      suspects: [],
      outliers: [],
      map: { seed: 42, x: many.map((_, i) => i), y: many.map((_, i) => i) },
      nearDuplicates: [{ kind: 'near-duplicate', images: many.map((_, i) => i), similarity: 0.99, message: '40' }],
    });
    const reversed = {
      ...big,
      nearDuplicates: [{ ...big.nearDuplicates[0]!, images: [...big.nearDuplicates[0]!.images].reverse() }],
    };
    const [a] = findingGroups(big)[0]!.items;
    const [b] = findingGroups(reversed)[0]!.items;
    expect(a!.id).toBe(b!.id);
    expect(a!.id).toMatch(/^near-duplicate:40x[0-9a-f]{16}$/);
    expect(ProjectPatch.safeParse({ insightKept: [a!.id] }).success).toBe(true);
  });
});

describe('kept findings in the project', () => {
  it('opens a project file without insightKept with nothing kept, and writes nothing for it', async () => {
    const disk = engine();
    const { project, insight } = await openWindow(disk.client);
    expect(insight.keptIds()).toEqual([]);
    expect(project.changes()).toEqual({});
    expect(disk.stored.insightKept).toBeUndefined();
  });

  it('keep → save → reopen: still kept; undo of the keep is saved too', async () => {
    const disk = engine();
    const first = await openWindow(disk.client);
    const outlier = item(first.insight, 'outlier');
    const leak = item(first.insight, 'leakage');
    first.insight.keep(outlier);
    first.insight.keep(leak);
    expect(first.insight.lastStep?.label).toBe('Kept a finding as it is');
    expect(first.project.changes()).toEqual({ insightKept: ['outlier:hash-d0', 'leakage:hash-d1+hash-d2'] });
    await first.project.save();
    expect(disk.stored.insightKept).toEqual(['outlier:hash-d0', 'leakage:hash-d1+hash-d2']);

    // Another window (a reload): the saved result is read again, the kept findings stay kept.
    const second = await openWindow(disk.client);
    expect(second.insight.stateOf(item(second.insight, 'outlier'))).toBe('kept');
    expect(second.insight.stateOf(item(second.insight, 'leakage'))).toBe('kept');
    expect(second.insight.open).toBe(2);

    // Undo (of the newest step, in the first window) takes the keep back, and that is saved.
    first.insight.undo();
    expect(first.insight.stateOf(leak)).toBe('open');
    expect(first.insight.undoStack).toEqual([first.insight.undoStack[0]]);
    await first.project.save();
    expect(disk.stored.insightKept).toEqual(['outlier:hash-d0']);
  });

  it('reopening a kept finding drops its undo step and is saved; a new Inspect keeps what was kept', async () => {
    const disk = engine();
    const { project, insight } = await openWindow(disk.client);
    const suspect = item(insight, 'mislabel');
    const duplicate = item(insight, 'near-duplicate');
    insight.keep(suspect);
    insight.keep(duplicate);
    insight.keep(duplicate); // already kept: no second step
    expect(insight.undoStack).toHaveLength(2);
    insight.reopen(suspect);
    expect(insight.undoStack.map((step) => step.item)).toEqual([duplicate.id]);
    await project.save();
    expect(disk.stored.insightKept).toEqual([duplicate.id]);

    // A new result (as a new Inspect brings) listing the same images in another order: same id, still kept.
    insight.result = resultWith(REVERSED);
    expect(insight.stateOf(item(insight, 'near-duplicate'))).toBe('kept');
  });
});
