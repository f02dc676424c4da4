import { AugmentOptions } from '../../../../shared/contract/data';
import { DEFAULT_PROJECT_BASE, type ProjectFile, type ProjectPatchInput } from '../../../../shared/contract/project';
import type { TrainConfig } from '../../../../shared/contract/training';
import type { BaseChoice } from './base-choice.svelte';
import type { DataSources } from './data-sources.svelte';
import type { Dataset } from './dataset.svelte';
import type { HeadEditor } from './head-editor.svelte';
import type { Insight } from './insight.svelte';
import {
  buildTrainRequest,
  fineTuneOf,
  freezeOf,
  validationFraction,
  type TrainRequestInput,
  type Training,
} from './training.svelte';

/** The state classes whose content a project keeps. */
export interface WizardParts {
  sources: DataSources;
  dataset: Dataset;
  bases: BaseChoice;
  head: HeadEditor;
  training: Training;
  /** The Data step's insight, whose kept findings the project saves. Default: none (nothing kept is saved). */
  insight?: Pick<Insight, 'keptIds' | 'restoreKept'>;
}

/** The sections of project.json the wizard edits (the rest — name, runs — is not the wizard's). */
export const SECTIONS = ['dataset', 'split', 'base', 'head', 'training', 'insightKept'] as const;
export type Section = (typeof SECTIONS)[number];
export type ProjectSections = Required<Pick<ProjectPatchInput, Section>>;

/**
 * The one mapping from state classes to project.json sections. Plain data (no state proxies), so
 * it can be compared, sent over IPC and saved. The training section carries the fine-tune depth of
 * the Head step's freeze policy, the Data step's validation share and augmentation.
 */
export function sectionsOf(parts: WizardParts): ProjectSections {
  const { dataset, bases, head } = parts;
  const freeze = { mode: 'all' as const, n: 0, layers: {}, ...$state.snapshot(head.freeze) };
  return {
    dataset: dataset.spec ? $state.snapshot(dataset.spec) : null,
    split: { fractions: { ...dataset.split.fractions }, seed: dataset.split.seed },
    base: { id: bases.selectedId ?? DEFAULT_PROJECT_BASE, freeze },
    head: $state.snapshot(head.spec),
    training: trainingSection(parts),
    insightKept: parts.insight?.keptIds() ?? [],
  };
}

/** The training config as saved and sent: the form's options plus what other steps decide. */
export function trainingSection(parts: WizardParts): TrainConfig {
  const config = $state.snapshot(parts.training.config);
  return {
    ...config,
    validationSplit: validationFraction(parts.dataset.split.validation),
    fineTune: { ...config.fineTune, ...fineTuneOf(parts.head.freeze) },
    augmentation: { ...$state.snapshot(parts.dataset.augment.settings) },
  };
}

/** The `training.train` request for the wizard's state (run and cache inside the project when one is open). */
export function trainRequestOf(parts: WizardParts, projectDir?: string): TrainRequestInput {
  const auto = parts.training.auto.record({ config: parts.training.config, freeze: parts.head.freeze });
  const request = buildTrainRequest({
    spec: parts.dataset.spec ? $state.snapshot(parts.dataset.spec) : undefined,
    baseId: parts.bases.selectedId,
    head: $state.snapshot(parts.head.spec),
    freeze: parts.head.freeze,
    config: trainingSection(parts),
    validationPercent: parts.dataset.split.validation,
    split: { ...parts.dataset.split.fractions, seed: parts.dataset.split.seed },
    ...(projectDir ? { projectDir } : {}),
  });
  return auto ? { ...request, auto } : request;
}

/** Loads a project's sections into the state classes (the inverse of {@link sectionsOf}). */
export function applyProject(project: ProjectFile, parts: WizardParts): void {
  const { sources, dataset, bases, head, training } = parts;
  for (const folder of [...sources.folders]) sources.remove(folder);
  const spec = project.dataset;
  if (spec) {
    // Modes first-hand from the project: the folder listing then only fills in contents.
    sources.add(spec.sources.map((source) => source.path));
    sources.modes = Object.fromEntries(spec.sources.map((source) => [source.path, source.mode]));
  }
  dataset.edits = {
    renames: { ...spec?.renames },
    merges: [...(spec?.merges ?? [])],
    excluded: [...(spec?.excluded ?? [])],
    ...(spec?.files
      ? {
          files: {
            excluded: [...spec.files.excluded],
            classes: { ...spec.files.classes },
            ...(spec.files.conflicts ? { conflicts: { ...spec.files.conflicts } } : {}),
          },
        }
      : {}),
  };
  dataset.split.validation = Math.round(project.split.fractions.validation * 100);
  dataset.split.test = Math.round(project.split.fractions.test * 100);
  dataset.split.seed = project.split.seed;
  bases.selectedId = project.base.id;
  const { mode, n, layers } = project.base.freeze;
  // A project written by the CLI may only say how deep to fine-tune.
  head.freeze =
    mode === 'all' && project.training.fineTune.top > 0
      ? freezeOf(project.training.fineTune)
      : { mode, n, ...(Object.keys(layers).length > 0 ? { layers } : {}) };
  head.spec = project.head;
  const { augmentation, ...config } = project.training;
  training.config = config;
  dataset.augment.settings = AugmentOptions.parse(augmentation ?? {}) as typeof dataset.augment.settings;
  parts.insight?.restoreKept(project.insightKept ?? []);
}
