/**
 * Downloadable bases (DESIGN §4): Teachable Machine's Keras MobileNetV2 no-top layers models at four
 * widths and tfjs MobileNetV1 at four widths. Both are layers models (fine-tunable) with ImageNet weights.
 * Sizes are the approximate download sizes (float32 weights); the exact size is known after download.
 */
import type { BaseInfo } from '../../../../shared/contract/models';

const TM = 'https://storage.googleapis.com/teachable-machine-models';
const TFJS = 'https://storage.googleapis.com/tfjs-models/tfjs';

/** A catalog base always has a URL. */
export type CatalogBase = BaseInfo & { source: 'catalog'; url: string };

const v2 = (alpha: string, params: number): CatalogBase => ({
  id: `tm-mobilenet-v2-${alpha}`,
  name: `MobileNetV2 ${alpha} 224 (Teachable Machine)`,
  description:
    `Keras MobileNetV2 (alpha ${alpha}, 224×224) with ImageNet weights, no top, as published by Google's Teachable Machine ` +
    `(Apache-2.0, keras-applications weights); cut at out_relu + global average pooling.`,
  source: 'catalog',
  inputSize: 224,
  scaling: 'x/127.5-1',
  cutLayer: 'out_relu',
  pooling: 'avg',
  featureSize: 1280,
  featureShape: [1280],
  licence: 'Apache-2.0',
  fineTunable: true,
  sizeBytes: params * 4,
  url: `${TM}/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${alpha}_224_no_top/model.json`,
});

const v1 = (alpha: string, channels: number, params: number): CatalogBase => ({
  id: `tfjs-mobilenet-v1-${alpha}`,
  name: `MobileNetV1 ${alpha} 224 (tfjs-models)`,
  description:
    `Keras MobileNetV1 (alpha ${alpha}, 224×224) with ImageNet weights from tfjs-models (Apache-2.0); ` +
    `cut at conv_pw_13_relu + global average pooling.`,
  source: 'catalog',
  inputSize: 224,
  scaling: 'x/127.5-1',
  cutLayer: 'conv_pw_13_relu',
  pooling: 'avg',
  featureSize: channels,
  featureShape: [channels],
  licence: 'Apache-2.0',
  fineTunable: true,
  sizeBytes: params * 4,
  url: `${TFJS}/mobilenet_v1_${alpha}_224/model.json`,
});

/** Every catalog base. Parameter counts are Keras's for the no-top (V2) / full (V1) models. */
export const CATALOG_BASES: readonly CatalogBase[] = [
  v2('0.35', 410_208),
  v2('0.50', 706_224),
  v2('0.75', 1_382_064),
  v2('1.00', 2_257_984),
  v1('0.25', 256, 475_544),
  v1('0.50', 512, 1_342_536),
  v1('0.75', 768, 2_601_976),
  v1('1.0', 1024, 4_253_864),
];
