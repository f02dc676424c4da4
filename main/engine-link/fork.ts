import { fork } from 'node:child_process';
import path from 'node:path';
import { appRoot } from '../node/app-root';
import { pipeEngineOutput } from './engine-output';
import type { EngineProcess, SpawnEngine } from './engine-process';

/** The built engine entry (see scripts/build.mjs). */
export function engineEntryPath(): string {
  return path.join(appRoot(), 'out', 'engine', 'entry.js');
}

export interface ForkEngineOptions {
  /** Script to run. Default: the built engine entry. */
  entry?: string;
  /** Extra environment for the engine. Default: none (inherits this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** Where the engine's stdout/stderr go (never our stdout, which may carry JSON). Default: process.stderr. */
  log?: NodeJS.WritableStream;
}

/** Spawns the engine with child_process.fork: the CLI's, the server's and the tests' way. */
export function forkEngine(options: ForkEngineOptions = {}): SpawnEngine {
  return () => {
    const child = fork(options.entry ?? engineEntryPath(), [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      // Its own process group (POSIX): a terminal's Ctrl-C reaches only the host, which decides what it means
      // (the CLI cancels the job). Without this, a Ctrl-C while the engine is still starting — before it can
      // ignore SIGINT — killed it, and the command ended with "engine stopped" instead of the host's answer.
      // Not on Windows, where a detached child gets a console window of its own. The engine still ends with
      // its host: it exits when the IPC channel closes (engine/entry.ts).
      detached: process.platform !== 'win32',
      env: { ...process.env, ...options.env },
    });
    const stderrTail = pipeEngineOutput(child.stdout, child.stderr, options.log ?? process.stderr);
    const engine: EngineProcess = {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message as object);
      },
      onMessage: (listener) => {
        child.on('message', listener);
      },
      onExit: (listener) => {
        child.once('exit', (code, signal) => listener({ code, signal, detail: stderrTail() }));
      },
      kill: () => {
        child.kill();
      },
    };
    return engine;
  };
}
