/**
 * The feature extractor of a base: an ONNX Runtime session when the base converts (the fast path),
 * else the tfjs model — with the reason. Phase-1 training and the `features` command both get theirs
 * here, so they make the same choice. Set TRANSFER_STUDIO_EXTRACTOR=tfjs|onnxruntime|auto to force one.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { BaseInfo } from '../../../shared/contract/models';
import { StudioError, quote } from '../../../shared/errors';
import { scalePixels } from '../models/scale';
import { probeOnnxRuntime } from '../onnx-probe';
import { convertedModel } from './base-cache';
import { findUnsupportedLayer } from './convert';
import { sharedSession } from './session-pool';
import { WorkerSession } from './worker-session';

export const EXTRACTOR_ENGINES = ['auto', 'onnxruntime', 'tfjs'] as const;
export type ExtractorEngine = (typeof EXTRACTOR_ENGINES)[number];

/** Which engine extracts features, and why. */
export interface ExtractorChoice {
  engine: 'onnxruntime' | 'tfjs';
  /** ONNX Runtime's execution provider, e.g. "cpu". */
  provider?: string;
  /** ORT threads in all: intra-op threads per session × sessions. */
  threads?: number;
  /** Why tfjs is used, or which better providers were skipped and why. */
  reason?: string;
}

/** Runs a base (or one of its inner layers) on batches of RGB images. */
export interface FeatureExtractor extends ExtractorChoice {
  /**
   * Features of `n` images given as NHWC RGB bytes of the base's input size: [n, ...feature shape], flattened.
   * @param transfer hand `pixels` over (an ORT extractor moves its buffer to the worker, leaving it detached; only for
   *   a buffer the caller owns whole and no longer needs). Default: false (copied).
   */
  run(pixels: Uint8Array, n: number, transfer?: boolean): Promise<Float32Array>;
  /** Batches it runs side by side (ORT sessions); callers keep one more in hand so none waits. Default: 1. */
  parallel?: number;
  /** Frees the session (a tfjs extractor owns nothing). */
  dispose(): Promise<void>;
}

/**
 * The engine asked for: `TRANSFER_STUDIO_EXTRACTOR` when set, else auto.
 * @throws StudioError BAD_INPUT quoting a value that is not auto, onnxruntime or tfjs.
 */
export function configuredExtractor(env: NodeJS.ProcessEnv = process.env): ExtractorEngine {
  const value = env.TRANSFER_STUDIO_EXTRACTOR;
  if (value === undefined || value === '') return 'auto';
  if (!(EXTRACTOR_ENGINES as readonly string[]).includes(value)) {
    throw new StudioError(
      'BAD_INPUT',
      `TRANSFER_STUDIO_EXTRACTOR must be one of ${EXTRACTOR_ENGINES.join(', ')}; received ${quote(value)}.`,
      {
        received: value,
      },
    );
  }
  return value as ExtractorEngine;
}

export interface ExtractorOptions {
  /** Default: {@link configuredExtractor}(). */
  engine?: ExtractorEngine;
  /** Root of the app caches (converted bases go to `<cacheDir>/onnx`). Default: `cacheDir()` of app-paths. */
  cacheDir?: string;
  /**
   * ORT intra-op threads per session. Default: cores / sessions (so the sessions together use every core once).
   */
  threads?: number;
  /**
   * ORT sessions running batches side by side, each in its own worker. In the extraction pipeline on 2 cores, two
   * one-thread sessions used ~7% less CPU per image than one two-thread session (no intra-op synchronisation while
   * sharp decodes on the same cores; same-run core time). On in-memory tensors alone, one spinning two-thread session
   * is faster (bench/extract.bench.ts: bareSession against bareTwoSessions). Default: min(2, cores), or 1 when
   * `threads` is given.
   */
  sessions?: number;
  /**
   * Use the engine's shared worker for this converted base (ended after a minute idle; `dispose` does nothing)
   * instead of a worker of its own. Default: false.
   */
  shared?: boolean;
  /**
   * Let ORT's intra-op threads spin-wait (see `WorkerSessionOptions.spinning`). Off for extraction, where sharp
   * decodes on the same cores. Default: false.
   */
  spinning?: boolean;
}

/**
 * An extractor for `model` (input [N, S, S, 3] scaled per `info.scaling`). With engine "auto", ORT when
 * onnxruntime-node loads and every layer converts, tfjs otherwise; with "onnxruntime", an error instead of tfjs.
 */
