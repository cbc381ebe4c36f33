// The coroutines bench/runtime.mjs measures, as users write them. The benchmark lowers this file
// with corosplit's transformProgram (the same path as the ts-patch plugin) before it runs, so the
// numbers are those of the transformer's output, not of hand-lowered code.
import { CoroutineHandle, ready, sleep, suspendAlways, suspendNever, promiseType, whenAll, type AllocatorArg, type Awaitable, type Awaiter, type FrameAllocator, type Task } from 'corosplit/runtime';
import { plusOneAfterReadyElsewhere, type Adder } from './runtime-children.js';

// The loops fold results with XOR, here and in the native counterparts: a sum overflows int32
// after a few thousand iterations, and whether V8 has seen that overflow when it compiles the loop
// decides between integer and floating-point code for the add. That made either side of a row
// 60% slower in some processes and not in others, which is noise about arithmetic, not about awaits.

/** Awaits a fresh always-ready awaiter per iteration. */
export function* sumReady(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s ^= yield* ready(i);
  return s;
}

/** Awaits one long-lived awaiter that is always ready (a buffered stream element). */
export function* sumOf(n: number, src: Awaitable<number>): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s ^= yield* src;
  return s;
}

function* plusOne(i: number): Task<number> {
  return i + 1;
}

/** Awaits a child task that completes without suspending. plusOne has no suspension point, so the lowering elides it (its body is called). */
export function* sumChildren(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s ^= yield* plusOne(i);
  return s;
}

function* plusOneAfterReady(i: number): Task<number> {
  return (yield* ready(i)) + 1;
}

/** Awaits a child task that awaits a ready value, then completes: it cannot be elided whole, so the lowering runs it speculatively (elided until an await is not ready). */
export function* sumAwaitingChildren(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s ^= yield* plusOneAfterReady(i);
  return s;
}

/** The same child imported from another module: run speculatively through the body function its export carries (coExportFast). */
export function* sumImportedChildren(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s ^= yield* plusOneAfterReadyElsewhere(i);
  return s;
}

/** The same, through a task method of another module's object: no body function, the runtime path. */
export function* sumMethodChildren(n: number, adder: Adder): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s ^= yield* adder.plusAfterReady(i);
  return s;
}

/** A chain of d tasks, each awaiting the next; the innermost awaits src k times. */
export function* chain(d: number, k: number, src: Awaitable<number>): Task<number> {
  if (d === 0) {
    let s = 0;
    for (let i = 0; i < k; i++) s += yield* src;
    return s;
  }
  return yield* chain(d - 1, k, src);
}

/** A coroutine type that starts eagerly, suspends once and hands its caller the handle. */
export class HoldPromise {
  v = 0;
  getReturnObject(): Hold {
    return CoroutineHandle.fromPromise(this) as unknown as Hold;
  }
  initialSuspend(): Awaiter<void> {
    return suspendNever;
  }
  finalSuspend(): Awaiter<void> {
    return suspendAlways;
  }
  returnValue(v: number): void {
    this.v = v;
  }
  unhandledException(e: unknown): void {
    throw e;
  }
}
/** Type-only, like Task: what a hold() call returns is its CoroutineHandle<HoldPromise>. */
export interface Hold {
  readonly [promiseType]?: HoldPromise;
  [Symbol.iterator](): Iterator<unknown, number, any>;
}

/** A frame with a few fields that lives until its caller resumes it. */
export function* hold(_: AllocatorArg, alloc: FrameAllocator, x: number, pad: object): Hold {
  let a = x + 1;
  let b = a * 2;
  yield* suspendAlways as unknown as Awaitable<void>;
  return x + b - a * 2 + (pad === null ? 1 : 0);
}

/** One of many concurrent tasks: waits for a timer, then returns a small value. */
function* sleeper(i: number, ms: number): Task<number> {
  yield* sleep(ms);
  return i & 7;
}

/** n concurrent tasks, each waiting for its own timer; folds their values. */
export function* manySleepers(n: number, ms: number): Task<number> {
  const kids: Task<number>[] = [];
  for (let i = 0; i < n; i++) kids.push(sleeper(i, ms));
  const values = yield* whenAll(...kids);
  let s = 0;
  for (const v of values) s ^= v;
  return s;
}

/** A leaf of the cancellation tree: waits "forever", counts its cancellation in finally. */
function* leaf(counter: { cancelled: number; started: number }): Task<void> {
  counter.started++;
  try {
    yield* sleep(1e9);
  } finally {
    counter.cancelled++;
  }
}
function* mid(width: number, counter: { cancelled: number; started: number }): Task<void> {
  const kids: Task<void>[] = [];
  for (let i = 0; i < width; i++) kids.push(leaf(counter));
  yield* whenAll(...kids);
}
/** A two-level tree of width*width waiting tasks under one root. */
export function* tree(width: number, counter: { cancelled: number; started: number }): Task<void> {
  const kids: Task<void>[] = [];
  for (let i = 0; i < width; i++) kids.push(mid(width, counter));
  yield* whenAll(...kids);
}
