import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv from 'ajv';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
// js-yaml ships without types; it is the YAML reader electron-builder itself uses.
const yaml = require('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { buildResources: string };
  files: string[];
  asarUnpack: string[];
  linux: { target: string[]; category: string };
  win: { target: string[] };
  mac: { target: string[]; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string };
}

const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

/** Does a minimatch-style glob (only `**`, `*`) match the path? Enough for asarUnpack patterns. */
function globMatches(glob: string, file: string): boolean {
  const pattern = glob
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) =>
      part === '**/'
        ? '(?:.*/)?'
        : part === '**'
          ? '.*'
          : part === '*'
            ? '[^/]*'
            : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${pattern}$`).test(file);
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own JSON schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check catches a mistake (so the test above means something)', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate({ ...config, linux: { ...config.linux, target: 'AppImage', categry: 'Graphics' } })).toBe(false);
    expect(validate({ ...config, asarUnpackk: [] })).toBe(false);
  });

  it('names the app and ships the build output', () => {
    expect(config.appId).toBe('studio.transfer.app');
    expect(config.productName).toBe('Transfer Studio');
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    expect(config.directories.buildResources).toBe('build');
  });

  it('keeps native modules and wasm outside the asar archive', () => {
    const mustUnpack = [
      'node_modules/sharp/lib/index.js',
      'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
      'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node',
      'node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node',
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
    ];
    for (const file of mustUnpack) {
      expect(
        config.asarUnpack.some((glob) => globMatches(glob, file)),
        file,
      ).toBe(true);
    }
    expect(config.asarUnpack.some((glob) => globMatches(glob, 'node_modules/zod/index.js'))).toBe(false);
    expect(config.asarUnpack.some((glob) => globMatches(glob, 'out/main/app.js'))).toBe(false);
  });

  it('builds AppImage and deb, an NSIS installer and a dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux.category.split(';')).toEqual(expect.arrayContaining(['Graphics', 'Science']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
  });

  it('signs macOS builds with the hardened runtime and the entitlements wasm and native modules need', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const plist = readFileSync(path.join(root, file), 'utf8');
      for (const key of ['allow-jit', 'allow-unsigned-executable-memory', 'disable-library-validation']) {
        expect(plist).toMatch(new RegExp(`<key>com\\.apple\\.security\\.cs\\.${key}</key>\\s*<true/>`));
      }
    }
  });

  it('has a small 512×512 PNG icon', async () => {
    const icon = path.join(root, 'build', 'icon.png');
    expect(existsSync(icon)).toBe(true);
    expect(statSync(icon).size).toBeLessThan(50 * 1024);
    const meta = await sharp(icon).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['png', 512, 512, true]);
  });
});
