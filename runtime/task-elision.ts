// Elided child tasks: what lowered code calls when a task awaits `yield* child(…)` and the lowering
// emitted `child$fast`, the child's body as a plain function (docs/lowering.md, "Speculative task
// elision"; docs/coroutine-abi.md, "Elided task bodies"). This is heap allocation elision as
// LLVM's CoroElide does it, made speculative: the body runs on the
// awaiting task's stack with its locals in JS locals, and as long as everything it awaits is
// ready it never has a frame, a promise or a handle, and returns its value. At its first await
// that really suspends (or needs the task's own promise) it materializes: it allocates the frame
// and the promise it would have had, stores its live values into the frame, and continues as an
// ordinary task started inside its parent's await (TaskPromise.$startUnder's states), which the
// parent then awaits.
//
// The protocol between the two functions: `child$fast(f, depth, …args)` returns the child's value,
// or `elidedPending` after leaving a task in the stash; the parent awaits `coElided(result)`.
// `f` is the frame of the real task on whose stack the body runs (an elided child's own elided
// children get the same one), `depth` how many elided bodies are nested on it.
import { CoroutineError, CoroutineFrame, FREE, RUNNING, type FrameClass } from './frame.js';
import { coAllocate, coAwait, coAwaitBefore, coSuspend, resumeFrame, type Awaiter } from './coroutine.js';
import { scopedFrameAllocator } from './allocators.js';
import { inlineNesting, maxInlineDepth } from './inline-nesting.js';
import { Ready, TaskPromise } from './task.js';
import { newTaskFor } from './task-ramp.js';

// Elided bodies nest this deep on one real frame at most: past it the child runs as a task. With
// inlineNesting's bound, the host stack any nesting takes stays bounded by a constant.
const maxElidedDepth = 16;

/** @internal What `child$fast` returns when the result is a task, left in the stash. */
export const elidedPending: unique symbol = Symbol('corosplit.elidedPending') as any;

let stashed: TaskPromise<any> | null = null;
let stashedError: unknown = undefined;
let hasStashedError = false;

/**
 * The first test of every `child$fast`: may the body run elided here? Not past the nesting bounds,
 * nor where a frame allocator was chosen (a scoped one, or TaskPromise.frameAllocator): a frame
 * allocated late must come from the heap, which cannot refuse, since a refusal in the middle of
 * the body could no longer be reported as the ramp's.
 */
export function coElidable(depth: number): boolean {
  return depth < maxElidedDepth && inlineNesting.depth < maxInlineDepth && scopedFrameAllocator() === null && (TaskPromise as { frameAllocator?: unknown }).frameAllocator == null;
}

/**
 * @internal The key of an exported task ramp's body function, for awaits in other modules. A
 * symbol of this runtime, so that only code lowered against it (the same protocol) finds one.
 */
export const coFastBody: unique symbol = Symbol('corosplit.fastBody') as any;

/**
 * Attaches a module's `child$fast` to its exported ramp `child`, where an await in another module
 * finds it (coFastOf). A getter that answers only for `child` itself: a spy or wrapper that copies
 * the function's own properties (vitest's spyOn copies symbols too) must be called as it is, not
 * bypassed through a body function it carried over. Non-enumerable, so Object.assign and the
 * function's keys do not show it.
 */
export function coExportFast(ramp: Function, body: Function): void {
  Object.defineProperty(ramp, coFastBody, {
    get(this: unknown): Function | undefined {
      return this === ramp ? body : undefined;
    },
  });
}

/**
 * What `yield* imported(…)` in a plain Task tests first: the body function `imported` carries, or
 * undefined (not a function, not lowered against this runtime, or not elidable), in which case the
 * await calls `imported(…)` as written. Then `imported[coFastBody]` is read once more for the call.
 */
export function coFastOf(fn: unknown): Function | undefined {
  return typeof fn === 'function' ? (fn as { [coFastBody]?: Function })[coFastBody] : undefined;
}

/** `child$fast` could not run elided: `task` (made by the child's ramp) is what the parent awaits. */
export function coElideRamp(task: TaskPromise<any>): typeof elidedPending {
  stashed = task;
  return elidedPending;
}

/**
 * The operand of the parent's await: a ready awaiter of the value the elided body returned, or the
 * task it left in the stash. An exception the child's materialization could not give the child
 * (see coElideSuspend) is thrown here, at the parent's await, as the nested start would have.
 */
export function coElided(v: unknown): Awaiter<unknown> {
  if (v !== elidedPending) return new Ready(v);
  const t = stashed;
  stashed = null;
  if (hasStashedError) {
    const e = stashedError;
    hasStashedError = false;
    stashedError = undefined;
    throw e;
  }
  if (t === null) throw new CoroutineError('task', 'corosplit internal: an elided task returned pending without a task');
  return t;
}

/**
 * Materialization, first half: the child's frame and promise, the promise started as it would
 * have been inside `parent`'s await (its scheduler and stop token). The frame is RUNNING; the
 * body stores its live values and resume point, then calls coElideSuspend.
 */
export function coElideFrame(parent: CoroutineFrame, cls: FrameClass<any>): CoroutineFrame {
  // coElidable ruled out every allocator but the heap's, which does not refuse.
  const f = coAllocate(cls, TaskPromise, undefined)!;
  const p = newTaskFor(f);
  f.$s = RUNNING;
  const pp: TaskPromise<any> = parent.$p;
  p.$bind(pp.scheduler, pp.stopToken);
  return f;
}

// What a resumed frame reads when its await ended in an exception, so that it is thrown at the
// await (inside the coroutine) as await_suspend's and await_transform's exceptions are.
class Thrown implements Awaiter<never> {
  constructor(private readonly e: unknown) {}
  awaitReady(): boolean {
    return true;
  }
  awaitSuspend(): void {}
  awaitResume(): never {
    throw this.e;
  }
}

// How the elided body reached its materialization (the `kind` argument of coElideSuspend):
// SUSPEND, `a` is an awaiter that is not ready; TRANSFORM, `a` is an operand that is not an awaiter
// (the task's awaitTransform makes one); BEFORE, the await completed with `v` and the step budget
// asks to await `a` first (afterInlineAwait).
const SUSPEND = 0;
const TRANSFORM = 1;

/**
 * Materialization, second half: the frame `f` (from coElideFrame, its live values and resume
 * point stored) now awaits `a` as an ordinary task nested in its parent's await. Never throws:
 * an exception of the await goes to the child at its resume point, and one that leaves the
 * nested run goes to the parent's await (coElided). Returns elidedPending; the stash holds the
 * child's task, in the state TaskPromise.$startUnder leaves a started child in.
 */
export function coElideSuspend(parent: CoroutineFrame, f: CoroutineFrame, kind: number, a: any, v: unknown): typeof elidedPending {
  const p: TaskPromise<any> = f.$p;
  const g = f.$g;
  try {
    // (a closure per materialization, which has just allocated a frame and a promise anyway)
    p.$runNested(parent.$p, () => {
      let next: CoroutineFrame | null;
      try {
        next = kind === SUSPEND ? coSuspend(f, a) : kind === TRANSFORM ? coAwait(f, a) : coAwaitBefore(f, a, v);
      } catch (e) {
        if (f.$g !== g || f.$s === FREE) throw e;
        f.$a = new Thrown(e);
        f.$s = RUNNING;
        next = f;
      }
      if (next !== null) resumeFrame(next);
    }, undefined);
  } catch (e) {
    stashedError = e;
    hasStashedError = true;
  }
  stashed = p;
  return elidedPending;
}
