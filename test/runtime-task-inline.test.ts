// A task awaiting a child task starts the child inside its own await (the child's awaitReady,
// given the awaiting frame, runs $startUnder): a child that completes there hands its result over
// as a ready await, one that suspends or stops there finishes the handover in the parent's
// awaitSuspend, and nesting beyond a fixed depth falls back to symmetric transfer. These cases run
// through the transformer and check what a user sees: values, errors, stops, finally blocks run
// once, the scheduler and stop token each task runs with, constant stack, and every frame back in
// its allocator.
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled, type Compiled } from './helpers/program.js';

const SOURCE = `
import { type Task, type Lazy, type Awaitable, type CoroutineHandle, type TaskScheduler, PoolAllocator, RunLoop, StopSource, StoppedError, currentScheduler, getScheduler, getStopToken, inlineScheduler, readEnv, sleep, stopIfRequested, syncWait, taskOutcome, toPromise, withError, withFrameAllocator } from 'corosplit/runtime';

declare function setTimeout(f: () => void, ms: number): unknown;
const log: string[] = [];

// Parks the awaiting coroutine; the test resumes it from wherever it wants.
class Parked {
  h: CoroutineHandle<any> | null = null;
  awaitReady() { return false; }
  awaitSuspend(h: CoroutineHandle<any>) { this.h = h; }
  awaitResume() { return 5; }
}
function parked(p: Parked): Awaitable<number> { return p as unknown as Awaitable<number>; }

// Resumes the awaiting coroutine from inside its own awaitSuspend (as_awaitable(just(v))'s shape).
class ResumeInside {
  awaitReady() { return false; }
  awaitSuspend(h: CoroutineHandle<any>) { h.resume(); }
  awaitResume() { return 3; }
}

// Function expressions: a top-level declaration with no suspension point would be elided (its
// awaits become calls, task-elision.test.ts) and never reach the runtime path this file is about.
const plusOne = function* (i: number): Task<number> { return i + 1; };
function* env(): Task<[unknown, unknown]> {
  return [yield* readEnv(getScheduler), yield* readEnv(getStopToken)];
}
function* lazyEnv(): Lazy<unknown> { return yield* readEnv(getScheduler); }
const throws = function* (): Task<number> { throw new Error('child threw'); };
function* errs(): Task<number> { yield withError(new Error('child error')); return 0; }
function* stopsHere(tag: string): Task<number> {
  try { yield* stopIfRequested(); return 1; } finally { log.push('finally ' + tag); }
}
function* suspends(p: Parked): Task<number> { return (yield* parked(p)) * 10; }
function* resumedInside(): Task<number> { return yield* (new ResumeInside() as unknown as Awaitable<number>); }

export function* sum(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* plusOne(i);
  return s;
}
function* envParent(): Task<boolean> {
  const [ps, pt] = [yield* readEnv(getScheduler), yield* readEnv(getStopToken)];
  const [cs, ct] = yield* env();
  const lazy = yield* lazyEnv();
  return ps === cs && pt === ct && lazy === inlineScheduler && ps !== inlineScheduler;
}
function* catchesBoth(): Task<string> {
  const out: string[] = [];
  try { yield* throws(); } catch (e) { out.push((e as Error).message); }
  try { yield* errs(); } catch (e) { out.push((e as Error).message); }
  return out.join(',');
}
function* stopParent(depth: number): Task<number> {
  try {
    return depth === 0 ? yield* stopsHere('leaf') : yield* stopParent(depth - 1);
  } finally {
    log.push('finally ' + depth);
  }
}
function* awaitsParked(p: Parked): Task<[number, boolean]> {
  const sched = yield* readEnv(getScheduler);
  const v = yield* suspends(p);
  return [v, currentScheduler() === sched];
}
function* chain(d: number, p: Parked | null): Task<number> {
  if (d === 0) return p === null ? 0 : yield* parked(p);
  return 1 + (yield* chain(d - 1, p));
}
function* twice(): Task<string> {
  const t = plusOne(1);
  const a = yield* t;
  try { yield* t; return 'no error'; } catch (e) { return a + ': ' + (e as Error).message; }
}
function* sleepsChild(): Task<number> {
  try { yield* sleep(60_000); return 1; } finally { log.push('child finally'); }
}
function* sleepsParent(): Task<number> {
  try { return yield* sleepsChild(); } finally { log.push('parent finally'); }
}
function* insideParent(): Task<number> { return (yield* resumedInside()) + (yield* plusOne(1)); }

export async function run() {
  const pool = new PoolAllocator();
  const r: Record<string, unknown> = {};
  withFrameAllocator(pool, () => {
    r.sum = syncWait(sum(1000));
    r.env = syncWait(envParent());
    r.catches = syncWait(catchesBoth());
    r.inside = syncWait(insideParent());
    r.twice = syncWait(twice());
    r.deep = syncWait(chain(10_000, null));
  });

  // A stop requested before the leaf checks it: every level stops, each finally runs once, through
  // inline levels (the first 32) and transferred ones alike.
  for (const depth of [0, 3, 100]) {
    log.length = 0;
    const src = new StopSource();
    src.requestStop();
    const t = withFrameAllocator(pool, () => stopParent(depth));
    let thrown = '';
    try { syncWait(t, src.token); } catch (e) { thrown = (e as Error).name; }
    r['stop' + depth] = [thrown, taskOutcome(t)?.status, log.length, new Set(log).size];
  }

  // A child that suspends inside the parent's await, resumed later from another turn: the parent
  // resumes with its value, on its own scheduler.
  const p = new Parked();
  const pending = withFrameAllocator(pool, () => toPromise(awaitsParked(p)));
  await new Promise((res) => setTimeout(() => res(undefined), 5));
  const parkedWas = p.h !== null;
  setTimeout(() => p.h!.resume(), 1);
  r.parked = [parkedWas, await pending];

  // The same with 500 levels, the innermost parked: the chain unwinds through inline and
  // transferred levels once it is resumed.
  const q = new Parked();
  const deepPending = withFrameAllocator(pool, () => toPromise(chain(500, q)));
  await new Promise((res) => setTimeout(() => res(undefined), 5));
  q.h!.resume();
  r.deepParked = await deepPending;

  // A stop while the child sleeps inside the parent's await: both stop, each finally once.
  const src = new StopSource();
  log.length = 0;
  const stopped = withFrameAllocator(pool, () => toPromise(sleepsParent(), { stopToken: src.token }).catch((e) => (e as Error).name));
  setTimeout(() => src.requestStop(), 5);
  r.stopSleeping = [await stopped, [...log]];
  return { r, pool: pool.live };
}
`;

