// Task<T>: laziness, typed results, errors, the stopped outcome, withError, scheduler affinity,
// changeScheduler, the inline-step budget, promises, timers, whenAll/whenAny, syncWait/toPromise.
import { describe, expect, it } from 'vitest';
import {
  CoroutineError,
  CoroutineFrame,
  FireAndForgetPromise,
  RESUME,
  coAllocate,
  coAllocationFailed,
  coAwait,
  coResume,
  coReturnVoid,
  coStart,
  coUnhandled,
  type FireAndForget,
  type Task,
  PoolAllocator,
  RunLoop,
  StopSource,
  StoppedError,
  TaskPromise,
  changeScheduler,
  currentScheduler,
  inlineScheduler,
  runAs,
  sleep,
  stopCoroutine,
  stopIfRequested,
  startTask,
  syncWait,
  taskOutcome,
  toPromise,
  whenAll,
  whenAny,
  withFrameAllocator,
  type CoroutineHandle,
  type Resumable,
  type TaskReceiver,
  type TaskScheduler,
} from '../runtime/index.js';
import { add, failing, failsQuietly, guarded, lazyAdd, sumLoop, where } from './helpers/task-coroutines.js';

class ManualScheduler implements TaskScheduler {
  readonly q: Resumable[] = [];
  yields = 0;
  schedule(r: Resumable): void {
    this.q.push(r);
  }
  yieldNow(r: Resumable): void {
    this.yields++;
    this.q.push(r);
  }
  drain(): void {
    while (this.q.length > 0) runAs(this, this.q.shift()!);
  }
}
const ignore: TaskReceiver = { taskDone() {} };

// An awaiter that parks the handle so the test decides when and from where to resume.
class Parked {
  h: CoroutineHandle<any> | null = null;
  constructor(readonly value: unknown = 'parked', readonly inline = false) {}
  awaitReady() {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<any>) {
    this.h = h;
    if (this.inline) h.resume();
  }
  awaitResume() {
    return this.value;
  }
}

describe('Task basics', () => {
  it('is lazy, returns typed results through yield*, and reports errors', () => {
    const counter = { n: 0 };
    const l = lazyAdd(1, 2, counter);
    expect(counter.n).toBe(0);
    expect(syncWait(l)).toBe(3);
    expect(counter.n).toBe(1);
    const log: string[] = [];
    expect(syncWait(guarded(add(2, 3), log))).toBe(5);
    expect(log).toEqual(['resumed', 'finally']);
    const log2: string[] = [];
    expect(syncWait(guarded(failing('boom'), log2))).toBe('caught boom');
    expect(log2).toEqual(['caught', 'finally']);
    expect(() => syncWait(failing('direct'))).toThrow('direct');
  });
  it('refuses to be awaited twice, naming the coroutine', () => {
    const t = add(1, 1);
    syncWait(t);
    expect(() => syncWait(t)).toThrow(CoroutineError);
    expect(() => syncWait(t)).toThrow(/task 'add' was already started/);
  });
  it('completes with an error through yield withError without any catch seeing it; finally runs', () => {
    const log: string[] = [];
    expect(() => syncWait(failsQuietly(log))).toThrow('quiet');
    expect(log).toEqual(['finally']);
    const log2: string[] = [];
    const outer: string[] = [];
    expect(syncWait(guarded(failsQuietly(log2), outer))).toBe('caught quiet'); // the awaiter sees the error
    expect(log2).toEqual(['finally']);
  });
  it('runs 10 million synchronously completing awaits in one loop without stack overflow', () => {
    const n = 10_000_000;
    expect(syncWait(sumLoop(n, false))).toBe((n * (n - 1)) / 2);
  });
  it('runs a million inline-completing child tasks in one loop on pooled frames', () => {
    const pool = new PoolAllocator();
    const n = 1_000_000;
    const r = withFrameAllocator(pool, () => sumLoop(n, true));
    // Child frames are allocated when the loop runs, outside the scope: use the pool through the type.
    (TaskPromise as any).frameAllocator = pool;
    try {
      expect(syncWait(r)).toBe((n * (n + 1)) / 2);
    } finally {
      (TaskPromise as any).frameAllocator = undefined;
    }
    expect(pool.live).toBe(0);
    expect(pool.total).toBe(n + 1);
    expect(pool.peak).toBe(2);
  });
  it('yields to its scheduler after a budget of inline steps', () => {
    const s = new ManualScheduler();
    const saved = TaskPromise.stepBudget;
    TaskPromise.stepBudget = 100;
    try {
      const t = sumLoop(1000, false);
      let done = false;
      startTask(t, { taskDone: () => (done = true) }, s);
      s.drain();
      expect(done).toBe(true);
      expect(s.yields).toBe(10); // at awaits 100, 200, ..., 1000
      expect(taskOutcome(t)).toEqual({ status: 'value', value: 499500 });
    } finally {
      TaskPromise.stepBudget = saved;
    }
  });
});

