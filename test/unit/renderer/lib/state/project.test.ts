/// <reference types="svelte" />
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AugmentOptions } from '../../../../../shared/contract/data';
import {
  ProjectFile,
  ProjectPatch,
  type ProjectOpened,
  type ProjectPatchInput,
} from '../../../../../shared/contract/project';
import { StudioError } from '../../../../../shared/errors';
import { defaultHeadSpec } from '../../../../../shared/layer-spec';
import { BaseChoice } from '../../../../../renderer/src/lib/state/base-choice.svelte';
import { DataSources } from '../../../../../renderer/src/lib/state/data-sources.svelte';
import { Dataset } from '../../../../../renderer/src/lib/state/dataset.svelte';
import { HeadEditor } from '../../../../../renderer/src/lib/state/head-editor.svelte';
import {
  ProjectState,
  applyProject,
  folderName,
  joinPath,
  runFolder,
  sectionsOf,
  type WizardParts,
} from '../../../../../renderer/src/lib/state/project.svelte';
import { Training, defaultTrainConfig } from '../../../../../renderer/src/lib/state/training.svelte';
import { FakeClient, settle } from '../../fake-client';

const NOW = '2025-03-01T10:00:00.000Z';

/** A project as the engine would store it after the user set everything up. */
function fullProject(revision = 3): ProjectFile {
  return ProjectFile.parse({
    formatVersion: 1,
    revision,
    name: 'Pets',
    createdAt: NOW,
    updatedAt: NOW,
    dataset: {
      sources: [
        { path: '/data/pets', mode: 'parent' },
        { path: '/data/more/birds', mode: 'class' },
      ],
      renames: { kittens: 'cats' },
      merges: [{ into: 'dogs', from: ['puppies'] }],
      excluded: ['other'],
    },
    split: { fractions: { train: 0.6, validation: 0.25, test: 0.15 }, seed: 7 },
    base: { id: 'tm-mobilenet-v2-0.35', freeze: { mode: 'topBlocks', n: 2, layers: {} } },
    head: {
      layers: [
        { kind: 'dense', units: 64, activation: 'relu' },
        { kind: 'dropout', rate: 0.3 },
      ],
    },
    training: {
      epochs: 12,
      batchSize: 16,
      learningRate: 0.0005,
      optimizer: 'sgd',
      labelSmoothing: 0.1,
      classWeights: 'none',
      earlyStopping: { patience: 3, restoreBestWeights: false, minDelta: 0 },
      validationSplit: 0.25,
      seed: 9,
      augment: 2,
      augmentation: { flip: false, rotation: 30 },
      fineTune: { top: 2, unit: 'blocks', epochs: 4, learningRate: 2e-5, optimizer: 'adam' },
    },
    runs: [{ id: 'r1', dir: 'runs/r1', startedAt: NOW, status: 'interrupted', error: 'The engine stopped.' }],
  });
}

function opened(project: ProjectFile, dir = '/home/u/pets'): ProjectOpened {
  return { dir, file: `${dir}/project.json`, project, warnings: [] };
}

