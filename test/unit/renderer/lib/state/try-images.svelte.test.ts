/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../../../shared/errors';
import { TRY_TOP, TryImages } from '../../../../../renderer/src/lib/state/try-images.svelte';
import { FakeClient } from '../../fake-client';

describe('TryImages', () => {
  it("predicts the top classes of images with the run's model, newest first, with error rows kept", async () => {
    let call = 0;
    const client = new FakeClient().handle('prediction.predict', ({ paths }) => ({
      source: 'run',
      classes: ['cats', 'dogs'],
      predictions: paths.map((path) =>
        path.endsWith('.txt')
          ? { path, error: `Not an image: "${path}".` }
          : {
              path,
              label: 'cats',
              probability: 0.9 - call++ * 0.1,
              top: [
                { label: 'cats', probability: 0.9 },
                { label: 'dogs', probability: 0.1 },
              ],
            },
      ),
      durationMs: 40,
      imagesPerSecond: 50,
    }));
    const tries = new TryImages(client);
    await tries.predict('/p/runs/r1', ['/img/a.png', '/img/notes.txt']);
    expect(client.calls[0]!.request).toEqual({
      model: '/p/runs/r1',
      paths: ['/img/a.png', '/img/notes.txt'],
      top: TRY_TOP,
    });
    await tries.predict('/p/runs/r1', ['/img/b.png', '/img/a.png']);
    expect(tries.rows.map((row) => row.path)).toEqual(['/img/b.png', '/img/a.png', '/img/notes.txt']);
    expect(tries.rows[2]).toEqual({ path: '/img/notes.txt', error: 'Not an image: "/img/notes.txt".' });
    expect(tries.timing).toEqual({ durationMs: 40, imagesPerSecond: 50 });
    tries.clear();
    expect(tries.rows).toEqual([]);
  });

  it('asks for a finished run first, and says why a try failed', async () => {
    const client = new FakeClient().handle('prediction.predict', () => {
      throw new StudioError('NOT_FOUND', 'No model in "/p/runs/r9".');
    });
    const tries = new TryImages(client);
    await tries.predict(undefined, ['/img/a.png']);
    expect(tries.error).toBe('Open a finished run first: its model makes the predictions.');
    await tries.predict('/p/runs/r9', ['/img/a.png']);
    expect(tries.error).toBe('No model in "/p/runs/r9".');
    expect(tries.running).toBe(false);
  });
});
