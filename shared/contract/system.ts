import { z } from 'zod';
import { call, hostCall, job } from './define';

/** One attempt at loading a tfjs backend, best first. */
export const BackendAttempt = z.object({
  name: z.string(),
  ok: z.boolean(),
  /** Why it was skipped, in words a user understands. Absent when ok. */
  reason: z.string().optional(),
});

export const InfoResponse = z.object({
  version: z.string(),
  backend: z.object({
    /** The tfjs backend in use: 'tensorflow', 'wasm' or 'cpu'. */
    name: z.string(),
    /** Every backend tried, best first, ending with the chosen one. */
    tried: z.array(BackendAttempt),
    /** True when TRANSFER_STUDIO_BACKEND or a setting forced the choice. */
    forced: z.boolean(),
  }),
  onnxruntime: z.object({
    available: z.boolean(),
    version: z.string().optional(),
    error: z.string().optional(),
    /** Execution providers of the installed build; `bundled: false` ones need an extra install. */
    providers: z.array(z.object({ name: z.string(), bundled: z.boolean() })).optional(),
    /** Feature-extraction engine asked for: auto (ORT when the base converts, else tfjs), onnxruntime or tfjs. */
    extractor: z.string().optional(),
  }),
  cpus: z.number().int().positive(),
  memory: z.object({ totalBytes: z.number(), freeBytes: z.number(), engineRssBytes: z.number() }),
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  /** Engine process id; changes when the engine restarts. */
  pid: z.number().int(),
});
export type InfoResponse = z.infer<typeof InfoResponse>;

export const CountRequest = z.object({
  /** How many steps to count. */
  steps: z.number().int().min(1).max(100_000),
  /** Milliseconds to wait per step. */
  delayMs: z.number().int().min(0).max(10_000),
});

export const RootEntry = z.object({ path: z.string(), label: z.string() });

export const ListDirRequest = z.object({ path: z.string().min(1) });
export const DirEntry = z.object({
  name: z.string(),
  path: z.string(),
  isDirectory: z.boolean(),
  /** True for a Transfer Studio project folder (it holds project.json): not a folder of images. */
  isProject: z.boolean().optional(),
});
export const ListDirResponse = z.object({
  path: z.string(),
  /** The parent folder, or null at an allowed root. */
  parent: z.string().nullable(),
  entries: z.array(DirEntry),
});

/** Calls about the engine and the host. */
export const systemContract = {
  info: call({
    summary: 'Engine facts: version, tfjs backend and why better ones were skipped, ONNX Runtime, CPUs, memory.',
    request: z.object({}).strict(),
    response: InfoResponse,
  }),
  'system.count': job({
    summary: 'Counts to `steps`, one step per `delayMs`: a job for testing progress, cancel and crashes.',
    request: CountRequest.strict(),
    response: z.object({ counted: z.number().int() }),
    progress: z.object({ step: z.number(), steps: z.number() }),
  }),
  'system.crash': call({
    summary: 'Makes the engine process exit at once (for crash-recovery tests and diagnostics).',
    request: z.object({ exitCode: z.number().int().min(1).max(255) }).strict(),
    response: z.object({}),
  }),
  'host.roots': hostCall({
    summary: 'The folders this session may read: chosen in a dialog, dropped, or given with --root.',
    request: z.object({}).strict(),
    response: z.object({ roots: z.array(RootEntry), nativeDialog: z.boolean() }),
  }),
  'host.listDir': hostCall({
    summary: 'Lists the sub-folders and files of a folder under an allowed root (browser mode folder picker).',
    request: ListDirRequest.strict(),
    response: ListDirResponse,
    paths: (request) => [request.path],
  }),
  'host.makeDir': hostCall({
    summary: 'Creates one new folder inside a folder under an allowed root (the folder browser\'s "New folder").',
    request: z
      .object({
        /** The folder to create it in (checked against the roots). */
        parent: z.string().min(1),
        /** A plain folder name: no "/" or "\\", not "." or "..". */
        name: z
          .string()
          .trim()
          .min(1)
          .max(255)
          .refine(
            (name) => !/[/\\]/.test(name) && !name.includes(String.fromCharCode(0)) && name !== '.' && name !== '..',
            {
              message: 'expected a folder name without "/" or "\\", and not "." or ".."',
            },
          ),
      })
      .strict(),
    response: z.object({ path: z.string() }),
    paths: (request) => [request.parent],
  }),
  'host.chooseFolders': hostCall({
    summary: 'Opens the native folder dialog (desktop only) and allows the chosen folders.',
    request: z.object({ title: z.string().max(200).optional() }).strict(),
    response: z.object({ paths: z.array(z.string()) }),
  }),
  'host.restartEngine': hostCall({
    summary: 'Starts a fresh engine process (after a crash, or to free memory).',
    request: z.object({}).strict(),
    response: z.object({ pid: z.number().int() }),
  }),
} as const;
