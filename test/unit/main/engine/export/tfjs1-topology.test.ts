import { describe, expect, it } from 'vitest';
import { tfjs1Issues, toTfjs1Topology } from '../../../../../main/engine/export/tfjs1-topology';
import type { LayerJson } from '../../../../../main/engine/export/layers-model-files';

const layer = (name: string, className: string, config: Record<string, unknown>): LayerJson => ({
  name,
  class_name: className,
  config: { name, ...config },
  inbound_nodes: [],
});

function topology(layers: LayerJson[]): Record<string, unknown> {
  return {
    class_name: 'Model',
    config: { name: 'm', layers, input_layers: [['in', 0, 0]], output_layers: [['x', 0, 0]] },
  };
}

describe('tfjs 1.3 topology', () => {
  it('converts Keras 3 input shapes, dtype policies and module keys, and drops newer keys at their default', () => {
    const converted = toTfjs1Topology(
      topology([
        layer('in', 'InputLayer', { batch_shape: [null, 8, 8, 3], ragged: false }),
        layer('x', 'Conv2D', {
          filters: 2,
          groups: 1,
          dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
          kernel_initializer: {
            module: 'keras.initializers',
            class_name: 'GlorotUniform',
            config: { seed: null },
            registered_name: null,
          },
        }),
        layer('p', 'GlobalAveragePooling2D', { keepdims: false }),
      ]),
    );
    const layers = (converted['config'] as { layers: LayerJson[] }).layers;
    expect(layers[0]!.config).toEqual({ name: 'in', batch_input_shape: [null, 8, 8, 3] });
    expect(layers[1]!.config).toEqual({
      name: 'x',
      filters: 2,
      dtype: 'float32',
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
    });
    expect(layers[2]!.config).toEqual({ name: 'p' });
    expect(tfjs1Issues(layers)).toEqual([]);
  });

  it('names each layer tfjs 1.3 cannot load or would compute differently, quoting the value', () => {
    const issues = tfjs1Issues([
      layer('scale', 'Rescaling', { scale: 1 / 255 }),
      layer('act', 'Activation', { activation: 'gelu' }),
      layer('pool', 'GlobalAveragePooling2D', { keepdims: true }),
      layer('conv', 'Conv2D', { groups: 2 }),
      layer('ok', 'Dense', { units: 3, activation: 'softmax' }),
    ]);
    expect(issues).toEqual([
      'layer "scale": tfjs 1.3 has no "Rescaling" layer',
      'layer "act": tfjs 1.3 has no activation "gelu"',
      'layer "pool": tfjs 1.3 ignores keepdims, received true (only false would compute the same)',
      'layer "conv": tfjs 1.3 ignores groups, received 2 (only 1 would compute the same)',
    ]);
  });
});
