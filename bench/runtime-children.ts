// A child task in a module of its own, for bench/runtime.mjs's runtime-path row: task elision
// stays within a module (an imported child is called through its export, which a test's mock may
// replace), so awaiting this child starts it inside the await, the path every cross-module child
// task takes.
import { ready, type Task } from 'corosplit/runtime';

export function* plusOneAfterReadyElsewhere(i: number): Task<number> {
  return (yield* ready(i)) + 1;
}
