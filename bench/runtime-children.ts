// Child tasks in a module of their own, for bench/runtime.mjs's cross-module rows. An exported
// task function carries its speculative body (coExportFast), which an importing task calls; a task
// method has none (a receiver), so awaiting one starts the child inside the await: the runtime's
// own path, which every child without a body function takes.
import { ready, type Task } from 'corosplit/runtime';

export function* plusOneAfterReadyElsewhere(i: number): Task<number> {
  return (yield* ready(i)) + 1;
}

export class Adder {
  constructor(readonly step: number) {}
  *plusAfterReady(i: number): Task<number> {
    return (yield* ready(i)) + this.step;
  }
}
