/**
 * The 'insight.inspect' job: scan → features → folds → duplicates → outliers → map → save. The dataset, split,
 * base and caches are resolved as training resolves them (inspect-inputs.ts), features come from the shared
 * feature cache through extractFeatureSet (ONNX Runtime when the base converts), and every finder works on them.
 */
import path from 'node:path';
import type { InsightResult, InspectProgress, InspectRequest, SplitName } from '../../../shared/contract/insight';
import { CacheStore } from '../data/cache';
import { resolvePreprocessOptions } from '../data/preprocess';
import type { ReportOptions } from '../handler';
import { loadBase } from '../models/bases/registry';
import type { ExtractorChoice } from '../onnx/extractor';
import { backendReady } from '../runtime';
import { loadDataset } from '../training/dataset';
import { extractFeatureSet, type LabelledImage } from '../training/extract';
import { FeatureCache } from '../training/features-cache';
import { findLabelIssues } from './confident-learning';
import { embedMap, layoutGraph, normalizeRows } from './embedding-map';
import { imageHashes } from './image-hashes';
import { findNearDuplicates } from './near-duplicates';
import { neighbourGraph } from './neighbours';
import { findOutliers } from './outliers';
import { projectPca } from './pca';
import { deriveSeed } from '../training/seed';
import { insightFingerprint, writeInsight } from './insight-file';
import { resolveInspectInputs } from './inspect-inputs';
import { outOfFoldProbabilities } from './out-of-fold';

/** What the job reports to and takes from its caller. */
export interface InspectContext {
  signal: AbortSignal;
  progress: (progress: InspectProgress, options?: ReportOptions) => void;
}

/** The images of an inspection with their split, in path order (findings refer to them by index). */
interface Listed {
  image: LabelledImage;
  split: SplitName;
}

