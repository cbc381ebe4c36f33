#!/usr/bin/env node
// Runtime benchmarks (run `npx tsc -p tsconfig.build.json` first; `node --expose-gc bench/runtime.mjs`
// for the GC rows to force a clean heap between runs).
//   1. synchronously completing awaits: Task `yield* ready(i)` vs `await i` in a native async function
//   2. a yield* chain 100 deep: building and completing it; resuming its innermost coroutine
//   3. 100k live frames, pooled vs heap, with GC counts from a perf_hooks observer
// Coroutines are hand-lowered in the shape of docs/coroutine-abi.md. Every row checks that both
// sides computed the same result.
import { PerformanceObserver } from 'node:perf_hooks';
import {
  CoroutineFrame,
  CoroutineHandle,
  HeapAllocator,
  PoolAllocator,
  RESUME,
  TaskPromise,
  allocatorArg,
  coAllocate,
  coAllocationFailed,
  coAwait,
  coResume,
  coReturn,
  coStart,
  coUnhandled,
  inlineScheduler,
  ready,
  startTask,
  suspendAlways,
  suspendNever,
  syncWait,
  taskOutcome,
} from '../dist/runtime/index.js';

// ---- coroutines -----------------------------------------------------------------------------------

// function* sumLoop(n: number, src: Awaiter<number> | null): Task<number> {
//   let s = 0;
//   for (let i = 0; i < n; i++) s = (s + (src === null ? yield* ready(i) : yield* src)) | 0;
//   return s;
// }
class sumLoop$Frame extends CoroutineFrame {
  n = 0;
  src = null;
  s = 0;
  i = 0;
  get $name() {
    return 'sumLoop';
  }
}
function sumLoop(n, src) {
  const f = coAllocate(sumLoop$Frame, TaskPromise, undefined);
  if (f === null) return coAllocationFailed(TaskPromise, sumLoop$Frame);
  f.n = n;
  f.src = src;
  return coStart(f, new TaskPromise(n, src), sumLoop$0);
}
function sumLoop$0(f, m) {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    f.s = 0;
    f.i = 0;
    return sumLoop$test(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function sumLoop$test(f) {
  if (f.i < f.n) {
    f.$r = sumLoop$1;
    return coAwait(f, f.src === null ? ready(f.i) : f.src);
  }
  return coReturn(f, f.s);
}
function sumLoop$1(f, m) {
  if (m !== RESUME) return null;
  try {
    f.s = (f.s + coResume(f)) | 0;
    f.i++;
    return sumLoop$test(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// The same source lowered with the optional in-place continuation (coroutine-abi.md §5).
class sumLoopIP$Frame extends CoroutineFrame {
  n = 0;
  src = null;
  s = 0;
  i = 0;
  get $name() {
    return 'sumLoop';
  }
}
function sumLoopIP(n, src) {
  const f = coAllocate(sumLoopIP$Frame, TaskPromise, undefined);
  if (f === null) return coAllocationFailed(TaskPromise, sumLoopIP$Frame);
  f.n = n;
  f.src = src;
  return coStart(f, new TaskPromise(n, src), sumLoopIP$0);
}
function sumLoopIP$0(f, m) {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    f.s = 0;
    f.i = 0;
    if (f.i < f.n) {
      f.$r = sumLoopIP$1;
      const next = coAwait(f, f.src === null ? ready(f.i) : f.src);
      if (next !== f) return next;
      return sumLoopIP$body(f);
    }
    return coReturn(f, f.s);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function sumLoopIP$body(f) {
  for (;;) {
    f.s = (f.s + coResume(f)) | 0;
    f.i++;
    if (!(f.i < f.n)) return coReturn(f, f.s);
    f.$r = sumLoopIP$1;
    const next = coAwait(f, f.src === null ? ready(f.i) : f.src);
    if (next !== f) return next;
  }
}
function sumLoopIP$1(f, m) {
  if (m !== RESUME) return null;
  try {
    return sumLoopIP$body(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// function* chain(d: number, k: number, src: Awaiter<number>): Task<number> {
//   if (d === 0) { let s = 0; for (let i = 0; i < k; i++) s += yield* src; return s; }
//   return yield* chain(d - 1, k, src);
// }
class chain$Frame extends CoroutineFrame {
  d = 0;
  k = 0;
  src = null;
  s = 0;
  i = 0;
  get $name() {
    return 'chain';
  }
  $reset() {
    this.d = 0;
    this.k = 0;
    this.src = null;
    this.s = 0;
    this.i = 0;
  }
}
function chain(d, k, src) {
  const f = coAllocate(chain$Frame, TaskPromise, undefined);
  if (f === null) return coAllocationFailed(TaskPromise, chain$Frame);
  f.d = d;
  f.k = k;
  f.src = src;
  return coStart(f, new TaskPromise(d, k, src), chain$0);
}
function chain$0(f, m) {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    if (f.d === 0) {
      f.s = 0;
      f.i = 0;
      return chain$test(f);
    }
    f.$r = chain$2;
    return coAwait(f, chain(f.d - 1, f.k, f.src));
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function chain$test(f) {
  if (f.i < f.k) {
    f.$r = chain$1;
    return coAwait(f, f.src);
  }
  return coReturn(f, f.s);
}
function chain$1(f, m) {
  if (m !== RESUME) return null;
  try {
    f.s += coResume(f);
    f.i++;
    return chain$test(f);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function chain$2(f, m) {
  if (m !== RESUME) return null;
  try {
    return coReturn(f, coResume(f));
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// An awaiter that parks the coroutine; the benchmark resumes it directly.
class Parked {
  h = null;
  v = 0;
  awaitReady() {
    return false;
  }
  awaitSuspend(h) {
    this.h = h;
  }
  awaitResume() {
    return this.v++;
  }
}

class HoldPromise {
  getReturnObject() {
    return CoroutineHandle.fromPromise(this);
  }
  initialSuspend() {
    return suspendNever;
  }
  finalSuspend() {
    return suspendAlways;
  }
  returnValue(v) {
    this.v = v;
  }
  unhandledException(e) {
    throw e;
  }
}
// function* hold(_: AllocatorArg, alloc: FrameAllocator, x: number, pad: object): Hold { yield* suspendAlways; return x; }
class hold$Frame extends CoroutineFrame {
  x = 0;
  pad = null;
  a = 0;
  b = 0;
  c = 0;
  d = 0;
  get $name() {
    return 'hold';
  }
  $reset() {
    this.x = 0;
    this.pad = null;
  }
}
function hold(_, alloc, x, pad) {
  const f = coAllocate(hold$Frame, HoldPromise, alloc);
  if (f === null) return coAllocationFailed(HoldPromise, hold$Frame);
  f.x = x;
  f.pad = pad;
  return coStart(f, new HoldPromise(_, alloc, x, pad), hold$0);
}
function hold$0(f, m) {
  if (m !== RESUME) return null;
  coResume(f);
  try {
    f.$r = hold$1;
    return coAwait(f, suspendAlways);
  } catch (e) {
    return coUnhandled(f, e);
  }
}
function hold$1(f, m) {
  if (m !== RESUME) return null;
  try {
    coResume(f);
    return coReturn(f, f.x);
  } catch (e) {
    return coUnhandled(f, e);
  }
}

// An always-ready source of consecutive numbers: a synchronously available stream element,
// awaited without allocating (as a C++ awaiter would live in the coroutine frame).
class Counter {
  i = 0;
  awaitReady() {
    return true;
  }
  awaitSuspend() {}
  awaitResume() {
    return this.i++;
  }
}

// ---- native counterparts ----------------------------------------------------------------------------

async function nativeSum(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + (await i)) | 0;
  return s;
}
async function nativeSumOf(n, src) {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + (await src.next())) | 0;
  return s;
}
function* nchain(d, k) {
  if (d === 0) {
    let s = 0;
    for (let i = 0; i < k; i++) s += yield i;
    return s;
  }
  return yield* nchain(d - 1, k);
}
function runNative(d, k) {
  const g = nchain(d, k);
  let r = g.next();
  while (!r.done) r = g.next(r.value);
  return r.value;
}

// ---- harness ----------------------------------------------------------------------------------------

const gcEvents = { count: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcEvents.count++;
    gcEvents.ms += e.duration;
  }
}).observe({ entryTypes: ['gc'] });
const settleGc = async () => {
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 20));
};

async function best(fn, reps = 5) {
  let bestMs = Infinity;
  let result;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    result = await fn();
    bestMs = Math.min(bestMs, performance.now() - t);
  }
  return { ms: bestMs, result };
}

const rows = [];
function row(name, ours, theirs, unit, per) {
  if (ours.result !== theirs.result) throw new Error(`${name}: results differ (${ours.result} vs ${theirs.result})`);
  rows.push({ name, ours: (ours.ms * 1e6) / per, theirs: (theirs.ms * 1e6) / per, unit });
}

// 1. synchronously completing awaits
const N = 2_000_000;
row('sync-completing await, fresh awaiter (Task yield* ready(i) vs await i)', await best(() => syncWait(sumLoop(N, null))), await best(() => nativeSum(N)), 'ns/await', N);
row(
  'sync-completing await, reused awaiter (Task yield* src vs await src.next())',
  await best(() => syncWait(sumLoop(N, new Counter()))),
  await best(() => {
    let i = 0;
    return nativeSumOf(N, { next: () => i++ });
  }),
  'ns/await',
  N,
);
row(
  'same, in-place loop lowering (coroutine-abi.md §5)',
  await best(() => syncWait(sumLoopIP(N, new Counter()))),
  await best(() => {
    let i = 0;
    return nativeSumOf(N, { next: () => i++ });
  }),
  'ns/await',
  N,
);

// 2a. build and complete a 100-deep chain
const D = 100;
const R = 2000;
row(
  'yield* chain 100 deep: create + complete (Task vs generator)',
  await best(() => {
    let s = 0;
    for (let r = 0; r < R; r++) s += syncWait(chain(D, 1, ready(1)));
    return s;
  }),
  await best(() => {
    let s = 0;
    for (let r = 0; r < R; r++) {
      const g = nchain(D, 1);
      let x = g.next();
      while (!x.done) x = g.next(1);
      s += x.value;
    }
    return s;
  }),
  'ns/chain',
  R,
);

// 2b. resume the innermost coroutine of a 100-deep chain K times
const K = 200_000;
row(
  'yield* chain 100 deep: resume innermost (Task vs generator)',
  await best(() => {
    const p = new Parked();
    const t = chain(D, K, p);
    startTask(t, { taskDone() {} }, inlineScheduler);
    while (taskOutcome(t) === undefined) p.h.resume();
    return taskOutcome(t).value;
  }),
  await best(() => runNative(D, K)),
  'ns/resume',
  K,
);

// 3. 100k live frames, pooled vs heap
const LIVE = 100_000;
const ROUNDS = 20;
async function liveFrames(alloc) {
  await settleGc();
  const before = { ...gcEvents };
  const t = performance.now();
  let s = 0;
  const hs = new Array(LIVE);
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < LIVE; i++) hs[i] = hold(allocatorArg, alloc, i, hs);
    for (let i = 0; i < LIVE; i++) {
      const h = hs[i];
      h.resume();
      s += h.promise.v;
      h.destroy();
    }
  }
  const ms = performance.now() - t;
  await settleGc();
  return { ms, result: s, gcs: gcEvents.count - before.count, gcMs: gcEvents.ms - before.ms };
}
const heap = await liveFrames(new HeapAllocator());
const pool = await liveFrames(new PoolAllocator({ maxPerClass: LIVE }));
row(`${LIVE / 1000}k live frames x${ROUNDS} (pool vs heap)`, pool, heap, 'ns/frame', LIVE * ROUNDS);

console.log('| benchmark | corosplit | baseline | speed-up |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.ours.toFixed(1)} ${r.unit} | ${r.theirs.toFixed(1)} ${r.unit} | ${(r.theirs / r.ours).toFixed(2)}x |`);
console.log(`| GC events during 100k live frames | pool: ${pool.gcs} (${pool.gcMs.toFixed(1)} ms) | heap: ${heap.gcs} (${heap.gcMs.toFixed(1)} ms) | |`);
