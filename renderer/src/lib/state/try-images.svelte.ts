import { MAX_IMAGE_BASE64_CHARS, type PredictionRow, type PredictResponse } from '../../../../shared/contract/evaluate';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';

/** How many classes each tried image lists. */
export const TRY_TOP = 5;

/** Most images sent by value in one `prediction.predictImages` call. */
const IMAGES_PER_CALL = 16;

/** An image sent by value (pasted, or dropped where it has no path): its name, bytes as base64 and a preview URL. */
export interface ImageByValue {
  name: string;
  base64: string;
  /** A URL the page can show (data: or blob:). */
  preview: string;
}

/** A file's bytes as base64. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The Try panel: images (files or folders, by path) run through a run's model with `prediction.predict`;
 * each gives its top classes with probabilities, or the reason it could not be read.
 */
export class TryImages {
  /** One row per image of the last try, newest try first. */
  rows = $state.raw<readonly PredictionRow[]>([]);
  running = $state(false);
  /** Why the last try failed as a whole (no model, engine error), in words. */
  error = $state<string | undefined>();
  /** The last answer's timing: whole call and model-only throughput. */
  timing = $state.raw<{ durationMs: number; imagesPerSecond: number } | undefined>();
  /** Preview URLs of images sent by value, by the name their row carries as `path`. */
  previews = $state.raw<Readonly<Record<string, string>>>({});

  constructor(private readonly client: StudioClient) {}

  /** Predicts `paths` (image files and folders) with the model of run folder `model`; later tries go on top. */
  async predict(model: string | undefined, paths: readonly string[]): Promise<PredictResponse | undefined> {
    if (!model) {
      this.error = 'Open a finished run first: its model makes the predictions.';
      return undefined;
    }
    if (paths.length === 0 || this.running) return undefined;
    this.running = true;
    this.error = undefined;
    try {
      const response = await this.client.call('prediction.predict', { model, paths: [...paths], top: TRY_TOP });
      this.rows = [...response.predictions, ...this.rows.filter((row) => !paths.includes(row.path))];
      this.timing = { durationMs: response.durationMs, imagesPerSecond: response.imagesPerSecond };
      return response;
    } catch (error) {
      this.error = errorMessage(error);
      return undefined;
    } finally {
      this.running = false;
    }
  }

  /**
   * Predicts images sent by value (`prediction.predictImages`, 16 per call); each row's `path` is the
   * image's name, made unique among the rows shown ("image.png (2)"). Too large an image gets an error row.
   */
  async predictImages(model: string | undefined, images: readonly ImageByValue[]): Promise<void> {
    if (!model) {
      this.error = 'Open a finished run first: its model makes the predictions.';
      return;
    }
    if (images.length === 0 || this.running) return;
    this.running = true;
    this.error = undefined;
    const taken = this.rows.map((row) => row.path);
    const named = images.map((image) => ({ ...image, name: uniqueName(image.name, taken) }));
    const tooLarge = named.filter((image) => image.base64.length > MAX_IMAGE_BASE64_CHARS);
    const sendable = named.filter((image) => image.base64.length <= MAX_IMAGE_BASE64_CHARS);
    this.previews = { ...this.previews, ...Object.fromEntries(named.map((image) => [image.name, image.preview])) };
    const rows: PredictionRow[] = tooLarge.map((image) => ({
      path: image.name,
      error: `"${image.name}" is too large to send (${Math.round((image.base64.length * 3) / 4 / 1e6)} MB): save it and choose its folder.`,
    }));
    try {
      for (let i = 0; i < sendable.length; i += IMAGES_PER_CALL) {
        const batch = sendable.slice(i, i + IMAGES_PER_CALL).map(({ name, base64 }) => ({ name, base64 }));
        const response = await this.client.call('prediction.predictImages', { model, images: batch, top: TRY_TOP });
        rows.push(...response.predictions);
        this.timing = { durationMs: response.durationMs, imagesPerSecond: response.imagesPerSecond };
      }
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.rows = [...rows, ...this.rows];
      this.running = false;
    }
  }

  /** Forgets the tried images. */
  clear(): void {
    this.rows = [];
    this.previews = {};
    this.error = undefined;
    this.timing = undefined;
  }
}

/** `name`, or `name (2)`, `name (3)`… — the first not in `taken` (which it joins). */
function uniqueName(name: string, taken: string[]): string {
  let unique = name || 'pasted image';
  for (let k = 2; taken.includes(unique); k++) unique = `${name || 'pasted image'} (${k})`;
  taken.push(unique);
  return unique;
}
