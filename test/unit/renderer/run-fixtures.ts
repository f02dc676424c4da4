/** Plausible engine answers about runs for the renderer's unit tests. */
import type { Evaluation, RunSummary } from '../../../shared/contract/evaluate';
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

/** A small evaluation of classes cats/dogs/birds: 5 images, 2 mistakes (birds never in the test set). */
export function evaluationOf(runDir = '/p/runs/r1', overrides: Partial<Evaluation> = {}): Evaluation {
  const image = (path: string, label: number, predicted: number, loss: number) => ({
    path,
    label,
    predicted,
    loss,
    probabilities: [0, 1, 2].map((k) => (k === predicted ? 0.8 : 0.1)),
  });
  return {
    version: 1,
    writtenAt: '2026-11-27T10:02:00.000Z',
    runDir,
    model: 'model',
    source: { kind: 'test-split' },
    classes: ['cats', 'dogs', 'birds'],
    count: 5,
    accuracy: 0.6,
    accuracyInterval: { low: 0.23, high: 0.88, level: 0.95, method: 'wilson' },
    loss: 0.9,
    perClass: [
      { name: 'cats', precision: 0.67, recall: 0.67, f1: 0.67, support: 3, predicted: 3 },
      { name: 'dogs', precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2 },
      { name: 'birds', precision: null, recall: null, f1: null, support: 0, predicted: 0 },
    ],
    macro: { precision: 0.58, recall: 0.58, f1: 0.58 },
    weighted: { precision: 0.6, recall: 0.6, f1: 0.6 },
    confusion: {
      matrix: [
        [2, 1, 0],
        [1, 1, 0],
        [0, 0, 0],
      ],
      mostConfused: [
        { actual: 0, predicted: 1, count: 1 },
        { actual: 1, predicted: 0, count: 1 },
      ],
    },
    calibration: {
      ece: 0.2,
      bins: [
        { lower: 0.7, upper: 0.8, count: 0, confidence: null, accuracy: null },
        { lower: 0.8, upper: 0.9, count: 5, confidence: 0.8, accuracy: 0.6 },
      ],
    },
    images: [
      image('/d/cats/c3.png', 0, 1, 2.3),
      image('/d/dogs/d2.png', 1, 0, 2.1),
      image('/d/dogs/d1.png', 1, 1, 0.22),
      image('/d/cats/c1.png', 0, 0, 0.21),
      image('/d/cats/c2.png', 0, 0, 0.2),
    ],
    smallClasses: [
      { name: 'cats', support: 3 },
      { name: 'dogs', support: 2 },
      { name: 'birds', support: 0 },
    ],
    notices: ['The test set is small: 5 images (accuracy 60%, 95% interval 23%–88%).'],
    failed: [],
    skippedTrained: 0,
    durationMs: 120,
    ...overrides,
  };
}
