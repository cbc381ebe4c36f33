// The driver framework's invariants: exactly-once completion, leak reports with creation sites,
// cancel-safe queues, parked request coroutines, remove locks, fire-and-forget and allocation
// failure turned into InsufficientResources.
import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  BoundedAllocator,
  CancelSafeQueue,
  CancellationToken,
  CoroutineFrame,
  Device,
  DispatchPromise,
  FireAndForgetPromise,
  Major,
  RESUME,
  Request,
  RequestError,
  RequestWaitQueue,
  Status,
  allocatorArg,
  coAllocate,
  coAllocationFailed,
  coAwait,
  coResume,
  coReturnVoid,
  coStart,
  coUnhandled,
  dispatchAllocationFailed,
  onRequestLeak,
  outstandingRequests,
  resumeBackground,
  type AllocatorArg,
  type Dispatch,
  type FileObject,
  type FireAndForget,
  type FrameAllocator,
  type RequestInfo,
} from '../runtime/index.js';

// function* serve(_: AllocatorArg, alloc: FrameAllocator, q: RequestWaitQueue, req: Request, log: string[]): Dispatch {
//   try { yield* q.wait(req); req.complete(Status.Success, 1); } finally { log.push('finally'); }
// }
class serve$Frame {
  q: RequestWaitQueue = null!;
  req: Request = null!;
  log: string[] = null!;
  get $name(): string {
    return 'serve';
  }
  $reset(): void {
    this.q = null!;
    this.req = null!;
    this.log = null!;
  }
}
function serve(_: AllocatorArg, alloc: FrameAllocator, q: RequestWaitQueue, req: Request, log: string[]): Dispatch {
  const f = coAllocate(serve$Frame, DispatchPromise, alloc);
  if (f === null) return coAllocationFailed(DispatchPromise, serve$Frame);
  f.$l.q = q;
  f.$l.req = req;
  f.$l.log = log;
  return coStart(f, new DispatchPromise(), serve$0);
}
function serve$0(f: CoroutineFrame<serve$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    try {
      f.$r = serve$1;
      return coAwait(f, f.$l.q.wait(f.$l.req));
    } catch (e) {
      f.$l.log.push('finally');
      throw e;
    }
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function serve$1(f: CoroutineFrame<serve$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) {
    f.$l.log.push('finally');
    return null;
  }
  try {
    try {
      coResume(f);
      f.$l.req.complete(Status.Success, 1);
    } catch (e) {
      f.$l.log.push('finally');
      throw e;
    }
    f.$l.log.push('finally');
    return coReturnVoid(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// function* later(log: string[]): FireAndForget { log.push('before'); yield* resumeBackground(); log.push('after'); throw new Error('late'); }
class later$Frame {
  log: string[] = null!;
  get $name(): string {
    return 'later';
  }
}
function later(log: string[]): FireAndForget {
  const f = coAllocate(later$Frame, FireAndForgetPromise, undefined);
  if (f === null) return coAllocationFailed(FireAndForgetPromise, later$Frame);
  f.$l.log = log;
  return coStart(f, new FireAndForgetPromise(), later$0);
}
function later$0(f: CoroutineFrame<later$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    f.$l.log.push('before');
    f.$r = later$1;
    return coAwait(f, resumeBackground());
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function later$1(f: CoroutineFrame<later$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  try {
    coResume(f);
    f.$l.log.push('after');
    throw new Error('late');
  } catch (e) {
    return coUnhandled(f, e);
  }
}

const dev = new Device('test');
function file(): FileObject {
  return dev.open().file;
}

describe('Request', () => {
  it('completes exactly once; a second completion throws naming the request', () => {
    const r = dev.request(Major.Read, file(), { length: 4 });
    expect(r.complete(Status.Success, 4)).toBe(Status.Success);
    expect([r.status, r.information, r.completed]).toEqual([Status.Success, 4, true]);
    expect(() => r.complete(Status.Cancelled)).toThrow(RequestError);
    expect(() => r.complete(Status.Cancelled)).toThrow(new RegExp(`request #${r.id} \\(read\\) completed twice: first with Success, again with Cancelled`));
  });
  it('runs completion routines last-set first, after recording the status', () => {
    const r = dev.request(Major.Write, file(), { buffer: new Uint8Array(2) });
    const seen: string[] = [];
    r.setCompletionRoutine((q) => seen.push(`outer ${q.information}`));
    r.setCompletionRoutine((q) => seen.push(`inner ${q.information}`));
    r.complete(Status.Success, 2);
    expect(seen).toEqual(['inner 2', 'outer 2']);
  });
  it('lists outstanding requests until they complete', () => {
    const r = dev.request(Major.Read, file(), { length: 1 });
    expect(outstandingRequests().map((i) => i.id)).toContain(r.id);
    r.complete(Status.Cancelled);
    expect(outstandingRequests().map((i) => i.id)).not.toContain(r.id);
  });
  it('reports a request dropped without completion, with where it was created', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const leaks: RequestInfo[] = [];
    onRequestLeak((i) => leaks.push(i));
    let id = 0;
    (function dropRequest() {
      id = dev.request(Major.Read, file(), { length: 1 }).id;
    })();
    for (let i = 0; i < 20 && leaks.length === 0; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(leaks.map((l) => l.id)).toContain(id);
    const leak = leaks.find((l) => l.id === id)!;
    expect(leak.major).toBe('read');
    expect(leak.createdAt).toMatch(/dropRequest/);
    expect(leak.createdAt).toMatch(/runtime-driver\.test\.ts/);
    expect(outstandingRequests().map((i) => i.id)).not.toContain(id);
  });
});

describe('CancelSafeQueue', () => {
  it('gives each request to exactly one of cancel and remove', () => {
    const q = new CancelSafeQueue<string>();
    const a = dev.request(Major.Read, file(), { length: 1 });
    const b = dev.request(Major.Read, file(), { length: 1 });
    expect(q.insert(a, 'a')).toBe(true);
    expect(q.insert(b, 'b')).toBe(true);
    expect(a.pending).toBe(true);
    expect(a.cancel()).toBe(true);
    expect(a.status).toBe(Status.Cancelled);
    expect(q.size).toBe(1);
    const e = q.removeNext()!;
    expect(e.ctx).toBe('b');
    expect(b.cancel()).toBe(false); // no longer cancellable through the queue
    b.complete(Status.Success);
  });
  it('refuses a request that was cancelled before insertion', () => {
    const q = new CancelSafeQueue();
    const r = dev.request(Major.Read, file(), { length: 1 });
    r.cancel();
    expect(q.insert(r, undefined)).toBe(false);
    r.complete(Status.Cancelled);
  });
  it('removes every request of a file object', () => {
    const q = new CancelSafeQueue();
    const f1 = file();
    const f2 = file();
    const rs = [f1, f2, f1].map((f) => dev.request(Major.Read, f, { length: 1 }));
    rs.forEach((r) => q.insert(r, undefined));
    expect(q.removeForFile(f1).map((e) => e.req)).toEqual([rs[0], rs[2]]);
    expect(q.size).toBe(1);
    rs.forEach((r) => r.complete(Status.Cancelled));
  });
});

describe('request coroutines', () => {
  it('park in a RequestWaitQueue and complete when woken', () => {
    const q = new RequestWaitQueue();
    const alloc = new BoundedAllocator(4);
    const log: string[] = [];
    const r = dev.request(Major.Read, file(), { length: 1 });
    serve(allocatorArg, alloc, q, r, log);
    expect([q.size, alloc.live, r.completed]).toEqual([1, 1, false]);
    expect(q.wakeOne()).toBe(true);
    expect([r.status, log, alloc.live]).toEqual([Status.Success, ['finally'], 0]);
  });
  it('are destroyed, running finally, when their parked request is cancelled', () => {
    const q = new RequestWaitQueue();
    const alloc = new BoundedAllocator(4);
    const log: string[] = [];
    const r = dev.request(Major.Read, file(), { length: 1 });
    serve(allocatorArg, alloc, q, r, log);
    r.cancel();
    expect([r.status, log, alloc.live, q.size]).toEqual([Status.Cancelled, ['finally'], 0, 0]);
    const r2 = dev.request(Major.Read, file(), { length: 1 });
    r2.cancel(); // cancelled before the coroutine parks it
    serve(allocatorArg, alloc, q, r2, log);
    expect([r2.status, alloc.live]).toEqual([Status.Cancelled, 0]);
  });
  it('turn frame exhaustion into a value the dispatcher completes as InsufficientResources', () => {
    const q = new RequestWaitQueue();
    const alloc = new BoundedAllocator(1);
    const r1 = dev.request(Major.Read, file(), { length: 1 });
    const r2 = dev.request(Major.Read, file(), { length: 1 });
    expect(serve(allocatorArg, alloc, q, r1, [])).not.toBe(dispatchAllocationFailed);
    expect(serve(allocatorArg, alloc, q, r2, [])).toBe(dispatchAllocationFailed);
    r2.complete(Status.InsufficientResources);
    q.wakeOne();
    expect(r1.status).toBe(Status.Success);
    expect(alloc.failures).toBe(1);
  });
});

describe('fireAndForget and resumeBackground', () => {
  it('starts at once, continues in a later event-loop turn, frees its frame, reports escapes by name', async () => {
    const saved = FireAndForgetPromise.onUnhandledException;
    const errors: string[] = [];
    FireAndForgetPromise.onUnhandledException = (e, name) => errors.push(`${name}: ${(e as Error).message}`);
    try {
      const log: string[] = [];
      later(log);
      expect(log).toEqual(['before']);
      await new Promise((r) => setTimeout(r, 5));
      expect(log).toEqual(['before', 'after']);
      expect(errors).toEqual(['later: late']);
    } finally {
      FireAndForgetPromise.onUnhandledException = saved;
    }
  });
});

describe('CancellationToken', () => {
  it('calls subscribers once, not after unsubscribe, and at once when already cancelled', () => {
    const t = new CancellationToken();
    const seen: string[] = [];
    const a = t.subscribe(() => seen.push('a'));
    const b = t.subscribe(() => seen.push('b'));
    t.unsubscribe(b);
    expect(t.cancel()).toBe(true);
    expect(t.cancel()).toBe(false);
    t.subscribe(() => seen.push('late'));
    a.unsubscribe();
    expect(seen).toEqual(['a', 'late']);
    expect(t.cancelled).toBe(true);
  });
});

describe('Device and remove lock', () => {
  class Echo extends Device {
    parked: Request[] = [];
    override dispatchRead(req: Request) {
      req.markPending();
      this.parked.push(req);
      return Status.Pending;
    }
  }
  it('routes by major function and refuses unsupported ones', () => {
    const d = new Echo('echo');
    const { file: f, request } = d.open();
    expect(request.status).toBe(Status.Success);
    const w = d.request(Major.Write, f, { buffer: new Uint8Array(1) });
    expect(d.dispatch(w)).toBe(Status.InvalidDeviceRequest);
    const r = d.request(Major.Read, f, { length: 1 });
    expect(d.dispatch(r)).toBe(Status.Pending);
    r.complete(Status.Success);
    d.close(f);
    expect(f.closed).toBe(true);
  });
  it('tears down only after every request in flight completed; new requests get DeletePending', async () => {
    const d = new Echo('echo');
    const { file: f } = d.open();
    const r = d.request(Major.Read, f, { length: 1 });
    d.dispatch(r);
    let removed = false;
    const p = d.remove().then(() => (removed = true));
    await new Promise((res) => setTimeout(res, 5));
    expect(removed).toBe(false);
    expect(d.removeLock.held).toBe(1);
    const late = d.request(Major.Read, f, { length: 1 });
    expect(d.dispatch(late)).toBe(Status.DeletePending);
    r.complete(Status.Success);
    await p;
    expect(removed).toBe(true);
  });
});
