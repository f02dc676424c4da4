/** `runs.read`: one run folder as plain data for the runs list, compare and Open (no tensors, no weights). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RunSummary } from '../../../shared/contract/evaluate';
import { formatHeadString } from '../../../shared/head-layers/head-string';
import { defaultHeadSpec } from '../../../shared/layer-spec';
import { modelDir } from '../run-folder/layout';
import { readRunState } from '../run-folder/run-file';
import { readEvaluation } from './evaluation-file';

/** NaN (a diverged metric) as null, since JSON and the UI have no NaN. */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/**
 * Reads run.json (and evaluation.json's headline figures) of `runDir`.
 * @throws StudioError as readRunState (NOT_FOUND without run.json, BAD_INPUT for a bad file).
 */
export async function readRunSummary(runDirInput: string): Promise<RunSummary> {
  const runDir = path.resolve(runDirInput);
  const state = await readRunState(runDir);
  const { request } = state;
  const head =
    request.head === undefined
      ? formatHeadString(defaultHeadSpec().layers)
      : typeof request.head === 'string'
        ? request.head
        : formatHeadString(request.head.layers);
  let evaluation: RunSummary['evaluation'] = null;
  if (state.evaluation) {
    const file = await readEvaluation(runDir).catch(() => null);
    evaluation = {
      ...state.evaluation,
      accuracy: finite(state.evaluation.accuracy),
      accuracyInterval: file?.accuracyInterval ?? null,
      macroF1: file?.macro.f1 ?? null,
    };
  }
  return {
    runDir,
    id: state.project?.runId ?? path.basename(runDir),
    status: state.status,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    base: state.base,
    backend: state.backend,
    head,
    config: request.config,
    sources: request.dataset?.sources.map((source) => source.path) ?? request.dirs ?? [],
    ...(request.split ? { split: request.split } : {}),
    classes: state.classes,
    history: state.history.map((epoch) => ({
      ...epoch,
      loss: finite(epoch.loss),
      accuracy: finite(epoch.accuracy),
      valLoss: finite(epoch.valLoss),
      valAccuracy: finite(epoch.valAccuracy),
    })),
    ...(state.best
      ? {
          best: {
            folder: state.best.folder,
            epoch: state.best.epoch,
            phase: state.best.phase,
            valLoss: finite(state.best.valLoss),
            valAccuracy: finite(state.best.valAccuracy),
          },
        }
      : {}),
    durationMs: state.durationMs,
    testCount: state.test?.count ?? 0,
    hasModel: state.status === 'completed' && existsSync(path.join(modelDir(runDir), 'model.json')),
    ...(state.error ? { error: state.error } : {}),
    ...(state.project ? { project: state.project } : {}),
    evaluation,
    exports: state.exports ?? {},
  };
}
