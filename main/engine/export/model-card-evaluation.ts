/**
 * The model card's view of evaluation.json (written by the Evaluate step): test accuracy, per-class
 * metrics and the confusion matrix, read leniently so a card is still written when fields are missing.
 */

/** What the model card shows of an evaluation. */
export interface CardEvaluation {
  /** Test images evaluated. */
  images?: number;
  accuracy?: number;
  /** Per class, in the run's class order: precision, recall, F1, support (test images). */
  perClass?: { precision?: number; recall?: number; f1?: number; support?: number }[];
  /** confusion[true][predicted] counts. */
  confusion?: number[][];
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function matrix(value: unknown): number[][] | undefined {
  if (
    !Array.isArray(value) ||
    !value.every((row) => Array.isArray(row) && row.every((cell) => typeof cell === 'number'))
  ) {
    return undefined;
  }
  return value as number[][];
}

/** Reads what the card shows from parsed evaluation.json; undefined when there is nothing usable. */
export function cardEvaluation(raw: unknown): CardEvaluation | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const record = raw as Record<string, unknown>;
  const metrics = (
    typeof record['metrics'] === 'object' && record['metrics'] !== null ? record['metrics'] : record
  ) as Record<string, unknown>;
  const confusionRaw =
    metrics['confusion'] ?? metrics['confusionMatrix'] ?? record['confusion'] ?? record['confusionMatrix'];
  const confusionObject = confusionRaw as { matrix?: unknown } | undefined;
  const confusion = matrix(confusionRaw) ?? matrix(confusionObject?.matrix);
  const perClassRaw = metrics['perClass'] ?? record['perClass'] ?? metrics['classes'];
  const perClass = Array.isArray(perClassRaw)
    ? perClassRaw.map((entry) => {
        const item = (entry ?? {}) as Record<string, unknown>;
        return {
          precision: num(item['precision']),
          recall: num(item['recall']),
          f1: num(item['f1']),
          support: num(item['support']),
        };
      })
    : undefined;
  const images = num(metrics['images']) ?? num(record['images']) ?? num(metrics['count']);
  const accuracy = num(metrics['accuracy']) ?? num(record['accuracy']);
  const result: CardEvaluation = {
    ...(images !== undefined ? { images } : {}),
    ...(accuracy !== undefined ? { accuracy } : {}),
    ...(perClass ? { perClass } : {}),
    ...(confusion ? { confusion } : {}),
  };
  return Object.keys(result).length > 0 ? result : undefined;
}
