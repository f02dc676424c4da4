import type { RequestOf } from '../../../../shared/contract';
import type { BaseInfo, FreezePolicyInput, ModelSummary } from '../../../../shared/contract/models';
import { addLayer, insertLayer, moveLayer, popLayer, removeLayer, renameLayer } from '../../../../shared/head-spec-ops';
import {
  DEFAULT_OUTPUT_NAME,
  defaultHeadSpec,
  headSpecIssues,
  kindOf,
  layerChoicesAt,
  layerKind,
  resolvedLayerNames,
  traceHead,
  type HeadSpec,
  type LayerChoice,
  type LayerField,
  type LayerKind,
  type LayerSpec,
  type OutputSpec,
} from '../../../../shared/layer-spec';
import type { StudioClient } from '../api';
import { afterQuiet } from '../after-quiet';
import { errorMessage } from '../error-message';
import { LatestRequest } from '../latest-request';

export type SummaryRequest = RequestOf<'models.summary'>;

/** The Keras class name of a layer kind ("Dense", "GlobalAveragePooling2D"…), from the table. */
export function kindLabel(kind: LayerKind): string {
  return layerKind(kind).label;
}

/** A short name for narrow places: "BatchNorm", "GlobalAvgPool"; others as {@link kindLabel}. */
export function shortKindLabel(kind: LayerKind): string {
  return layerKind(kind).shortLabel;
}

/** A layer's editable fields (not its kind). */
export type LayerPatch = { units?: number; rate?: number; activation?: string };

/**
 * The Head step's state: the Sequential head spec edited like Keras (add, pop, insert, remove,
 * move, rename, reset), checked live by the shared validator against the chosen base and class
 * count, and a debounced `models.summary` of base + head + freeze policy.
 */
export class HeadEditor {
  spec = $state.raw<HeadSpec>(defaultHeadSpec());
  /** Number of classes the output layer predicts. Set by App from the Data step when it knows. Default: 2. */
  classCount = $state(2);
  /** Which base layers train. Default: the whole base frozen. */
  freeze = $state.raw<FreezePolicyInput>({ mode: 'all', n: 0 });
  /** The last operation that was refused (e.g. a duplicate name), in words, with the row it concerns. */
  opError = $state.raw<{ index: number; message: string } | undefined>();

  summary = $state.raw<ModelSummary | undefined>();
  summaryError = $state<string | undefined>();
  summarizing = $state(false);

  /** The resolved name of every hidden layer. */
  readonly names = $derived(resolvedLayerNames(this.spec.layers));
  /** Every problem with the head, from the shared validator (messages quote the bad value). */
  readonly issues = $derived.by(() =>
    headSpecIssues(this.spec, { featureShape: this.base()?.featureShape, numClasses: this.classCount }),
  );
  /** Each hidden layer's input and output shape from the table's rules (instant, before any summary). */
  readonly trace = $derived.by(() => traceHead(this.spec.layers, this.base()?.featureShape));
  /** The Head step is done when a base is chosen and the head validates. */
  readonly valid = $derived.by(() => this.base() !== undefined && this.issues.length === 0);
  readonly outputName = $derived(this.spec.output?.name ?? DEFAULT_OUTPUT_NAME);
  /** The `models.summary` request for the current head, or undefined while it cannot be built. */
  readonly summaryRequest: SummaryRequest | undefined = $derived.by(() => {
    const base = this.base();
    if (!base || !this.valid) return undefined;
    return {
      base: base.id,
      head: this.spec,
      classes: this.classCount,
      freeze: { mode: 'all', n: 0, layers: {}, ...this.freeze },
    };
  });

  private readonly latestSummary = new LatestRequest();

  /** @param base the chosen base (read live). Default: none chosen. */
  constructor(
    private readonly client: StudioClient,
    readonly base: () => BaseInfo | undefined = () => undefined,
  ) {}

