import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { StudioError, quote } from '../../shared/errors';
import { settingsFile } from './app-paths';
import { useWasmBackend } from './training/wasm-setup';

/** The tfjs backends we can run on, best first. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendAttempt {
  /** What was tried: a package for `tensorflow`, else the backend name. */
  name: string;
  ok: boolean;
  reason?: string;
}

export interface BackendReport {
  name: BackendName;
  tried: BackendAttempt[];
  forced: boolean;
}

/** A way to bring up one backend; resolves when it is active, throws with the cause otherwise. */
export interface BackendCandidate {
  name: string;
  backend: BackendName;
  load: () => Promise<void>;
}

const defaultCandidates: BackendCandidate[] = [
  { name: '@tensorflow/tfjs-node-gpu', backend: 'tensorflow', load: () => loadNative('@tensorflow/tfjs-node-gpu') },
  { name: '@tensorflow/tfjs-node', backend: 'tensorflow', load: () => loadNative('@tensorflow/tfjs-node') },
  { name: 'wasm', backend: 'wasm', load: useWasmBackend },
  { name: 'cpu', backend: 'cpu', load: () => activate('cpu') },
];

/**
 * The forced backend: `TRANSFER_STUDIO_BACKEND` when set, else `"backend"` from the settings file, else none.
 * @param file Default: {@link settingsFile}(env) of app-paths (`$TRANSFER_STUDIO_SETTINGS` or `<config>/settings.json`).
 */
export function configuredBackend(
  env: NodeJS.ProcessEnv = process.env,
  file: string = settingsFile(env),
): string | undefined {
  if (env.TRANSFER_STUDIO_BACKEND) return env.TRANSFER_STUDIO_BACKEND;
  try {
    const settings = JSON.parse(readFileSync(file, 'utf8')) as { backend?: unknown };
    return typeof settings.backend === 'string' ? settings.backend : undefined;
  } catch {
    return undefined; // no settings file (or unreadable): choose automatically
  }
}

/**
 * Chooses the fastest tfjs backend that loads here, recording why each better one was skipped.
 * @param force a backend to use ('tensorflow', 'wasm', 'cpu' or 'auto'). Default: {@link configuredBackend}() (env var, then settings.json).
 * @param candidates what to try, best first. Default: tfjs-node-gpu, tfjs-node, wasm, cpu.
 */
export async function selectBackend(
  force: string | undefined = configuredBackend(),
  candidates: BackendCandidate[] = defaultCandidates,
): Promise<BackendReport> {
  const forced = force !== undefined && force !== '' && force !== 'auto';
  if (forced && !(BACKEND_NAMES as readonly string[]).includes(force)) {
    throw new StudioError(
      'BAD_INPUT',
      `TRANSFER_STUDIO_BACKEND (or the "backend" setting) must be one of ${BACKEND_NAMES.join(', ')} or auto; received ${quote(force)}.`,
      { received: force },
    );
  }
  const tried: BackendAttempt[] = [];
  for (const candidate of candidates) {
    if (forced && candidate.backend !== force) continue;
    try {
      await candidate.load();
      tried.push({ name: candidate.name, ok: true });
      return { name: candidate.backend, tried, forced };
    } catch (error) {
      tried.push({ name: candidate.name, ok: false, reason: explainLoadFailure(candidate.name, error) });
    }
  }
  if (forced) {
    // The forced backend failed: say so, and still run on the always-available cpu backend.
    await activate('cpu');
    tried.push({ name: 'cpu', ok: true, reason: `Forced backend ${JSON.stringify(force)} failed to load.` });
    return { name: 'cpu', tried, forced };
  }
  throw new StudioError(
    'INTERNAL',
    `No tfjs backend could start: ${tried.map((t) => `${t.name}: ${t.reason}`).join('; ')}`,
  );
}

async function loadNative(pkg: string): Promise<void> {
  await import(/* @vite-ignore */ pkg);
  await activate('tensorflow');
}

async function activate(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend(${JSON.stringify(name)}) returned false`);
  await tf.ready();
}

/** Turns a load error into words a user understands. */
export function explainLoadFailure(name: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    if (message.includes(name))
      return `${name} is not installed (it is optional; its native library could not be downloaded).`;
  }
  const missingLib = /(lib[\w.+-]+\.so[\w.]*|[\w-]+\.dll|lib[\w.+-]+\.dylib)/.exec(message)?.[1];
  if (missingLib?.startsWith('libcudart')) {
    return `CUDA 11.2 runtime (${missingLib}) not found: ${name} 4.x needs CUDA 11.2 and cuDNN 8.1.`;
  }
  if (missingLib?.startsWith('libcudnn')) {
    return `cuDNN 8.1 (${missingLib}) not found: ${name} 4.x needs CUDA 11.2 and cuDNN 8.1.`;
  }
  if (missingLib) return `${name} could not load the native library ${missingLib}: ${firstLine(message)}`;
  return `${name} failed to load: ${firstLine(message)}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
