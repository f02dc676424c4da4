import { EngineHost } from '../engine-host/engine-host';
import { forkEngine } from '../engine-host/fork';

/** Runs `work` with a freshly started engine and always stops the engine afterwards. */
export async function withEngine<T>(work: (engine: EngineHost) => Promise<T>): Promise<T> {
  const engine = new EngineHost(forkEngine());
  try {
    return await work(engine);
  } finally {
    await engine.stop();
  }
}