describe('scheduler affinity', () => {
  it('resumes on its scheduler after an await completed elsewhere', () => {
    const s = new ManualScheduler();
    const seen: unknown[] = [];
    const p = new Parked();
    const t = where(seen, p);
    startTask(t, ignore, s);
    s.drain();
    expect(seen).toEqual([s]);
    p.h!.resume(); // from outside any scheduler
    expect(seen).toEqual([s]); // not run here: scheduled
    expect(s.q.length).toBe(1);
    s.drain();
    expect(seen).toEqual([s, s]);
    expect(taskOutcome(t)).toEqual({ status: 'value', value: 'parked' });
  });
  it('a scheduler that runs work without runAs still resumes the task, after one extra hop', () => {
    // currentScheduler() never becomes this scheduler, so the task's handle cannot tell it is
    // already there: it schedules a plain handle, which resumes without asking again.
    const q: Resumable[] = [];
    const bare: TaskScheduler = { schedule: (r) => void q.push(r) };
    const seen: unknown[] = [];
    const p = new Parked();
    const t = where(seen, p);
    startTask(t, ignore, bare);
    for (let i = 0; q.length > 0; i++) {
      expect(i).toBeLessThan(3);
      q.shift()!.resume();
    }
    p.h!.resume();
    for (let i = 0; q.length > 0; i++) {
      expect(i).toBeLessThan(3);
      q.shift()!.resume();
    }
    expect(taskOutcome(t)).toEqual({ status: 'value', value: 'parked' });
    expect(seen).toEqual([null, null]);
  });
  it('skips scheduling when the awaited work completed inline on the same scheduler', () => {
    const s = new ManualScheduler();
    const seen: unknown[] = [];
    const t = where(seen, new Parked('inline', true));
    startTask(t, ignore, s);
    s.drain();
    expect(seen).toEqual([s, s]);
    expect(taskOutcome(t)).toEqual({ status: 'value', value: 'inline' });
  });
  it('InlineScheduler opts out: the task runs wherever it is resumed', () => {
    const seen: unknown[] = [];
    const p = new Parked();
    const t = where(seen, p);
    startTask(t, ignore, inlineScheduler);
    const elsewhere = new ManualScheduler();
    runAs(elsewhere, { resume: () => p.h!.resume() });
    expect(seen).toEqual([inlineScheduler, elsewhere]);
  });
  it('changeScheduler moves the task and returns the previous scheduler', () => {
    const a = new ManualScheduler();
    const b = new ManualScheduler();
    const seen: unknown[] = [];
    const t = where(seen, changeScheduler(b));
    startTask(t, ignore, a);
    a.drain();
    expect(seen).toEqual([a]);
    expect(b.q.length).toBe(1);
    b.drain();
    expect(seen).toEqual([a, b]);
    expect(taskOutcome(t)).toEqual({ status: 'value', value: a });
  });
  it('a child task that changed scheduler hands its parent back to the parent scheduler', () => {
    const a = new ManualScheduler();
    const b = new ManualScheduler();
    const seen: unknown[] = [];
    const inner: unknown[] = [];
    const t = where(seen, where(inner, changeScheduler(b)));
    startTask(t, ignore, a);
    a.drain();
    b.drain(); // the child finishes on b ...
    expect(seen).toEqual([a]);
    a.drain(); // ... and the parent continues on a
    expect(inner).toEqual([a, b]);
    expect(seen).toEqual([a, a]);
  });
});

describe('promises and timers', () => {
  it('awaits promises; toPromise resolves and rejects', async () => {
    const log: string[] = [];
    expect(await toPromise(guarded(Promise.resolve(7), log))).toBe(7);
    expect(await toPromise(guarded(Promise.reject(new Error('rej')), []))).toBe('caught rej');
    await expect(toPromise(failing('viaPromise'))).rejects.toThrow('viaPromise');
  });
  it('awaits timers', async () => {
    const t0 = Date.now();
    const log: string[] = [];
    await toPromise(guarded(sleep(20), log));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
    expect(log).toEqual(['resumed', 'finally']);
  });
  it('syncWait refuses to block on a promise', () => {
    expect(() => syncWait(guarded(new Promise(() => {}), []))).toThrow(/syncWait: task 'guarded' is waiting/);
  });
});

