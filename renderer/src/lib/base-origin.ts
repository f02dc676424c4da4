import type { BaseInfo } from '../../../shared/contract/models';

/** Plain words for the bundled bases, by id: what the network is, who made it, what it was trained for. */
const BUNDLED_ORIGIN: Readonly<Record<string, string>> = {
  'nsfwjs-mobilenet-v2': 'NSFW-detection MobileNetV2 by nsfwjs, fine-tuned on 5 classes of web images; works offline',
  'nsfwjs-inception-v3':
    'NSFW-detection InceptionV3 by nsfwjs, fine-tuned on 5 classes of web images; works offline, slower',
};

/**
 * Where a base comes from, in plain words for its card: the bundled ones by what they were trained for; catalog
 * bases by their source and licence; imported ones as the user's own.
 */
export function originWords(info: Pick<BaseInfo, 'id' | 'source' | 'licence' | 'url'>): string {
  if (info.source === 'bundled')
    return BUNDLED_ORIGIN[info.id] ?? `Bundled with the app (${info.licence}); works offline`;
  if (info.source === 'catalog') {
    const from = info.url?.includes('teachable-machine')
      ? "Google's Teachable Machine"
      : info.url?.includes('tfjs-models')
        ? "Google's tfjs-models"
        : info.url
          ? new URL(info.url).host
          : 'the catalog';
    return `ImageNet weights from ${from}, ${info.licence} licence; downloaded once, then offline`;
  }
  return `Your own model, imported (${info.licence})`;
}
