/**
 * Where Transfer Studio keeps its files, decided in one place. Each folder has an environment
 * override (read on every call, so a test or a parent process can redirect it) and otherwise comes
 * from the OS conventions (env-paths, called once per process):
 *
 * - `TRANSFER_STUDIO_CACHE`: derived data that can be rebuilt (thumbnails, pixels, scans, features)
 *   and downloaded or imported bases (`<cache>/bases`).
 * - `TRANSFER_STUDIO_CONFIG_DIR`: settings.json and the recent projects list.
 * - `TRANSFER_STUDIO_DATA`: what the user made and would miss (training runs, `<data>/runs`).
 * - `TRANSFER_STUDIO_SETTINGS`: the settings file itself (wins over the config folder).
 */
import path from 'node:path';
import envPaths, { type Paths } from 'env-paths';

/** The app's folder name under the OS cache, config and data folders. */
export const APP_NAME = 'transfer-studio';

/** The environment variables that override the folders (see the file comment). */
export const PATH_ENV = {
  cache: 'TRANSFER_STUDIO_CACHE',
  config: 'TRANSFER_STUDIO_CONFIG_DIR',
  data: 'TRANSFER_STUDIO_DATA',
  settings: 'TRANSFER_STUDIO_SETTINGS',
} as const;

let osPaths: Paths | undefined;

/** The OS folders of the app (env-paths, without its "-nodejs" suffix), computed on first use. */
export function osAppPaths(): Paths {
  osPaths ??= envPaths(APP_NAME, { suffix: '' });
  return osPaths;
}

/** An override from `env`, resolved to an absolute path, or undefined when unset or empty. */
function override(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value ? path.resolve(value) : undefined;
}

/**
 * The cache root: `$TRANSFER_STUDIO_CACHE`, else the OS cache folder (e.g. ~/.cache/transfer-studio).
 * @param env Default: `process.env`.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return override(env, PATH_ENV.cache) ?? osAppPaths().cache;
}

/**
 * Where downloaded and imported bases live: `<cache>/bases`.
 * @param env Default: `process.env`.
 */
export function basesDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheDir(env), 'bases');
}

/**
 * The config folder: `$TRANSFER_STUDIO_CONFIG_DIR`, else the OS config folder (e.g. ~/.config/transfer-studio).
 * @param env Default: `process.env`.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return override(env, PATH_ENV.config) ?? osAppPaths().config;
}

/**
 * The settings file: `$TRANSFER_STUDIO_SETTINGS`, else `<config>/settings.json`.
 * @param env Default: `process.env`.
 */
export function settingsFile(env: NodeJS.ProcessEnv = process.env): string {
  return override(env, PATH_ENV.settings) ?? path.join(configDir(env), 'settings.json');
}

/**
 * The recent projects list: `<config>/recent-projects.json`.
 * @param env Default: `process.env`.
 */
export function recentProjectsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'recent-projects.json');
}

/**
 * The data folder: `$TRANSFER_STUDIO_DATA`, else the OS data folder (e.g. ~/.local/share/transfer-studio).
 * @param env Default: `process.env`.
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return override(env, PATH_ENV.data) ?? osAppPaths().data;
}

/**
 * Where training runs go when a request names no folder: `<data>/runs`.
 * @param env Default: `process.env`.
 */
export function runsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataDir(env), 'runs');
}
