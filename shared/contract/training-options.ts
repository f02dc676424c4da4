/** The parts of a training config that have parts of their own: optimizer, early stopping, fine-tuning. */
import { z } from 'zod';

/** Optimizers a run can use. */
export const OptimizerName = z.enum(['adam', 'sgd', 'rmsprop']);
export type OptimizerName = z.infer<typeof OptimizerName>;

/** Early stopping on `val_loss`. */
export const EarlyStoppingConfig = z
  .object({
    /** Epochs without improvement of val_loss before stopping; 0 turns early stopping off. Default: 5. */
    patience: z.number().int().min(0).max(1000).default(5),
    /** At the end, put back the weights of the epoch with the lowest val_loss. Default: true. */
    restoreBestWeights: z.boolean().default(true),
    /** Smallest decrease of val_loss that counts as an improvement. Default: 0. */
    minDelta: z.number().min(0).default(0),
  })
  .strict();

/** Phase 2: end-to-end fine-tuning of the top of the base. */
export const FineTuneConfig = z
  .object({
    /** How many of the base's top blocks (or layers, see `unit`) to unfreeze; 0 = no fine-tuning. Default: 0. */
    top: z.number().int().min(0).max(10_000).default(0),
    /** 'blocks' (MobileNetV2 `block_k_*` groups; other bases: one weight layer each) or 'layers' (weight-holding layers). Default: blocks. */
    unit: z.enum(['blocks', 'layers']).default('blocks'),
    /** Fine-tuning epochs after the head epochs. Default: 5. */
    epochs: z.number().int().min(1).max(10_000).default(5),
    /** Learning rate of the fine-tuning optimizer (Keras guide: 1e-5 with Adam). Default: 1e-5. */
    learningRate: z.number().positive().max(10).default(1e-5),
    /** Optimizer of the fine-tuning phase. Default: adam. */
    optimizer: OptimizerName.default('adam'),
    /**
     * Images per fine-tuning step (each goes through the base: far more memory than a feature row). Default: the
     * head's `batchSize`, at most 32.
     */
    batchSize: z.number().int().min(1).max(4096).optional(),
  })
  .strict();
