/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import type { ProjectRun } from '../../../../../shared/contract/project';
import { StudioError } from '../../../../../shared/errors';
import { Runs, type RunsSource } from '../../../../../renderer/src/lib/state/runs.svelte';
import { FakeClient } from '../../fake-client';
import { projectRun, summaryOf } from '../../run-fixtures';

/** A fake engine answering runs.read from run folders it knows, and a mutable project. */
function setUp(runs: ProjectRun[]) {
  const source = $state<RunsSource>({ dir: '/p', runs });
  const client = new FakeClient().handle('runs.read', ({ runDir }) => {
    if (runDir === '/p/runs/r3') throw new StudioError('NOT_FOUND', `No run.json in "${runDir}".`);
    const id = runDir.split('/').at(-1)!;
    const run = source.runs.find((r) => r.id === id)!;
    return summaryOf({ runDir, id, status: run.status === 'interrupted' ? 'running' : run.status });
  });
  return { client, source, runs: new Runs(client, () => source) };
}

describe('Runs', () => {
  it("lists the project's runs newest first with their folders, and reads each once", async () => {
    const { client, runs } = setUp([projectRun('r1'), projectRun('r2', { status: 'failed', error: 'Out of memory' })]);
    expect(runs.entries.map((e) => [e.run.id, e.dir])).toEqual([
      ['r2', '/p/runs/r2'],
      ['r1', '/p/runs/r1'],
    ]);
    expect(runs.latest?.run.id).toBe('r1'); // the newest completed run
    await runs.load();
    expect(runs.entries.map((e) => e.summary?.status)).toEqual(['failed', 'completed']);
    await runs.load();
    expect(client.count('runs.read')).toBe(2);
  });

  it('reads a run again when its status in project.json changed, and says why a run cannot be read', async () => {
    const { client, source, runs } = setUp([projectRun('r1', { status: 'running' }), projectRun('r3')]);
    await runs.load();
    expect(runs.entries.find((e) => e.run.id === 'r3')?.error).toBe('No run.json in "/p/runs/r3".');
    source.runs = [projectRun('r1', { status: 'completed' }), projectRun('r3')];
    await runs.load();
    expect(runs.entries.find((e) => e.run.id === 'r1')?.summary?.status).toBe('completed');
    expect(client.count('runs.read')).toBe(4); // r1 twice, r3 (unreadable) twice
  });

  it('opens one run, compares at most two (a third replaces the first) and forgets all on clear', async () => {
    const { runs } = setUp([projectRun('r1'), projectRun('r2'), projectRun('r4')]);
    await runs.load();
    runs.select('/p/runs/r1');
    expect(runs.selected?.id).toBe('r1');
    runs.toggleCompare('/p/runs/r1');
    runs.toggleCompare('/p/runs/r2');
    runs.toggleCompare('/p/runs/r4');
    expect(runs.compared).toEqual(['/p/runs/r2', '/p/runs/r4']);
    expect(runs.comparison.map((s) => s.id)).toEqual(['r2', 'r4']);
    runs.toggleCompare('/p/runs/r2');
    expect(runs.compared).toEqual(['/p/runs/r4']);
    runs.clear();
    expect([runs.selectedDir, runs.compared, runs.summaries]).toEqual([undefined, [], {}]);
  });

  it('drops the comparison, and an opened run not among its runs, when another project opens', async () => {
    const { source, runs } = setUp([projectRun('r1'), projectRun('r2')]);
    await runs.load();
    runs.select('/p/runs/r1');
    runs.toggleCompare('/p/runs/r2');
    source.dir = '/q';
    await runs.load();
    expect([runs.selectedDir, runs.compared]).toEqual([undefined, []]);
  });

  it('lists nothing without a project', () => {
    const { source, runs } = setUp([projectRun('r1')]);
    source.dir = undefined;
    expect(runs.entries).toEqual([]);
  });
});
