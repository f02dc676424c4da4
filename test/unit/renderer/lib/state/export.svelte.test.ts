/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import {
  ExportState,
  absoluteRunDir,
  exportRunChoices,
  fileSize,
  type ExportRunChoice,
} from '../../../../../renderer/src/lib/state/export.svelte';
import type { ProjectRun } from '../../../../../shared/contract/project';
import type { TrainResponse } from '../../../../../shared/contract/training';
import { StudioError } from '../../../../../shared/errors';
import { FakeClient } from '../../fake-client';

const run = (id: string, status: ProjectRun['status'], valAccuracy?: number): ProjectRun => ({
  id,
  dir: `runs/${id}`,
  startedAt: '2026-11-27T10:00:00.000Z',
  status,
  ...(valAccuracy !== undefined ? { valAccuracy } : {}),
});

const formats = [
  { id: 'tfjs', name: 'TensorFlow.js', description: 'web', files: ['model.json'] },
  { id: 'tm', name: 'Teachable Machine', description: 'tm', files: ['model.json'] },
  { id: 'keras', name: 'Keras', description: 'h5', files: ['model.h5'] },
];

class Choices {
  list = $state.raw<ExportRunChoice[]>([]);
}

describe('Export step state', () => {
  it('offers the run just trained, then completed project runs newest first, each once, with absolute folders', () => {
    const project = { dir: '/p', runs: [run('a', 'completed', 0.9), run('b', 'failed'), run('c', 'completed')] };
    expect(exportRunChoices(project)).toEqual([
      { runDir: '/p/runs/c', label: 'c' },
      { runDir: '/p/runs/a', label: 'a · val 90.0 %' },
    ]);
    const trained = { runDir: '/p/runs/c' } as TrainResponse;
    expect(exportRunChoices(project, trained).map((choice) => choice.runDir)).toEqual(['/p/runs/c', '/p/runs/a']);
    expect(exportRunChoices({ runs: [] })).toEqual([]);
    expect(absoluteRunDir('C:\\p', 'runs\\x')).toBe('C:\\p\\runs\\x');
    expect(absoluteRunDir('/p', '/elsewhere/r')).toBe('/elsewhere/r');
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(4 * 1024 * 1024)).toBe('4.0 MiB');
  });

  it('exports the picked run in the ticked formats (registry order), with progress, and keeps the result', async () => {
    const client = new FakeClient('web').handle('export.formats', () => ({ formats }));
    client.handle('export.run', (request) => ({
      runDir: request.runDir,
      ok: true,
      results: request.formats.map((format) => ({
        format,
        ok: true,
        dir: `${request.runDir}/exports/${format}`,
        files: [{ path: 'model.json', bytes: 10 }],
        durationMs: 1,
      })),
    }));
    const choices = new Choices();
    const state = new ExportState(client, () => choices.list);
    expect(state.canExport).toBe(false);
    await state.loadFormats();
    await state.loadFormats();
    expect(client.count('export.formats')).toBe(1);
    choices.list = [
      { runDir: '/r1', label: 'r1' },
      { runDir: '/r2', label: 'r2' },
    ];
    expect(state.runDir).toBe('/r1');
    state.pickedRun = '/r2';
    state.toggle('keras', true);
    state.toggle('tfjs', false);
    state.toggle('tfjs', true);
    const response = await state.run();
    expect(client.calls.at(-1)).toEqual({
      method: 'export.run',
      request: { runDir: '/r2', formats: ['tfjs', 'tm', 'keras'] },
    });
    expect(response?.results.map((r) => r.format)).toEqual(['tfjs', 'tm', 'keras']);
    expect(state.result).toBe(response);
    expect(state.running).toBe(false);
    expect(state.desktop).toBe(false);
    expect(state.zipUrl('tm')).toBe('/export.zip?run=%2Fr2&format=tm');
  });

  it('shows an engine error in words and can run again; desktop shows folders through host.showInFolder', async () => {
    const client = new FakeClient('electron').handle('export.run', () => {
      throw new StudioError('BAD_INPUT', 'The run in "/r" has no final model.');
    });
    const shown: string[] = [];
    client.handle('host.showInFolder', ({ path }) => {
      shown.push(path);
      return {};
    });
    const state = new ExportState(client, () => [{ runDir: '/r', label: 'r' }]);
    expect(await state.run()).toBeUndefined();
    expect(state.error).toBe('The run in "/r" has no final model.');
    expect(state.canExport).toBe(true);
    expect(state.desktop).toBe(true);
    await state.showInFolder('/r/exports/tfjs');
    expect(shown).toEqual(['/r/exports/tfjs']);
  });
});
