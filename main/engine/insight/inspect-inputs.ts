/**
 * What an inspection looks at, from its request and (when given) its project: the dataset spec, the split, the
 * base and the cache folder — resolved the way training resolves them, so the same images get the same split and
 * the same feature-cache keys (inspecting after a run reads every feature from the cache).
 */
import path from 'node:path';
import { PROJECT_CACHE_DIR } from '../../../shared/contract/project';
import type { DatasetSpec } from '../../../shared/contract/data';
import type { InspectRequest } from '../../../shared/contract/insight';
import { StudioError, quote } from '../../../shared/errors';
import { cacheDir } from '../app-paths';
import { DEFAULT_BASE_ID } from '../models/bases/bundled';
import { openProject } from '../project/store';
import { datasetSpecOf, type RunSplit } from '../training/dataset';

/** The split of an inspection without a project or a `split`: 0.8 / 0.1 / 0.1, seed 42. */
export const DEFAULT_INSPECT_SPLIT: RunSplit = { train: 0.8, validation: 0.1, test: 0.1, seed: 42 };

export interface InspectInputs {
  spec: DatasetSpec;
  split: RunSplit;
  baseId: string;
  /** Root of the pixel and feature caches (features in `<cacheRoot>/features`, as training keeps them). */
  cacheRoot: string;
  /** Absolute project folder, when the request names one. */
  projectDir?: string;
}

/**
 * Resolves the request: `dataset`, else `dirs`, else the project's dataset; `split`, else the project's, else
 * {@link DEFAULT_INSPECT_SPLIT}; `base`, else the project's, else the bundled MobileNetV2; `cacheDir`, else
 * `<projectDir>/cache`, else the app's cache folder.
 * @throws StudioError NOT_FOUND when `projectDir` holds no project; BAD_INPUT when no images are named anywhere.
 */
export async function resolveInspectInputs(request: InspectRequest): Promise<InspectInputs> {
  const projectDir = request.projectDir ? path.resolve(request.projectDir) : undefined;
  const project = projectDir ? (await openProject(projectDir, { remember: false })).project : undefined;
  let spec: DatasetSpec;
  if (request.dataset || request.dirs?.length) spec = await datasetSpecOf(request);
  else if (project?.dataset) spec = await datasetSpecOf({ dataset: project.dataset });
  else
    throw new StudioError(
      'BAD_INPUT',
      `Nothing to inspect: the project in ${quote(projectDir ?? '')} has no images yet, and the request gave no \`dataset\` or \`dirs\`.`,
      { projectDir },
    );
  const split: RunSplit = request.split
    ? {
        train: request.split.train,
        validation: request.split.validation,
        test: request.split.test,
        seed: request.split.seed ?? project?.split.seed ?? DEFAULT_INSPECT_SPLIT.seed,
      }
    : project
      ? { ...project.split.fractions, seed: project.split.seed }
      : DEFAULT_INSPECT_SPLIT;
  return {
    spec,
    split,
    baseId: request.base ?? project?.base.id ?? DEFAULT_BASE_ID,
    cacheRoot: path.resolve(request.cacheDir ?? (projectDir ? path.join(projectDir, PROJECT_CACHE_DIR) : cacheDir())),
    ...(projectDir ? { projectDir } : {}),
  };
}