/** Inspects a dataset (see the file comment); saves `<projectDir>/insight.json` when a project is given. */
export async function inspectDataset(request: InspectRequest, context: InspectContext): Promise<InsightResult> {
  const started = performance.now();
  const { signal, progress } = context;
  progress({ phase: 'scan', done: 0, total: 1 });
  const inputs = await resolveInspectInputs(request);
  const pixelCache = new CacheStore(inputs.cacheRoot);
  const data = await loadDataset(inputs.spec, inputs.split, pixelCache, signal);
  const fingerprint = await insightFingerprint(inputs.spec, inputs.split, pixelCache, signal);
  let listed: Listed[] = (['train', 'validation', 'test'] as const)
    .flatMap((split) => data[split].map((image) => ({ image, split })))
    .sort((a, b) => (a.image.path < b.image.path ? -1 : a.image.path > b.image.path ? 1 : 0));
  progress({ phase: 'scan', done: 1, total: 1 });

  await backendReady();
  const base = await loadBase(inputs.baseId, { signal });
  let engine: ExtractorChoice | undefined;
  const skipped = data.skipped.map(({ path: file, message }) => ({ path: file, reason: message }));
  let set;
  try {
    const preprocess = resolvePreprocessOptions({ ...request.preprocess, size: base.info.inputSize });
    const cache = new FeatureCache(path.join(inputs.cacheRoot, 'features'), base.info.featureSize);
    set = await extractFeatureSet({
      base,
      images: listed.map((l) => l.image),
      seed: request.seed,
      preprocess,
      cache,
      pixelCache,
      signal,
      onProgress: (done, total) => progress({ phase: 'extract', done, total, ...(engine ? { engine } : {}) }),
      onExtractor: (choice) => {
        engine = choice;
        progress({ phase: 'extract', done: 0, total: listed.length, engine });
      },
    });
  } finally {
    base.model.dispose();
  }
  if (set.skipped?.length) {
    const gone = new Set(set.skipped.map((s) => s.image.path));
    listed = listed.filter((l) => !gone.has(l.image.path));
    skipped.push(...set.skipped.map((s) => ({ path: s.image.path, reason: s.message })));
  }
  const { features, labels, dim } = set;
  const classes = data.classes;

  const oof = await outOfFoldProbabilities(features, dim, labels, classes.length, {
    folds: request.folds,
    seed: request.seed,
    signal,
    onProgress: (done, total) => progress({ phase: 'folds', done, total }),
  });
  const suspects = findLabelIssues(oof.probabilities, labels, classes.length).map((issue) => ({
    image: issue.image,
    label: classes[issue.given]!,
    suggested: classes[issue.suggested]!,
    givenProbability: issue.givenProbability,
    suggestedProbability: issue.suggestedProbability,
    score: issue.score,
  }));

  // One neighbour pass over PCA-reduced unit rows serves the duplicates (pairs within the radius of the similarity
  // threshold: exact, since the projection never lengthens a distance) and the map (k neighbours).
  const n = listed.length;
  progress({ phase: 'duplicates', done: 0, total: n });
  const unit = normalizeRows(features, dim);
  const reduced = projectPca(unit, dim, { components: 50, seed: deriveSeed(request.seed, 'pca') });
  const graph = await neighbourGraph(reduced.rows, reduced.components, {
    k: Math.max(1, Math.min(15, n - 1)),
    radius: Math.sqrt(2 - 2 * request.duplicateSimilarity) + 1e-3,
    signal,
    onProgress: (done, total) => progress({ phase: 'duplicates', done, total }),
  });
  const images = listed.map((l) => ({
    path: l.image.path,
    label: classes[l.image.label]!,
    split: l.split,
    hash: l.image.hash,
  }));
  const hashes = await imageHashes(images, path.join(inputs.cacheRoot, 'dhash'), {
    signal,
    onProgress: (done, total) => progress({ phase: 'duplicates', done, total }),
  });
  const nearDuplicates = findNearDuplicates(unit, dim, images, graph.pairs, hashes, {
    similarity: request.duplicateSimilarity,
    signal,
  });

  progress({ phase: 'outliers', done: 0, total: 1 });
  const outliers = findOutliers(unit, dim, labels, classes.length).map((o) => ({
    image: o.image,
    score: o.score,
    nearestClass: classes[o.nearest]!,
    message:
      `${JSON.stringify(images[o.image]!.path)} (${JSON.stringify(images[o.image]!.label)}) looks unlike every class: ` +
      `nearest is ${JSON.stringify(classes[o.nearest])} at distance ${o.distance.toFixed(2)} ` +
      `(typical in ${JSON.stringify(images[o.image]!.label)}: ${o.typical.toFixed(2)}).`,
  }));
  progress({ phase: 'outliers', done: 1, total: 1 });

  let map: InsightResult['map'] = null;
  if (request.map) {
    progress({ phase: 'map', done: 0, total: 1 });
    const options = {
      seed: request.seed,
      signal,
      onProgress: (done: number, total: number) => progress({ phase: 'map', done, total }),
    };
    // Same coordinates as embedMap(features, dim, { seed }): the same PCA, neighbours and UMAP seed.
    const coordinates = n >= 4 ? await layoutGraph(graph, options) : await embedMap(features, dim, options);
    map = { seed: request.seed, ...coordinates };
  }

  const result: InsightResult = {
    createdAt: new Date().toISOString(),
    base: inputs.baseId,
    fingerprint,
    classes,
    images,
    suspects,
    nearDuplicates,
    outliers,
    outOfFoldAccuracy: listed.length > 0 ? oof.accuracy : null,
    map,
    settings: { folds: request.folds, seed: request.seed, duplicateSimilarity: request.duplicateSimilarity },
    skipped,
    ...(engine ? { engine } : {}),
    durationMs: Math.round(performance.now() - started),
  };
  if (inputs.projectDir) {
    progress({ phase: 'save', done: 0, total: 1 });
    await writeInsight(inputs.projectDir, result);
    progress({ phase: 'save', done: 1, total: 1 });
  }
  return result;
}
