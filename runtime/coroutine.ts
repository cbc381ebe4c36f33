// The promise-type coroutine protocol: handles, the trampoline and the helpers lowered code calls.
// A lowered coroutine is a frame class plus module-level resume functions; the ramp and every
// suspension go through the helpers below, so emitted code stays a few lines per await.
//
// Resume functions never call each other across a suspension: they return the frame to run next
// and the trampoline loop runs it. That keeps any chain of synchronous completions and symmetric
// transfers in constant host stack.
import { heapAllocator, scopedFrameAllocator } from './allocators.js';
import { isGeneratorObject, unloweredCoroutineMessage } from './unlowered.js';
import {
  CoroutineError,
  CoroutineFrame,
  DONE,
  DESTROY,
  FREE,
  FrameAllocationError,
  RESUME,
  newFrame,
  RUNNING,
  SUSPENDED,
  type FrameAllocator,
  type FrameClass,
  type CoroutineResumeFunction,
} from './frame.js';

/**
 * The key of the type-only property through which a return type names its promise type:
 * `interface Task<T> { readonly [promiseType]?: TaskPromise<T> }`.
 */
export const promiseType: unique symbol = Symbol('corosplit.promiseType') as any;
export type promiseType = typeof promiseType;

/** std::allocator_arg: pass `allocatorArg, alloc` as a coroutine's first two arguments. */
export const allocatorArg: unique symbol = Symbol('corosplit.allocatorArg') as any;
export type AllocatorArg = typeof allocatorArg;

/** The awaiter protocol (await_ready / await_suspend / await_resume). */
export interface Awaiter<T = unknown> {
  awaitReady(): boolean;
  awaitSuspend(h: CoroutineHandle<any>): void | boolean | CoroutineHandle<any>;
  awaitResume(): T;
}

/**
 * @internal The promise object's link back to its frame, for CoroutineHandle.fromPromise. A promise
 * class of the runtime declares it as a field, so storing it does not grow the object.
 */
export const promiseFrame: unique symbol = Symbol('corosplit.frame') as any;

function stateError(f: CoroutineFrame, op: string): never {
  const n = f.$name;
  if (f.$s === RUNNING) throw new CoroutineError(n, `coroutine '${n}': ${op} while it is running`);
  if (f.$s === DONE) throw new CoroutineError(n, `coroutine '${n}': ${op} after it completed (it is suspended at its final suspend point)`);
  throw new CoroutineError(n, `coroutine '${n}': ${op} after its frame was destroyed`);
}

function staleError(h: CoroutineHandle<any>, op: string): never {
  const n = h.$f.$name;
  throw new CoroutineError(
    n,
    h.$f.$s === FREE && h.$f.$g === h.$g + 1
      ? `coroutine '${n}': ${op} after it was destroyed`
      : `coroutine '${n}': ${op} through a stale handle (frame generation ${h.$g}, now ${h.$f.$g}): the frame was released and reused`,
  );
}

/** std::coroutine_handle: a non-owning reference to one suspended coroutine activation. */
export class CoroutineHandle<P = unknown> {
  /** The frame and the generation it had when this handle was made. */
  declare readonly $f: CoroutineFrame;
  declare readonly $g: number;
  // Assigned, not defined by field declarations: subclasses (a task's affine handle) run this
  // constructor too, and an assignment site shared by several classes stays cheap (see CoroutineFrame).
  constructor(f: CoroutineFrame, g: number) {
    this.$f = f;
    this.$g = g;
  }
  /**
   * Resumes the coroutine until it next suspends (and runs whatever it transfers to). Called from
   * inside the coroutine's own awaitSuspend (an awaiter whose work completed at once, the shape
   * of as_awaitable(just(v))), it only marks the coroutine resumed: it continues when
   * awaitSuspend returns, as if that had returned false, so any number of such awaits in a row
   * take constant stack instead of one nested resume each.
   */
  resume(): void {
    const f = this.$f;
    if (f.$g !== this.$g) staleError(this, 'resume()');
    if (f.$s !== SUSPENDED) stateError(f, 'resume()');
    if (f.$q === 1) {
      f.$q = 2;
      return;
    }
    trampoline(f);
  }
  /**
   * @internal Whether a symmetric transfer may run this coroutine here and now. A task's affine
   * handle says no when the current scheduler is not the task's, and schedules the resumption
   * there instead: affinity holds on the transfer path as it does for resume().
   */
  $acceptsTransfer(): boolean {
    return true;
  }
  /** Destroys a suspended coroutine: runs the finally blocks pending at its suspension point, then releases its frame. */
  destroy(): void {
    const f = this.$f;
    if (f.$g !== this.$g) staleError(this, 'destroy()');
    if (f.$s === SUSPENDED) {
      f.$s = RUNNING;
      try {
        f.$r!(f, DESTROY);
      } finally {
        releaseFrame(f);
      }
    } else if (f.$s === DONE) {
      releaseFrame(f);
    } else {
      stateError(f, 'destroy()');
    }
  }
  /** Whether the coroutine is suspended at its final suspend point. */
  done(): boolean {
    const f = this.$f;
    if (f.$g !== this.$g) staleError(this, 'done()');
    return f.$s === DONE;
  }
  get promise(): P {
    const f = this.$f;
    if (f.$g !== this.$g) staleError(this, 'promise');
    return f.$p;
  }
  /** The coroutine's name, for messages. */
  get name(): string {
    return this.$f.$name;
  }
  static fromPromise<P extends object>(p: P): CoroutineHandle<P> {
    return handleOf(frameOfPromise(p));
  }
}

