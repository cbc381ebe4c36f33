// Async generators and `for await`, as build-time evaluation runs them: its interpreter runs
// coroutines only in their lowered form, so an `async function*` is lowered like a generator whose
// suspension points are both its awaits and its yields. The frame hands out a raw value for an
// `await` and an AsyncYield box for a `yield`; asyncGeneratorStart drives it with the request
// queue of ECMA-262 §27.6.3 (AsyncGeneratorEnqueue, …Resume, …CompleteStep, …DrainQueue,
// …AwaitReturn). The helpers below it are GetIterator(obj, async), CreateAsyncFromSyncIterator
// and the two halves of AsyncIteratorClose that the lowered loop calls around its own `await`.
//
// No async function or generator appears here: this module runs inside the evaluator too.
import { iteratorCloseOnThrow, iteratorResultNotObject, type GeneratorFrame } from './generator.js';

/** What a lowered async generator's `yield v` hands out (after awaiting v), to tell it from an `await`. */
export class AsyncYield {
  constructor(readonly value: unknown) {}
}

/** The lowered `yield v` of an async generator: boxes the awaited operand. */
export function asyncYield(value: unknown): AsyncYield {
  return new AsyncYield(value);
}

const enum Kind {
  Next = 0,
  Throw = 1,
  Return = 2,
}
const enum State {
  SuspendedStart,
  SuspendedYield,
  Executing,
  AwaitingReturn,
  Completed,
}

