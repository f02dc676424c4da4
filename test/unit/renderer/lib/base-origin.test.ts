import { describe, expect, it } from 'vitest';
import { originWords } from '../../../../renderer/src/lib/base-origin';

describe('originWords', () => {
  it('says where each kind of base comes from, in plain words', () => {
    expect(originWords({ id: 'nsfwjs-mobilenet-v2', source: 'bundled', licence: 'MIT (nsfwjs)' })).toBe(
      'NSFW-detection MobileNetV2 by nsfwjs, fine-tuned on 5 classes of web images; works offline',
    );
    expect(
      originWords({
        id: 'tm-mobilenet-v2-1.00',
        source: 'catalog',
        licence: 'Apache-2.0',
        url: 'https://storage.googleapis.com/teachable-machine-models/x/model.json',
      }),
    ).toBe("ImageNet weights from Google's Teachable Machine, Apache-2.0 licence; downloaded once, then offline");
    expect(originWords({ id: 'imported-x', source: 'imported', licence: 'unknown' })).toBe(
      'Your own model, imported (unknown)',
    );
  });
});