/** @internal The frame whose promise p is (coroutine_handle::from_promise without making a handle). */
export function frameOfPromise(p: object): CoroutineFrame {
  const f: CoroutineFrame | undefined = (p as any)?.[promiseFrame];
  if (f === undefined || f.$p !== p) throw new TypeError('CoroutineHandle.fromPromise: the object is not the promise of a live coroutine');
  return f;
}

/** The handle of a frame's current generation (one per activation, made on first need). */
export function handleOf(f: CoroutineFrame): CoroutineHandle<any> {
  const h = f.$h;
  return h !== null ? h : newHandle(f);
}

// A promise type whose coroutines need more than a plain handle (a task's returns it to its
// scheduler) makes it with $newHandle. Made on first need, so an activation that never really
// suspends (a child task completing inline) allocates no handle at all.
function newHandle(f: CoroutineFrame): CoroutineHandle<any> {
  const p = f.$p;
  return (f.$h = p != null && typeof p.$newHandle === 'function' ? p.$newHandle(f) : new CoroutineHandle(f, f.$g));
}

// The noop coroutine: a frame that is always suspended and whose resumption returns at once.
class NoopLocals {
  get $name(): string {
    return 'noopCoroutine';
  }
}
function noopResume(f: CoroutineFrame): null {
  f.$s = SUSPENDED;
  return null;
}
class NoopHandle extends CoroutineHandle<undefined> {
  override resume(): void {}
  override destroy(): void {}
  override done(): boolean {
    return false;
  }
  override get promise(): undefined {
    return undefined;
  }
}
let noop: NoopHandle | null = null;

/** std::noop_coroutine(): a handle whose resume() and destroy() do nothing; transfer to it returns to the resumer. */
export function noopCoroutine(): CoroutineHandle<undefined> {
  if (noop === null) {
    const f = newFrame(NoopLocals);
    f.$r = noopResume;
    f.$s = SUSPENDED;
    noop = new NoopHandle(f, 0);
    f.$h = noop;
  }
  return noop;
}

/** std::suspend_always. */
export class SuspendAlways implements Awaiter<void> {
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(_h: CoroutineHandle<any>): void {}
  awaitResume(): void {}
}
/** std::suspend_never. */
export class SuspendNever implements Awaiter<void> {
  awaitReady(): boolean {
    return true;
  }
  awaitSuspend(_h: CoroutineHandle<any>): void {}
  awaitResume(): void {}
}
export const suspendAlways: SuspendAlways = /* @__PURE__ */ new SuspendAlways();
export const suspendNever: SuspendNever = /* @__PURE__ */ new SuspendNever();

/**
 * Runs frames until one suspends without naming a successor. Each resume function returns the next
 * frame, so the host stack stays flat however long the chain of inline completions is.
 */
function trampoline(f: CoroutineFrame | null): void {
  while (f !== null) {
    const cur = f;
    cur.$s = RUNNING;
    try {
      f = cur.$r!(cur, RESUME);
    } catch (e) {
      // An exception leaving a resume function (unhandledException rethrew it, or the initial
      // await_resume threw) leaves the coroutine suspended at its final suspend point.
      if (cur.$s === RUNNING) {
        cur.$s = DONE;
        cur.$r = null;
        cur.$a = undefined;
      }
      throw e;
    }
  }
}

