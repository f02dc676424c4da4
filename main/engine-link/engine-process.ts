/** A running engine process, however it was started (utilityProcess or child_process.fork). */
export interface EngineProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process is gone; `detail` carries its last stderr lines when known. */
  onExit(listener: (exit: EngineExit) => void): void;
  kill(): void;
}

export interface EngineExit {
  code: number | null;
  signal?: string | null;
  detail?: string;
}

/** Starts a new engine process. */
export type SpawnEngine = () => EngineProcess;
