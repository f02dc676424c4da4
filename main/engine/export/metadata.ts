/**
 * metadata.json of the TF.js and Teachable Machine exports (shared/contract/model-metadata.ts):
 * Teachable Machine's fields, so its loader reads it unchanged, and the `transferStudio` block saying
 * what the model's input holds.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MODEL_METADATA_FILE, ModelMetadata, type ModelInput } from '../../../shared/contract/model-metadata';
import type { ExportContext, ExportRun } from './registry';

/** The package fields: which loader the folder is written for. */
export interface MetadataPackage {
  tfjsVersion: string;
  tmVersion: string;
  packageName: string;
  packageVersion: string;
}

/** The model's name in metadata.json: the project's run id or the run folder's name. */
export function modelNameOf(run: ExportRun): string {
  return run.state.project?.runId ?? path.basename(run.runDir);
}

/** metadata.json's content, checked against the contract's schema. */
export function modelMetadata(
  run: ExportRun,
  ctx: ExportContext,
  input: ModelInput,
  pkg: MetadataPackage,
): ModelMetadata {
  return ModelMetadata.parse({
    ...pkg,
    modelName: modelNameOf(run),
    timeStamp: ctx.timeStamp,
    labels: run.classes,
    imageSize: run.preprocess.size,
    transferStudio: {
      version: 1,
      input,
      scaling: run.base.scaling,
      preprocess: run.preprocess,
      base: run.base.id,
      runId: modelNameOf(run),
      appVersion: ctx.appVersion,
      ...(run.state.calibration?.status === 'applied'
        ? {
            calibration: {
              method: 'temperature',
              temperature: run.state.calibration.temperature,
              layer: run.state.calibration.layer,
            },
          }
        : {}),
    },
  });
}

/** Writes metadata.json into `dir`; returns its file name. */
export async function writeModelMetadata(dir: string, metadata: ModelMetadata): Promise<string> {
  await writeFile(path.join(dir, MODEL_METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
  return MODEL_METADATA_FILE;
}
