/**
 * The ONNX export (`onnx`): base + head as one ONNX graph (opset 13), `model.onnx`, converted from the same
 * pixel-input layers model the TF.js export writes (the base's scaling is its first layer), so its input is
 * raw RGB pixels 0–255, float32 `[N, S, S, 3]`, and its output the class probabilities. The labels and the
 * `transferStudio` block of metadata.json are in the model's `metadata_props` too (keys `labels`, JSON
 * array, and `transferStudio`, JSON), so the .onnx file alone says what it takes and returns.
 * `verify` reloads the file in onnxruntime-node and compares with the app's predictions (≤ 1e-4, top-1 equal).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { version as tfjsVersion } from '@tensorflow/tfjs';
import { StudioError, quote } from '../../../shared/errors';
import { convertToOnnx, encodeOnnx, OPSET } from '../onnx/convert';
import { onnx } from '../onnx/proto';
import { createOrtSession } from '../onnx/session';
import { modelMetadata, writeModelMetadata } from './metadata';
import { appProbabilities, compareRows, samplePixels } from './reference';
import type { ExportFormat } from './registry';
import { pixelsModelFiles } from './tfjs-format';

/** Largest |Δ| of a probability allowed between the ONNX export and the app. */
export const ONNX_TOLERANCE = 1e-4;

/** The model file of the format. */
export const ONNX_MODEL_FILE = 'model.onnx';

/** Names of the graph's input and output. */
export const ONNX_INPUT = 'pixels';
export const ONNX_OUTPUT = 'probabilities';

export const onnxFormat: ExportFormat = {
  id: 'onnx',
  name: 'ONNX',
  description:
    'For ONNX Runtime (Python, C++, C#, Java, web): one graph (base + head) that takes raw 0–255 RGB pixels [N,H,W,3] and returns class probabilities.',
  files: [ONNX_MODEL_FILE, 'metadata.json', 'labels.txt', 'README.md'],
  input: 'pixels',
  modelFile: ONNX_MODEL_FILE,
  async export(run, dir, ctx) {
    const files = await pixelsModelFiles(run);
    const metadata = modelMetadata(run, ctx, 'pixels', {
      tfjsVersion: tfjsVersion.tfjs,
      tmVersion: '',
      packageName: 'transfer-studio',
      packageVersion: ctx.appVersion,
    });
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: files.topology,
        weightSpecs: files.weightSpecs,
        weightData: files.weights.slice().buffer,
      }),
    );
    let bytes: Uint8Array;
    try {
      bytes = encodeOnnx(
        convertToOnnx(model, {
          inputName: ONNX_INPUT,
          outputName: ONNX_OUTPUT,
          metadata: {
            labels: JSON.stringify(run.classes),
            transferStudio: JSON.stringify(metadata.transferStudio),
            imageSize: String(metadata.imageSize),
          },
        }),
      );
    } finally {
      model.dispose();
    }
    ctx.signal.throwIfAborted();
    await writeFile(path.join(dir, ONNX_MODEL_FILE), bytes);
    await writeModelMetadata(dir, metadata);
  },
  async verify(dir, run) {
    const bytes = new Uint8Array(await readFile(path.join(dir, ONNX_MODEL_FILE)));
    const props = Object.fromEntries(onnx.ModelProto.decode(bytes).metadataProps.map((p) => [p.key, p.value]));
    if (props['labels'] !== JSON.stringify(run.classes)) {
      throw new StudioError(
        'INTERNAL',
        `${ONNX_MODEL_FILE}'s metadata_props "labels" is ${quote(props['labels'])}, expected the run's classes.`,
        { file: ONNX_MODEL_FILE, field: 'labels' },
      );
    }
    const samples = await samplePixels(run);
    const expected = await appProbabilities(run, samples);
    const { ort, session } = await createOrtSession(bytes, { providers: [] });
    let actual: number[][];
    try {
      const shape = [samples.count, samples.size, samples.size, 3];
      const out = await session.run({
        [ONNX_INPUT]: new ort.Tensor('float32', Float32Array.from(samples.pixels), shape),
      });
      const data = out[ONNX_OUTPUT]!.data as Float32Array;
      const classes = data.length / samples.count;
      actual = Array.from({ length: samples.count }, (_, i) =>
        Array.from(data.subarray(i * classes, (i + 1) * classes)),
      );
    } finally {
      await session.release();
    }
    const { maxAbsDiff, top1Equal } = compareRows(expected, actual);
    const ok = maxAbsDiff <= ONNX_TOLERANCE && top1Equal;
    const what =
      samples.sources[0] === 'noise'
        ? `${samples.count} noise images (the run has no test images)`
        : `${samples.count} test images`;
    return {
      ok,
      maxAbsDiff,
      detail: `reloaded in onnxruntime-node (opset ${OPSET}); raw pixels of ${what}: max |Δ| ${maxAbsDiff.toExponential(2)} vs the app (limit ${ONNX_TOLERANCE}), top-1 ${top1Equal ? 'equal' : 'differs'}`,
    };
  },
};
