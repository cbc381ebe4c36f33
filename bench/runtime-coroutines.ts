// The coroutines bench/runtime.mjs measures, as users write them. The benchmark lowers this file
// with corosplit's transformProgram (the same path as the ts-patch plugin) before it runs, so the
// numbers are those of the transformer's output, not of hand-lowered code.
import { CoroutineHandle, ready, suspendAlways, suspendNever, promiseType, type AllocatorArg, type Awaitable, type Awaiter, type FrameAllocator, type Task } from 'corosplit/runtime';

/** Awaits a fresh always-ready awaiter per iteration. */
export function* sumReady(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + (yield* ready(i))) | 0;
  return s;
}

/** Awaits one long-lived awaiter that is always ready (a buffered stream element). */
export function* sumOf(n: number, src: Awaitable<number>): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + (yield* src)) | 0;
  return s;
}

function* plusOne(i: number): Task<number> {
  return i + 1;
}

/** Awaits a child task that completes without suspending. */
export function* sumChildren(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + (yield* plusOne(i))) | 0;
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
