// The sender/receiver core against the examples of [exec] and P3552: syncWait(then(just(1), …)),
// every adaptor's channel routing, environments seen by nested work, stop propagation through
// whenAll, ensureStarted; then tasks as senders and senders awaited by tasks (lowered by the
// transformer), in constant stack for a million inline or rescheduled completions.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  RunLoop,
  StopSource,
  StoppedError,
  connect,
  continuesOn,
  currentScheduler,
  emptyEnv,
  ensureStarted,
  envWith,
  getEnv,
  getScheduler,
  getStopToken,
  isSender,
  just,
  justError,
  justStopped,
  letError,
  letStopped,
  letValue,
  readEnv,
  schedule,
  SenderBase,
  startsOn,
  syncWait,
  thenValue,
  uponError,
  uponStopped,
  whenAll,
  type OperationState,
  type Receiver,
  type Sender,
} from '../runtime/index.js';
import { compile, runCompiled, type Compiled } from './helpers/program.js';

/** Completes only when its receiver's stop token fires (as stopped), recording that it saw the request. */
class UntilStopped extends SenderBase<never> {
  stops = 0;
  connect(r: Receiver<never>): OperationState {
    return {
      start: () => {
        const token = getStopToken(getEnv(r));
        token.subscribe(() => {
          this.stops++;
          r.setStopped();
        });
      },
    };
  }
}

/** The channel a sender completed on, collected synchronously (for senders that complete inline). */
function outcome<T>(s: Sender<T>): unknown {
  let got: unknown = 'pending';
  connect(s, { setValue: (v) => (got = ['value', v]), setError: (e) => (got = ['error', e instanceof Error ? e.message : e]), setStopped: () => (got = ['stopped']) }).start();
  return got;
}

describe('sender algorithms', () => {
  it('syncWait(then(just(1), x => x + 1)) is 2, and senders are lazy until started', () => {
    let ran = 0;
    const s = thenValue(just(1), (x) => (ran++, x + 1));
    expect(isSender(s)).toBe(true);
    expect(ran).toBe(0);
    expect(syncWait(s)).toBe(2);
    expect(syncWait(s)).toBe(2);
    expect(ran).toBe(2);
  });

  it('each adaptor takes its own channel and forwards the others', () => {
    const boom = new Error('boom');
    expect(outcome(thenValue(justError(boom), () => 1))).toEqual(['error', 'boom']);
    expect(outcome(thenValue(justStopped(), () => 1))).toEqual(['stopped']);
    expect(outcome(thenValue(just(1), () => { throw new Error('in then'); }))).toEqual(['error', 'in then']);
    expect(outcome(uponError(justError(boom), (e) => `handled ${(e as Error).message}`))).toEqual(['value', 'handled boom']);
    expect(outcome(uponError(just(3), () => 0))).toEqual(['value', 3]);
    expect(outcome(uponStopped(justStopped(), () => 'was stopped'))).toEqual(['value', 'was stopped']);
    expect(outcome(letValue(just(2), (x) => just(x * 10)))).toEqual(['value', 20]);
    expect(outcome(letValue(just(2), () => justStopped()))).toEqual(['stopped']);
    expect(outcome(letValue(just(2), () => { throw new Error('in let'); }))).toEqual(['error', 'in let']);
    expect(outcome(letError(justError(boom), (e) => just((e as Error).message.length)))).toEqual(['value', 4]);
    expect(outcome(letStopped(justStopped(), () => justError('after stop')))).toEqual(['error', 'after stop']);
    expect(() => syncWait(justError(boom))).toThrow(boom);
    expect(() => syncWait(justStopped())).toThrow(StoppedError);
  });

  it('schedule, startsOn and continuesOn complete as work of their scheduler; readEnv sees it', () => {
    const loop = new RunLoop();
    let where: unknown;
    let seen: unknown;
    connect(thenValue(continuesOn(just(5), loop), (v) => ((where = currentScheduler()), v)), { setValue: (v) => (seen = v), setError: () => {}, setStopped: () => {} }).start();
    expect(seen).toBeUndefined();
    loop.run(() => seen !== undefined);
    expect([seen, where]).toEqual([5, loop]);

    const other = new RunLoop();
    let sched: unknown;
    connect(startsOn(other, readEnv(getScheduler)), { setValue: (v) => (sched = v), setError: () => {}, setStopped: () => {} }).start();
    other.run(() => sched !== undefined);
    expect(sched).toBe(other);

    // syncWait's receiver names its run loop as the scheduler, and drives work scheduled on it.
    expect(syncWait(readEnv(getScheduler))).toBeInstanceOf(RunLoop);
    expect(syncWait(letValue(readEnv(getScheduler), (s) => thenValue(schedule(s!), () => currentScheduler() === s)))).toBe(true);
  });

  it('whenAll: values in order; the first error stops the others and wins; a stop from outside stops all', () => {
    expect(syncWait(whenAll(just(1), just('a'), thenValue(just(2), (x) => x * 2)))).toEqual([1, 'a', 4]);
    const waiting = new UntilStopped();
    expect(() => syncWait(whenAll(waiting, justError(new Error('first'))))).toThrow('first');
    expect(waiting.stops).toBe(1);

    const source = new StopSource();
    const a = new UntilStopped();
    const b = new UntilStopped();
    const loop = new RunLoop();
    let got: unknown = 'pending';
    const env = envWith(emptyEnv, [getStopToken, source.token], [getScheduler, loop]);
    connect(whenAll(a, b), { setValue: () => (got = 'value'), setError: () => (got = 'error'), setStopped: () => (got = 'stopped'), getEnv: () => env }).start();
    expect(got).toBe('pending');
    source.requestStop();
    expect([got, a.stops, b.stops]).toEqual(['stopped', 1, 1]);
  });

  it('ensureStarted runs the work at once and hands its result to the receiver connected later', () => {
    let runs = 0;
    const s = ensureStarted(thenValue(just(7), (x) => (runs++, x)));
    expect(runs).toBe(1);
    expect(syncWait(s)).toBe(7);
    expect(runs).toBe(1);
    expect(() => syncWait(s)).toThrow(/already connected/);
  });
});

