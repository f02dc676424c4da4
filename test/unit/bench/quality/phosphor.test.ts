import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PHOSPHOR_CLASSES,
  iconsByCategory,
  phosphorFolders,
  phosphorIcons,
  renderSvg,
  svgPath,
} from '../../../../bench/quality/phosphor';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'ts-phosphor-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('phosphor category reader', () => {
  it('reads the package metadata: 1,512 icons with categories', async () => {
    const icons = await phosphorIcons();
    expect(icons.length).toBe(1512);
    expect(icons.find((i) => i.name === 'arrow-left')?.categories).toContain('arrows');
  });

  it('keeps icons of exactly one chosen category, seeded and capped per class', async () => {
    const icons = await phosphorIcons();
    const a = iconsByCategory(icons, { perClass: 10, seed: 3 });
    const b = iconsByCategory(icons, { perClass: 10, seed: 3 });
    expect([...a.keys()]).toEqual([...PHOSPHOR_CLASSES]);
    expect([...a.entries()]).toEqual([...b.entries()]);
    const all = [...a.values()].flat();
    expect(new Set(all).size).toBe(all.length); // no icon in two classes
    for (const [category, names] of a) {
      expect(names).toHaveLength(10);
      for (const name of names) {
        const cats = icons.find((i) => i.name === name)!.categories;
        expect(cats).toContain(category);
        expect(cats.filter((c) => (PHOSPHOR_CLASSES as readonly string[]).includes(c))).toHaveLength(1);
      }
    }
    expect(iconsByCategory(icons, { perClass: 10, seed: 4 }).get('arrows')).not.toEqual(a.get('arrows'));
  });

  it('names a category that has no icon', () => {
    expect(() => iconsByCategory([{ name: 'x', categories: ['arrows'] }], { categories: ['weather'] })).toThrow(
      /"weather"/,
    );
  });
});

describe('phosphor SVG rendering (sharp)', () => {
  it('renders a weight as a size×size image: dark strokes on white, fill darker than thin', async () => {
    const mean = async (weight: 'thin' | 'fill') => {
      const png = await renderSvg(svgPath('house', weight), 64);
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([64, 64, 3]);
      expect(Math.max(...data)).toBe(255); // white background
      expect(Math.min(...data)).toBeLessThan(40); // black ink
      return data.reduce((s, v) => s + v, 0) / data.length;
    };
    expect(await mean('fill')).toBeLessThan((await mean('thin')) - 20);
  });

  it('builds class folders per weight once, then reuses them', async () => {
    const folders = await phosphorFolders({ weights: ['regular', 'duotone'], perClass: 2, size: 32, root: tmp });
    expect(Object.keys(folders)).toEqual(['regular', 'duotone']);
    const classes = (await readdir(folders.duotone!)).filter((f) => !f.startsWith('.')).sort();
    expect(classes).toEqual(['arrows', 'communications', 'finances', 'games', 'nature', 'people']);
    const files = await readdir(path.join(folders.duotone!, 'nature'));
    expect(files).toHaveLength(2);
    const meta = await sharp(path.join(folders.duotone!, 'nature', files[0]!)).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([32, 32, 'png']);
    const again = await phosphorFolders({ weights: ['regular', 'duotone'], perClass: 2, size: 32, root: tmp });
    expect(again).toEqual(folders);
  });
});