interface Request {
  kind: Kind;
  value: unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Machine {
  frame: GeneratorFrame;
  state: State;
  queue: Request[];
}

const MACHINE = Symbol('corosplit.asyncGenerator');
const promiseThen = Promise.prototype.then;

/** Await's PromiseResolve + PerformPromiseThen: `onRejected` also gets a synchronous failure of PromiseResolve. */
function awaitValue(v: unknown, onFulfilled: (x: unknown) => void, onRejected: (e: unknown) => void): void {
  let p: Promise<unknown>;
  try {
    p = Promise.resolve(v);
  } catch (e) {
    onRejected(e);
    return;
  }
  promiseThen.call(p, onFulfilled, onRejected);
}

/** AsyncGeneratorCompleteStep: settles the oldest request. */
function completeStep(m: Machine, threw: boolean, value: unknown, done: boolean): void {
  const req = m.queue.shift()!;
  if (threw) req.reject(value);
  else req.resolve({ value, done });
}

/**
 * AsyncGeneratorResume, run to the next point where the body waits: an `await` (the machine stays
 * executing until it settles), a `yield` with no request queued (suspendedYield), or the end.
 */
function resume(m: Machine, kind: Kind, value: unknown): void {
  m.state = State.Executing;
  for (;;) {
    let r: IteratorResult<unknown>;
    try {
      r = kind === Kind.Next ? m.frame.next(value) : kind === Kind.Throw ? m.frame.throw(value) : m.frame.return(value);
    } catch (e) {
      finish(m, true, e);
      return;
    }
    if (r.done) {
      finish(m, false, r.value);
      return;
    }
    const out = r.value;
    if (out instanceof AsyncYield) {
      // AsyncGeneratorYield: settle this request; carry on at once if another one is waiting.
      completeStep(m, false, out.value, false);
      if (m.queue.length === 0) {
        m.state = State.SuspendedYield;
        return;
      }
      const next = m.queue[0]!;
      if (next.kind === Kind.Return) {
        resumeWithReturn(m, next.value);
        return;
      }
      kind = next.kind;
      value = next.value;
      continue;
    }
    awaitValue(
      out,
      (x) => resume(m, Kind.Next, x),
      (e) => resume(m, Kind.Throw, e),
    );
    return;
  }
}

/** AsyncGeneratorUnwrapYieldResumption for return(v): v is awaited in the body before it returns. */
function resumeWithReturn(m: Machine, value: unknown): void {
  m.state = State.Executing;
  awaitValue(
    value,
    (x) => resume(m, Kind.Return, x),
    (e) => resume(m, Kind.Throw, e),
  );
}

/** The body completed (returned or threw): settle its request, then the ones queued behind it. */
function finish(m: Machine, threw: boolean, value: unknown): void {
  m.state = State.Completed;
  completeStep(m, threw, value, true);
  drainQueue(m);
}

/** AsyncGeneratorDrainQueue. */
function drainQueue(m: Machine): void {
  while (m.queue.length > 0) {
    const req = m.queue[0]!;
    if (req.kind === Kind.Return) {
      m.state = State.AwaitingReturn;
      awaitReturn(m);
      return;
    }
    if (req.kind === Kind.Throw) completeStep(m, true, req.value, true);
    else completeStep(m, false, undefined, true);
  }
}

/** AsyncGeneratorAwaitReturn: return(v) on a generator that has not started or has finished. */
function awaitReturn(m: Machine): void {
  const settle = (threw: boolean) => (x: unknown) => {
    m.state = State.Completed;
    completeStep(m, threw, x, true);
    drainQueue(m);
  };
  awaitValue(m.queue[0]!.value, settle(false), settle(true));
}

function request(self: unknown, kind: Kind, value: unknown): Promise<IteratorResult<unknown>> {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<IteratorResult<unknown>>((res, rej) => {
    resolve = res as (v: unknown) => void;
    reject = rej;
  });
  // AsyncGeneratorValidate: a wrong receiver rejects, it does not throw.
  const m = self !== null && typeof self === 'object' && Object.prototype.hasOwnProperty.call(self, MACHINE) ? ((self as Record<symbol, Machine>)[MACHINE] as Machine) : undefined;
  if (!m) {
    reject(new TypeError(`AsyncGenerator.prototype.${kind === Kind.Next ? 'next' : kind === Kind.Throw ? 'throw' : 'return'} called on an object that is not an async generator`));
    return promise;
  }
  const state = m.state;
  if (kind === Kind.Next && state === State.Completed) {
    resolve({ value: undefined, done: true });
    return promise;
  }
  if (kind === Kind.Throw && (state === State.SuspendedStart || state === State.Completed)) {
    m.state = State.Completed;
    reject(value);
    return promise;
  }
  m.queue.push({ kind, value, resolve, reject });
  if (kind === Kind.Return && (state === State.SuspendedStart || state === State.Completed)) {
    m.state = State.AwaitingReturn;
    awaitReturn(m);
  } else if (state === State.SuspendedStart || state === State.SuspendedYield) {
    if (kind === Kind.Return) resumeWithReturn(m, value);
    else resume(m, kind, value);
  }
  return promise;
}

/** The object an async generator function returns (%AsyncGeneratorPrototype% for lowered ones). */
export class AsyncGeneratorObject {
  constructor(frame: GeneratorFrame) {
    const m: Machine = { frame, state: State.SuspendedStart, queue: [] };
    Object.defineProperty(this, MACHINE, { value: m });
  }
  next(value?: unknown): Promise<IteratorResult<unknown>> {
    return request(this, Kind.Next, value);
  }
  return(value?: unknown): Promise<IteratorResult<unknown>> {
    return request(this, Kind.Return, value);
  }
  throw(exception?: unknown): Promise<IteratorResult<unknown>> {
    return request(this, Kind.Throw, exception);
  }
  [Symbol.asyncIterator](): this {
    return this;
  }
}
Object.defineProperty(AsyncGeneratorObject.prototype, Symbol.toStringTag, { value: 'AsyncGenerator', configurable: true });

/** The ramp of a lowered async generator function: the frame, suspended at its start. */
export function asyncGeneratorStart(frame: GeneratorFrame): AsyncGeneratorObject {
  return new AsyncGeneratorObject(frame);
}

function isObject(v: unknown): v is object {
  return v !== null && (typeof v === 'object' || typeof v === 'function');
}

/** GetMethod: undefined and null are "no method"; anything else must be callable. */
function getMethod(obj: any, key: PropertyKey): Function | undefined {
  const m = obj[key];
  if (m === undefined || m === null) return undefined;
  if (typeof m !== 'function') throw new TypeError(`${String(key)} is not a function`);
  return m;
}

/** GetIterator(obj, async): @@asyncIterator, else the sync iterator wrapped by CreateAsyncFromSyncIterator. */
export function asyncIteratorOf(obj: any): any {
  if (obj === null || obj === undefined) throw new TypeError(`${obj} is not async iterable`);
  const method = getMethod(obj, Symbol.asyncIterator);
  if (method === undefined) {
    const syncMethod = getMethod(obj, Symbol.iterator);
    if (syncMethod === undefined) throw new TypeError('object is not async iterable');
    const it = syncMethod.call(obj);
    if (!isObject(it)) throw new TypeError('Result of the Symbol.iterator method is not an object');
    return new AsyncFromSyncIterator(it, (it as any).next);
  }
  const it = method.call(obj);
  if (!isObject(it)) throw new TypeError('Result of the Symbol.asyncIterator method is not an object');
  return it;
}

/** %AsyncFromSyncIteratorPrototype% (§27.1.6), closing the sync iterator when a value rejects. */
class AsyncFromSyncIterator {
  constructor(
    private readonly it: any,
    private readonly nextMethod: any,
  ) {}
  next(value?: unknown): Promise<unknown> {
    const it = this.it;
    const next = this.nextMethod;
    const hasValue = arguments.length > 0;
    return this.step(() => (hasValue ? next.call(it, value) : next.call(it)), true);
  }
  return(value?: unknown): Promise<unknown> {
    const it = this.it;
    const hasValue = arguments.length > 0;
    return this.step(() => {
      const ret = getMethod(it, 'return');
      if (ret === undefined) return NO_METHOD;
      return hasValue ? ret.call(it, value) : ret.call(it);
    }, false, { value, done: true });
  }
  throw(value?: unknown): Promise<unknown> {
    const it = this.it;
    const hasValue = arguments.length > 0;
    return this.step(() => {
      const thr = getMethod(it, 'throw');
      if (thr === undefined) {
        // The protocol was broken: close the iterator, then reject with a TypeError.
        const ret = getMethod(it, 'return');
        if (ret !== undefined) {
          const r = ret.call(it);
          if (!isObject(r)) throw new TypeError('iterator.return() returned a non-object');
        }
        throw new TypeError('The iterator does not provide a throw method');
      }
      return hasValue ? thr.call(it, value) : thr.call(it);
    }, true);
  }

