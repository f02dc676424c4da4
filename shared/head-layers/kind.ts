/**
 * What the table knows about one kind of head layer: everything the CLI, the validator, the head
 * editor and the summary need, so adding a kind is one entry (plus its tfjs builder in the engine).
 */
import type { z } from 'zod';
import type { Activation, FeatureShape } from './common';

/** A field the head editor shows for a layer (its kind and name are always shown). */
export type LayerField = 'units' | 'rate' | 'activation';

/** Reads one argument of a CLI token; a bad value throws a message quoting only that argument. */
export interface TokenReader {
  /** A whole number > 0, e.g. units: `"abc" is not a whole number of units`. */
  wholeNumber(text: string | undefined, what: string): number;
  /** Any finite number, e.g. a rate. */
  number(text: string | undefined, what: string): number;
  /** One of the activations. */
  activation(text: string | undefined): Activation;
}

/** The CLI form of a kind: `dense:UNITS[:ACTIVATION[:NAME]]`. The optional NAME always comes last. */
export interface LayerToken<Spec> {
  /** Words accepted for the kind, case-insensitive; the first is the one written. */
  readonly names: readonly string[];
  /** The arguments after the kind and before NAME, for help and errors, e.g. `UNITS[:ACTIVATION]`. */
  readonly args: string;
  /** How many arguments come before NAME. */
  readonly arity: number;
  /** A canonical example, e.g. `dense:128:relu`. */
  readonly example: string;
  /** The spec (without name) from the arguments before NAME. */
  parse(args: readonly string[], read: TokenReader): Omit<Spec, 'name'>;
  /** The arguments before NAME (all `arity` of them), so that parse(format(spec)) equals spec. */
  format(spec: Spec): string[];
}

/** One kind of head layer. */
export interface HeadLayerKind<Spec extends { kind: string; name?: string | undefined }> {
  /** The spec's `kind`, e.g. "dense". */
  readonly kind: Spec['kind'];
  /** The Keras class name, as menus and rows show it: "Dense", "GlobalAveragePooling2D". */
  readonly label: string;
  /** A short label for narrow places: "BatchNorm". */
  readonly shortLabel: string;
  /** One sentence saying what the layer does, for the menu. */
  readonly help: string;
  /** Schema of the layer's options, with the Keras defaults. Numbers are checked by `valueIssues`. */
  readonly schema: z.ZodType<Spec>;
  /** The layer the editor adds (the kind's usual settings). */
  initial(): Spec;
  /** Fields the editor shows for it. */
  readonly fields: readonly LayerField[];
  /** Its CLI token. */
  readonly token: LayerToken<Spec>;
  /** Problems with its values, each quoting the value, e.g. `expected rate in [0, 1), received 1.5`. */
  valueIssues(spec: Spec): string[];
  /** What input it needs, in words, when it cannot take every input, e.g. "a spatial feature map (…)". */
  readonly needs?: string;
  /** Whether it can follow an input of this shape. Default: any input. */
  accepts?(input: FeatureShape): boolean;
  /** Its output shape for an input it accepts, e.g. Dense(64) on [1280] → [64]. */
  outputShape(spec: Spec, input: FeatureShape): FeatureShape;
  /** Its parameter count (trainable and not, as tfjs `countParams()`), or null when a size is unknown. */
  params(spec: Spec, input: FeatureShape): number | null;
}
