import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildHeadLayer } from '../../../../../main/engine/models/head-layer-builders';
import { convertToOnnx, encodeOnnx, findUnsupportedLayer } from '../../../../../main/engine/onnx/convert';
import { HEAD_LAYER_KINDS, type LayerSpec } from '../../../../../shared/layer-spec';
import { expectSameOutputs, randomizeWeights } from './compare';

function smallNet(): tf.LayersModel {
  const input = tf.input({ shape: [12, 12, 3] });
  let x = tf.layers
    .zeroPadding2d({
      padding: [
        [0, 1],
        [0, 1],
      ],
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, name: 'stem' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x) as tf.SymbolicTensor;
  const a = tf.layers.reLU({ maxValue: 6, name: 'stem_relu' }).apply(x) as tf.SymbolicTensor;
  const b = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw' }).apply(a) as tf.SymbolicTensor;
  x = tf.layers.add({ name: 'residual' }).apply([a, b]) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 4, activation: 'softmax', name: 'probs' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: x });
  randomizeWeights(model);
  return model;
}

describe('convertToOnnx', () => {
  it('converts a small MobileNet-like net with one input transpose, and a sub-model cut at an inner layer', async () => {
    const model = smallNet();
    await expectSameOutputs(model, 3);
    await expectSameOutputs(model, 2, 1e-4, 'residual');
    const proto = convertToOnnx(model);
    const transposes = proto.graph!.node!.filter((n) => n.opType === 'Transpose');
    expect(transposes).toHaveLength(1);
    expect(proto.opsetImport![0]!.version).toBeGreaterThanOrEqual(13);
    expect(proto.graph!.input![0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimValue ?? d.dimParam)).toEqual([
      'N',
      12,
      12,
      3,
    ]);
  });

  it('converts every head layer kind (from shared/head-layers) in a head', async () => {
    const kinds = HEAD_LAYER_KINDS.map((k) => k.kind).sort();
    const spatial: LayerSpec[] = [
      { kind: 'batchNormalization' },
      { kind: 'activation', activation: 'relu' },
      { kind: 'globalAveragePooling2d' },
      { kind: 'dense', units: 6, activation: 'relu' },
      { kind: 'dropout', rate: 0.2 },
      { kind: 'dense', units: 3, activation: 'softmax' },
    ] as LayerSpec[];
    const flat: LayerSpec[] = [{ kind: 'flatten' }, { kind: 'dense', units: 3, activation: 'softmax' }] as LayerSpec[];
    expect([...new Set([...spatial, ...flat].map((s) => s.kind))].sort()).toEqual(kinds);
    for (const specs of [spatial, flat]) {
      const input = tf.input({ shape: [3, 4, 5] });
      let x = input;
      specs.forEach((spec, i) => (x = buildHeadLayer(spec, `head_${i}`).apply(x) as tf.SymbolicTensor));
      const model = tf.model({ inputs: input, outputs: x });
      randomizeWeights(model);
      await expectSameOutputs(model, 4);
    }
  });

  it('inlines a model used as a layer (base + head)', async () => {
    const base = smallNet();
    const cut = tf.model({ inputs: base.inputs, outputs: base.getLayer('pool').output as tf.SymbolicTensor });
    const input = tf.input({ shape: [12, 12, 3] });
    const features = cut.apply(input) as tf.SymbolicTensor;
    const probs = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(features) as tf.SymbolicTensor;
    const whole = tf.model({ inputs: input, outputs: probs });
    randomizeWeights(whole);
    await expectSameOutputs(whole, 2);
  });

  it('names the layer and its class when a layer cannot be converted', () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const up = tf.layers.upSampling2d({ size: [2, 2], name: 'grow' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.flatten().apply(up) as tf.SymbolicTensor });
    expect(findUnsupportedLayer(model)).toEqual({ layer: 'grow', className: 'UpSampling2D' });
    expect(() => convertToOnnx(model)).toThrow(/Layer "grow" of class UpSampling2D cannot be converted to ONNX/);
    expect(findUnsupportedLayer(smallNet())).toBeUndefined();
  });

  it('writes a model that onnx.checker accepts (Debian python3-onnx)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'onnx-check-'));
    try {
      const file = path.join(dir, 'model.onnx');
      writeFileSync(file, encodeOnnx(convertToOnnx(smallNet(), { metadata: { labels: 'a,b,c,d' } })));
      const script =
        'import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print(m.opset_import[0].version, m.metadata_props[0].key)';
      const out = execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' });
      expect(out.trim()).toBe('13 labels');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
