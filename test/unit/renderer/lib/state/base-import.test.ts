/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import type { BaseInfo } from '../../../../../shared/contract/models';
import { StudioError } from '../../../../../shared/errors';
import { BaseImport, scalingLabel } from '../../../../../renderer/src/lib/state/base-import.svelte';
import { FakeClient } from '../../fake-client';

const INSPECTION = {
  inputSize: 160,
  defaultCutLayer: 'global_average_pooling2d',
  layers: [
    { name: 'input_1', kind: 'InputLayer', outputShape: [null, 160, 160, 3] },
    { name: 'out_relu', kind: 'ReLU', outputShape: [null, 5, 5, 1280] },
    { name: 'global_average_pooling2d', kind: 'GlobalAveragePooling2D', outputShape: [null, 1280] },
    { name: 'dense', kind: 'Dense', outputShape: [null, 10] },
  ],
};

describe('BaseImport', () => {
  it('inspects the folder chosen in the dialog, then imports it with the chosen cut layer and scaling', async () => {
    const imported: BaseInfo = {
      id: 'imported-flowers',
      name: 'my flowers',
      description: 'Imported from /models/flowers',
      source: 'imported',
      inputSize: 160,
      scaling: 'x/127.5-1',
      cutLayer: 'out_relu',
      pooling: 'avg',
      featureSize: 1280,
      featureShape: [1280],
      licence: 'unknown',
      fineTunable: true,
      sizeBytes: 9_000_000,
    };
    const client = new FakeClient('electron')
      .handle('host.chooseFolders', () => ({ paths: ['/models/flowers'] }))
      .handle('models.inspectImport', () => INSPECTION)
      .handle('models.import', () => imported);
    const flow = new BaseImport(client);
    await flow.chooseWithDialog();
    expect(flow.path).toBe('/models/flowers');
    expect(flow.cutLayer).toBe('global_average_pooling2d');
    expect(flow.name).toBe('flowers');
    expect(flow.cut?.outputShape).toEqual([null, 1280]);

    flow.cutLayer = 'out_relu';
    flow.scaling = 'x/127.5-1';
    flow.name = '  my flowers ';
    expect(await flow.commit()).toEqual(imported);
    expect(client.calls.at(-1)).toEqual({
      method: 'models.import',
      request: { path: '/models/flowers', cutLayer: 'out_relu', scaling: 'x/127.5-1', name: 'my flowers' },
    });
    expect(flow.inspection).toBeUndefined();
    expect(flow.path).toBeUndefined();
  });

  it('keeps a refused folder in words and imports nothing', async () => {
    const client = new FakeClient('web').handle('models.inspectImport', ({ path }) => {
      throw new StudioError(
        'UNSUPPORTED',
        `"${path}" holds a tfjs graph model; only layers models (from Keras) can be imported.`,
      );
    });
    const flow = new BaseImport(client);
    await flow.inspect('/srv/graph');
    expect(flow.error).toBe('"/srv/graph" holds a tfjs graph model; only layers models (from Keras) can be imported.');
    expect(flow.inspection).toBeUndefined();
    expect(await flow.commit()).toBeUndefined();
    expect(client.count('models.import')).toBe(0);
    expect(flow.busy).toBe(false);
  });

  it('offers the Keras .h5 file of a folder without model.json; a file that scales itself needs no scaling', async () => {
    const client = new FakeClient('web')
      .handle('models.inspectImport', ({ path }) => {
        if (path === '/srv/keras') throw new StudioError('NOT_FOUND', 'No model.json at "/srv/keras/model.json".');
        return { ...INSPECTION, format: 'keras', scaling: 'x' };
      })
      .handle('host.listDir', () => ({
        path: '/srv/keras',
        parent: null,
        entries: [
          { name: 'notes.txt', path: '/srv/keras/notes.txt', isDirectory: false },
          { name: 'classifier.h5', path: '/srv/keras/classifier.h5', isDirectory: false },
        ],
      }))
      .handle('models.import', () => ({}) as BaseInfo);
    const flow = new BaseImport(client);
    await flow.inspect('/srv/keras');
    expect(flow.error).toBeUndefined();
    expect(flow.path).toBe('/srv/keras/classifier.h5');
    expect(flow.name).toBe('classifier');
    expect(flow.fileScales).toBe(true);
    await flow.commit();
    expect(client.calls.at(-1)).toEqual({
      method: 'models.import',
      request: {
        path: '/srv/keras/classifier.h5',
        cutLayer: 'global_average_pooling2d',
        scaling: undefined,
        name: 'classifier',
      },
    });
  });

  it('lets the user pick among several .h5 files and asks for the scaling when the file cannot tell', async () => {
    const client = new FakeClient('web')
      .handle('models.inspectImport', ({ path }) => {
        if (!path.endsWith('.h5')) throw new StudioError('NOT_FOUND', `No model.json at "${path}/model.json".`);
        return { ...INSPECTION, format: 'keras' };
      })
      .handle('host.listDir', () => ({
        path: '/srv/apps',
        parent: null,
        entries: ['xception_notop.h5', 'mobilenet_v2_notop.h5'].map((name) => ({
          name,
          path: `/srv/apps/${name}`,
          isDirectory: false,
        })),
      }))
      .handle('models.import', () => ({}) as BaseInfo);
    const flow = new BaseImport(client);
    await flow.inspect('/srv/apps');
    expect(flow.inspection).toBeUndefined();
    expect(flow.kerasFiles).toEqual(['/srv/apps/xception_notop.h5', '/srv/apps/mobilenet_v2_notop.h5']);
    await flow.pickKerasFile('/srv/apps/mobilenet_v2_notop.h5');
    expect(flow.kerasFiles).toEqual([]);
    expect(flow.scaling).toBe('');
    expect(await flow.commit()).toBeUndefined();
    expect(flow.error).toBe('Choose the pixel scaling the model was trained with: the file does not say.');
    expect(client.count('models.import')).toBe(0);
    flow.scaling = 'x/127.5-1';
    await flow.commit();
    expect(client.calls.at(-1)!.request).toMatchObject({
      path: '/srv/apps/mobilenet_v2_notop.h5',
      scaling: 'x/127.5-1',
    });
  });

  it('keeps the folder error when it has neither model.json nor .h5 files', async () => {
    const client = new FakeClient('web')
      .handle('models.inspectImport', () => {
        throw new StudioError('NOT_FOUND', 'No model.json at "/srv/empty/model.json".');
      })
      .handle('host.listDir', () => ({ path: '/srv/empty', parent: null, entries: [] }));
    const flow = new BaseImport(client);
    await flow.inspect('/srv/empty');
    expect(flow.error).toBe('No model.json at "/srv/empty/model.json".');
    expect(flow.kerasFiles).toEqual([]);
  });

  it('names a scaling in words, and shows an unknown one as it is', () => {
    expect(scalingLabel('x/127.5-1')).toBe('x / 127.5 − 1 → [−1, 1] (Keras MobileNet)');
    expect(scalingLabel('x')).toBe('x, unchanged → [0, 255]');
    expect(scalingLabel(undefined)).toBe('');
  });
});