/** @internal Runs a suspended coroutine now, as its handle's resume() would, without needing the handle. */
export function resumeFrame(f: CoroutineFrame): void {
  trampoline(f);
}

/** Releases a frame to its allocator: invalidates handles and drops the header's references; the allocator resets or drops the locals. */
function releaseFrame(f: CoroutineFrame): void {
  f.$s = FREE;
  f.$g++;
  // Released inside its own awaitSuspend (an awaiter that stopped or destroyed it): a reuse of the
  // header must not look resumed-from-inside.
  f.$q = 0;
  f.$h = null;
  f.$p = undefined;
  f.$a = undefined;
  f.$r = null;
  f.$al!.free(f);
}

function notAwaiter(f: CoroutineFrame, a: unknown, what: string): never {
  if (isGeneratorObject(a)) throw new CoroutineError(f.$name ?? 'coroutine', unloweredCoroutineMessage(`coroutine '${f.$name}': ${what}`, 'an awaiter'));
  const n = f.$name;
  throw new CoroutineError(n, `coroutine '${n}': ${what} is not an awaiter (it needs awaitReady, awaitSuspend and awaitResume); got ${a === null ? 'null' : typeof a}`);
}

/**
 * The await sequence shared by every suspension kind: await_ready, then await_suspend with the
 * void / bool / handle result rules. Returns the frame to run next (f itself when the await
 * completed without suspending) or null.
 */
function suspendOn(f: CoroutineFrame, a: Awaiter<unknown>, what: string): CoroutineFrame | null {
  if (a == null || typeof a.awaitReady !== 'function') notAwaiter(f, a, what);
  f.$a = a;
  if (a.awaitReady()) return f;
  return awaitSuspend(f, a);
}

/** The await_suspend half of the sequence: `a` was not ready; f.$a already holds it. */
function awaitSuspend(f: CoroutineFrame, a: Awaiter<unknown>): CoroutineFrame | null {
  f.$s = SUSPENDED;
  const g = f.$g;
  const outer = f.$q;
  f.$q = 1;
  let r;
  try {
    r = a.awaitSuspend(handleOf(f));
  } catch (e) {
    // await_suspend threw: the coroutine resumes at once with the exception at the await.
    if (f.$g === g) {
      f.$q = outer;
      if (f.$s === SUSPENDED) f.$s = RUNNING;
    }
    throw e;
  }
  if (f.$g === g) {
    const resumedInside = f.$q === 2;
    f.$q = outer;
    if (resumedInside && f.$s === SUSPENDED) {
      // Resumed from inside awaitSuspend (see CoroutineHandle.resume): continue now, in place.
      f.$s = RUNNING;
      return f;
    }
  }
  if (r === undefined || r === true) return null;
  if (r === false) {
    if (f.$g !== g || f.$s !== SUSPENDED) {
      throw new CoroutineError(f.$name, `coroutine '${f.$name}': awaitSuspend returned false after the coroutine was resumed or destroyed`);
    }
    // Running again: emitted code may continue in place instead of bouncing through the trampoline.
    f.$s = RUNNING;
    return f;
  }
  if (r instanceof CoroutineHandle) return transferTarget(r);
  throw new CoroutineError(f.$name, `coroutine '${f.$name}': awaitSuspend must return undefined, a boolean or a CoroutineHandle`);
}

/** The frame a symmetric transfer to h runs next, or null when h's coroutine must continue elsewhere. */
function transferTarget(h: CoroutineHandle<any>): CoroutineFrame | null {
  const t = h.$f;
  if (t.$g !== h.$g) staleError(h, 'symmetric transfer');
  if (t.$s !== SUSPENDED) stateError(t, 'symmetric transfer');
  return h.$acceptsTransfer() ? t : null;
}

// ---- Helpers called by lowered code -------------------------------------------------------------

/**
 * Ramp step 1: allocate the frame, its locals constructed. `alloc` is the argument after
 * allocatorArg when the coroutine declares one, else undefined. Returns null when the allocator is
 * exhausted (then the ramp returns coAllocationFailed(...)).
 */
