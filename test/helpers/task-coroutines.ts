// Task coroutines hand-lowered in the shape docs/coroutine-abi.md specifies (what the transformer
// will emit for the source in each comment).
import {
  CoroutineFrame,
  LazyPromise,
  RESUME,
  TaskPromise,
  coAllocate,
  coAllocationFailed,
  coAwait,
  coResume,
  coReturn,
  coStart,
  coUnhandled,
  coYield,
  ready,
  withError,
  currentScheduler,
  type Lazy,
  type Task,
  type TaskScheduler,
} from '../../runtime/index.js';

// function* add(a: number, b: number): Task<number> { return a + b; }
class add$Frame {
  a = 0;
  b = 0;
  get $name(): string {
    return 'add';
  }
  $reset(): void {
    this.a = 0;
    this.b = 0;
  }
}
export function add(a: number, b: number): Task<number> {
  const f = coAllocate(add$Frame, TaskPromise, undefined);
  if (f === null) return coAllocationFailed(TaskPromise, add$Frame);
  f.$l.a = a;
  f.$l.b = b;
  return coStart(f, new TaskPromise(a, b), add$0);
}
function add$0(f: CoroutineFrame<add$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    return coReturn(f, f.$l.a + f.$l.b);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// function* lazyAdd(a: number, b: number, counter: { n: number }): Lazy<number> { counter.n++; return a + b; }
class lazyAdd$Frame {
  a = 0;
  b = 0;
  counter: { n: number } = null!;
  get $name(): string {
    return 'lazyAdd';
  }
}
export function lazyAdd(a: number, b: number, counter: { n: number }): Lazy<number> {
  const f = coAllocate(lazyAdd$Frame, LazyPromise, undefined);
  if (f === null) return coAllocationFailed(LazyPromise, lazyAdd$Frame);
  f.$l.a = a;
  f.$l.b = b;
  f.$l.counter = counter;
  return coStart(f, new LazyPromise(a, b, counter), lazyAdd$0);
}
function lazyAdd$0(f: CoroutineFrame<lazyAdd$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    f.$l.counter.n++;
    return coReturn(f, f.$l.a + f.$l.b);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// function* failing(msg: string): Task<number> { throw new Error(msg); }
class failing$Frame {
  msg = '';
  get $name(): string {
    return 'failing';
  }
}
export function failing(msg: string): Task<number> {
  const f = coAllocate(failing$Frame, TaskPromise, undefined);
  if (f === null) return coAllocationFailed(TaskPromise, failing$Frame);
  f.$l.msg = msg;
  return coStart(f, new TaskPromise(msg), failing$0);
}
function failing$0(f: CoroutineFrame<failing$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    throw new Error(f.$l.msg);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// function* sumLoop(n: number, child: boolean): Task<number> {
//   let s = 0;
//   for (let i = 0; i < n; i++) s += child ? yield* add(i, 1) : yield* ready(i);
//   return s;
// }
class sumLoop$Frame {
  n = 0;
  child = false;
  s = 0;
  i = 0;
  get $name(): string {
    return 'sumLoop';
  }
  $reset(): void {
    this.n = 0;
    this.child = false;
    this.s = 0;
    this.i = 0;
  }
}
export function sumLoop(n: number, child: boolean): Task<number> {
  const f = coAllocate(sumLoop$Frame, TaskPromise, undefined);
  if (f === null) return coAllocationFailed(TaskPromise, sumLoop$Frame);
  f.$l.n = n;
  f.$l.child = child;
  return coStart(f, new TaskPromise(n, child), sumLoop$0);
}
function sumLoop$0(f: CoroutineFrame<sumLoop$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    f.$l.s = 0;
    f.$l.i = 0;
    return sumLoop$test(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
// The loop head, shared by the entry and the resume point; it only runs inside their try.
function sumLoop$test(f: CoroutineFrame<sumLoop$Frame>): CoroutineFrame | null {
  if (f.$l.i < f.$l.n) {
    f.$r = sumLoop$1;
    return coAwait(f, f.$l.child ? add(f.$l.i, 1) : ready(f.$l.i));
  }
  return coReturn(f, f.$l.s);
}
function sumLoop$1(f: CoroutineFrame<sumLoop$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  try {
    f.$l.s += coResume(f);
    f.$l.i++;
    return sumLoop$test(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// function* guarded(x: unknown, log: string[]): Task<unknown> {
//   try {
//     try { const v = yield* x; log.push('resumed'); return v; }
//     catch (e) { log.push('caught'); return 'caught ' + (e as Error).message; }
//   } finally { log.push('finally'); }
// }
class guarded$Frame {
  x: unknown = undefined;
  log: string[] = null!;
  get $name(): string {
    return 'guarded';
  }
  $reset(): void {
    this.x = undefined;
    this.log = null!;
  }
}
export function guarded(x: unknown, log: string[]): Task<unknown> {
  const f = coAllocate(guarded$Frame, TaskPromise, undefined);
  if (f === null) return coAllocationFailed(TaskPromise, guarded$Frame);
  f.$l.x = x;
  f.$l.log = log;
  return coStart(f, new TaskPromise(x, log), guarded$0);
}
function guarded$0(f: CoroutineFrame<guarded$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    let rv: unknown;
    try {
      try {
        f.$r = guarded$1;
        return coAwait(f, f.$l.x);
      } catch (e) {
        f.$l.log.push('caught');
        rv = 'caught ' + (e as Error).message;
      }
    } catch (e) {
      f.$l.log.push('finally');
      throw e;
    }
    f.$l.log.push('finally');
    return coReturn(f, rv);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function guarded$1(f: CoroutineFrame<guarded$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) {
    f.$l.log.push('finally');
    return null;
  }
  try {
    let rv: unknown;
    try {
      try {
        rv = coResume(f);
        f.$l.log.push('resumed');
      } catch (e) {
        f.$l.log.push('caught');
        rv = 'caught ' + (e as Error).message;
      }
    } catch (e) {
      f.$l.log.push('finally');
      throw e;
    }
    f.$l.log.push('finally');
    return coReturn(f, rv);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// function* failsQuietly(log: string[]): Task<number> {
//   try { yield withError(new Error('quiet')); log.push('after'); }
//   catch { log.push('caught'); }
//   finally { log.push('finally'); }
//   return 1;
// }
class failsQuietly$Frame {
  log: string[] = null!;
  get $name(): string {
    return 'failsQuietly';
  }
}
export function failsQuietly(log: string[]): Task<number> {
  const f = coAllocate(failsQuietly$Frame, TaskPromise, undefined);
  if (f === null) return coAllocationFailed(TaskPromise, failsQuietly$Frame);
  f.$l.log = log;
  return coStart(f, new TaskPromise(log), failsQuietly$0);
}
function failsQuietly$0(f: CoroutineFrame<failsQuietly$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    try {
      try {
        f.$r = failsQuietly$1;
        return coYield(f, withError(new Error('quiet')));
      } catch {
        f.$l.log.push('caught');
      }
    } catch (e) {
      f.$l.log.push('finally');
      throw e;
    }
    f.$l.log.push('finally');
    return coReturn(f, 1);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function failsQuietly$1(f: CoroutineFrame<failsQuietly$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) {
    f.$l.log.push('finally');
    return null;
  }
  try {
    try {
      try {
        coResume(f);
        f.$l.log.push('after');
      } catch {
        f.$l.log.push('caught');
      }
    } catch (e) {
      f.$l.log.push('finally');
      throw e;
    }
    f.$l.log.push('finally');
    return coReturn(f, 1);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// function* where(log: unknown[], x: unknown): Task<void> {
//   log.push(currentScheduler()); yield* x; log.push(currentScheduler());
// }
class where$Frame {
  log: unknown[] = null!;
  x: unknown = undefined;
  get $name(): string {
    return 'where';
  }
}
export function where(log: unknown[], x: unknown): Task<unknown> {
  const f = coAllocate(where$Frame, TaskPromise, undefined);
  if (f === null) return coAllocationFailed(TaskPromise, where$Frame);
  f.$l.log = log;
  f.$l.x = x;
  return coStart(f, new TaskPromise(log, x), where$0);
}
function where$0(f: CoroutineFrame<where$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    f.$l.log.push(currentScheduler());
    f.$r = where$1;
    return coAwait(f, f.$l.x);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function where$1(f: CoroutineFrame<where$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  try {
    const v = coResume(f);
    f.$l.log.push(currentScheduler());
    return coReturn(f, v);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
export type { TaskScheduler };
