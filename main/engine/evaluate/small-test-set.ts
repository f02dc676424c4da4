/** The small-test-set notice: classes with too few images evaluated for their metrics to say much. */
import { SMALL_TEST_SET_SUPPORT, type ClassMetrics, type Interval } from '../../../shared/contract/evaluate';

/** Classes with fewer than `threshold` images evaluated (classes absent from the images included). */
export function smallClasses(
  perClass: readonly ClassMetrics[],
  threshold = SMALL_TEST_SET_SUPPORT,
): { name: string; support: number }[] {
  return perClass.filter((c) => c.support < threshold).map((c) => ({ name: c.name, support: c.support }));
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** The notice, in plain words with the interval; undefined when no class is small. */
export function smallTestSetNotice(
  small: readonly { name: string; support: number }[],
  count: number,
  interval: Interval | null,
  threshold = SMALL_TEST_SET_SUPPORT,
): string | undefined {
  if (small.length === 0) return undefined;
  const list = small.map((c) => `${JSON.stringify(c.name)} (${c.support})`).join(', ');
  const range = interval
    ? ` The accuracy is only known to lie between ${percent(interval.low)} and ${percent(interval.high)} (95% interval, ${count} images).`
    : '';
  return `Small test set: fewer than ${threshold} test images in ${small.length === 1 ? 'class' : 'classes'} ${list}; their precision and recall say little.${range}`;
}
