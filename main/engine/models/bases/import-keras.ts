/**
 * Importing a Keras 2 `.h5` model file as a base: the file is read with h5wasm (../../export/keras-h5-file.ts),
 * turned into a tfjs layers-model folder, and imported through the tfjs folder import (same validation, cut layer
 * choice, cache layout and BaseInfo). Its input scaling comes from the file when the model starts with a
 * `Rescaling` layer of a known scaling (then the model takes raw pixels and the base's scaling is `x`); otherwise
 * the caller must give it. A weights-only file (`model.save_weights`, what keras.applications downloads, e.g.
 * `xception_weights_tf_dim_ordering_tf_kernels_notop.h5`) is imported into its keras.applications architecture
 * (./architectures/): its input size and scaling are that architecture's.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BaseInfo, type Scaling } from '../../../../shared/contract/models';
import { StudioError, quote } from '../../../../shared/errors';
import { writeFileAtomic } from '../../fs/atomic-write';
import { readKerasH5, type KerasH5Content } from '../../export/keras-h5-file';
import { writeTfjsFolder } from '../../export/keras-tfjs';
import { scalingOfRescaling, type LayerEntry } from '../../export/keras-topology';
import type { Architecture } from './architectures/index';
import { writeWeightsOnlyFolder } from './architectures/weights-only';
import { importedDir, importTfjsFolder, inspectTfjsFolder, type TfjsFolderInfo } from './import-tfjs';

/** True when `file` names a Keras .h5 file (by its extension: .h5 or .hdf5). */
export function isKerasFile(file: string): boolean {
  return /\.(h5|hdf5)$/i.test(file);
}

/** What a Keras file holds, for the import panel. */
export interface KerasFileInfo extends TfjsFolderInfo {
  /** The scaling the file itself applies (it starts with a Rescaling layer), or undefined when it cannot tell. */
  scaling?: Scaling;
  kerasVersion: string;
}

/** Options of {@link importKerasFile}. */
export interface KerasImportOptions {
  cacheDir: string;
  /**
   * Pixel scaling the model was trained with. Required when the file cannot tell (no leading Rescaling layer);
   * ignored when it can (the model then scales raw pixels itself). Default: what the file tells.
   */
  scaling?: Scaling;
  /** Default: the last pooling/flatten layer before the classifier (as for tfjs folders). */
  cutLayer?: string;
  /** Default: the file name without its extension. */
  name?: string;
  /**
   * Input side of a weights-only keras.applications file's architecture (smaller sides make smaller features).
   * Default: keras.applications' (Xception 299, MobileNetV2 224 or the size in the file name).
   */
  inputSize?: number;
}

/** The scaling a model applies itself: its first layer after the input is a Rescaling of a known scaling. */
export function scalingInFile(content: KerasH5Content): Scaling | undefined {
  const layers = (content.modelConfig?.config.layers ?? []) as LayerEntry[];
  const first = layers.find((l) => l.class_name !== 'InputLayer');
  if (first?.class_name !== 'Rescaling') return undefined;
  return scalingOfRescaling(first.config) ? 'x' : undefined;
}

async function withTfjsFolder<T>(
  file: string,
  use: (dir: string, content: KerasH5Content, architecture?: Architecture) => Promise<T>,
  inputSize?: number,
): Promise<T> {
  const content = await readKerasH5(file);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ts-keras-import-'));
  try {
    if (content.modelConfig) {
      await writeTfjsFolder(content, dir, file);
      return await use(dir, content);
    }
    const architecture = await writeWeightsOnlyFolder(content, dir, file, inputSize);
    return await use(dir, content, architecture);
  } catch (error) {
    if (error instanceof StudioError)
      throw new StudioError(error.code, error.message.replaceAll(dir, file), error.details);
    throw error;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Validates a Keras .h5 model file and lists where it can be cut.
 * @throws StudioError NOT_FOUND / BAD_INPUT / UNSUPPORTED naming the file and what is wrong or missing.
 */
export async function inspectKerasFile(file: string): Promise<KerasFileInfo> {
  return withTfjsFolder(file, async (dir, content, architecture) => {
    const info = await inspectTfjsFolder(dir);
    const scaling = scalingInFile(content) ?? architecture?.scaling;
    return { ...info, ...(scaling ? { scaling } : {}), kerasVersion: content.kerasVersion };
  });
}

/**
 * Imports a Keras .h5 model file as a base into `<cacheDir>/imported/<id>/` (as a tfjs folder + base.json).
 * @throws StudioError BAD_INPUT naming `scaling` when the file cannot tell its scaling and none was given, and the
 *   errors of {@link inspectKerasFile}.
 */
export async function importKerasFile(file: string, options: KerasImportOptions): Promise<BaseInfo> {
  return withTfjsFolder(
    file,
    async (dir, content, architecture) => {
      const own = scalingInFile(content) ?? architecture?.scaling;
      const scaling = own ?? options.scaling;
      if (!scaling) {
        throw new StudioError(
          'BAD_INPUT',
          `${quote(file)} does not say how its input pixels are scaled (it has no Rescaling layer first); ` +
            'give "scaling": "x/255", "x/127.5-1" (Keras MobileNet/Xception/Inception preprocess_input) or "x" (no scaling, e.g. ResNet/EfficientNet).',
          { path: file, field: 'scaling', received: options.scaling },
        );
      }
      const name = options.name ?? path.basename(file).replace(/\.(h5|hdf5)$/i, '');
      const imported = await importTfjsFolder(dir, {
        cacheDir: options.cacheDir,
        scaling,
        cutLayer: options.cutLayer,
        name,
      });
      const scalingNote = architecture
        ? scaling === 'x'
          ? `takes raw 0–255 pixels (keras.applications ${architecture.name} preprocessing built in)`
          : `input scaling ${scaling} (keras.applications ${architecture.name})`
        : own
          ? 'takes raw 0–255 pixels (its first layer rescales them)'
          : `input scaling ${scaling} (given at import)`;
      const what = architecture ? `weights-only file of keras.applications ${architecture.name}` : 'model';
      const info = BaseInfo.parse({
        ...imported,
        description: `Imported Keras ${content.kerasVersion} .h5 ${what} from ${file}, cut at ${imported.cutLayer}; ${scalingNote}.`,
        sizeBytes: (await fs.stat(file)).size,
      });
      await writeFileAtomic(
        path.join(importedDir(options.cacheDir), info.id, 'base.json'),
        JSON.stringify(info, null, 2),
      );
      return info;
    },
    options.inputSize,
  );
}
