// Frame allocators. A frame is a header object plus the coroutine's locals object, so "allocating"
// means handing out such a pair for a locals class: the heap allocator makes one, the others
// recycle released pairs to keep the garbage collector out of hot loops. The runtime invalidates a
// frame (resets its header, bumps its generation) before free() sees it; resetting or dropping the
// locals is the allocator's choice, so frames the heap allocator releases cost no reset at all.
import { CoroutineFrame, FREE, newFrame, resetLocals, type FrameAllocator, type FrameClass } from './frame.js';

export type { FrameAllocator, FrameClass } from './frame.js';

/** Frame counters every allocator reports. */
abstract class CountingAllocator {
  live = 0;
  peak = 0;
  total = 0;
  protected counted<L>(f: CoroutineFrame<L>): CoroutineFrame<L> {
    f.$al = this as unknown as FrameAllocator;
    this.total++;
    if (++this.live > this.peak) this.peak = this.live;
    return f;
  }
}

/** The default: every frame is a fresh object left to the garbage collector once released. */
export class HeapAllocator extends CountingAllocator implements FrameAllocator {
  allocate<L extends object>(cls: FrameClass<L>): CoroutineFrame<L> | null {
    return this.counted(newFrame(cls));
  }
  /**
   * @internal allocate() without the locals: `$l` stays undefined for the emitted ramp to construct
   * (coAllocateHeader), where its `new` sees one class. Constructed here, a program's every locals
   * class meets at one call site, which V8 then cannot inline (9 of 55 ns per awaited child task).
   */
  $header<L extends object>(cls: FrameClass<L>): CoroutineFrame<L> {
    return this.counted(new CoroutineFrame<L>(cls, undefined as unknown as L));
  }
  free(f: CoroutineFrame): void {
    this.live--;
    // A stale handle may keep the header alive; it must not keep the coroutine's values too.
    f.$l = undefined;
  }
}

/** The allocator used when neither the call, the dynamic scope nor the promise type picks one. */
export const heapAllocator: HeapAllocator = /* @__PURE__ */ new HeapAllocator();

export interface PoolOptions {
  /** Released frames kept per frame class; more are left to the garbage collector. Default 1024. */
  maxPerClass?: number;
}

/**
 * Keeps released frames on a free list per coroutine (locals class), with their locals reset. Reuse
 * is safe because release bumps the frame's generation: a handle kept from the previous use fails
 * its generation check.
 */
export class PoolAllocator extends CountingAllocator implements FrameAllocator {
  readonly maxPerClass: number;
  // Keyed by locals class; a frame finds its list again through its $k.
  protected readonly lists = new Map<Function, CoroutineFrame[]>();
  constructor(options: PoolOptions = {}) {
    super();
    this.maxPerClass = options.maxPerClass ?? 1024;
  }
  allocate<L extends object>(cls: FrameClass<L>): CoroutineFrame<L> | null {
    const list = this.lists.get(cls);
    if (list !== undefined && list.length > 0) return this.counted(list.pop() as CoroutineFrame<L>);
    return this.counted(newFrame(cls));
  }
  free(f: CoroutineFrame): void {
    this.live--;
    if (resetLocals(f)) this.keep(f);
  }
  /** Frames currently held for reuse, over all classes. */
  get pooled(): number {
    let n = 0;
    for (const l of this.lists.values()) n += l.length;
    return n;
  }
  protected keep(f: CoroutineFrame): void {
    const cls = f.$k;
    let list = this.lists.get(cls);
    if (list === undefined) this.lists.set(cls, (list = []));
    if (list.length < this.maxPerClass) list.push(f);
  }
}

/**
 * A fixed number of frames, like a non-paged pool: once `capacity` frames are live, allocation
 * fails and the ramp returns the promise type's getReturnObjectOnAllocationFailure() or throws
 * FrameAllocationError. Released frames are recycled.
 */
export class BoundedAllocator extends PoolAllocator {
  readonly capacity: number;
  /** Allocations refused because the capacity was reached. */
  failures = 0;
  constructor(capacity: number) {
    super({ maxPerClass: capacity });
    if (!(capacity >= 0)) throw new RangeError(`BoundedAllocator capacity must be >= 0, got ${capacity}`);
    this.capacity = capacity;
  }
  override allocate<L extends object>(cls: FrameClass<L>): CoroutineFrame<L> | null {
    if (this.live >= this.capacity) {
      this.failures++;
      return null;
    }
    return super.allocate(cls);
  }
}

/**
 * Bulk release: frames are never recycled one by one; reset() releases every frame handed out since
 * the last reset at once (frames still suspended are invalidated without running their finally
 * blocks) and recycles them all. A handle kept across reset() is stale and throws when used.
 */
export class ArenaAllocator extends PoolAllocator {
  private handedOut: CoroutineFrame[] = [];
  /** Resets so far. */
  resets = 0;
  constructor() {
    super({ maxPerClass: Infinity });
  }
  override allocate<L extends object>(cls: FrameClass<L>): CoroutineFrame<L> | null {
    const f = super.allocate(cls)!;
    this.handedOut.push(f);
    return f;
  }
  override free(_f: CoroutineFrame): void {
    // Individual releases only update the count; the object is recycled at reset().
    this.live--;
  }
  reset(): void {
    const all = this.handedOut;
    this.handedOut = [];
    for (let i = 0; i < all.length; i++) {
      const f = all[i];
      if (f.$s !== FREE) {
        f.$s = FREE;
        f.$g++;
        f.$h = null;
        f.$p = undefined;
        f.$a = undefined;
        f.$r = null;
        f.$q = 0;
      }
      if (resetLocals(f)) this.keep(f);
    }
    this.live = 0;
    this.resets++;
  }
}

// The allocator of the innermost withFrameAllocator scope, or null.
let scoped: FrameAllocator | null = null;

/** The allocator set by the innermost enclosing withFrameAllocator call, if any. */
export function scopedFrameAllocator(): FrameAllocator | null {
  return scoped;
}

/**
 * Runs `fn` with `alloc` as the frame allocator for every coroutine called (ramped) synchronously
 * inside it, unless the call passes its own with allocatorArg.
 */
export function withFrameAllocator<R>(alloc: FrameAllocator, fn: () => R): R {
  const prev = scoped;
  scoped = alloc;
  try {
    return fn();
  } finally {
    scoped = prev;
  }
}
