/**
 * The engine's link to its host. Under Electron's utilityProcess the link is `process.parentPort`
 * (messages arrive as `{data}`); under `child_process.fork` it is `process.send` / `process.on('message')`.
 */
export interface EnginePort {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function connectToHost(proc: NodeJS.Process = process): EnginePort {
  const parentPort = (proc as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    };
  }
  if (typeof proc.send === 'function') {
    const send = proc.send.bind(proc);
    return {
      send: (message) => {
        if (proc.connected) send(message);
      },
      onMessage: (listener) => {
        proc.on('message', listener);
      },
    };
  }
  throw new Error('The engine must be started by Transfer Studio (no IPC channel to a host was found).');
}
