/**
 * The keras.applications architectures a weights-only `.h5` file can be imported into: recognised from the file
 * name when it follows keras.applications' naming, else from its layer names; each with the input size and scaling
 * keras.applications uses (ResNet50's caffe preprocessing is a fixed first layer, so it takes raw pixels).
 */
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { Scaling } from '../../../../../shared/contract/models';
import { StudioError, quote } from '../../../../../shared/errors';
import type { KerasLayerWeights } from '../../../export/keras-h5-file';
import { MOBILENET_V2_ALPHAS, buildMobileNetV2, makeDivisible } from './mobilenet-v2';
import { CAFFE_LAYER, buildResNet50 } from './resnet50';
import { buildXception } from './xception';

/** A recognised keras.applications architecture. */
export interface Architecture {
  /** e.g. "Xception", "MobileNetV2 (alpha 1.0)". */
  name: string;
  /** keras.applications' input side. */
  inputSize: number;
  scaling: Scaling;
  /** Builds it without top, with random weights. */
  build(inputSize?: number): tf.LayersModel;
  /** Layers of the built model that are not in the file (built-in preprocessing). Default: none. */
  fixedLayers?: string[];
}

/** What {@link recogniseArchitecture} supports, for error messages. */
export const SUPPORTED = 'Xception, MobileNetV2 (alpha 0.35, 0.5, 0.75, 1.0, 1.3, 1.4), ResNet50 (tf.keras 2 names)';

function resNet50(): Architecture {
  return {
    name: 'ResNet50',
    inputSize: 224,
    scaling: 'x',
    build: (s) => buildResNet50(s ?? 224),
    fixedLayers: [CAFFE_LAYER],
  };
}

function xception(): Architecture {
  return { name: 'Xception', inputSize: 299, scaling: 'x/127.5-1', build: (s) => buildXception(s ?? 299) };
}

function mobileNetV2(alpha: number, size = 224): Architecture {
  return {
    name: `MobileNetV2 (alpha ${alpha.toFixed(alpha === 0.35 ? 2 : 1)})`,
    inputSize: size,
    scaling: 'x/127.5-1',
    build: (s) => buildMobileNetV2(alpha, s ?? size),
  };
}

/**
 * The architecture a weights-only file belongs to.
 * @throws StudioError UNSUPPORTED naming the file and the supported architectures when it is none of them.
 */
export function recogniseArchitecture(file: string, layers: KerasLayerWeights[]): Architecture {
  const base = path.basename(file);
  if (/^xception_weights_tf_dim_ordering_tf_kernels(_notop)?\.h5$/i.test(base)) return xception();
  const m = /^mobilenet_v2_weights_tf_dim_ordering_tf_kernels_(\d(?:\.\d+)?)_(\d+)(_no_top)?\.h5$/i.exec(base);
  if (m && MOBILENET_V2_ALPHAS.includes(Number(m[1]) as never)) return mobileNetV2(Number(m[1]), Number(m[2]));
  if (/^resnet50_weights_tf_dim_ordering_tf_kernels(_notop)?\.h5$/i.test(base)) return resNet50();
  const names = new Set(layers.map((l) => l.layer));
  if (names.has('conv5_block3_3_conv') && names.has('conv4_block6_3_conv') && !names.has('conv4_block7_1_conv'))
    return resNet50();
  if (names.has('block14_sepconv2') && names.has('block1_conv1')) return xception();
  const project = layers.find((l) => l.layer === 'block_16_project')?.weights[0];
  if (names.has('Conv1') && project?.shape.length === 4) {
    const alpha = MOBILENET_V2_ALPHAS.find((a) => makeDivisible(Math.trunc(320 * a)) === project.shape[3]);
    if (alpha !== undefined) return mobileNetV2(alpha);
  }
  throw new StudioError(
    'UNSUPPORTED',
    `${quote(file)} holds only weights (no "model_config") of an architecture the app cannot recognise ` +
      `(neither its name nor its layer names match one of: ${SUPPORTED}). ` +
      'Save the whole model from Keras (model.save("file.h5")) and import that file instead.',
    { path: file, supported: SUPPORTED },
  );
}