// Tasks through the transformer: a task is a sender, and a task awaits senders (as_awaitable).
const SOURCE = `
import { type Task, type AllocatorArg, type FrameAllocator, allocatorArg, PoolAllocator, getAllocator, stopIfRequested, just, justError, justStopped, continuesOn, readEnv, getScheduler, getStopToken, syncWait, thenValue, whenAll, StopSource, uponStopped, RunLoop, currentScheduler } from 'corosplit/runtime';

function* child(x: number): Task<number> {
  const sched = yield* readEnv(getScheduler);
  const token = yield* readEnv(getStopToken);
  return sched !== undefined && token.stopPossible ? x * 2 : -1;
}

// A million awaits of senders that complete inline (just) or are rescheduled on the task's own
// run loop (continuesOn): each must take constant stack.
function* inlineLoop(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* just(i & 7);
  return s;
}
function* hopLoop(n: number): Task<number> {
  const sched = (yield* readEnv(getScheduler))!;
  let s = 0;
  let onLoop = 0;
  for (let i = 0; i < n; i++) {
    s += yield* continuesOn(just(i & 7), sched);
    if (currentScheduler() === sched) onLoop++;
  }
  return onLoop === n ? s : -1;
}
function* catches(): Task<string> {
  try {
    yield* justError(new Error('sent error'));
    return 'not reached';
  } catch (e) {
    return (e as Error).message;
  }
}
function* stops(): Task<string> {
  yield* justStopped();
  return 'not reached';
}
// The shape of as_awaitable(just(i)) written by hand: the awaiter resumes the task from inside
// awaitSuspend. The resumption waits until awaitSuspend returns, so 10^5 of them take constant stack.
class ResumesInside {
  constructor(private readonly v: number) {}
  awaitReady(): boolean { return false; }
  awaitSuspend(h: { resume(): void }): void { h.resume(); }
  awaitResume(): number { return this.v; }
  [Symbol.iterator](): Iterator<unknown, number, any> { throw new Error('not lowered'); }
}
function* resumesInside(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* new ResumesInside(i & 3);
  return s;
}
// The allocator a task's frame came from is its environment's, for the children it creates.
function* allocated(_: AllocatorArg, alloc: FrameAllocator): Task<boolean> {
  const fromEnv = yield* readEnv(getAllocator);
  const child = yield* kid(allocatorArg, fromEnv!);
  return fromEnv === alloc && child === alloc;
}
function* kid(_: AllocatorArg, alloc: FrameAllocator): Task<FrameAllocator | undefined> {
  return yield* readEnv(getAllocator);
}
// A task stopped from inside its own awaitSuspend (stopIfRequested) releases its frame there; the
// pooled header is then reused by the next call, which must still run when started.
function* maybeStopped(_: AllocatorArg, alloc: FrameAllocator): Task<number> {
  yield* stopIfRequested();
  return 7;
}
function* parent(): Task<number[]> {
  return yield* whenAll(child(1), just(10), child(3));
}

export function run() {
  const source = new StopSource();
  return {
    nested: syncWait(parent(), source.token),
    taskAsSender: syncWait(thenValue(child(21), (v) => v + 0.5), source.token),
    inline: syncWait(inlineLoop(1_000_000)),
    hops: syncWait(hopLoop(1_000_000)),
    catches: syncWait(catches()),
    stopped: syncWait(uponStopped(stops(), () => 'stopped')),
    resumedInside: syncWait(resumesInside(100_000)),
    allocator: syncWait(allocated(allocatorArg, new PoolAllocator())),
    reused: (() => {
      const pool = new PoolAllocator();
      const stop = new StopSource();
      stop.requestStop();
      let first = 'ran';
      try { syncWait(maybeStopped(allocatorArg, pool), stop.token); } catch (e) { first = (e as Error).name; }
      return [first, syncWait(maybeStopped(allocatorArg, pool))];
    })(),
  };
}
`;

