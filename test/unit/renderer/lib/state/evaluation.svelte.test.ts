/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../../../../shared/contract/evaluate';
import { StudioError } from '../../../../../shared/errors';
import { EvaluationState } from '../../../../../renderer/src/lib/state/evaluation.svelte';
import { FakeClient } from '../../fake-client';
import { evaluationOf } from '../../run-fixtures';

describe('EvaluationState', () => {
  it("reads a run's evaluation once, shows counts or row shares, a cell's images and the mistakes by loss", async () => {
    const client = new FakeClient().handle('evaluation.read', ({ runDir }) => evaluationOf(runDir));
    const state = new EvaluationState(client);
    await state.open('/p/runs/r1');
    await state.open('/p/runs/r1');
    expect(client.count('evaluation.read')).toBe(1);
    expect(state.shown?.accuracy).toBe(0.6);
    expect(state.matrix[0]).toEqual([2, 1, 0]);
    state.normalised = true;
    expect(state.matrix[0]).toEqual([2 / 3, 1 / 3, 0]);
    expect(state.matrix[2]).toEqual([0, 0, 0]);
    expect(state.mistakes.map((image) => image.path)).toEqual(['/d/cats/c3.png', '/d/dogs/d2.png']);
    state.choose({ actual: 0, predicted: 0 });
    expect(state.cellImages.map((image) => image.path)).toEqual(['/d/cats/c1.png', '/d/cats/c2.png']);
    state.choose({ actual: 0, predicted: 0 });
    expect(state.cell).toBeUndefined();
  });

  it('evaluates the test split with progress when the run has no evaluation yet', async () => {
    const client = new FakeClient()
      .handle('evaluation.read', () => null)
      .handle('evaluation.evaluate', ({ runDir }) => evaluationOf(runDir, { accuracy: 0.8 }));
    const state = new EvaluationState(client);
    await state.open('/p/runs/r2');
    expect(client.calls.at(-1)).toEqual({ method: 'evaluation.evaluate', request: { runDir: '/p/runs/r2' } });
    expect(state.saved?.accuracy).toBe(0.8);
    expect(state.running).toBe(false);
  });

  it("shows another folder's evaluation without replacing the saved one, then goes back", async () => {
    const other: Evaluation = evaluationOf('/p/runs/r1', { source: { kind: 'folder', dir: '/more' }, accuracy: 1 });
    const client = new FakeClient()
      .handle('evaluation.read', ({ runDir }) => evaluationOf(runDir))
      .handle('evaluation.evaluate', () => other);
    const state = new EvaluationState(client);
    await state.open('/p/runs/r1');
    await state.evaluate('/more');
    expect(client.calls.at(-1)!.request).toEqual({ runDir: '/p/runs/r1', dataDir: '/more' });
    expect(state.shown?.accuracy).toBe(1);
    expect(state.saved?.accuracy).toBe(0.6);
    state.showSaved();
    expect(state.shown?.accuracy).toBe(0.6);
  });

  it("says why an evaluation failed, in the engine's words, and shows nothing without a run", async () => {
    const client = new FakeClient()
      .handle('evaluation.read', () => null)
      .handle('evaluation.evaluate', () => {
        throw new StudioError('BAD_INPUT', 'Run "/p/runs/r3" has not completed: nothing to evaluate.');
      });
    const state = new EvaluationState(client);
    await state.open('/p/runs/r3');
    expect(state.error).toContain('has not completed');
    await state.open(undefined);
    expect([state.shown, state.error]).toEqual([undefined, undefined]);
  });
});