describe('a task awaiting a child task starts it inside the await', () => {
  let compiled: Compiled;
  let out: any;
  beforeAll(async () => {
    compiled = compile({ 'main.ts': SOURCE });
    out = await (await runCompiled(compiled)).run();
  });

  it('compiles', () => {
    expect(compiled.typeErrors.join('\n')).toBe('');
    expect(compiled.diagnostics).toEqual([]);
  });

  it('children that complete inline give their values, errors and environment', () => {
    expect(out.r.sum).toBe(500_500);
    // The child runs on its parent's scheduler with its stop token; a Lazy child on the inline one.
    expect(out.r.env).toBe(true);
    expect(out.r.catches).toBe('child threw,child error');
    expect(out.r.inside).toBe(5);
    // A task is awaited once: the second await reports it, even after an inline completion.
    expect(out.r.twice).toMatch(/^2: task 'plusOne' was already started; a task can be awaited once$/);
  });

  it('a 10,000-deep chain completes in constant stack (beyond the inline depth, by transfer)', () => {
    expect(out.r.deep).toBe(10_000);
  });

  it('a stop inside an inline child stops every awaiting level once', () => {
    expect(out.r.stop0).toEqual(['StoppedError', 'stopped', 2, 2]);
    expect(out.r.stop3).toEqual(['StoppedError', 'stopped', 5, 5]);
    expect(out.r.stop100).toEqual(['StoppedError', 'stopped', 102, 102]);
  });

  it('a child that suspends inside the await resumes its parent later, on the parent scheduler', () => {
    expect(out.r.parked).toEqual([true, [50, true]]);
    expect(out.r.deepParked).toBe(505);
  });

  it('a stop while the child sleeps inside the await stops both', () => {
    expect(out.r.stopSleeping).toEqual(['StoppedError', ['child finally', 'parent finally']]);
  });

  it('returns every frame to its allocator', () => {
    expect(out.pool).toBe(0);
  });
});
