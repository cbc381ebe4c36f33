// Frame allocators: counters, recycling, generation checks and every failure mode, driven by a
// hand-lowered coroutine in the documented shape.
import { describe, expect, it } from 'vitest';
import {
  ArenaAllocator,
  BoundedAllocator,
  CoroutineError,
  CoroutineFrame,
  CoroutineHandle,
  FrameAllocationError,
  HeapAllocator,
  PoolAllocator,
  RESUME,
  allocatorArg,
  coAllocate,
  coAllocationFailed,
  coAwait,
  coResume,
  coReturn,
  coStart,
  coUnhandled,
  heapAllocator,
  suspendAlways,
  suspendNever,
  withFrameAllocator,
  type AllocatorArg,
  type FrameAllocator,
} from '../runtime/index.js';

class Holder {
  constructor(readonly h: CoroutineHandle<HoldPromise> | null) {}
  static failed = new Holder(null);
}
class HoldPromise {
  static frameAllocator: FrameAllocator | undefined = undefined;
  static onFailure = false;
  static getReturnObjectOnAllocationFailure?: () => Holder;
  value = 0;
  getReturnObject() {
    return new Holder(CoroutineHandle.fromPromise(this));
  }
  initialSuspend() {
    return suspendNever;
  }
  finalSuspend() {
    return suspendAlways;
  }
  returnValue(v: number) {
    this.value = v;
  }
  unhandledException(e: unknown) {
    throw e;
  }
}

