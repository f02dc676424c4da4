/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../../../shared/errors';
import { TRY_TOP, TryImages, fileToBase64 } from '../../../../../renderer/src/lib/state/try-images.svelte';
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

describe('TryImages by value', () => {
  it('sends pasted or dropped images as base64, 16 per call, with unique names and previews', async () => {
    const client = new FakeClient().handle('prediction.predictImages', ({ images }) => ({
      source: 'run',
      classes: ['cats', 'dogs'],
      predictions: images.map(({ name }) => ({
        path: name,
        label: 'dogs',
        probability: 0.7,
        top: [{ label: 'dogs', probability: 0.7 }],
      })),
      durationMs: 30,
      imagesPerSecond: 40,
    }));
    const tries = new TryImages(client);
    const image = (name: string) => ({ name, base64: 'iVBORw0KGgo=', preview: `data:image/png;base64,${name}` });
    await tries.predictImages('/p/runs/r1', [image('image.png')]);
    await tries.predictImages(
      '/p/runs/r1',
      Array.from({ length: 17 }, () => image('image.png')),
    );
    expect(client.count('prediction.predictImages')).toBe(3);
    expect(client.calls[0]!.request).toEqual({
      model: '/p/runs/r1',
      images: [{ name: 'image.png', base64: 'iVBORw0KGgo=' }],
      top: TRY_TOP,
    });
    expect(tries.rows).toHaveLength(18);
    expect(tries.rows.slice(0, 2).map((row) => row.path)).toEqual(['image.png (2)', 'image.png (3)']);
    expect(tries.previews['image.png (18)']).toBe('data:image/png;base64,image.png');
  });

  it('gives an error row to an image too large to send, without calling the engine', async () => {
    const client = new FakeClient();
    const tries = new TryImages(client);
    await tries.predictImages('/p/runs/r1', [{ name: 'huge.jpg', base64: 'A'.repeat(7_000_001), preview: 'blob:x' }]);
    expect(client.calls).toEqual([]);
    expect(tries.rows[0]).toMatchObject({ path: 'huge.jpg', error: expect.stringContaining('too large to send') });
  });

  it('reads a file as base64', async () => {
    expect(await fileToBase64(new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])]))).toBe('iVBORw==');
  });
});
