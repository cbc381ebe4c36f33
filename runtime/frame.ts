// The coroutine frame. Every promise-type coroutine frame is one runtime-owned header object, a
// CoroutineFrame, whose `$l` holds the coroutine's own values: an instance of the lowered
// coroutine's locals class, with one field per parameter and per local live across a suspension
// point. The header is a single class for the whole program, so the runtime's shared code (the
// trampoline, the await sequence, final suspend, release) sees one hidden class and its property
// accesses stay monomorphic however many coroutine types a program has; each locals class is only
// touched by its own resume functions. Every field is created in the constructor, so all instances
// of one class share a hidden class, and pooled frames keep it when they are reset and reused.

/**
 * A resume function: one per resume point of a lowered coroutine, a module-level function. With
 * mode RESUME it runs the body from that point to the next suspension and returns the frame the
 * trampoline runs next (itself, another coroutine's frame for symmetric transfer) or null to return
 * to whoever resumed. With mode DESTROY it runs the finally blocks pending at that point and
 * returns null.
 */
export type CoroutineResumeFunction = (f: any, m: number) => CoroutineFrame | null;

/** Resume-function modes. */
export const RESUME = 0;
export const DESTROY = 1;

// Frame states ($s). A frame is SUSPENDED at a resume point, RUNNING inside a resume function,
// DONE when suspended at its final suspend point, FREE once released to its allocator.
export const SUSPENDED = 0;
export const RUNNING = 1;
export const DONE = 2;
export const FREE = 3;

/** The allocator contract; see allocators.ts. Declared here so frames can name their owner. */
export interface FrameAllocator {
  /**
   * Returns a frame whose `$l` is an instance of the locals class `cls` ready for a ramp (fresh, or
   * reset by `resetLocals`), or null when the allocator is exhausted. `newFrame(cls)` makes one.
   */
  allocate<L extends object>(cls: FrameClass<L>): CoroutineFrame<L> | null;
  /** Takes back a frame the runtime has already invalidated; its locals are the allocator's to reset or drop. */
  free(f: CoroutineFrame): void;
  readonly live: number;
  readonly peak: number;
  readonly total: number;
}

/**
 * A coroutine's locals class: constructed with no arguments. It may declare a `$name` getter (the
 * coroutine's name in messages) and `$reset()` (restore every field to its constructor value, so a
 * pooled frame does not keep the previous activation's values alive). Only frames whose class has
 * `$reset` are recycled: without it the object may still be in use after its activation ended (a
 * closure captured a frame variable), so allocators never hand it out again.
 */
export type FrameClass<L extends object = object> = (new () => L) & { readonly prototype: L };

/** The header of every promise-type coroutine frame; `$l` holds the coroutine's own values. */
export class CoroutineFrame<L = any> {
  /** Resume pointer: the resume function to run next, null once at the final suspend point. */
  declare $r: CoroutineResumeFunction | null;
  /** The promise object. */
  declare $p: any;
  /** The awaiter of the suspension in progress, read back by coResume. */
  declare $a: any;
  /** State: SUSPENDED, RUNNING, DONE or FREE. */
  declare $s: number;
  /** Generation: bumped on every release, so handles to a reused frame are caught. */
  declare $g: number;
  /** The handle of the current generation, created on first need. */
  declare $h: any;
  /** The allocator that owns this frame. */
  declare $al: FrameAllocator | null;
  /** The coroutine's own values: parameters and locals live across a suspension point. */
  declare $l: L;
  /** The locals class, for the coroutine's name and for pooling by coroutine. */
  declare $k: FrameClass<any>;
  /**
   * 1 while the coroutine's current awaiter runs awaitSuspend, 2 once something resumed it from in
   * there (the resumption then waits for awaitSuspend to return; see CoroutineHandle.resume).
   */
  declare $q: number;
  constructor(cls: FrameClass<any>, locals: L) {
    this.$r = null;
    this.$p = undefined;
    this.$a = undefined;
    this.$s = FREE;
    this.$g = 0;
    this.$h = null;
    this.$al = null;
    this.$l = locals;
    this.$k = cls;
    this.$q = 0;
  }
  /** The coroutine's name for error messages (its locals class's `$name`). */
  get $name(): string {
    const n = (this.$k.prototype as any).$name;
    return typeof n === 'string' ? n : 'anonymous coroutine';
  }
}

/** A new frame for the locals class `cls`: what an allocator's allocate() hands out when it has none to reuse. */
export function newFrame<L extends object>(cls: FrameClass<L>): CoroutineFrame<L> {
  return new CoroutineFrame(cls, new cls());
}

/**
 * Restores a released frame's locals to their constructor values so an allocator can reuse the
 * frame; returns false when the frame must not be reused (its class has no `$reset`).
 */
export function resetLocals(f: CoroutineFrame): boolean {
  const l = f.$l;
  if (typeof l.$reset !== 'function') return false;
  l.$reset();
  return true;
}

/** A coroutine was used in a way the protocol forbids; the message names it. */
export class CoroutineError extends Error {
  readonly coroutine: string;
  constructor(coroutine: string, message: string) {
    super(message);
    this.name = 'CoroutineError';
    this.coroutine = coroutine;
  }
}

/** A frame could not be allocated and the promise type has no getReturnObjectOnAllocationFailure. */
export class FrameAllocationError extends Error {
  readonly coroutine: string;
  constructor(coroutine: string, allocator: string) {
    super(`cannot allocate a frame for coroutine '${coroutine}': ${allocator} is exhausted`);
    this.name = 'FrameAllocationError';
    this.coroutine = coroutine;
  }
}