  /**
   * The problems shown at a row — validator issues and a refused operation — each quoting the bad
   * value, without the "layer N (kind):" prefix the row makes redundant. `index`: a layer index,
   * -1 for the output layer, -2 for the whole head.
   */
  problemsAt(index: number): string[] {
    // Shown at its row, a message needs no "layer 2 (dense): " / "output: " prefix (rows are numbered from 1).
    const problems = this.issues
      .filter((issue) => issue.index === index)
      .map((issue) => issue.message.replace(/^(layer \d+ \([^)]*\)|output): /, ''));
    if (this.opError?.index === index) problems.push(this.opError.message);
    return problems;
  }

  /**
   * Every kind for a new layer at `position` (0 = right after the base, `spec.layers.length` = before
   * the output), in menu order; a kind that cannot follow the input there carries the reason.
   */
  choicesAt(position: number): LayerChoice[] {
    return layerChoicesAt(this.spec.layers, position, this.base()?.featureShape);
  }

  /** The output shape of hidden layer `index` the Keras way, e.g. "(None, 128)", from the table's rules. */
  shapeAt(index: number): string | undefined {
    const output = this.trace.layers[index]?.output;
    return output && formatShape([null, ...output]);
  }

  /** The output layer's shape, e.g. "(None, 5)". */
  outputShape(): string {
    return formatShape([null, ...this.trace.output.slice(0, -1), this.spec.output?.units ?? this.classCount]);
  }

  /** Appends a layer of `kind` (before the output layer). */
  add(kind: LayerKind): void {
    this.edit(-2, (spec) => addLayer(spec, makeLayer(kind)));
  }

  /** Inserts a layer of `kind` at `index` (0 = right after the base). */
  insert(index: number, kind: LayerKind): void {
    this.edit(index, (spec) => insertLayer(spec, index, makeLayer(kind)));
  }

  /** Removes the layer at `index`. */
  remove(index: number): void {
    this.edit(index, (spec) => removeLayer(spec, index));
  }

  /** Removes the last hidden layer, like Keras `model.pop()`. */
  pop(): void {
    this.edit(-2, (spec) => popLayer(spec));
  }

  /** Moves the layer at `index` up (-1) or down (+1); returns its new index. */
  move(index: number, delta: -1 | 1): number {
    const to = index + delta;
    if (to < 0 || to >= this.spec.layers.length) return index;
    return this.edit(index, (spec) => moveLayer(spec, index, to)) ? to : index;
  }

  /** Renames the layer at `index`; an empty name goes back to the generated one. */
  rename(index: number, name: string): boolean {
    const trimmed = name.trim();
    if (trimmed === '') {
      return this.edit(index, (spec) => ({
        ...spec,
        layers: spec.layers.map((layer, i) => (i === index ? withoutName(layer) : layer)),
      }));
    }
    if (trimmed === this.names[index]) return true;
    return this.edit(index, (spec) => renameLayer(spec, index, trimmed));
  }

  /** Changes a layer's fields (units, rate, activation); the validator then checks them. */
  update(index: number, patch: LayerPatch): void {
    this.edit(index, (spec) => ({
      ...spec,
      layers: spec.layers.map((layer, i) => (i === index ? ({ ...layer, ...pick(layer, patch) } as LayerSpec) : layer)),
    }));
  }

  /** Changes the output layer (activation, name); undefined fields go back to their defaults. */
  updateOutput(patch: OutputSpec): void {
    const output = Object.fromEntries(
      Object.entries({ ...this.spec.output, ...patch }).filter(([, v]) => v !== undefined),
    );
    this.edit(-1, (spec) => ({ ...spec, output: Object.keys(output).length > 0 ? (output as OutputSpec) : undefined }));
  }

  /** Back to Dense(128, relu) → Dropout(0.2) → output. */
  reset(): void {
    this.edit(-2, () => defaultHeadSpec());
  }

  /** Asks the engine for the summary now; only the newest answer is kept. */
  async refreshSummary(): Promise<void> {
    const request = this.summaryRequest;
    const current = this.latestSummary.begin();
    if (!request) {
      this.summarizing = false;
      return;
    }
    this.summarizing = true;
    try {
      const summary = await this.client.call('models.summary', request);
      if (!current()) return;
      this.summary = summary;
      this.summaryError = undefined;
    } catch (error) {
      if (!current()) return;
      this.summaryError = errorMessage(error);
    } finally {
      if (current()) this.summarizing = false;
    }
  }

  /**
   * Refreshes the summary after `delayMs` of quiet (call it whenever {@link summaryRequest}
   * changes); returns the function that cancels the pending refresh. Default delay: 300 ms.
   */
  scheduleSummary(delayMs = 300): () => void {
    if (this.summaryRequest) this.summarizing = true;
    return afterQuiet(() => void this.refreshSummary(), delayMs);
  }

  /** Applies an operation; a refused one is kept in {@link opError} against row `index`. */
  private edit(index: number, operation: (spec: HeadSpec) => HeadSpec): boolean {
    try {
      this.spec = operation(this.spec);
      this.opError = undefined;
      return true;
    } catch (error) {
      this.opError = { index, message: errorMessage(error).replace(/^Invalid head: /, '') };
      return false;
    }
  }
}

function makeLayer(kind: LayerKind): LayerSpec {
  return layerKind(kind).initial();
}

function withoutName(layer: LayerSpec): LayerSpec {
  const { name: _, ...rest } = layer;
  return rest as LayerSpec;
}

/** The fields of `patch` that `layer`'s kind has (per the table). */
function pick(layer: LayerSpec, patch: LayerPatch): LayerPatch {
  const fields: readonly LayerField[] = kindOf(layer).fields;
  return Object.fromEntries(Object.entries(patch).filter(([key]) => fields.includes(key as LayerField)));
}

/** A count with thousands separators: 2257984 → "2,257,984". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A Keras-style output shape: [null, 7, 7, 1280] → "(None, 7, 7, 1280)". */
export function formatShape(shape: readonly (number | null)[]): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}
