import { z } from 'zod';

/** Engine lifecycle as the host sees it. */
export const EngineStatusEvent = z.object({
  state: z.enum(['starting', 'ready', 'crashed', 'stopped']),
  /** Plain-words reason, e.g. "The engine stopped unexpectedly (exit code 1)". */
  message: z.string().optional(),
  pid: z.number().int().optional(),
});
export type EngineStatusEvent = z.infer<typeof EngineStatusEvent>;

/** Progress of a running job; `progress` matches the job's progress schema. */
export const JobProgressEvent = z.object({
  jobId: z.string(),
  method: z.string(),
  progress: z.record(z.string(), z.unknown()),
});
export type JobProgressEvent = z.infer<typeof JobProgressEvent>;

/** The folders the user may open changed (File › Open Folders…, a drop). */
export const RootsChangedEvent = z.object({
  roots: z.array(z.object({ path: z.string(), label: z.string() })),
  /** Folders just chosen; the Data step adds them to the dataset. */
  added: z.array(z.string()),
});
export type RootsChangedEvent = z.infer<typeof RootsChangedEvent>;

/** Every event that flows from the host to the UI. */
export const eventContract = {
  'engine.status': EngineStatusEvent,
  'host.rootsChanged': RootsChangedEvent,
  'job.progress': JobProgressEvent,
} as const;

export type EventName = keyof typeof eventContract;
export type EventPayload<E extends EventName> = z.infer<(typeof eventContract)[E]>;
export type StudioEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];
