/** The files every export folder gets besides the format's own: the model card README.md and labels.txt. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getFormat, listFormats, type ExportContext, type ExportRun } from './registry';
import { labelsText, modelCard } from './model-card';

export const MODEL_CARD_FILE = 'README.md';
export const LABELS_FILE = 'labels.txt';

/** Writes README.md and labels.txt into `dir`, the folder of format `formatId`. */
export async function writeCommonFiles(
  run: ExportRun,
  dir: string,
  formatId: string,
  ctx: ExportContext,
): Promise<void> {
  const format = getFormat(formatId);
  const modelFiles = Object.fromEntries(listFormats().map((entry) => [entry.id, entry.modelFile]));
  const card = modelCard(
    run,
    {
      id: format.id,
      name: format.name,
      description: format.description,
      ...(format.input ? { input: format.input } : {}),
      modelFiles,
    },
    ctx,
  );
  await writeFile(path.join(dir, MODEL_CARD_FILE), card);
  await writeFile(path.join(dir, LABELS_FILE), labelsText(run.classes));
}
