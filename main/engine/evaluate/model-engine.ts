/**
 * The engine that runs a whole classifier (base + head) for predict, evaluate and Try: an ONNX Runtime session
 * in a worker thread when the model converts (converted once and cached on disk by its weights hash, as bases
 * are: onnx/base-cache.ts), else tfjs — with the reason. TRANSFER_STUDIO_INFERENCE=auto|onnxruntime|tfjs forces
 * one (as TRANSFER_STUDIO_EXTRACTOR does for feature extraction).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelInput } from '../../../shared/contract/model-metadata';
import type { Scaling } from '../../../shared/contract/models';
import type { InferenceEngine } from '../../../shared/contract/evaluate';
import { StudioError, quote } from '../../../shared/errors';
import { applyScaling } from '../models/scale';
import { probeOnnxRuntime } from '../onnx-probe';
import { convertedModel } from '../onnx/base-cache';
import { findUnsupportedLayer } from '../onnx/convert';
import { EXTRACTOR_ENGINES, scaleToFloat, type ExtractorEngine } from '../onnx/extractor';
import { WorkerSession } from '../onnx/worker-session';

/** Runs a classifier on batches of RGB images. */
export interface ModelRunner {
  /** Which engine and why (the reason for tfjs, or which better ORT providers were skipped). */
  engine: InferenceEngine;
  /** Class probabilities of `n` images given as NHWC RGB bytes of the model's input size, one row per image. */
  predict(pixels: Uint8Array, n: number): Promise<number[][]>;
  /** Ends the ORT worker, if any (the tfjs model is not the runner's to free). */
  dispose(): Promise<void>;
}

/** What the model's input holds and its side in pixels. */
export interface RunnerInput {
  input: ModelInput;
  scaling: Scaling;
  size: number;
}

export interface RunnerOptions {
  /** Default: {@link configuredInference}(). */
  engine?: ExtractorEngine;
  /** Root of the app caches (converted models go to `<cacheDir>/onnx`). Default: `cacheDir()` of app-paths. */
  cacheDir?: string;
  /** ORT intra-op threads. Default: the number of cores. */
  threads?: number;
}

/**
 * The engine asked for: `TRANSFER_STUDIO_INFERENCE` when set, else auto.
 * @throws StudioError BAD_INPUT quoting a value that is not auto, onnxruntime or tfjs.
 */
export function configuredInference(env: NodeJS.ProcessEnv = process.env): ExtractorEngine {
  const value = env.TRANSFER_STUDIO_INFERENCE;
  if (value === undefined || value === '') return 'auto';
  if (!(EXTRACTOR_ENGINES as readonly string[]).includes(value)) {
    throw new StudioError(
      'BAD_INPUT',
      `TRANSFER_STUDIO_INFERENCE must be one of ${EXTRACTOR_ENGINES.join(', ')}; received ${quote(value)}.`,
      { field: 'TRANSFER_STUDIO_INFERENCE', received: value },
    );
  }
  return value as ExtractorEngine;
}

/** Float32 input of the model from RGB bytes, computed as tfjs computes it (see modelInputOf). */
export function floatInput(pixels: Uint8Array, input: Pick<RunnerInput, 'input' | 'scaling'>): Float32Array {
  switch (input.input) {
    case 'pixels':
      return Float32Array.from(pixels);
    case 'scaled':
      return scaleToFloat(pixels, input.scaling);
    case 'tm': {
      const out = new Float32Array(pixels.length);
      for (let i = 0; i < pixels.length; i++) out[i] = Math.fround(pixels[i]! / 127) - 1;
      return out;
    }
  }
}

/** Float pixels 0–255 `[N, S, S, 3]` → the model's input (a new tensor; `pixels` is not disposed). */
export function modelInputOf(pixels: tf.Tensor, model: Pick<RunnerInput, 'input' | 'scaling'>): tf.Tensor {
  switch (model.input) {
    case 'pixels':
      return pixels.clone();
    case 'tm':
      return tf.tidy(() => pixels.div(127).sub(1));
    case 'scaled':
      return applyScaling(pixels, model.scaling);
  }
}

/** A runner on an ORT session of `bytes` (a serialised classifier). */
export async function ortRunner(bytes: Uint8Array, spec: RunnerInput, threads?: number): Promise<ModelRunner> {
  const session = await WorkerSession.create(bytes, threads ? { threads } : {});
  const skipped = session.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
  const side = spec.size;
  return {
    engine: {
      engine: 'onnxruntime',
      provider: session.provider,
      threads: session.threads,
      ...(skipped ? { reason: `Not used: ${skipped}.` } : {}),
    },
    async predict(pixels, n) {
      const data = await session.run(floatInput(pixels.subarray(0, n * side * side * 3), spec), [n, side, side, 3]);
      const classes = data.length / n;
      return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * classes, (i + 1) * classes)));
    },
    dispose: () => session.release(),
  };
}

/** A runner on the tfjs model itself. */
export function tfjsRunner(model: tf.LayersModel | tf.GraphModel, spec: RunnerInput, reason: string): ModelRunner {
  const side = spec.size;
  return {
    engine: { engine: 'tfjs', reason },
    async predict(pixels, n) {
      const output = tf.tidy(() => {
        const x = tf.tensor4d(pixels.subarray(0, n * side * side * 3), [n, side, side, 3], 'int32').toFloat();
        const y = model.predict(modelInputOf(x, spec));
        return (Array.isArray(y) ? y[0]! : y) as tf.Tensor;
      });
      try {
        return output.arraySync() as number[][];
      } finally {
        output.dispose();
      }
    },
    dispose: async () => undefined,
  };
}

async function whyNotOrt(model: tf.LayersModel | tf.GraphModel): Promise<string | undefined> {
  const probe = await probeOnnxRuntime();
  if (!probe.available) return `Predictions come from tfjs: ${probe.error ?? 'onnxruntime-node is not available'}.`;
  if (!(model instanceof tf.LayersModel))
    return 'Predictions come from tfjs: a TF.js graph model cannot be converted to ONNX (only layers models).';
  const bad = findUnsupportedLayer(model);
  if (bad)
    return `Predictions come from tfjs: layer ${quote(bad.layer)} (${bad.className}) of the model cannot be converted to ONNX.`;
  return undefined;
}

/**
 * The runner of a loaded tfjs classifier: ORT when onnxruntime-node loads and every layer converts (engine
 * "auto"), tfjs otherwise with the reason; engine "onnxruntime" throws instead of falling back.
 */
export async function createRunner(
  model: tf.LayersModel | tf.GraphModel,
  spec: RunnerInput,
  options: RunnerOptions = {},
): Promise<ModelRunner> {
  const engine = options.engine ?? configuredInference();
  if (engine === 'tfjs') return tfjsRunner(model, spec, 'TRANSFER_STUDIO_INFERENCE=tfjs asks for tfjs.');
  const reason = await whyNotOrt(model);
  if (reason !== undefined) {
    if (engine === 'onnxruntime') throw new StudioError('UNSUPPORTED', reason);
    return tfjsRunner(model, spec, reason);
  }
  try {
    const { bytes } = await convertedModel(
      model as tf.LayersModel,
      options.cacheDir ? { cacheDir: options.cacheDir } : {},
    );
    return await ortRunner(bytes, spec, options.threads);
  } catch (error) {
    if (engine === 'onnxruntime') throw error;
    const why = String(error instanceof Error ? error.message : error);
    return tfjsRunner(
      model,
      spec,
      `Predictions come from tfjs: ONNX Runtime could not run the converted model: ${why}`,
    );
  }
}
