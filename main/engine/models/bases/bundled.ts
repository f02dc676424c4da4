/**
 * Bundled bases read offline from the npm package nsfwjs@4.4.0 (MIT, by Infinite Red): Keras-trained
 * tfjs layers models wrapped in UMD JS files (`dist/models/<name>/model.min.js` exporting the
 * model.json object; `group1-shardNofM.min.js` exporting the shard as a base64 string).
 */
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type * as tf from '@tensorflow/tfjs';
import { StudioError, quote } from '../../../../shared/errors';
import type { BaseInfo } from '../../../../shared/contract/models';
import { artifactsFromJson, type ModelJson } from '../io/fs-handler';

const CREDIT =
  'Weights from the npm package nsfwjs 4.4.0 (MIT licence, © Infinite Red, https://github.com/infinitered/nsfwjs): ' +
  'a Keras model initialised from ImageNet and fine-tuned by its authors to classify drawings/hentai/neutral/porn/sexy images; ' +
  'we cut it below its classifier and use its pooled features.';

/** A bundled base: its info plus the nsfwjs folder name. */
export interface BundledBase {
  info: BaseInfo;
  /** Folder under nsfwjs/dist/models. */
  folder: string;
}

/** The bundled bases (MobileNetV2 is the default base). */
export const BUNDLED_BASES: readonly BundledBase[] = [
  {
    folder: 'mobilenet_v2',
    info: {
      id: 'nsfwjs-mobilenet-v2',
      name: 'MobileNetV2 224 (bundled, nsfwjs)',
      description: `MobileNetV2 (alpha 1.0, 224×224), pooled 1280-d feature. ${CREDIT}`,
      source: 'bundled',
      inputSize: 224,
      scaling: 'x/255',
      cutLayer: 'flatten_1',
      pooling: 'none',
      featureSize: 1280,
      featureShape: [1280],
      licence: 'MIT (nsfwjs)',
      fineTunable: true,
      sizeBytes: 2_619_462,
    },
  },
  {
    folder: 'inception_v3',
    info: {
      id: 'nsfwjs-inception-v3',
      name: 'InceptionV3 299 (bundled, nsfwjs)',
      description: `InceptionV3 (299×299), pooled 2048-d feature. ${CREDIT}`,
      source: 'bundled',
      inputSize: 299,
      scaling: 'x/255',
      cutLayer: 'flatten_1',
      pooling: 'none',
      featureSize: 2048,
      featureShape: [2048],
      licence: 'MIT (nsfwjs)',
      fineTunable: true,
      sizeBytes: 21_900_000,
    },
  },
];

/** The id of the default base. */
export const DEFAULT_BASE_ID = 'nsfwjs-mobilenet-v2';

/** The folder holding nsfwjs's model folders. */
export function nsfwjsModelsDir(): string {
  const require = createRequire(import.meta.url);
  // The package's exports hide package.json; its CommonJS entry is <root>/dist/cjs/index.js.
  return path.join(path.dirname(require.resolve('nsfwjs')), '..', 'models');
}

/** Runs one UMD file in an empty context and returns what it exports (no access to our globals). */
async function evaluateUmd(file: string): Promise<unknown> {
  let code: string;
  try {
    code = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new StudioError(
      'NOT_FOUND',
      `Bundled model file ${quote(file)} is missing: reinstall the app (package nsfwjs 4.4.0).`,
      {
        path: file,
        cause: String(error),
      },
    );
  }
  const module = { exports: {} as unknown };
  vm.runInNewContext(code, { module, exports: module.exports }, { filename: file, timeout: 30_000 });
  return module.exports;
}

/**
 * A tfjs IOHandler loading a bundled nsfwjs model from its JS-wrapped files.
 * @param folder folder name under nsfwjs/dist/models, e.g. "mobilenet_v2".
 * @param modelsDir Default: {@link nsfwjsModelsDir}().
 */
export function bundledLoader(folder: string, modelsDir: string = nsfwjsModelsDir()): tf.io.IOHandler {
  return {
    async load() {
      const dir = path.join(modelsDir, folder);
      // Round-trip through JSON: objects made in the vm context fail tfjs's same-realm checks.
      const json = JSON.parse(JSON.stringify(await evaluateUmd(path.join(dir, 'model.min.js')))) as ModelJson;
      if (typeof json !== 'object' || json === null || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new StudioError(
          'BAD_INPUT',
          `Bundled model ${quote(folder)} has an unexpected format (no modelTopology).`,
        );
      }
      const shards: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        for (const shard of group.paths) {
          const base64 = await evaluateUmd(path.join(dir, `${shard}.min.js`));
          if (typeof base64 !== 'string') {
            throw new StudioError(
              'BAD_INPUT',
              `Bundled shard ${quote(shard)} of ${quote(folder)} is not a base64 string.`,
            );
          }
          shards.push(Buffer.from(base64, 'base64'));
        }
      }
      return artifactsFromJson(json, shards, `nsfwjs/${folder}`);
    },
  };
}
