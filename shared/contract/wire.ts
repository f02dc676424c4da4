import { z } from 'zod';

/**
 * Envelopes on every transport (Electron IPC, WebSocket, engine IPC). Parsed from `unknown`
 * at each boundary; the payload inside is then parsed by the method's own schema.
 */
const ErrorData = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });

export const CallMessage = z.object({
  type: z.literal('call'),
  id: z.string().min(1).max(100),
  method: z.string().min(1).max(100),
  params: z.unknown(),
});
export type CallMessage = z.infer<typeof CallMessage>;
export const CancelMessage = z.object({ type: z.literal('cancel'), id: z.string().min(1).max(100) });
/** What a client (renderer, CLI) sends. */
export const ClientMessage = z.discriminatedUnion('type', [CallMessage, CancelMessage]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const ResultMessage = z.union([
  z.object({ type: z.literal('result'), id: z.string(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.string(), ok: z.literal(false), error: ErrorData }),
]);
export type ResultMessage = z.infer<typeof ResultMessage>;
export const ProgressMessage = z.object({
  type: z.literal('progress'),
  id: z.string(),
  progress: z.record(z.string(), z.unknown()),
});
export type ProgressMessage = z.infer<typeof ProgressMessage>;
export const EventMessage = z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() });
/** What a server (engine, host) sends back. */
export const ServerMessage = z.union([ResultMessage, ProgressMessage, EventMessage]);
export type ServerMessage = z.infer<typeof ServerMessage>;
