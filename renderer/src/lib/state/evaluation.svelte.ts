import type { ProgressOf } from '../../../../shared/contract';
import type { Evaluation, ScoredImage } from '../../../../shared/contract/evaluate';
import { StudioError } from '../../../../shared/errors';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';
import { rowNormalised } from '../confusion';

export type EvaluateProgress = ProgressOf<'evaluation.evaluate'>;

/** A cell of the confusion matrix: images of class `actual` predicted as `predicted` (indices into the classes). */
export interface MatrixCell {
  actual: number;
  predicted: number;
}

/**
 * The Evaluate step's state: a run's evaluation (evaluation.json, read with `evaluation.read`, or made
 * with the `evaluation.evaluate` job), or an evaluation on another labelled folder (not saved); the
 * matrix view (counts or row-normalised), the chosen cell and its images, and the mistakes by loss.
 */
export class EvaluationState {
  /** The run whose evaluation is shown (absolute folder). */
  runDir = $state<string | undefined>();
  /** The run's test-split evaluation; null when the run has none yet. */
  saved = $state.raw<Evaluation | null | undefined>();
  /** An evaluation on another folder, shown instead of the saved one until {@link showSaved}. */
  other = $state.raw<Evaluation | undefined>();
  running = $state(false);
  loading = $state(false);
  progress = $state.raw<EvaluateProgress | undefined>();
  /** Why the last read or evaluation failed, in words. */
  error = $state<string | undefined>();
  /** Matrix values as shares of each true class. Default: counts. */
  normalised = $state(false);
  /** The cell whose images are shown. Default: none. */
  cell = $state.raw<MatrixCell | undefined>();

  /** What is shown: the other folder's evaluation, or the run's own. */
  readonly shown: Evaluation | undefined = $derived(this.other ?? this.saved ?? undefined);
  /** The matrix as shown: counts, or row-normalised shares. */
  readonly matrix: readonly (readonly number[])[] = $derived.by(() => {
    const counts = this.shown?.confusion.matrix ?? [];
    return this.normalised ? rowNormalised(counts) : counts;
  });
  /** Wrongly predicted images, highest loss first. */
  readonly mistakes: readonly ScoredImage[] = $derived(
    (this.shown?.images ?? []).filter((image) => image.predicted !== image.label),
  );
  /** The images of the chosen cell, highest loss first. */
  readonly cellImages: readonly ScoredImage[] = $derived.by(() => {
    const cell = this.cell;
    if (!cell) return [];
    return (this.shown?.images ?? []).filter(
      (image) => image.label === cell.actual && image.predicted === cell.predicted,
    );
  });

  private controller: AbortController | undefined;
  private readSeq = 0;

  constructor(private readonly client: StudioClient) {}

  /** Shows a run's evaluation: reads evaluation.json, and evaluates the test split when there is none yet. */
  async open(runDir: string | undefined): Promise<void> {
    if (runDir === this.runDir && this.saved !== undefined) return;
    this.cancel();
    this.runDir = runDir;
    this.saved = undefined;
    this.other = undefined;
    this.cell = undefined;
    this.error = undefined;
    if (!runDir) return;
    const seq = ++this.readSeq;
    this.loading = true;
    try {
      const saved = await this.client.call('evaluation.read', { runDir });
      if (seq !== this.readSeq) return;
      this.saved = saved;
    } catch (error) {
      if (seq === this.readSeq) this.error = errorMessage(error);
      return;
    } finally {
      if (seq === this.readSeq) this.loading = false;
    }
    if (this.saved === null) await this.evaluate();
  }

  /** Evaluates the run on its test split (saved), or on a labelled folder `dataDir` (shown, not saved). */
  async evaluate(dataDir?: string): Promise<Evaluation | undefined> {
    const runDir = this.runDir;
    if (!runDir || this.running) return undefined;
    const controller = new AbortController();
    this.controller = controller;
    this.running = true;
    this.error = undefined;
    this.progress = undefined;
    try {
      const evaluation = await this.client.call(
        'evaluation.evaluate',
        { runDir, ...(dataDir ? { dataDir } : {}) },
        {
          signal: controller.signal,
          onProgress: (progress) => (this.progress = progress),
        },
      );
      if (this.runDir !== runDir) return undefined;
      if (dataDir) this.other = evaluation;
      else {
        this.saved = evaluation;
        this.other = undefined;
      }
      this.cell = undefined;
      return evaluation;
    } catch (error) {
      const cancelled = controller.signal.aborted || (error instanceof StudioError && error.code === 'CANCELLED');
      if (!cancelled && this.runDir === runDir) this.error = errorMessage(error);
      return undefined;
    } finally {
      if (this.controller === controller) {
        this.controller = undefined;
        this.running = false;
      }
    }
  }

  /** Stops a running evaluation. */
  cancel(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.running = false;
  }

  /** Back to the run's own test-split evaluation. */
  showSaved(): void {
    this.other = undefined;
    this.cell = undefined;
  }

  /** Shows the images of a cell; choosing the same cell again hides them. */
  choose(cell: MatrixCell | undefined): void {
    const same = cell && this.cell && cell.actual === this.cell.actual && cell.predicted === this.cell.predicted;
    this.cell = same ? undefined : cell;
  }
}
