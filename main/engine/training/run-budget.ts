/**
 * A run's time budget (request.auto.budgetSeconds) at run time: fine-tuning is skipped when the budget is spent
 * before it starts, or when its first epoch (at the measured fine-tuning speed) plus the one-off step that stores the
 * frozen layers' outputs (estimated at the measured extraction speed: the frozen layers are part of the base) would
 * overrun it; either phase
 * stops after an epoch when the next would (BudgetCallback) — the best weights are kept. What happened goes to
 * run.json as `auto.budgetStop`, in plain words.
 */
import type * as tf from '@tensorflow/tfjs';
import { AUTO_TABLE } from '../../../shared/auto/auto-table';
import { budgetAdjective } from '../../../shared/auto/budget';
import { bestExtractSpeed, fineTuneSpeedOf } from '../../../shared/auto/speeds';
import { readSpeeds } from '../models/speed/speed-store';
import { BudgetCallback } from './callbacks/budget';
import type { RunSession } from './run-phases';

/** Seconds kept for saving the model and scoring the test images after training. */
const RESERVE_SECONDS = 5;

const elapsed = (session: RunSession) => session.state.durationMs / 1000;

/**
 * Why fine-tuning should not start, in plain words (also recorded in run.json), or undefined when it fits
 * or the run has no budget.
 */
export async function fineTuneSkippedForBudget(session: RunSession): Promise<string | undefined> {
  const budget = session.state.request.auto?.budgetSeconds;
  if (budget === undefined || session.state.fineTuneStartEpoch !== session.state.history.length) return undefined;
  // Measured, or estimated from the extraction speed this run just recorded.
  const speeds = (await readSpeeds()).speeds[session.base.info.id];
  const measured = fineTuneSpeedOf(speeds);
  // The store holds the speed of one unfrozen block (run-phases.ts); each more block costs the table's share more.
  const blockCost = 1 + AUTO_TABLE.fineTune.costPerExtraBlock * Math.max(0, session.config.fineTune.top - 1);
  const epochSeconds = measured ? (session.data.train.length / measured) * blockCost : 0;
  // The step before the first epoch (counted whole even when a stored copy will be found: an over-estimate).
  const extract = bestExtractSpeed(speeds);
  const images = session.data.train.length + session.data.validation.length;
  const prepareSeconds = extract && session.config.fineTune.top > 0 ? images / extract : 0;
  if (elapsed(session) + prepareSeconds + epochSeconds + RESERVE_SECONDS <= budget) return undefined;
  const firstEpoch = epochSeconds + prepareSeconds;
  const why =
    `Fine-tuning was skipped to stay within the ${budgetAdjective(budget)} budget ` +
    `(${Math.round(elapsed(session))} s used${firstEpoch ? `, its first epoch takes about ${Math.round(firstEpoch)} s` : ''}).`;
  record(session, why);
  return why;
}

/** The callbacks that keep a phase within the run's budget (none without one). */
export function budgetCallbacks(session: RunSession, phase: 'head' | 'fine-tune'): tf.Callback[] {
  const budget = session.state.request.auto?.budgetSeconds;
  if (budget === undefined) return [];
  return [
    new BudgetCallback({
      budgetSeconds: budget,
      elapsedSeconds: () => elapsed(session),
      reserveSeconds: RESERVE_SECONDS,
      onStop: (epoch, epochSeconds) =>
        record(
          session,
          `${phase === 'head' ? 'Head training' : 'Fine-tuning'} stopped after epoch ${epoch + 1}: another epoch (about ${Math.round(epochSeconds)} s) ` +
            `would pass the ${budgetAdjective(budget)} budget; the best weights are kept.`,
        ),
    }),
  ];
}

function record(session: RunSession, budgetStop: string): void {
  const { state } = session;
  if (state.request.auto) state.auto = { ...state.request.auto, budgetStop };
}
