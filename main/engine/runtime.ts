import { selectBackend, type BackendReport } from './backend';

let backend: Promise<BackendReport> | undefined;

/**
 * The engine's tfjs backend, chosen once per process on first use.
 * Every handler that touches tfjs awaits this first.
 */
export function backendReady(): Promise<BackendReport> {
  backend ??= selectBackend();
  return backend;
}