describe('cancellation (stopped outcome)', () => {
  async function stopsAfter<T>(start: (token: StopSource['token']) => Promise<T>, ms = 5): Promise<unknown> {
    const src = new StopSource();
    const p = start(src.token);
    setTimeout(() => src.requestStop(), ms);
    return p.then(
      () => 'value',
      (e) => e,
    );
  }
  it('a timer await completes as stopped: finally runs, catch does not', async () => {
    const log: string[] = [];
    const t0 = Date.now();
    const r = await stopsAfter((token) => toPromise(guarded(sleep(10_000), log), { stopToken: token }));
    expect(r).toBeInstanceOf(StoppedError);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(log).toEqual(['finally']);
  });
  it('a promise await completes as stopped', async () => {
    const log: string[] = [];
    const r = await stopsAfter((token) => toPromise(guarded(new Promise(() => {}), log), { stopToken: token }));
    expect(r).toBeInstanceOf(StoppedError);
    expect(log).toEqual(['finally']);
  });
  it('stop propagates to awaited children and up through every parent, innermost finally first', async () => {
    const log: string[] = [];
    const inner: string[] = [];
    const r = await stopsAfter((token) => toPromise(guarded(guarded(sleep(10_000), inner), log), { stopToken: token }));
    expect(r).toBeInstanceOf(StoppedError);
    expect(inner).toEqual(['finally']);
    expect(log).toEqual(['finally']);
  });
  it('a foreign awaiter completes as stopped through stopIfRequested', () => {
    const src = new StopSource();
    src.requestStop();
    const log: string[] = [];
    const t = guarded(stopIfRequested(), log);
    expect(() => syncWait(t, src.token)).toThrow(StoppedError);
    expect(taskOutcome(t)).toEqual({ status: 'stopped' });
    expect(log).toEqual(['finally']);
    const log2: string[] = [];
    expect(syncWait(guarded(stopIfRequested(), log2))).toBeUndefined();
    expect(log2).toEqual(['resumed', 'finally']);
  });
  it('whenAll children are stopped with their parent', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const log: string[] = [];
    const r = await stopsAfter((token) => toPromise(guarded(whenAll(guarded(sleep(10_000), a), guarded(sleep(10_000), b)), log), { stopToken: token }));
    expect(r).toBeInstanceOf(StoppedError);
    expect([a, b, log]).toEqual([['finally'], ['finally'], ['finally']]);
  });
});

describe('whenAll / whenAny', () => {
  it('whenAll resumes with every value in order', () => {
    expect(syncWait(guarded(whenAll(add(1, 2), add(3, 4), add(5, 6)), []))).toEqual([3, 7, 11]);
  });
  it('whenAll rethrows the first error after stopping the others', async () => {
    const sleeper: string[] = [];
    const t0 = Date.now();
    expect(await toPromise(guarded(whenAll(guarded(sleep(10_000), sleeper), failing('first')), []))).toBe('caught first');
    expect(sleeper).toEqual(['finally']);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  it('whenAny resumes with the first value and stops the rest', async () => {
    const sleeper: string[] = [];
    expect(await toPromise(guarded(whenAny(guarded(sleep(10_000), sleeper), add(1, 1)), []))).toEqual({ index: 1, value: 2 });
    expect(sleeper).toEqual(['finally']);
  });
  it('runs children on the awaiting task scheduler', () => {
    const loop = new RunLoop();
    const seen: unknown[] = [];
    let done = false;
    const t = guarded(whenAll(where(seen, add(0, 0)), where(seen, add(0, 0))), []);
    startTask(t, { taskDone: () => (done = true) }, loop);
    loop.run(() => done);
    expect(seen).toEqual([loop, loop, loop, loop]);
    expect(currentScheduler()).toBe(null);
  });
});

// function* detached(t: Task<unknown>, log: unknown[]): FireAndForget {
//   try { log.push(yield* t); } finally { log.push('finally'); }
// }
// A coroutine of another promise type (no scheduler, no stop token) awaiting a task.
class detached$Frame {
  t: unknown = undefined;
  log: unknown[] = null!;
  get $name(): string {
    return 'detached';
  }
}
function detached(t: Task<unknown>, log: unknown[]): FireAndForget {
  const f = coAllocate(detached$Frame, FireAndForgetPromise, undefined);
  if (f === null) return coAllocationFailed(FireAndForgetPromise, detached$Frame);
  f.$l.t = t;
  f.$l.log = log;
  return coStart(f, new FireAndForgetPromise(), detached$0);
}
function detached$0(f: CoroutineFrame<detached$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    try {
      f.$r = detached$1;
      return coAwait(f, f.$l.t);
    } catch (e) {
      f.$l.log.push('finally');
      throw e;
    }
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function detached$1(f: CoroutineFrame<detached$Frame>, m: number): CoroutineFrame | null {
  if (m !== RESUME) {
    f.$l.log.push('finally');
    return null;
  }
  try {
    try {
      f.$l.log.push(coResume(f));
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

describe('tasks awaited by other promise types', () => {
  it('run inline and hand their value back', () => {
    const log: unknown[] = [];
    detached(add(20, 22), log);
    expect(log).toEqual([42, 'finally']);
  });
  it('propagate a stop to an awaiter that has unhandledStopped', () => {
    const log: unknown[] = [];
    const inner: string[] = [];
    const p = new Parked();
    detached(guarded(p, inner), log);
    expect(log).toEqual([]);
    // The parked awaiter decides to complete as stopped instead of resuming.
    stopCoroutine(p.h!);
    expect(inner).toEqual(['finally']);
    expect(log).toEqual(['finally']);
  });
});