describe('tasks and senders', () => {
  let compiled: Compiled;
  beforeAll(() => {
    compiled = compile({ 'main.ts': SOURCE });
  });

  it('compiles without type errors (yield* on a sender is typed as its value)', () => {
    expect(compiled.typeErrors.join('\n')).toBe('');
    expect(compiled.diagnostics).toEqual([]);
  });

  it('a task sees its environment, is a sender itself, and awaits a million senders in constant stack', async () => {
    const mod = await runCompiled(compiled);
    const r = mod.run();
    expect(r.nested).toEqual([2, 10, 6]);
    expect(r.taskAsSender).toBe(42.5);
    expect(r.inline).toBe(3_500_000);
    expect(r.hops).toBe(3_500_000);
    expect(r.catches).toBe('sent error');
    expect(r.stopped).toBe('stopped');
    expect(r.resumedInside).toBe(150_000);
    expect(r.allocator).toBe(true);
    expect(r.reused).toEqual(['StoppedError', 7]);
  });
});

// Scheduler affinity on the symmetric-transfer path: a user promise type (Hop) runs on another
// run loop and, at its final suspend point, transfers control straight to the task awaiting it.
// The task must still continue on its own scheduler.
const AFFINITY = `
import { CoroutineHandle, RunLoop, currentScheduler, promiseType, suspendAlways, syncWait, readEnv, getScheduler, just, withAwaitableSenders, defineQuery, envWith, type Awaiter, type Env, type Task } from 'corosplit/runtime';

const hopTag = defineQuery<string>('hopTag');

export const other = new RunLoop();

class HopFinal implements Awaiter<void> {
  constructor(private readonly p: HopPromise) {}
  awaitReady(): boolean { return false; }
  awaitSuspend(): CoroutineHandle<any> { return this.p.cont!; }
  awaitResume(): void {}
}
class HopPromise {
  cont: CoroutineHandle<any> | null = null;
  value = 0;
  getReturnObject(): Hop { return new HopObject(CoroutineHandle.fromPromise(this)) as unknown as Hop; }
  initialSuspend(): Awaiter<void> { return suspendAlways; }
  finalSuspend(): Awaiter<void> { return new HopFinal(this); }
  returnValue(v: number): void { this.value = v; }
  unhandledException(e: unknown): void { throw e; }
  // with_awaitable_senders: Hop coroutines can await senders too.
  awaitTransform(x: unknown): unknown { return withAwaitableSenders(x); }
  // A promise type adds its own queries to the environment its awaited senders see.
  getEnv(): Env { return envWith(undefined, [hopTag, 'hop']); }
}
interface Hop {
  readonly [promiseType]?: HopPromise;
  [Symbol.iterator](): Iterator<unknown, number, any>;
}
// Awaiting a Hop: start it on the other loop; when it finishes there it transfers to the awaiter.
class HopObject implements Awaiter<number> {
  constructor(private readonly h: CoroutineHandle<HopPromise>) {}
  awaitReady(): boolean { return false; }
  awaitSuspend(cont: CoroutineHandle<any>): void {
    this.h.promise.cont = cont;
    other.schedule(this.h);
  }
  awaitResume(): number { return this.h.promise.value; }
}

function* work(x: number): Hop {
  const one = yield* just(1);
  const tag = yield* readEnv(hopTag);
  return x + one + (tag === 'hop' ? 0 : 1000);
}

function* affine(n: number): Task<string> {
  const own = (yield* readEnv(getScheduler))!;
  let onOwn = 0;
  let onOther = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += yield* (work(i) as any as Hop);
    if (currentScheduler() === own) onOwn++;
    if (currentScheduler() === other) onOther++;
  }
  return onOwn + '/' + onOther + ' sum ' + sum;
}

// syncWait's loop and the other loop take turns until the task is done.
export function run(): string {
  const loop = new RunLoop();
  let out: string | undefined;
  const t = affine(50);
  (t as any).start({ taskDone: () => { out = (t as any).outcome.value; } }, loop);
  while (out === undefined) { loop.run(() => out !== undefined || loop.pending === 0); other.run(() => other.pending === 0); }
  return out;
}
`;

describe('scheduler affinity', () => {
  it('a task continues on its own scheduler after a symmetric transfer from work on another (whose promise type awaits senders through withAwaitableSenders)', async () => {
    const c = compile({ 'main.ts': AFFINITY });
    expect(c.typeErrors.join('\n')).toBe('');
    const mod = await runCompiled(c);
    expect(mod.run()).toBe('50/0 sum 1275');
  });
});