export function coAllocate<L extends object>(cls: FrameClass<L>, promiseClass: any, alloc: FrameAllocator | undefined): CoroutineFrame<L> | null {
  const f = coAllocateHeader(cls, promiseClass, alloc);
  if (f !== null && f.$l === undefined) f.$l = new cls();
  return f;
}

/**
 * coAllocate for emitted ramps, which construct the locals themselves when the frame's `$l` is
 * undefined: a frame from the default heap allocator comes without them (HeapAllocator.$header);
 * every other allocator's allocate() returns them constructed, as FrameAllocator promises.
 */
export function coAllocateHeader<L extends object>(cls: FrameClass<L>, promiseClass: any, alloc: FrameAllocator | undefined): CoroutineFrame<L> | null {
  // As in C++, the promise type's allocation functions decide. `frameAllocator` is its
  // operator new(size); `allocatorType` its operator new(size, allocator_arg_t, Alloc, ...): with
  // it, a call-site allocator is taken when it is one (instanceof, unless allocatorType is 'any').
  // A promise type with neither takes any FrameAllocator given at the call.
  const own: FrameAllocator | null | undefined = promiseClass.frameAllocator;
  let a: FrameAllocator | null;
  if (alloc !== undefined) {
    const type = promiseClass.allocatorType;
    if (type === undefined && own != null) allocatorArgRefused(cls, promiseClass);
    if (typeof alloc !== 'object' || alloc === null || typeof alloc.allocate !== 'function' || typeof alloc.free !== 'function' || (typeof type === 'function' && !(alloc instanceof type))) {
      allocatorArgMismatch(cls, promiseClass, alloc);
    }
    a = alloc;
  } else if (own != null) {
    a = own;
  } else {
    // The dynamic scope is the default for coroutines whose promise type does not choose.
    a = scopedFrameAllocator();
    // The usual case, with a call site of its own that sees only the heap allocator, which V8
    // inlines (the one below sees every allocator class of the program).
    if (a === null) return heapAllocator.$header(cls);
  }
  return a.allocate(cls);
}

function coroutineName(cls: FrameClass): string {
  const name = (cls.prototype as any).$name;
  return typeof name === 'string' ? name : 'anonymous coroutine';
}
function allocatorArgRefused(cls: FrameClass, promiseClass: any): never {
  const p = promiseClass.name || 'its promise type';
  throw new TypeError(`coroutine '${coroutineName(cls)}' was called with allocatorArg, but ${p} allocates its frames from its own frameAllocator and declares no allocatorType (C++: it has operator new(size) and no overload taking an allocator); call it without an allocator, or give ${p} a static allocatorType (its operator new taking an allocator)`);
}
function allocatorArgMismatch(cls: FrameClass, promiseClass: any, alloc: unknown): never {
  const t = promiseClass.allocatorType;
  const what = alloc === null ? 'null' : typeof alloc === 'object' ? (alloc as object).constructor?.name ?? 'an object' : typeof alloc;
  const want = typeof t === 'function' ? `${promiseClass.name}.allocatorType, ${t.name}` : 'a FrameAllocator (allocate and free methods)';
  throw new TypeError(`coroutine '${coroutineName(cls)}' was called with allocatorArg and ${what}, which is not ${want}`);
}

/** The ramp's allocation-failure path: getReturnObjectOnAllocationFailure() or FrameAllocationError. */
export function coAllocationFailed(promiseClass: any, cls: FrameClass): any {
  if (typeof promiseClass.getReturnObjectOnAllocationFailure === 'function') return promiseClass.getReturnObjectOnAllocationFailure();
  const name = (cls.prototype as any).$name;
  throw new FrameAllocationError(typeof name === 'string' ? name : 'anonymous coroutine', 'the frame allocator');
}

/** The promise constructor threw in a ramp: the frame goes back to its allocator; returns `e` to rethrow. */
export function coPromiseFailed(f: CoroutineFrame, e: unknown): unknown {
  releaseFrame(f);
  return e;
}

/**
 * Ramp steps after the parameters were copied and the promise constructed: get_return_object(),
 * then co_await initial_suspend(), running the body until it first suspends. Returns the return
 * object. `entry` is the coroutine's first resume function.
 */
