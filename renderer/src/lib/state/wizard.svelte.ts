import { STEPS, type StepId, type StepInfo } from '../steps';

/**
 * The step the user is on and which steps they may open: a step is reachable when every step
 * before it is complete. `done` reads other state classes, so reachability follows them.
 */
export class Wizard {
  /** The step the user picked; see {@link current} for the one shown. */
  selected = $state<StepId>('data');

  readonly steps: readonly StepInfo[];

  /** Steps the user may open, in order: the first, and each one after a completed step. */
  readonly reachable: readonly StepId[] = $derived.by(() => {
    const open: StepId[] = [];
    for (const step of this.steps) {
      open.push(step.id);
      if (!this.done(step.id)) break;
    }
    return open;
  });

  /** The step shown: the selected one, or the last reachable one if it became locked. */
  readonly current: StepId = $derived.by(() => {
    if (this.reachable.includes(this.selected)) return this.selected;
    return this.reachable.at(-1) ?? this.steps[0]!.id;
  });

  readonly index = $derived.by(() => this.steps.findIndex((step) => step.id === this.current));

  /**
   * @param done whether a step's work is done (unlocking the next). Default: none complete.
   * @param steps the steps in order. Default: {@link STEPS}.
   */
  constructor(
    private readonly done: (id: StepId) => boolean = () => false,
    steps: readonly StepInfo[] = STEPS,
  ) {
    if (steps.length === 0) throw new Error('A wizard needs at least one step.');
    this.steps = steps;
    this.selected = steps[0]!.id;
  }

  /** Whether a step's work is done. */
  isComplete(id: StepId): boolean {
    return this.done(id);
  }

  isReachable(id: StepId): boolean {
    return this.reachable.includes(id);
  }

  /** Opens a step if it is reachable; returns whether it did. */
  go(id: StepId): boolean {
    if (!this.reachable.includes(id)) return false;
    this.selected = id;
    return true;
  }

  /** Moves to the next (+1) or previous (−1) reachable step, staying put at either end. */
  move(delta: 1 | -1): StepId {
    for (let i = this.index + delta; i >= 0 && i < this.steps.length; i += delta) {
      const id = this.steps[i]!.id;
      if (this.reachable.includes(id)) {
        this.selected = id;
        break;
      }
    }
    return this.current;
  }

  /** Opens the first step. */
  first(): StepId {
    this.selected = this.steps[0]!.id;
    return this.current;
  }

  /** Opens the last reachable step. */
  last(): StepId {
    this.selected = this.reachable.at(-1) ?? this.steps[0]!.id;
    return this.current;
  }
}