/** The wizard's state classes on a fake engine that stores one project in memory, like the engine does. */
function setup() {
  const client = new FakeClient('web');
  let stored = fullProject();
  const updates: { patch: ProjectPatchInput; expectedRevision?: number }[] = [];
  client
    .handle('host.listDir', ({ path }) => ({ path, parent: null, entries: [] }))
    .handle('models.bases', () => [])
    .handle('project.recent', () => ({
      projects: [{ dir: '/home/u/pets', name: 'Pets', openedAt: NOW, exists: true }],
    }))
    .handle('project.open', ({ dir }) => opened(stored, dir))
    .handle('project.create', ({ dir, name }) => {
      stored = ProjectFile.parse({ formatVersion: 1, revision: 1, name: name ?? 'x', createdAt: NOW, updatedAt: NOW });
      return opened(stored, dir);
    })
    .handle('project.update', ({ dir, patch, expectedRevision }) => {
      updates.push({ patch, expectedRevision });
      if (expectedRevision !== undefined && expectedRevision !== stored.revision) {
        throw new StudioError(
          'CONFLICT',
          `"${dir}/project.json" was changed by another program (it is at revision ${stored.revision}; this window last read revision ${expectedRevision}).`,
        );
      }
      stored = ProjectFile.parse({ ...stored, ...ProjectPatch.parse(patch), revision: stored.revision + 1 });
      return opened(stored, dir);
    });
  const sources = new DataSources(client);
  const dataset = new Dataset(client, sources);
  const bases = new BaseChoice(client);
  const head = new HeadEditor(client, () => bases.selected);
  const training = new Training(client);
  const parts: WizardParts = { sources, dataset, bases, head, training };
  const project = new ProjectState(client, parts, 500);
  return {
    client,
    parts,
    project,
    updates,
    get stored() {
      return stored;
    },
    set stored(value: ProjectFile) {
      stored = value;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the project ↔ state mapping', () => {
  it('maps a fresh wizard to the project defaults', () => {
    const { parts } = setup();
    const sections = sectionsOf(parts);
    const fresh = ProjectFile.parse({ formatVersion: 1, revision: 1, name: 'x', createdAt: NOW, updatedAt: NOW });
    expect(sections.dataset).toBeNull();
    expect(sections.split).toEqual(fresh.split);
    expect(sections.base).toEqual(fresh.base);
    expect(sections.head).toEqual(fresh.head);
    expect(sections.training).toEqual({
      ...fresh.training,
      validationSplit: 0.15,
      augmentation: AugmentOptions.parse({}),
    });
    // Every section passes the engine's patch schema as it is.
    expect(ProjectPatch.safeParse(sections).success).toBe(true);
  });

  it('loads every section into the state classes and maps them back unchanged', () => {
    const { parts } = setup();
    const project = fullProject();
    applyProject(project, parts);
    expect(parts.sources.folders).toEqual(['/data/pets', '/data/more/birds']);
    expect(parts.sources.modes).toEqual({ '/data/pets': 'parent', '/data/more/birds': 'class' });
    expect(parts.dataset.edits).toEqual({
      renames: { kittens: 'cats' },
      merges: [{ into: 'dogs', from: ['puppies'] }],
      excluded: ['other'],
    });
    expect([parts.dataset.split.validation, parts.dataset.split.test, parts.dataset.split.seed]).toEqual([25, 15, 7]);
    expect(parts.bases.selectedId).toBe('tm-mobilenet-v2-0.35');
    expect(parts.head.freeze).toEqual({ mode: 'topBlocks', n: 2 });
    expect(parts.head.spec).toEqual(project.head);
    expect(parts.training.config.optimizer).toBe('sgd');
    expect(parts.dataset.augment.settings).toMatchObject({ flip: false, rotation: 30, zoom: 0.15 });

    const back = sectionsOf(parts);
    expect(back.dataset).toEqual(project.dataset);
    expect(back.split).toEqual(project.split);
    expect(back.base).toEqual(project.base);
    expect(back.head).toEqual(project.head);
    expect(back.training).toEqual({
      ...project.training,
      augmentation: AugmentOptions.parse(project.training.augmentation),
    });
  });

  it('keeps the label-conflict picks of the dataset edits through a load and back', () => {
    const { parts } = setup();
    const project = fullProject();
    const conflicts = { ['a'.repeat(64)]: 'dogs', ['b'.repeat(64)]: null };
    project.dataset = { ...project.dataset!, files: { excluded: ['/data/pets/cats/x.png'], classes: {}, conflicts } };
    applyProject(project, parts);
    expect(parts.dataset.edits.files?.conflicts).toEqual(conflicts);
    expect(sectionsOf(parts).dataset).toEqual(project.dataset);
  });

  it('takes the fine-tune depth of a project that only sets it in training (e.g. written by the CLI)', () => {
    const { parts } = setup();
    const project = fullProject();
    applyProject(
      {
        ...project,
        base: { id: 'b', freeze: { mode: 'all', n: 0, layers: {} } },
        training: { ...project.training, fineTune: { ...project.training.fineTune, top: 5, unit: 'layers' } },
      },
      parts,
    );
    expect(parts.head.freeze).toEqual({ mode: 'topLayers', n: 5 });
    expect(sectionsOf(parts).training.fineTune).toMatchObject({ top: 5, unit: 'layers' });
  });

  it('makes folder names and paths', () => {
    expect(folderName('  My pets!  ')).toBe('my-pets');
    expect(folderName('***')).toBe('project');
    expect(joinPath('/home/u/', 'pets')).toBe('/home/u/pets');
    expect(joinPath('C:\\Users\\u', 'pets')).toBe('C:\\Users\\u\\pets');
    expect(runFolder('/home/u/pets', { dir: 'runs/r1' })).toBe('/home/u/pets/runs/r1');
    expect(runFolder('/home/u/pets', { dir: '/elsewhere/r2' })).toBe('/elsewhere/r2');
  });
});

describe('ProjectState', () => {
  it('opens a project into the wizard without writing it back, and lists recent projects', async () => {
    const { project, parts, client } = setup();
    expect(await project.open('/home/u/pets')).toBe(true);
    expect(project.name).toBe('Pets');
    expect(parts.bases.selectedId).toBe('tm-mobilenet-v2-0.35');
    expect(project.interrupted.map((run) => run.id)).toEqual(['r1']);
    expect(project.changes()).toEqual({});
    expect(project.autosave()).toBeUndefined();
    await settle();
    expect(project.recent.map((entry) => entry.name)).toEqual(['Pets']);
    expect(client.count('project.update')).toBe(0);
  });

  it('autosaves only the changed sections after 500 ms of quiet, with the revision it read', async () => {
    vi.useFakeTimers();
    const s = setup();
    await s.project.open('/home/u/pets');
    s.parts.training.config.epochs = 30;
    const cancel = s.project.autosave();
    vi.advanceTimersByTime(300);
    cancel?.(); // another change within 500 ms restarts the wait
    s.parts.head.freeze = { mode: 'all', n: 0 };
    s.project.autosave();
    vi.advanceTimersByTime(499);
    expect(s.updates).toHaveLength(0);
    expect(s.project.pending).toBe(true); // the top bar says 'Saving…', not 'Saved'
    vi.advanceTimersByTime(1);
    await vi.runAllTimersAsync();
    expect(s.updates).toHaveLength(1);
    expect(Object.keys(s.updates[0]!.patch).sort()).toEqual(['base', 'training']);
    expect(s.updates[0]!.expectedRevision).toBe(3);
    expect(s.stored.training.epochs).toBe(30);
    expect(s.stored.training.fineTune.top).toBe(0);
    expect(s.project.opened?.project.revision).toBe(4);
    expect(s.project.changes()).toEqual({});
    expect(s.project.pending).toBe(false);
  });

  it('says Saved again when a change is undone before its autosave', async () => {
    vi.useFakeTimers();
    const s = setup();
    await s.project.open('/home/u/pets');
    const epochs = s.parts.training.config.epochs;
    s.parts.training.config.epochs = epochs + 1;
    const cancel = s.project.autosave();
    expect(s.project.pending).toBe(true);
    vi.advanceTimersByTime(200);
    cancel?.();
    s.parts.training.config.epochs = epochs; // undone within the quiet time
    expect(s.project.autosave()).toBeUndefined();
    expect(s.project.pending).toBe(false);
    await vi.runAllTimersAsync();
    expect(s.updates).toHaveLength(0);
  });

  it('stops on a CONFLICT and reloads the project from disk on request', async () => {
    const s = setup();
    await s.project.open('/home/u/pets');
    s.stored = { ...s.stored, revision: 9, head: defaultHeadSpec() }; // another program wrote it
    s.parts.training.config.epochs = 30;
    await s.project.save();
    expect(s.project.conflict).toMatch(
      /changed by another program \(it is at revision 9; this window last read revision 3\)/,
    );
    expect(s.project.autosave()).toBeUndefined();

    expect(await s.project.reload()).toBe(true);
    expect(s.project.conflict).toBeUndefined();
    expect(s.parts.training.config.epochs).toBe(12); // the file's value, not the unsaved edit
    expect(s.parts.head.spec).toEqual(defaultHeadSpec());
    expect(s.project.opened?.project.revision).toBe(9);
  });

  it('creates a project holding the work done so far', async () => {
    const s = setup();
    s.parts.sources.add(['/data/flowers']);
    s.parts.training.config.epochs = 3;
    expect(await s.project.create('/home/u/flowers', 'Flowers')).toBe(true);
    expect(s.client.calls.find((c) => c.method === 'project.create')?.request).toEqual({
      dir: '/home/u/flowers',
      name: 'Flowers',
    });
    expect(s.updates[0]!.expectedRevision).toBe(1);
    expect(s.stored.dataset?.sources).toEqual([{ path: '/data/flowers', mode: 'parent' }]);
    expect(s.stored.training.epochs).toBe(3);
    expect(s.project.changes()).toEqual({});
    expect(s.project.dir).toBe('/home/u/flowers');
  });

  it('says why opening failed, and one save at a time', async () => {
    const s = setup();
    s.client.handle('project.open', () => {
      throw new StudioError('NOT_FOUND', 'No project in "/nope" (no project.json).');
    });
    expect(await s.project.open('/nope')).toBe(false);
    expect(s.project.error).toBe('No project in "/nope" (no project.json).');
    expect(s.project.opened).toBeUndefined();

    s.client.handle('project.open', ({ dir }) => opened(s.stored, dir));
    await s.project.open('/home/u/pets');
    s.parts.training.config.epochs = 30;
    const first = s.project.save();
    s.parts.training.config.seed = 1;
    const second = s.project.save(); // while the first is in flight: it follows it
    await Promise.all([first, second]);
    expect(s.updates.map((u) => u.expectedRevision)).toEqual([3, 4]);
    expect(s.stored.training.seed).toBe(1);
    expect(s.project.conflict).toBeUndefined();
  });

  it('builds the training request for the open project', async () => {
    const s = setup();
    await s.project.open('/home/u/pets');
    const request = s.project.trainRequest();
    expect(request.dirs).toEqual(['/data/pets', '/data/more/birds']);
    expect(request.base).toBe('tm-mobilenet-v2-0.35');
    expect(request.projectDir).toBe('/home/u/pets');
    expect(request.config).toMatchObject({
      epochs: 12,
      validationSplit: 0.25,
      fineTune: { top: 2, unit: 'blocks' },
      augmentation: { flip: false, rotation: 30 },
    });
    // The Data step's split goes along, so its test share is held out of training.
    const { split } = s.parts.dataset;
    expect(request.split).toEqual({ ...split.fractions, seed: split.seed });
    expect(request.split!.train + request.split!.validation + request.split!.test).toBeCloseTo(1);
    expect(defaultTrainConfig().epochs).toBe(20);
  });
});
