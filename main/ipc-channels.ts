/**
 * The Electron IPC channel names shared by main/ipc.ts and the preload. Everything crosses on
 * these four; the payloads are the envelopes of shared/contract/wire.ts.
 */
export const IPC = {
  /** renderer → main (invoke): a CallMessage; resolves with a BridgeResult envelope. */
  call: 'studio:call',
  /** renderer → main (send): a job id to cancel. */
  cancel: 'studio:cancel',
  /** renderer → main (invoke): absolute paths of dropped files/folders; resolves with the allowed ones. */
  allowDropped: 'studio:allow-dropped',
  /** main → renderer (send): progress and event ServerMessages. */
  message: 'studio:message',
} as const;
