// The coroutine frame: the one object a lowered promise-type coroutine keeps across suspension
// points. Lowered frame classes extend CoroutineFrame and add one field per parameter and per local
// live across a suspension point. Every field is created in the constructor so all instances of one
// frame class share a hidden class, and pooled frames keep it when they are reset and reused.

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
  /** Returns a frame of class `cls` ready for a ramp, or null when the allocator is exhausted. */
  allocate<F extends CoroutineFrame>(cls: FrameClass<F>): F | null;
  /** Takes back a frame the runtime has already reset and invalidated. */
  free(f: CoroutineFrame): void;
  readonly live: number;
  readonly peak: number;
  readonly total: number;
}

export type FrameClass<F extends CoroutineFrame = CoroutineFrame> = (new () => F) & { readonly prototype: F };

/** Base class of every lowered promise-type coroutine frame. */
export class CoroutineFrame {
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
  // Assignments, not field initializers: an initializer defines the property (DefineOwnProperty),
  // and this constructor runs for every frame class of the program, so its sites are megamorphic;
  // a megamorphic define goes to the runtime, an assignment to V8's stub cache. Measured with six
  // frame classes live: a 100-deep task chain went from 155 to 60 µs.
  constructor() {
    this.$r = null;
    this.$p = undefined;
    this.$a = undefined;
    this.$s = FREE;
    this.$g = 0;
    this.$h = null;
    this.$al = null;
  }
  /** The coroutine's name for error messages; lowered frames override the getter. */
  get $name(): string {
    return 'anonymous coroutine';
  }
  /** Restores every subclass field to its constructor value; lowered frames override it. */
  $reset(): void {}
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