export function coStart(f: CoroutineFrame, p: any, entry: CoroutineResumeFunction): any {
  f.$p = p;
  f.$s = RUNNING;
  p[promiseFrame] = f;
  let ro;
  try {
    ro = p.getReturnObject();
    f.$r = entry;
    const a = p.initialSuspend();
    if (a === suspendAlways) {
      // Its awaitSuspend does nothing, so no handle is needed to call it: a lazy coroutine's ramp
      // ends here, suspended before its body.
      f.$a = a;
      f.$s = SUSPENDED;
    } else {
      trampoline(suspendOn(f, a, 'initialSuspend()'));
    }
  } catch (e) {
    // The caller never gets the return object, so nobody else could destroy the frame. A frame
    // still SUSPENDED here transferred control to another coroutine that threw; leave it alone.
    if (f.$s === RUNNING || f.$s === DONE) releaseFrame(f);
    throw e;
  }
  return ro;
}

/** `yield* x` (co_await): await_transform when the promise has it, then the await sequence. */
export function coAwait(f: CoroutineFrame, x: unknown): CoroutineFrame | null {
  const p = f.$p;
  return bodyAwait(f, p.awaitTransform === undefined ? x : p.awaitTransform(x), 'the awaited value');
}

/** `yield v` (co_yield): co_await promise.yieldValue(v), without await_transform. */
export function coYield(f: CoroutineFrame, v: unknown): CoroutineFrame | null {
  return bodyAwait(f, f.$p.yieldValue(v), 'yieldValue(v)');
}

/** An await in the body: the await sequence, and the afterInlineAwait hook when it did not suspend. */
function bodyAwait(f: CoroutineFrame, a: Awaiter<unknown>, what: string): CoroutineFrame | null {
  if (a == null || typeof a.awaitReady !== 'function') notAwaiter(f, a, what);
  f.$a = a;
  if (a.awaitReady()) return completedInline(f, a);
  return coSuspend(f, a);
}

// The await sequence inlined into emitted code (coroutine-abi.md §5): the resume function calls
// awaitTransform / yieldValue, awaitReady and awaitResume itself, at the suspension point, so each
// call site sees only the awaiters of that one `yield*` and V8 can inline them. Only the parts that
// are rare or need runtime state stay here.

/** `a` is not an awaiter: the error lowered code raises before calling awaitReady. */
export function coNotAwaiter(f: CoroutineFrame, a: unknown, what: string): never {
  notAwaiter(f, a, what);
}

/**
 * The awaiter was not ready: await_suspend(handle) with the void / bool / handle rules. Returns the
 * frame to run next, or f itself when awaitSuspend returned false (or transferred to f's own
 * handle); then the coroutine is running again, f.$a holds the awaiter, and emitted code that
 * continues in place reads the result with coResume(f).
 */
export function coSuspend(f: CoroutineFrame, a: Awaiter<unknown>): CoroutineFrame | null {
  f.$a = a;
  const next = awaitSuspend(f, a);
  if (next !== f) return next;
  // A transfer to its own handle is a resumption too; the trampoline would mark it running.
  f.$s = RUNNING;
  return completedInline(f, a);
}

/**
 * The awaiter was ready, but its resume point is another resume function: bounce through the
 * trampoline (f.$r is already set), whose coResume reads the awaiter back.
 */
export function coReady(f: CoroutineFrame, a: Awaiter<unknown>): CoroutineFrame | null {
  f.$a = a;
  return completedInline(f, a);
}

/**
 * An await completed without suspending and its result is still unread in `a` (= f.$a): ask the
 * promise's afterInlineAwait hook whether the coroutine awaits something first.
 */
function completedInline(f: CoroutineFrame, a: Awaiter<unknown>): CoroutineFrame | null {
  const p = f.$p;
  if (p.afterInlineAwait === undefined) return f;
  const y = p.afterInlineAwait();
  return y == null ? f : awaitBefore(f, y, new Interposed(y, a, undefined));
}

/**
 * The emitted counterpart of completedInline, for an await whose resume point is the function it
 * sits in: the result `v` was already read (so the finished awaiter is not kept alive, and V8 can
 * drop it) and the hook returned the awaiter `y`. Returns what coSuspend returns: `f` when the
 * coroutine goes on in place (then coResume(f) gives `v`), else the frame to run next or null.
 */
export function coAwaitBefore(f: CoroutineFrame, y: Awaiter<unknown>, v: unknown): CoroutineFrame | null {
  return awaitBefore(f, y, new Interposed(y, null, v));
}

