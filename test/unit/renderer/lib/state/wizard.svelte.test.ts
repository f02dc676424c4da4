/// <reference types="svelte" />
import { describe, expect, it } from 'vitest';
import { STEPS, type StepId } from '../../../../../renderer/src/lib/steps';
import { Wizard } from '../../../../../renderer/src/lib/state/wizard.svelte';

/** A wizard whose completed steps the test controls, through real $state so reachability follows. */
class Progress {
  done = $state<StepId[]>([]);
}

describe('Wizard', () => {
  it('opens only the first step until it is complete', () => {
    const wizard = new Wizard();
    expect(wizard.steps.map((step) => step.id)).toEqual(['data', 'base', 'head', 'train', 'evaluate', 'export']);
    expect([...wizard.reachable]).toEqual(['data']);
    expect(wizard.current).toBe('data');
    expect(wizard.go('train')).toBe(false);
    expect(wizard.current).toBe('data');
    expect(wizard.move(1)).toBe('data');
  });

  it('unlocks each step after a completed one, following the state it reads', () => {
    const progress = new Progress();
    const wizard = new Wizard((id) => progress.done.includes(id));
    progress.done = ['data'];
    expect([...wizard.reachable]).toEqual(['data', 'base']);
    expect(wizard.go('base')).toBe(true);
    expect(wizard.current).toBe('base');
    expect(wizard.index).toBe(1);

    progress.done = ['data', 'base', 'head'];
    expect(wizard.isReachable('train')).toBe(true);
    expect(wizard.isReachable('evaluate')).toBe(false);
    // A gap stops the chain: 'train' done without 'head' does not unlock 'evaluate'.
    progress.done = ['data', 'train'];
    expect([...wizard.reachable]).toEqual(['data', 'base']);
  });

  it('falls back to the last reachable step when the selected one locks again', () => {
    const progress = new Progress();
    const wizard = new Wizard((id) => progress.done.includes(id));
    progress.done = ['data', 'base'];
    wizard.go('head');
    expect(wizard.current).toBe('head');
    progress.done = ['data'];
    expect(wizard.current).toBe('base');
    progress.done = [];
    expect(wizard.current).toBe('data');
    progress.done = ['data', 'base'];
    expect(wizard.current).toBe('head');
  });

  it('moves by keyboard among reachable steps only', () => {
    const progress = new Progress();
    progress.done = ['data', 'base'];
    const wizard = new Wizard((id) => progress.done.includes(id));
    expect(wizard.move(1)).toBe('base');
    expect(wizard.move(1)).toBe('head');
    expect(wizard.move(1)).toBe('head');
    expect(wizard.move(-1)).toBe('base');
    expect(wizard.last()).toBe('head');
    expect(wizard.first()).toBe('data');
    expect(wizard.move(-1)).toBe('data');
  });

  it('accepts its own list of steps and refuses an empty one', () => {
    const wizard = new Wizard(() => true, STEPS.slice(2, 4));
    expect(wizard.current).toBe('head');
    expect([...wizard.reachable]).toEqual(['head', 'train']);
    expect(() => new Wizard(() => true, [])).toThrow('at least one step');
  });
});
