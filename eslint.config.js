import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './renderer/svelte.config.js';

const runtimeModules = ['electron', 'sharp', 'onnxruntime-node', 'fs', 'path', 'os', 'child_process', 'crypto', 'ws'];

export default tseslint.config(
  { ignores: ['.tmp*', 'out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**', '.fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'CallExpression[callee.property.name="only"]', message: 'No .only in tests.' },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^node:', message: 'shared/ is used by the renderer: no Node built-ins.' },
            { regex: '^@tensorflow/', message: 'shared/ must not import tfjs.' },
          ],
          paths: runtimeModules.map((name) => ({ name, message: `shared/ must not import ${name}.` })),
        },
      ],
    },
  },
  {
    // Only the top-level main/*.ts files import electron (main/README.md): the engine, the engine link, the
    // gateway, the server and the CLI below them run in plain Node as well.
    files: ['main/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only the top-level main/*.ts files import electron; code in main/*/ runs without Electron.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.svelte.ts', 'renderer/**/*.ts'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: false, extraFileExtensions: ['.svelte'], parser: tseslint.parser, svelteConfig },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^node:', message: 'The renderer runs in a sandboxed page: no Node built-ins.' }],
          paths: ['electron', 'fs', 'path', 'child_process'].map((name) => ({
            name,
            message: `The renderer must not import ${name}.`,
          })),
        },
      ],
    },
  },
);
