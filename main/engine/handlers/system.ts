import os from 'node:os';
import type { systemContract } from '../../../shared/contract/system';
import type { EngineMethod } from '../../../shared/contract';
import { appVersion } from '../../node/app-root';
import { backendReady } from '../runtime';
import { probeOnnxRuntime } from '../onnx-probe';
import { sleep } from '../cancel';
import type { HandlerMap } from '../handler';

type SystemEngineMethod = Extract<keyof typeof systemContract, EngineMethod>;

/** Engine facts, a counting job for progress/cancel tests, and a deliberate crash. */
export const systemHandlers: HandlerMap<SystemEngineMethod> = {
  async info() {
    const [backend, onnxruntime] = await Promise.all([backendReady(), probeOnnxRuntime()]);
    return {
      version: appVersion(),
      backend,
      onnxruntime,
      cpus: os.cpus().length,
      memory: { totalBytes: os.totalmem(), freeBytes: os.freemem(), engineRssBytes: process.memoryUsage().rss },
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
      pid: process.pid,
    };
  },

  async 'system.count'({ steps, delayMs }, { signal, progress }) {
    for (let step = 1; step <= steps; step++) {
      await sleep(delayMs, signal);
      progress({ step, steps });
    }
    return { counted: steps };
  },

  async 'system.crash'({ exitCode }) {
    setImmediate(() => process.exit(exitCode));
    return {};
  },
};
