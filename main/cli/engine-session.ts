import { EngineLink } from '../engine-link/engine-link';
import { forkEngine } from '../engine-link/fork';

/** Runs `work` with a freshly started engine and always stops the engine afterwards. */
export async function withEngine<T>(work: (engine: EngineLink) => Promise<T>): Promise<T> {
  const engine = new EngineLink(forkEngine());
  try {
    return await work(engine);
  } finally {
    await engine.stop();
  }
}
