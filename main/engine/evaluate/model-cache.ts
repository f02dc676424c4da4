/**
 * Keeps the last model used for predictions loaded, so trying image after image (the Try panel, a CLI
 * `predict` with many calls) does not reload the model each time. One model at a time, keyed by its folder
 * and the modification time of its model.json (a re-trained or re-exported model is loaded afresh); freed
 * when another model replaces it, after `idleMs` without use, or on {@link ModelCache.clear}. A model in use
 * by a prediction is freed only when that prediction ends.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { loadInferenceModel, type InferenceModel } from './model-source';

/** Milliseconds a cached model stays loaded without use. Default of {@link ModelCache}. */
export const MODEL_IDLE_MS = 120_000;

interface Entry {
  key: string;
  loading: Promise<InferenceModel>;
  users: number;
  /** Replaced or expired: freed when the last user is done. */
  retired: boolean;
}

function keyOf(dir: string): string {
  const resolved = path.resolve(dir);
  const stamp = (file: string) => {
    try {
      return String(statSync(file).mtimeMs);
    } catch {
      return '-';
    }
  };
  // A run folder's model is model/model.json; an exported folder's is model.json or model.onnx.
  const files = [path.join('model', 'model.json'), 'model.json', 'model.onnx'];
  return [resolved, ...files.map((file) => stamp(path.join(resolved, file)))].join('\n');
}

export class ModelCache {
  private entry: Entry | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** @param idleMs free the model after this long without use. Default: 120000. */
  constructor(private readonly idleMs = MODEL_IDLE_MS) {}

  /** Runs `work` with the model of `dir` (loaded once, kept for the next call). */
  async use<T>(dir: string, work: (model: InferenceModel) => Promise<T>): Promise<T> {
    const key = keyOf(dir);
    if (this.entry?.key !== key) {
      this.retire();
      const loading = loadInferenceModel(dir);
      this.entry = { key, loading, users: 0, retired: false };
      // A failed load is not kept.
      loading.catch(() => {
        if (this.entry?.loading === loading) this.entry = undefined;
      });
    }
    const entry = this.entry!;
    entry.users++;
    clearTimeout(this.timer);
    try {
      return await work(await entry.loading);
    } finally {
      entry.users--;
      if (entry.retired) await this.free(entry);
      else if (entry.users === 0) this.timer = setTimeout(() => this.retire(), this.idleMs).unref();
    }
  }

  /** Frees the cached model now (once no prediction uses it). */
  clear(): Promise<void> {
    const entry = this.entry;
    this.retire();
    return entry ? this.free(entry) : Promise.resolve();
  }

  private retire(): void {
    clearTimeout(this.timer);
    const entry = this.entry;
    this.entry = undefined;
    if (!entry) return;
    entry.retired = true;
    void this.free(entry);
  }

  private async free(entry: Entry): Promise<void> {
    if (entry.users > 0) return;
    const model = await entry.loading.catch(() => undefined);
    if (entry.users === 0) {
      entry.users = -1; // freed once
      model?.dispose();
    }
  }
}

/** The engine's cache for `prediction.predict`. */
export const predictionModels = new ModelCache();
