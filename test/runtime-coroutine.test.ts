// The promise-type protocol, driven by hand-lowered frames written exactly in the shape
// docs/coroutine-abi.md specifies, with a promise type that records every call it receives.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CoroutineError,
  CoroutineFrame,
  CoroutineHandle,
  RESUME,
  coAllocate,
  coAllocationFailed,
  coAwait,
  coResume,
  coReturn,
  coReturnVoid,
  coStart,
  coUnhandled,
  coYield,
  noopCoroutine,
  suspendAlways,
} from '../runtime/index.js';
import { Recorded, RecordingAllocator, RecordingAwaiter, RecordingPromise } from './helpers/recording.js';

// function* rec(log: string[], x: number, aw: Awaiter<number>): Recorded {
//   try {
//     const a = yield* aw;
//     yield a + 1;
//     if (x < 0) throw new Error('negative');
//     return a + x;
//   } finally {
//     log.push('finally');
//   }
// }
class rec$Frame {
  log: string[] = null!;
  x = 0;
  aw: unknown = undefined;
  a = 0;
  get $name(): string {
    return 'rec';
  }
  $reset(): void {
    this.log = null!;
    this.x = 0;
    this.aw = undefined;
    this.a = 0;
  }
}
function rec(log: string[], x: number, aw: unknown): Recorded {
  const f = coAllocate(rec$Frame, RecordingPromise, undefined);
  if (f === null) return coAllocationFailed(RecordingPromise, rec$Frame);
  f.$l.log = log;
  f.$l.x = x;
  f.$l.aw = aw;
  return coStart(f, new RecordingPromise(log, x, 'aw'), rec$0);
}
function rec$0(f: CoroutineFrame<rec$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    try {
      f.$r = rec$1;
      return coAwait(f, f.$l.aw);
    } catch (e) {
      f.$l.log.push('finally');
      throw e;
    }
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function rec$1(f: CoroutineFrame<rec$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) {
    f.$l.log.push('finally');
    return null;
  }
  try {
    try {
      f.$l.a = coResume(f);
      f.$r = rec$2;
      return coYield(f, f.$l.a + 1);
    } catch (e) {
      f.$l.log.push('finally');
      throw e;
    }
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function rec$2(f: CoroutineFrame<rec$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) {
    f.$l.log.push('finally');
    return null;
  }
  try {
    let rv: number;
    try {
      coResume(f);
      if (f.$l.x < 0) throw new Error('negative');
      rv = f.$l.a + f.$l.x;
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

// function* empty(): Recorded {}   -- falls off the end: returnVoid
class empty$Frame {
  get $name(): string {
    return 'empty';
  }
}
function empty(): Recorded {
  const f = coAllocate(empty$Frame, RecordingPromise, undefined);
  if (f === null) return coAllocationFailed(RecordingPromise, empty$Frame);
  return coStart(f, new RecordingPromise(), empty$0);
}
function empty$0(f: CoroutineFrame<empty$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    return coReturnVoid(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

let log: string[];
let alloc: RecordingAllocator;
beforeEach(() => {
  log = RecordingPromise.log = [];
  RecordingPromise.options = {};
  alloc = new RecordingAllocator(log);
  (RecordingPromise as any).frameAllocator = alloc;
});

describe('promise-type protocol order', () => {
  it('runs every step in the order C++ defines', () => {
    const aw = new RecordingAwaiter(log, 'aw', false, () => undefined, 5);
    const r = rec(log, 10, aw);
    log.push('ramp returned');
    const h = r.handle;
    expect(h.done()).toBe(false);
    h.resume(); // past the initial suspend, up to the await
    log.push('caller resumes');
    h.resume(); // past the await, up to the yield
    log.push('caller resumes');
    h.resume(); // past the yield, to the final suspend
    expect(h.done()).toBe(true);
    expect(r.promise.result).toBe(15);
    log.push('caller destroys');
    h.destroy();
    expect(log).toEqual([
      'allocate(rec)',
      'promise(log,10,aw)',
      'getReturnObject',
      'initialSuspend',
      'initial.awaitReady',
      'initial.awaitSuspend',
      'ramp returned',
      'initial.awaitResume',
      'awaitTransform',
      'aw.awaitReady',
      'aw.awaitSuspend',
      'caller resumes',
      'aw.awaitResume',
      'yieldValue(6)',
      'yield.awaitReady',
      'yield.awaitSuspend',
      'caller resumes',
      'yield.awaitResume',
      'finally',
      'returnValue(15)',
      'finalSuspend',
      'final.awaitReady',
      'final.awaitSuspend',
      'caller destroys',
      'free(rec)',
    ]);
    expect(alloc.live).toBe(0);
  });

  it('calls returnVoid when the body falls off the end, and frees the frame when finalSuspend does not suspend', () => {
    RecordingPromise.options = { initialReady: true, finalReady: true };
    empty();
    expect(log).toEqual([
      'allocate(empty)',
      'promise()',
      'getReturnObject',
      'initialSuspend',
      'initial.awaitReady',
      'initial.awaitResume',
      'returnVoid',
      'finalSuspend',
      'final.awaitReady',
      'final.awaitResume',
      'free(empty)',
    ]);
    expect(alloc.live).toBe(0);
  });

  it('routes an exception from the body to unhandledException after the finally blocks, then final suspend', () => {
    RecordingPromise.options = { initialReady: true };
    const r = rec(log, -1, new RecordingAwaiter(log, 'aw', true, undefined, 1));
    r.handle.resume();
    expect(log.slice(-6)).toEqual(['yield.awaitResume', 'finally', 'unhandledException(negative)', 'finalSuspend', 'final.awaitReady', 'final.awaitSuspend']);
    expect(r.handle.done()).toBe(true);
    r.handle.destroy();
  });

  it('propagates a rethrow from unhandledException to the resumer and leaves the coroutine at its final suspend point', () => {
    RecordingPromise.options = { initialReady: true, rethrow: true };
    const r = rec(log, -1, new RecordingAwaiter(log, 'aw', true, undefined, 1));
    const h = r.handle;
    expect(() => h.resume()).toThrow('negative');
    expect(h.done()).toBe(true);
    expect(log).not.toContain('finalSuspend');
    h.destroy();
    expect(alloc.live).toBe(0);
  });

  it('propagates an exception from getReturnObject to the caller and frees the frame', () => {
    RecordingPromise.options = { getReturnObjectThrows: true };
    expect(() => rec(log, 1, null)).toThrow('no return object');
    expect(log).toEqual(['allocate(rec)', 'promise(log,1,aw)', 'getReturnObject', 'free(rec)']);
  });
});

describe('await_suspend results', () => {
  it('false resumes at once without suspending', () => {
    RecordingPromise.options = { initialReady: true };
    const r = rec(log, 1, new RecordingAwaiter(log, 'aw', false, () => false, 2));
    expect(log.slice(-5)).toEqual(['aw.awaitSuspend', 'aw.awaitResume', 'yieldValue(3)', 'yield.awaitReady', 'yield.awaitSuspend']);
    r.handle.destroy();
  });
  it('a handle transfers control symmetrically to that coroutine', () => {
    RecordingPromise.options = {};
    const other = rec(log, 100, new RecordingAwaiter(log, 'other', true, undefined, 1));
    RecordingPromise.options = { initialReady: true };
    const r = rec(log, 1, new RecordingAwaiter(log, 'aw', false, () => other.handle, 2));
    // `other` runs from its initial suspend point to its yield; then control returns to our resumer.
    expect(log.slice(log.indexOf('aw.awaitSuspend'))).toEqual([
      'aw.awaitSuspend', 'initial.awaitResume', 'awaitTransform', 'other.awaitReady', 'other.awaitResume', 'yieldValue(2)', 'yield.awaitReady', 'yield.awaitSuspend',
    ]);
    other.handle.destroy();
    r.handle.destroy();
  });
  it('an exception from awaitSuspend is thrown at the await point inside the coroutine', () => {
    RecordingPromise.options = { initialReady: true };
    const r = rec(log, 1, new RecordingAwaiter(log, 'aw', false, () => {
      throw new Error('suspend failed');
    }));
    expect(log.slice(-6)).toEqual(['aw.awaitSuspend', 'finally', 'unhandledException(suspend failed)', 'finalSuspend', 'final.awaitReady', 'final.awaitSuspend']);
    r.handle.destroy();
  });
  it('rejects a value that is not an awaiter, naming the coroutine', () => {
    RecordingPromise.options = { initialReady: true, rethrow: true };
    expect(() => rec(log, 1, 42)).toThrow(/coroutine 'rec': the awaited value is not an awaiter/);
    expect(alloc.live).toBe(0);
  });
});

describe('CoroutineHandle', () => {
  it('destroy() of a suspended coroutine runs its pending finally blocks and frees the frame', () => {
    const r = rec(log, 1, new RecordingAwaiter(log, 'aw', false));
    r.handle.resume();
    const h = r.handle;
    h.destroy();
    expect(log.slice(-2)).toEqual(['finally', 'free(rec)']);
    expect(alloc.live).toBe(0);
  });
  it('destroy() at the initial suspend point runs no finally block', () => {
    const r = rec(log, 1, null);
    r.handle.destroy();
    expect(log).not.toContain('finally');
    expect(alloc.live).toBe(0);
  });
  it('throws, naming the coroutine, on resume after done, double destroy and resume while running', () => {
    RecordingPromise.options = { initialReady: true };
    const r = rec(log, 1, new RecordingAwaiter(log, 'aw', true, undefined, 1));
    const h = r.handle;
    h.resume();
    expect(h.done()).toBe(true);
    expect(() => h.resume()).toThrow(CoroutineError);
    expect(() => h.resume()).toThrow(/coroutine 'rec': resume\(\) after it completed/);
    h.destroy();
    expect(() => h.destroy()).toThrow(/coroutine 'rec': destroy\(\) after it was destroyed/);
    expect(() => h.resume()).toThrow(/coroutine 'rec'/);

    let inner: unknown;
    const r2 = rec(log, 1, new RecordingAwaiter(log, 'aw', false, (hh) => {
      try {
        // The coroutine counts as suspended inside awaitSuspend, so this resume is legal; it
        // reaches the yield and then tries to resume itself while running.
        hh.resume();
      } catch (e) {
        inner = e;
      }
    }));
    void r2;
    expect(inner).toBeUndefined();
  });
  it('detects resume while running', () => {
    let h!: CoroutineHandle<RecordingPromise>;
    let err: unknown;
    RecordingPromise.options = {};
    const r2 = rec(log, 1, {
      awaitReady() {
        try {
          h.resume();
        } catch (e) {
          err = e;
        }
        return true;
      },
      awaitSuspend() {},
      awaitResume() {
        return 0;
      },
    });
    h = r2.handle;
    h.resume();
    expect(err).toBeInstanceOf(CoroutineError);
    expect((err as Error).message).toMatch(/coroutine 'rec': resume\(\) while it is running/);
    h.destroy();
  });
  it('fromPromise finds the handle; noopCoroutine does nothing; suspendAlways suspends', () => {
    const r = rec(log, 1, suspendAlways);
    const h = CoroutineHandle.fromPromise(r.promise);
    expect(h).toBe(r.handle);
    expect(h.promise).toBe(r.promise);
    expect(h.name).toBe('rec');
    expect(() => CoroutineHandle.fromPromise({})).toThrow(TypeError);
    const n = noopCoroutine();
    n.resume();
    n.destroy();
    expect(n.done()).toBe(false);
    h.resume();
    expect(log.at(-1)).toBe('awaitTransform'); // suspended in suspendAlways
    h.destroy();
  });
});

// function* pingPong(n: number, box: { other: CoroutineHandle | null }): Recorded {
//   for (let i = 0; i < n; i++) yield* transferTo(box.other);
// }
// Two of these hand control back and forth by symmetric transfer; a recursive implementation would
// need 2n host frames.
class pp$Frame {
  n = 0;
  box: { other: CoroutineHandle<any> | null; count: number } = null!;
  i = 0;
  get $name(): string {
    return 'pingPong';
  }
}
class TransferTo {
  constructor(readonly box: { other: CoroutineHandle<any> | null }) {}
  awaitReady() {
    return false;
  }
  awaitSuspend() {
    return this.box.other ?? noopCoroutine();
  }
  awaitResume() {}
}
class PlainPromise {
  getReturnObject() {
    return CoroutineHandle.fromPromise(this);
  }
  initialSuspend() {
    return suspendAlways;
  }
  finalSuspend() {
    return suspendAlways;
  }
  returnVoid() {}
  unhandledException(e: unknown) {
    throw e;
  }
}
function pingPong(n: number, box: pp$Frame['box']): CoroutineHandle<PlainPromise> {
  const f = coAllocate(pp$Frame, PlainPromise, undefined)!;
  f.$l.n = n;
  f.$l.box = box;
  return coStart(f, new PlainPromise(), pp$0);
}
function pp$0(f: CoroutineFrame<pp$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    f.$l.i = 0;
    return pp$loop(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function pp$loop(f: CoroutineFrame<pp$Frame>): CoroutineFrame | null {
  if (f.$l.i < f.$l.n) {
    f.$r = pp$1;
    return coAwait(f, new TransferTo(f.$l.box));
  }
  return coReturnVoid(f);
}
function pp$1(f: CoroutineFrame<pp$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  try {
    coResume(f);
    f.$l.box.count++;
    f.$l.i++;
    return pp$loop(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

describe('trampoline', () => {
  it('runs a million symmetric transfers in constant stack', () => {
    const boxA = { other: null as CoroutineHandle<any> | null, count: 0 };
    const boxB = { other: null as CoroutineHandle<any> | null, count: 0 };
    const a = pingPong(1_000_000, boxA);
    const b = pingPong(1_000_000, boxB);
    boxA.other = b;
    boxB.other = a;
    a.resume();
    expect(boxA.count + boxB.count).toBeGreaterThanOrEqual(1_999_999);
    expect(a.done() || b.done()).toBe(true);
  });
});

// function* countTo(n: number, aw: Awaiter<number>): Recorded { let s = 0; for (let i = 0; i < n; i++) s += yield* aw; return s; }
// lowered with the optional in-place continuation (coroutine-abi.md §5) inside a native loop.
class countTo$Frame {
  n = 0;
  aw: unknown = undefined;
  s = 0;
  i = 0;
  get $name(): string {
    return 'countTo';
  }
}
function countTo(n: number, aw: unknown): Recorded {
  const f = coAllocate(countTo$Frame, RecordingPromise, undefined);
  if (f === null) return coAllocationFailed(RecordingPromise, countTo$Frame);
  f.$l.n = n;
  f.$l.aw = aw;
  return coStart(f, new RecordingPromise(n, 'aw'), countTo$0);
}
function countTo$0(f: CoroutineFrame<countTo$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    f.$l.s = 0;
    f.$l.i = 0;
    if (f.$l.i < f.$l.n) {
      f.$r = countTo$1;
      const next = coAwait(f, f.$l.aw);
      if (next !== f) return next;
      return countTo$body(f);
    }
    return coReturn(f, f.$l.s);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
// The loop body after the await, entered from countTo$0 (in place) and countTo$1 (after a suspension).
function countTo$body(f: CoroutineFrame<countTo$Frame>): CoroutineFrame | null {
  for (;;) {
    f.$l.s += coResume(f);
    f.$l.i++;
    if (!(f.$l.i < f.$l.n)) return coReturn(f, f.$l.s);
    f.$r = countTo$1;
    const next = coAwait(f, f.$l.aw);
    if (next !== f) return next;
  }
}
function countTo$1(f: CoroutineFrame<countTo$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  try {
    return countTo$body(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

describe('in-place continuation', () => {
  it('continues in a native loop when awaits complete inline, and still suspends when they do not', () => {
    RecordingPromise.options = { initialReady: true };
    let k = 0;
    const aw = {
      awaitReady: () => k % 3 !== 2, // every third await goes through awaitSuspend
      awaitSuspend: () => k % 2 === 0 && k !== 2 ? false : undefined, // ... which sometimes resumes at once
      awaitResume: () => ++k,
    };
    const r = countTo(100_000, aw);
    let resumes = 0;
    while (!r.handle.done()) {
      r.handle.resume();
      resumes++;
    }
    expect(r.promise.result).toBe((100_000 * 100_001) / 2);
    expect(resumes).toBeGreaterThan(10_000);
    expect(resumes).toBeLessThan(40_000);
    r.handle.destroy();
  });
  it('leaves the coroutine running after awaitSuspend returned false, so re-entry is still caught', () => {
    RecordingPromise.options = { initialReady: true };
    let h: CoroutineHandle<RecordingPromise> | null = null;
    let err: unknown;
    let calls = 0;
    const aw = {
      awaitReady: () => false,
      awaitSuspend: () => false,
      awaitResume: () => {
        if (++calls === 2 && h) {
          try {
            h.resume();
          } catch (e) {
            err = e;
          }
        }
        return 1;
      },
    };
    RecordingPromise.options = {};
    const r = countTo(3, aw);
    h = r.handle;
    h.resume();
    expect((err as Error)?.message).toMatch(/coroutine 'countTo': resume\(\) while it is running/);
    expect(r.promise.result).toBe(3);
    h.destroy();
  });
});
