import type { EngineStatusEvent, InfoResponse } from '../../../../shared/contract';
import { StudioError } from '../../../../shared/errors';
import type { StudioClient } from '../api';
import { errorMessage } from '../error-message';

/**
 * What the UI knows about the engine: the facts from `info` (backend, ONNX Runtime, CPUs…) and
 * its lifecycle from the host's `engine.status` events, with a restart after a crash.
 */
export class EngineState {
  /** The latest `info` answer; kept (stale) while the engine is down. */
  info = $state.raw<InfoResponse | undefined>();
  /** The engine's lifecycle as the host last reported it. */
  status = $state.raw<EngineStatusEvent>({ state: 'starting' });
  /** Why `info` or a restart failed, in words, when not a crash. */
  error = $state<string | undefined>();
  /** True while a restart is in flight. */
  restarting = $state(false);

  readonly crashed = $derived(this.status.state === 'crashed');
  readonly ready = $derived(this.status.state === 'ready' && this.info !== undefined);
  /** The tfjs backend in use, or undefined while unknown or the engine is down. */
  readonly backendName = $derived(this.ready ? this.info?.backend.name : undefined);
  /** Backends tried before the chosen one, with why they were skipped. */
  readonly skipped = $derived(this.info?.backend.tried.filter((attempt) => !attempt.ok) ?? []);

  private loads = 0;

  constructor(private readonly client: StudioClient) {}

  /** Subscribes to status events and loads `info`. Returns the unsubscribe function. */
  start(): () => void {
    const off = this.client.on('engine.status', (status) => this.onStatus(status));
    void this.refresh();
    return off;
  }

  /** Asks the engine for `info` again (this also starts it if it is not running). */
  async refresh(): Promise<void> {
    const load = ++this.loads;
    try {
      const info = await this.client.call('info', {});
      if (load !== this.loads) return;
      this.info = info;
      this.error = undefined;
      this.status = { state: 'ready', pid: info.pid };
    } catch (error) {
      if (load !== this.loads) return;
      this.fail(error);
    }
  }

  /** Starts a fresh engine (after a crash, or to free memory), then reloads `info`. */
  async restart(): Promise<void> {
    if (this.restarting) return;
    this.restarting = true;
    this.error = undefined;
    try {
      await this.client.call('host.restartEngine', {});
      await this.refresh();
    } catch (error) {
      this.fail(error);
    } finally {
      this.restarting = false;
    }
  }

  private onStatus(status: EngineStatusEvent): void {
    this.status = status;
    if (status.state === 'ready' && this.info?.pid !== status.pid) void this.refresh();
  }

  private fail(error: unknown): void {
    if (error instanceof StudioError && error.code === 'ENGINE_CRASHED') {
      this.status = { state: 'crashed', message: error.message };
      return;
    }
    this.error = errorMessage(error);
  }
}