// function* hold(x: number): Holder { yield* suspendAlways; return x * 2; }
// and the same with `(_: AllocatorArg, alloc: FrameAllocator, x: number)`.
class hold$Frame {
  x = 0;
  get $name(): string {
    return 'hold';
  }
  $reset(): void {
    this.x = 0;
  }
}
function hold(x: number): Holder {
  const f = coAllocate(hold$Frame, HoldPromise, undefined);
  if (f === null) return coAllocationFailed(HoldPromise, hold$Frame);
  f.$l.x = x;
  return coStart(f, new HoldPromise(), hold$0);
}
function holdWith(_: AllocatorArg, alloc: FrameAllocator, x: number): Holder {
  const f = coAllocate(hold$Frame, HoldPromise, alloc);
  if (f === null) return coAllocationFailed(HoldPromise, hold$Frame);
  f.$l.x = x;
  return coStart(f, new HoldPromise(), hold$0);
}
function hold$0(f: CoroutineFrame<hold$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    f.$r = hold$1;
    return coAwait(f, suspendAlways);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function hold$1(f: CoroutineFrame<hold$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  try {
    coResume(f);
    return coReturn(f, f.$l.x * 2);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function finish(r: Holder): number {
  const h = r.h!;
  h.resume();
  const v = h.promise.value;
  h.destroy();
  return v;
}

describe('HeapAllocator', () => {
  it('is the default and reports live, peak and total frames', () => {
    const a = new HeapAllocator();
    const r1 = holdWith(allocatorArg, a, 1);
    const r2 = holdWith(allocatorArg, a, 2);
    expect([a.live, a.peak, a.total]).toEqual([2, 2, 2]);
    expect(finish(r1) + finish(r2)).toBe(6);
    holdWith(allocatorArg, a, 3).h!.destroy();
    expect([a.live, a.peak, a.total]).toEqual([0, 2, 3]);
    const before = heapAllocator.total;
    finish(hold(1));
    expect(heapAllocator.total).toBe(before + 1);
  });
});

describe('PoolAllocator', () => {
  it('recycles frames per class with their fields reset', () => {
    const pool = new PoolAllocator();
    const r = holdWith(allocatorArg, pool, 21);
    const frame = r.h!.$f as CoroutineFrame<hold$Frame>;
    const locals = frame.$l;
    expect(finish(r)).toBe(42);
    expect(locals.x).toBe(0); // reset on release
    expect(frame.$l).toBe(locals); // kept with the header for reuse
    expect(pool.pooled).toBe(1);
    const r2 = holdWith(allocatorArg, pool, 5);
    expect(r2.h!.$f).toBe(frame);
    expect(finish(r2)).toBe(10);
    expect([pool.live, pool.peak, pool.total]).toEqual([0, 1, 2]);
  });
  it('catches a handle used after its frame was reused (generation check)', () => {
    const pool = new PoolAllocator();
    const r = holdWith(allocatorArg, pool, 1);
    const stale = r.h!;
    stale.destroy();
    const fresh = holdWith(allocatorArg, pool, 2);
    expect(fresh.h!.$f).toBe(stale.$f);
    expect(() => stale.resume()).toThrow(CoroutineError);
    expect(() => stale.resume()).toThrow(/coroutine 'hold': resume\(\) through a stale handle .*reused/);
    expect(() => stale.promise).toThrow(/stale handle/);
    expect(finish(fresh)).toBe(4); // the new activation is unaffected
  });
  it('keeps at most maxPerClass released frames', () => {
    const pool = new PoolAllocator({ maxPerClass: 2 });
    const rs = [1, 2, 3, 4].map((x) => holdWith(allocatorArg, pool, x));
    rs.forEach((r) => r.h!.destroy());
    expect(pool.pooled).toBe(2);
    expect(pool.live).toBe(0);
  });
});

describe('BoundedAllocator', () => {
  it('throws FrameAllocationError naming the coroutine when exhausted and the promise has no fallback', () => {
    const b = new BoundedAllocator(2);
    const r1 = holdWith(allocatorArg, b, 1);
    const r2 = holdWith(allocatorArg, b, 2);
    expect(() => holdWith(allocatorArg, b, 3)).toThrow(FrameAllocationError);
    expect(() => holdWith(allocatorArg, b, 3)).toThrow(/coroutine 'hold'/);
    expect(b.failures).toBe(2);
    finish(r1);
    const r3 = holdWith(allocatorArg, b, 3); // capacity is back
    expect(finish(r2) + finish(r3)).toBe(10);
    expect([b.live, b.peak, b.total]).toEqual([0, 2, 3]);
  });
  it('returns getReturnObjectOnAllocationFailure() when the promise type has it', () => {
    const b = new BoundedAllocator(0);
    HoldPromise.getReturnObjectOnAllocationFailure = () => Holder.failed;
    try {
      expect(holdWith(allocatorArg, b, 1)).toBe(Holder.failed);
    } finally {
      delete HoldPromise.getReturnObjectOnAllocationFailure;
    }
  });
});

describe('ArenaAllocator', () => {
  it('releases in bulk; handles kept across reset() are errors; objects are recycled', () => {
    const arena = new ArenaAllocator();
    const done = holdWith(allocatorArg, arena, 1);
    const pending = holdWith(allocatorArg, arena, 2);
    expect(finish(done)).toBe(2);
    expect(arena.live).toBe(1);
    const h = pending.h!;
    arena.reset();
    expect(arena.live).toBe(0);
    expect(() => h.resume()).toThrow(/coroutine 'hold': resume\(\) (after it was destroyed|through a stale handle)/);
    expect(() => h.destroy()).toThrow(CoroutineError);
    const again = holdWith(allocatorArg, arena, 3);
    expect([done.h!.$f, h.$f]).toContain(again.h!.$f);
    expect(finish(again)).toBe(6);
    expect(arena.total).toBe(3);
  });
});

describe('allocator selection', () => {
  it("the promise type's own allocator beats the dynamic scope, which beats the heap (C++: the promise's operator new decides)", () => {
    const scoped = new PoolAllocator();
    const byType = new PoolAllocator();
    withFrameAllocator(scoped, () => finish(hold(1)));
    expect(scoped.total).toBe(1);
    HoldPromise.frameAllocator = byType;
    try {
      withFrameAllocator(scoped, () => finish(hold(1)));
      expect([scoped.total, byType.total]).toEqual([1, 1]);
    } finally {
      HoldPromise.frameAllocator = undefined;
    }
  });

  it('a call-site allocator: taken over every default when the promise type accepts one, refused when it only has its own', () => {
    const perCall = new PoolAllocator();
    const scoped = new PoolAllocator();
    const byType = new PoolAllocator();
    // no allocator of its own: any FrameAllocator given at the call
    withFrameAllocator(scoped, () => finish(holdWith(allocatorArg, perCall, 1)));
    expect([perCall.total, scoped.total]).toEqual([1, 0]);
    HoldPromise.frameAllocator = byType;
    try {
      // operator new(size) only: an allocator at the call is an error, not silently ignored
      expect(() => holdWith(allocatorArg, perCall, 1)).toThrow(/allocates its frames from its own frameAllocator and declares no allocatorType/);
      (HoldPromise as any).allocatorType = 'any';
      finish(holdWith(allocatorArg, perCall, 1));
      expect([perCall.total, byType.total]).toEqual([2, 0]);
      // allocator_type: the call's allocator must convert (instanceof)
      (HoldPromise as any).allocatorType = BoundedAllocator;
      expect(() => holdWith(allocatorArg, perCall, 1)).toThrow(/was called with allocatorArg and PoolAllocator, which is not HoldPromise.allocatorType, BoundedAllocator/);
      const bounded = new BoundedAllocator(4);
      finish(holdWith(allocatorArg, bounded, 1));
      expect(bounded.total).toBe(1);
      // not an allocator at all
      (HoldPromise as any).allocatorType = 'any';
      expect(() => holdWith(allocatorArg, { allocate: 1 } as any, 1)).toThrow(/which is not a FrameAllocator \(allocate and free methods\)/);
      expect(perCall.live + byType.live + bounded.live).toBe(0);
    } finally {
      HoldPromise.frameAllocator = undefined;
      delete (HoldPromise as any).allocatorType;
    }
  });

  it('restores the outer scope when the scoped function throws', () => {
    const outer = new PoolAllocator();
    const inner = new PoolAllocator();
    withFrameAllocator(outer, () => {
      expect(() => withFrameAllocator(inner, () => {
        throw new Error('x');
      })).toThrow('x');
      finish(hold(1));
    });
    expect([outer.total, inner.total]).toEqual([1, 0]);
  });
});