function awaitBefore(f: CoroutineFrame, y: Awaiter<unknown>, carrier: Awaiter<unknown>): CoroutineFrame | null {
  if (typeof y.awaitReady !== 'function') notAwaiter(f, y, 'afterInlineAwait()');
  f.$a = carrier;
  if (y.awaitReady()) return f;
  const next = awaitSuspend(f, carrier);
  if (next === f) f.$s = RUNNING;
  return next;
}

// What a coroutine awaits when afterInlineAwait interposed `y` before an inline result: y's
// protocol, then the original result, either still unread in the finished awaiter `a` (the
// trampoline path) or already read into `v` (in place). Allocated only when the hook asks for it.
class Interposed implements Awaiter<unknown> {
  constructor(
    private readonly y: Awaiter<unknown>,
    private readonly a: Awaiter<unknown> | null,
    private readonly v: unknown,
  ) {}
  awaitReady(): boolean {
    return this.y.awaitReady();
  }
  awaitSuspend(h: CoroutineHandle<any>): void | boolean | CoroutineHandle<any> {
    return this.y.awaitSuspend(h);
  }
  awaitResume(): unknown {
    this.y.awaitResume();
    return this.a === null ? this.v : this.a.awaitResume();
  }
}

/** First statement after every resume point: await_resume() of the suspension that ended there. */
export function coResume(f: CoroutineFrame): any {
  const a = f.$a;
  f.$a = undefined;
  return a.awaitResume();
}

/** `return v`: promise.returnValue(v), then on to the final suspend point. */
export function coReturn(f: CoroutineFrame, v: unknown): CoroutineFrame {
  f.$p.returnValue(v);
  f.$r = finalSuspend;
  return f;
}

/** Falling off the end or `return;`: promise.returnVoid(), then on to the final suspend point. */
export function coReturnVoid(f: CoroutineFrame): CoroutineFrame {
  const p = f.$p;
  if (typeof p.returnVoid === 'function') p.returnVoid();
  f.$r = finalSuspend;
  return f;
}

/** The body's outermost catch: promise.unhandledException(e), then the final suspend point. */
export function coUnhandled(f: CoroutineFrame, e: unknown): CoroutineFrame {
  f.$p.unhandledException(e);
  f.$r = finalSuspend;
  return f;
}

/**
 * The final suspend point, entered through the trampoline so that it runs outside every try block
 * of the body. When final_suspend() does not suspend, the frame is freed here.
 */
function finalSuspend(f: CoroutineFrame, _m: number): CoroutineFrame | null {
  f.$r = null;
  const p = f.$p;
  const a = p.finalSuspend();
  if (a instanceof ReleasingFinalAwaiter) {
    // What its awaitSuspend would do, without making a handle to pass it.
    f.$s = DONE;
    releaseFrame(f);
    const next = a.next(p);
    return next === null ? null : transferTarget(next);
  }
  if (a == null || typeof a.awaitReady !== 'function') notAwaiter(f, a, 'finalSuspend()');
  if (!a.awaitReady()) {
    f.$s = DONE;
    const g = f.$g;
    const r = a.awaitSuspend(handleOf(f));
    if (r === undefined || r === true) return null;
    if (r !== false) {
      if (r instanceof CoroutineHandle) return transferTarget(r);
      throw new CoroutineError(f.$name, `coroutine '${f.$name}': finalSuspend().awaitSuspend must return undefined, a boolean or a CoroutineHandle`);
    }
    if (f.$g !== g) return null;
  }
  a.awaitResume();
  releaseFrame(f);
  return null;
}

/**
 * @internal A final awaiter that always suspends, frees the frame, and then names the coroutine to
 * transfer to (or null to return to the resumer): a task's. finalSuspend recognises it and skips
 * the handle and the await protocol, which a task pays on every completion.
 */
export abstract class ReleasingFinalAwaiter<P = any> implements Awaiter<void> {
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<P>): CoroutineHandle<any> | boolean {
    const p = h.promise;
    h.destroy();
    const next = this.next(p);
    return next === null ? true : next;
  }
  awaitResume(): void {}
  /** Runs after the frame was freed: the coroutine to run next, or null. */
  abstract next(p: P): CoroutineHandle<any> | null;
}
