import type { LayerSpec } from './index';

/** `globalAveragePooling2d` → `global_average_pooling2d` (the Keras layer-name style). */
function snake(kind: string): string {
  return kind.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The name every head layer gets: its own, or `head_<kind>_<k>` counted per kind (Keras style,
 * prefixed so it never collides with a base layer).
 */
export function resolvedLayerNames(layers: readonly LayerSpec[]): string[] {
  const counts = new Map<string, number>();
  return layers.map((layer) => {
    const k = (counts.get(layer.kind) ?? 0) + 1;
    counts.set(layer.kind, k);
    return layer.name ?? `head_${snake(layer.kind)}_${k}`;
  });
}
