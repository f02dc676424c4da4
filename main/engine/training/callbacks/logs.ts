import * as tf from '@tensorflow/tfjs';

/** tfjs callback logs: numbers, or scalar tensors not yet read. */
export type RawLogs = Record<string, number | tf.Tensor> | undefined;

/**
 * Reads every scalar tensor in `logs`, replaces it by its number and disposes it (what tfjs'
 * CustomCallback does), so later callbacks and History see plain numbers and nothing leaks.
 */
export async function resolveLogs(logs: RawLogs): Promise<Record<string, number>> {
  if (!logs) return {};
  for (const key of Object.keys(logs)) {
    const value = logs[key];
    if (value instanceof tf.Tensor) {
      const data = await value.data();
      logs[key] = data[0]!;
      value.dispose();
    }
  }
  return logs as Record<string, number>;
}

/** Accuracy under either name tfjs gives it ('acc' for metrics: ['accuracy'], else 'accuracy'). */
export function accuracyOf(logs: Record<string, number>, prefix = ''): number {
  return logs[`${prefix}acc`] ?? logs[`${prefix}accuracy`] ?? logs[`${prefix}categoricalAccuracy`] ?? Number.NaN;
}

/** The epoch metrics we keep, or undefined when the epoch did not finish (cancelled mid-epoch: no val_loss). */
export function epochMetrics(
  logs: Record<string, number>,
): { loss: number; accuracy: number; valLoss: number; valAccuracy: number } | undefined {
  if (logs.val_loss === undefined || logs.loss === undefined) return undefined;
  return { loss: logs.loss, accuracy: accuracyOf(logs), valLoss: logs.val_loss, valAccuracy: accuracyOf(logs, 'val_') };
}