export async function createExtractor(
  model: tf.LayersModel,
  info: Pick<BaseInfo, 'inputSize' | 'scaling'>,
  options: ExtractorOptions = {},
): Promise<FeatureExtractor> {
  const engine = options.engine ?? configuredExtractor();
  if (engine === 'tfjs') return tfjsExtractor(model, info, 'TRANSFER_STUDIO_EXTRACTOR=tfjs asks for tfjs.');
  const reason = await whyNotOrt(model);
  if (reason === undefined) {
    try {
      const { bytes, file } = await convertedModel(model, options.cacheDir ? { cacheDir: options.cacheDir } : {});
      const cores = os.availableParallelism();
      const workers = options.sessions ?? (options.threads ? 1 : Math.min(2, cores));
      const sessionOptions = {
        spinning: options.spinning ?? false,
        workers,
        threads: options.threads ?? Math.max(1, Math.floor(cores / workers)),
      };
      if (options.shared) {
        const pooled = sharedSession(file, sessionOptions);
        const session = await pooled.start();
        return {
          ...ortExtractor(session, info),
          run: (pixels, n, transfer) =>
            pooled.runPixels(pixels, [n, info.inputSize, info.inputSize, 3], scaleTable(info.scaling), transfer),
          dispose: async () => undefined,
        };
      }
      return ortExtractor(await WorkerSession.create(bytes, sessionOptions), info);
    } catch (error) {
      if (engine === 'onnxruntime') throw error;
      return tfjsExtractor(
        model,
        info,
        `ONNX Runtime could not run the converted base: ${String(error instanceof Error ? error.message : error)}`,
      );
    }
  }
  if (engine === 'onnxruntime') throw new StudioError('UNSUPPORTED', reason);
  return tfjsExtractor(model, info, reason);
}

async function whyNotOrt(model: tf.LayersModel): Promise<string | undefined> {
  const probe = await probeOnnxRuntime();
  if (!probe.available) return `Features come from tfjs: ${probe.error ?? 'onnxruntime-node is not available'}.`;
  const bad = findUnsupportedLayer(model);
  if (bad)
    return `Features come from tfjs: layer ${quote(bad.layer)} (${bad.className}) of the base cannot be converted to ONNX.`;
  return undefined;
}

const extractors = new WeakMap<tf.LayersModel, Promise<FeatureExtractor>>();

/** The extractor of a loaded base, made once per model object (the same choice for every caller), on the shared worker. */
export function extractorFor(
  base: { model: tf.LayersModel; info: Pick<BaseInfo, 'inputSize' | 'scaling'> },
  options: ExtractorOptions = {},
): Promise<FeatureExtractor> {
  let found = extractors.get(base.model);
  if (!found) {
    found = createExtractor(base.model, base.info, { ...options, shared: true });
    extractors.set(base.model, found);
    found.catch(() => extractors.delete(base.model));
  }
  return found;
}

const tables = new Map<BaseInfo['scaling'], Float32Array>();

/**
 * The float32 of each byte value 0..255 under a scaling, exactly as `scalePixels` computes it in float32 (x/255, or
 * x/127.5 then − 1, each step rounded to float32; or x): a look-up replaces a division per channel.
 */
export function scaleTable(scaling: BaseInfo['scaling']): Float32Array {
  let table = tables.get(scaling);
  if (!table) {
    table = new Float32Array(256);
    for (let v = 0; v < 256; v++)
      table[v] = scaling === 'x/255' ? v / 255 : scaling === 'x/127.5-1' ? Math.fround(v / 127.5) - 1 : v;
    tables.set(scaling, table);
  }
  return table;
}

/** Float pixels scaled exactly as `scalePixels` does in float32 (x/255 or x/127.5 − 1), through {@link scaleTable}. */
export function scaleToFloat(pixels: Uint8Array, scaling: BaseInfo['scaling']): Float32Array {
  const table = scaleTable(scaling);
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i]!]!;
  return out;
}

function ortExtractor(session: WorkerSession, info: Pick<BaseInfo, 'inputSize' | 'scaling'>): FeatureExtractor {
  const side = info.inputSize;
  const skipped = session.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
  return {
    engine: 'onnxruntime',
    provider: session.provider,
    threads: session.threads * session.parallel,
    parallel: session.parallel,
    ...(skipped ? { reason: `Not used: ${skipped}.` } : {}),
    run: (pixels, n, transfer) => session.runPixels(pixels, [n, side, side, 3], scaleTable(info.scaling), transfer),
    dispose: () => session.release(),
  };
}

function tfjsExtractor(
  model: tf.LayersModel,
  info: Pick<BaseInfo, 'inputSize' | 'scaling'>,
  reason: string,
): FeatureExtractor {
  return {
    engine: 'tfjs',
    reason,
    async run(pixels, n) {
      const out = tf.tidy(() => {
        const y = model.predict(scalePixels(pixels, info)) as tf.Tensor;
        return y.reshape([n, -1]);
      });
      const values = (await out.data()) as Float32Array;
      out.dispose();
      return values;
    },
    dispose: async () => undefined,
  };
}