  /** AsyncFromSyncIteratorContinuation around one call of the sync iterator. */
  private step(call: () => unknown, closeOnRejection: boolean, noMethod?: IteratorResult<unknown>): Promise<unknown> {
    const it = this.it;
    return new Promise((resolve, reject) => {
      let result: any;
      try {
        result = call();
      } catch (e) {
        reject(e);
        return;
      }
      if (result === NO_METHOD) {
        resolve(noMethod);
        return;
      }
      if (!isObject(result)) {
        reject(iteratorResultNotObject(result));
        return;
      }
      let done: boolean;
      let wrapper: Promise<unknown>;
      try {
        done = !!(result as any).done;
        const value = (result as any).value;
        try {
          wrapper = Promise.resolve(value);
        } catch (e) {
          if (!done && closeOnRejection) iteratorCloseOnThrow(it);
          throw e;
        }
      } catch (e) {
        reject(e);
        return;
      }
      promiseThen.call(
        wrapper,
        (v: unknown) => resolve({ value: v, done }),
        (e: unknown) => {
          if (!done && closeOnRejection) iteratorCloseOnThrow(it);
          reject(e);
        },
      );
    });
  }
}
const NO_METHOD = {};

/**
 * AsyncIteratorClose for a break/continue/return out of a `for await` body, first half: the
 * iterator's `return` method, or undefined when it has none (then nothing is awaited). The
 * lowered loop awaits `m.call(it)` itself and checks the result with asyncCloseResult.
 */
export function asyncReturnMethod(it: any): Function | undefined {
  return getMethod(it, 'return');
}

/** AsyncIteratorClose's check of the awaited result of `return()`. */
export function asyncCloseResult(r: unknown): void {
  if (!isObject(r)) throw iteratorResultNotObject(r);
}

/**
 * AsyncIteratorClose for a throw out of a `for await` body, first half: the `return` method, or
 * undefined; a failure to get it is dropped, as the original exception wins. The lowered code
 * calls and awaits it in a region whose exceptions are dropped too.
 */
export function asyncReturnMethodOnThrow(it: any): Function | undefined {
  try {
    return getMethod(it, 'return');
  } catch {
    return undefined;
  }
}

/** yield* in an async generator: the inner iterator's `throw` method, or undefined. */
export function asyncThrowMethod(it: any): Function | undefined {
  return getMethod(it, 'throw');
}

/** The TypeError of yield* when throw() reaches an inner iterator without `throw` (returned, not thrown). */
export function asyncNoThrowMethod(): TypeError {
  return new TypeError('The iterator does not provide a throw method');
}
