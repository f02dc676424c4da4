/**
 * A base's measured speeds (models.speeds) as the automatic settings use them, and in plain words for its card.
 */
import type { BaseSpeed } from '../contract/models';
import type { AutoSpeeds } from './auto-settings';
import { AUTO_TABLE } from './auto-table';

/** The faster extraction figure (ONNX Runtime when measured, else tfjs), images/s, or undefined. */
export function bestExtractSpeed(speed: BaseSpeed | undefined): number | undefined {
  const figures = [speed?.extract?.onnxruntime?.perSecond, speed?.extract?.tfjs?.perSecond].filter(
    (x): x is number => x !== undefined,
  );
  return figures.length > 0 ? Math.max(...figures) : undefined;
}

/**
 * Fine-tuning images/s: measured, else estimated from a measured extraction speed (AUTO_TABLE.fineTunePerExtract),
 * else undefined.
 */
export function fineTuneSpeedOf(speed: BaseSpeed | undefined): number | undefined {
  if (speed?.fineTune) return speed.fineTune.perSecond;
  const ratio = AUTO_TABLE.fineTunePerExtract;
  const ort = speed?.extract?.onnxruntime?.perSecond;
  const tfjs = speed?.extract?.tfjs?.perSecond;
  if (tfjs !== undefined) return tfjs * ratio.tfjs;
  return ort === undefined ? undefined : ort * ratio.onnxruntime;
}

/** The figures {@link chooseAutoSettings} takes (fine-tuning possibly estimated, see {@link fineTuneSpeedOf}); missing ones stay missing (the table's fallbacks apply). */
export function autoSpeedsOf(speed: BaseSpeed | undefined): AutoSpeeds {
  const extract = bestExtractSpeed(speed);
  const fineTune = fineTuneSpeedOf(speed);
  return {
    ...(extract !== undefined ? { extract } : {}),
    ...(fineTune !== undefined ? { fineTune } : {}),
    ...(speed?.headRows ? { headRows: speed.headRows.perSecond } : {}),
  };
}

/** Rounds a rate for people: 3 significant figures at most, 1 decimal under 10 ("380", "9.6", "1,250"). */
export function roughRate(perSecond: number): string {
  if (perSecond < 10) return perSecond.toFixed(1);
  const digits = Math.floor(Math.log10(perSecond)) + 1;
  const step = 10 ** Math.max(0, digits - 2);
  return (Math.round(perSecond / step) * step).toLocaleString('en-US');
}

/**
 * A base's speed in plain words: "about 380 images/s on this computer" (with "fine-tuning about 9.6 images/s"
 * when measured), or undefined when nothing is measured yet.
 */
export function speedWords(speed: BaseSpeed | undefined): string | undefined {
  const extract = bestExtractSpeed(speed);
  if (extract === undefined) return undefined;
  const tune = speed?.fineTune ? `; fine-tuning about ${roughRate(speed.fineTune.perSecond)} images/s` : '';
  return `about ${roughRate(extract)} images/s on this computer${tune}`;
}

/** Where the figure came from, in words: "measured in a training run, 27 Nov" / "measured by a quick probe, …". */
export function speedSourceWords(speed: BaseSpeed | undefined): string | undefined {
  const figures = [speed?.extract?.onnxruntime, speed?.extract?.tfjs, speed?.fineTune].filter((f) => f !== undefined);
  const latest = figures.sort((a, b) => b.at.localeCompare(a.at))[0];
  if (!latest) return undefined;
  const day = new Date(latest.at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  return `${latest.from === 'run' ? 'measured in a training run' : 'measured by a quick probe'}, ${day}`;
}
