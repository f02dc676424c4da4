import type * as tf from '@tensorflow/tfjs';
import { defaultHeadSpec, parseHeadString, HeadSpecError, type HeadSpec } from '../../../shared/layer-spec';
import { StudioError } from '../../../shared/errors';
import { buildHead } from '../models/head';
import { deriveSeed, withSeededRandomSync } from './seed';

/**
 * The head of a run, with weights initialised from the run's seed (tfjs initialisers draw from
 * Math.random, seeded here), from a spec, its CLI string form, or the default
 * Dense(128, relu) → Dropout(0.2) → Dense(C, softmax).
 */
export function buildSeededHead(
  spec: HeadSpec | string | undefined,
  featureShape: readonly number[],
  numClasses: number,
  seed: number,
): tf.Sequential {
  let parsed: HeadSpec;
  try {
    parsed = spec === undefined ? defaultHeadSpec() : typeof spec === 'string' ? parseHeadString(spec) : spec;
  } catch (error) {
    if (error instanceof HeadSpecError)
      throw new StudioError('BAD_INPUT', `Invalid head ${JSON.stringify(spec)}: ${error.message}`);
    throw error;
  }
  return withSeededRandomSync(deriveSeed(seed, 'head'), () => buildHead(parsed, featureShape, numClasses));
}
