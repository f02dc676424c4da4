import type { utilityProcess as electronUtilityProcess } from 'electron';
import { pipeEngineOutput } from './engine-link/engine-output';
import type { EngineExit, EngineProcess, SpawnEngine } from './engine-link/engine-process';

export interface UtilityEngineOptions {
  /** Extra environment for the engine. Default: none (inherits this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** Where the engine's stdout/stderr go. Default: process.stderr. */
  log?: NodeJS.WritableStream;
}

/**
 * Starts the engine as an Electron utilityProcess (the desktop app's way; the CLI and server use
 * child_process.fork). The engine talks back through `process.parentPort` (main/engine/port.ts).
 * @param utilityProcess Electron's `utilityProcess` module.
 * @param entryPath the built engine entry, out/engine/entry.js.
 */
export function utilityProcessEngine(
  utilityProcess: Pick<typeof electronUtilityProcess, 'fork'>,
  entryPath: string,
  options: UtilityEngineOptions = {},
): SpawnEngine {
  return () => {
    const child = utilityProcess.fork(entryPath, [], {
      serviceName: 'Transfer Studio Engine',
      stdio: 'pipe',
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
    const stderrTail = pipeEngineOutput(child.stdout, child.stderr, options.log ?? process.stderr);
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    const engine: EngineProcess = {
      get pid() {
        return child.pid;
      },
      send: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => {
        child.on('message', listener);
      },
      onExit: (listener) => {
        child.once('exit', (code: number) => {
          const exit: EngineExit = { code, detail: stderrTail() };
          listener(exit);
        });
      },
      kill: () => {
        if (!exited) child.kill();
      },
    };
    return engine;
  };
}
