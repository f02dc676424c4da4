/**
 * ONNX Runtime sessions in this thread (see worker-session.ts for the one extraction uses) with the best execution provider the installed package has (CUDA, DirectML,
 * CoreML), falling back to the CPU provider with the reason; intra-op threads = cores.
 */
import os from 'node:os';
import type * as Ort from 'onnxruntime-node';
import { PREFERRED_PROVIDERS } from './worker-session';

/** A session and how it was made. */
export interface OrtSession {
  ort: typeof Ort;
  session: Ort.InferenceSession;
  /** The execution provider in use, e.g. "cpu". */
  provider: string;
  threads: number;
  /** Why each better provider was not used. */
  skipped: { provider: string; reason: string }[];
}

export interface SessionOptions {
  /** Intra-op threads. Default: `os.availableParallelism()`. */
  threads?: number;
  /** Providers to try before "cpu", best first. Default: CUDA on Linux, DirectML then CUDA on Windows, CoreML on macOS. */
  providers?: string[];
  /** Let the intra-op threads spin-wait (see `WorkerSessionOptions.spinning`). Default: true (ORT's default). */
  spinning?: boolean;
}

/**
 * Creates a session on `bytes`, trying the better providers first and the CPU provider last.
 * @throws the CPU provider's error when even that fails (e.g. an invalid model).
 */
export async function createOrtSession(bytes: Uint8Array, options: SessionOptions = {}): Promise<OrtSession> {
  const ort = await import('onnxruntime-node');
  const threads = options.threads ?? os.availableParallelism();
  const supported = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
  const skipped: { provider: string; reason: string }[] = [];
  const common: Ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: (options.spinning ?? true) ? '1' : '0' } } },
  };
  for (const provider of options.providers ?? PREFERRED_PROVIDERS[process.platform] ?? []) {
    if (!supported.has(provider)) {
      skipped.push({ provider, reason: `this onnxruntime-node build has no ${provider} provider` });
      continue;
    }
    if (supported.get(provider) === false && provider === 'cuda') {
      skipped.push({
        provider,
        reason:
          'the CUDA provider is not installed (onnxruntime-node downloads it only when installed with CUDA support)',
      });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(bytes, { ...common, executionProviders: [provider] });
      return { ort, session, provider, threads, skipped };
    } catch (error) {
      skipped.push({
        provider,
        reason: `${provider} failed to start: ${String(error instanceof Error ? error.message : error).split('\n')[0]}`,
      });
    }
  }
  const session = await ort.InferenceSession.create(bytes, { ...common, executionProviders: ['cpu'] });
  return { ort, session, provider: 'cpu', threads, skipped };
}
