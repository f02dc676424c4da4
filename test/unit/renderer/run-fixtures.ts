/** Plausible engine answers about runs for the renderer's unit tests. */
import type { RunSummary } from '../../../shared/contract/evaluate';
import type { ProjectRun } from '../../../shared/contract/project';
import { TrainConfig } from '../../../shared/contract/training';

/** A plausible run summary with `config` overrides. */
export function summaryOf(overrides: Partial<RunSummary> = {}, config: Partial<TrainConfig> = {}): RunSummary {
  return {
    runDir: '/p/runs/r1',
    id: 'r1',
    status: 'completed',
    startedAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:01:00.000Z',
    base: 'nsfwjs-mobilenet-v2',
    backend: 'wasm',
    head: 'dense:128:relu,dropout:0.2',
    config: TrainConfig.parse(config),
    sources: ['/data/pets'],
    split: { train: 0.7, validation: 0.15, test: 0.15, seed: 0 },
    classes: ['cats', 'dogs'],
    history: [],
    durationMs: 60_000,
    testCount: 6,
    hasModel: true,
    evaluation: null,
    exports: {},
    ...overrides,
  };
}

/** A project.json run record. */
export function projectRun(id: string, overrides: Partial<ProjectRun> = {}): ProjectRun {
  return {
    id,
    dir: `runs/${id}`,
    startedAt: `2026-11-27T10:0${id.slice(-1)}:00.000Z`,
    status: 'completed',
    valAccuracy: 0.9,
    bestEpoch: 1,
    ...overrides,
  };
}
