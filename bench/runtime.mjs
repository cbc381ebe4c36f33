#!/usr/bin/env node
// Runtime benchmarks (`npm run bench:runtime`; it builds first and passes --expose-gc so the GC rows
// start from a clean heap). Every coroutine measured here is written in bench/runtime-coroutines.ts
// and lowered at startup by corosplit's transformProgram, exactly as the ts-patch plugin would:
//   1. synchronously completing awaits in a Task (syncWait, so a RunLoop scheduler with affinity and
//      the step budget in force) vs `await` in a native async function; child tasks every way the
//      lowering takes them: elided (no suspension point: its body is called), run speculatively
//      (a child that awaits: elided until an await is not ready; in the same module, and imported
//      from bench/runtime-children.ts, whose export carries its body function), and started inside
//      the await (a task method of that module: no body function, the runtime's path)
//   2. a yield* chain 100 deep: building and completing it; resuming its innermost coroutine
//   3. 100k live frames, pooled vs heap, with GC counts from a perf_hooks observer
//   4. 10^5 concurrent tasks each waiting for a timer; cancelling a tree of 10^4 waiting tasks
// Where Effection 4 (the structured-concurrency library on JavaScript generators) has the same
// operation, the same workload written as Effection operations is a second column.
// Each row warms both sides up, then times them in turns (best of 7 each), so compilation and a busy
// phase of this shared machine do not land on one side only. Every row checks that both sides
// computed the same result. `--smoke` runs every row at a tiny size
// once (the test suite uses it to check the rows agree; its timings mean nothing).
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { transformProgram } from '../dist/transformer/index.js';
import { HeapAllocator, PoolAllocator, StopSource, StoppedError, allocatorArg, inlineScheduler, ready, startTask, syncWait, taskOutcome, toPromise } from '../dist/runtime/index.js';
import * as effection from 'effection';

// ---- lower the coroutines ---------------------------------------------------------------------------

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const source = path.join(root, 'bench', 'runtime-coroutines.ts');
// Inside the package, so `corosplit/runtime` resolves to this checkout's dist by self-reference.
const outDir = path.join(root, '.corosplit-tmp', 'bench');
const children = path.join(root, 'bench', 'runtime-children.ts');
const program = ts.createProgram([source, children], {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  types: [],
  outDir,
  rootDir: path.join(root, 'bench'),
});
const typeErrors = ts.getPreEmitDiagnostics(program);
const lowered = transformProgram(program, { files: [source, children] });
const problems = [...typeErrors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), ...lowered.diagnostics.map((d) => d.text)];
if (problems.length) {
  console.error(`bench/runtime.mjs: lowering ${path.relative(root, source)} failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
fs.mkdirSync(outDir, { recursive: true });
for (const [file, text] of lowered.files) fs.writeFileSync(file, text);
const co = await import(pathToFileURL(path.join(outDir, 'runtime-coroutines.js')).href);
const { Adder } = await import(pathToFileURL(path.join(outDir, 'runtime-children.js')).href);

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

// ---- native counterparts ----------------------------------------------------------------------------

async function nativeSum(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s ^= await i;
  return s;
}
async function nativeSumOf(n, src) {
  let s = 0;
  for (let i = 0; i < n; i++) s ^= await src.next();
  return s;
}
async function nativePlusOne(i) {
  return i + 1;
}
async function nativeSumChildren(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s ^= await nativePlusOne(i);
  return s;
}
async function nativePlusOneAfter(i) {
  return (await i) + 1;
}
async function nativeSumAwaitingChildren(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s ^= await nativePlusOneAfter(i);
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

const SMOKE = process.argv.includes('--smoke');
const size = (n) => (SMOKE ? Math.max(1, Math.round(n / 1000)) : n);

// Both sides are warmed up first (the first runs include compilation), then measured in turns, so
// that a busy phase of a shared machine hits both; each keeps its best time.
const WARMUP = SMOKE ? 0 : 2;
const REPS = SMOKE ? 1 : 7;
async function compare(ours, theirs, effectionSide, reps = REPS) {
  const sides = [ours, theirs, ...(effectionSide ? [effectionSide] : [])];
  for (let i = 0; i < WARMUP; i++) for (const fn of sides) await fn();
  const outs = sides.map(() => ({ ms: Infinity, result: undefined }));
  for (let i = 0; i < reps; i++) {
    for (let k = 0; k < sides.length; k++) {
      const t = performance.now();
      const r = await sides[k]();
      // A side may time a part of its run itself (cancellation: from the stop request on).
      const ms = r !== null && typeof r === 'object' && 'ms' in r ? r.ms : performance.now() - t;
      outs[k].result = r !== null && typeof r === 'object' && 'ms' in r ? r.result : r;
      outs[k].ms = Math.min(outs[k].ms, ms);
    }
  }
  return outs;
}

const rows = [];
function row(name, [ours, theirs, eff], unit, per) {
  if (ours.result !== theirs.result) throw new Error(`${name}: results differ (${ours.result} vs ${theirs.result})`);
  if (eff && eff.result !== ours.result) throw new Error(`${name}: Effection's result differs (${eff.result} vs ${ours.result})`);
  rows.push({ name, ours: (ours.ms * 1e6) / per, theirs: (theirs.ms * 1e6) / per, eff: eff ? (eff.ms * 1e6) / per : undefined, unit });
}

// ---- Effection 4 counterparts (native generators, run by Effection) ----------------------------------

function effectionRun(op) {
  return effection.run(op);
}
function* effPlusOne(i) {
  return i + 1;
}
function* effPlusOneAfter(i) {
  return (yield* effection.call(() => i)) + 1;
}
function* effChain(d) {
  if (d === 0) return yield* effection.call(() => 1);
  return yield* effChain(d - 1);
}

// 1. synchronously completing awaits
const N = size(2_000_000);
const counting = () => {
  let i = 0;
  return { next: () => i++ };
};
row(
  'sync-completing await, fresh awaiter (Task yield* ready(i) vs await i; Effection yield* call(() => i))',
  await compare(
    () => syncWait(co.sumReady(N)),
    () => nativeSum(N),
    () =>
      effectionRun(function* () {
        let s = 0;
        for (let i = 0; i < N; i++) s ^= yield* effection.call(() => i);
        return s;
      }),
  ),
  'ns/await',
  N,
);
row('sync-completing await, reused awaiter (Task yield* src vs await src.next())', await compare(() => syncWait(co.sumOf(N, new Counter())), () => nativeSumOf(N, counting())), 'ns/await', N);
const NC = size(500_000);
row(
  'child task with no suspension point, elided (Task yield* plusOne(i) vs await plusOne(i); Effection yield* plusOne(i))',
  await compare(
    () => syncWait(co.sumChildren(NC)),
    () => nativeSumChildren(NC),
    () =>
      effectionRun(function* () {
        let s = 0;
        for (let i = 0; i < NC; i++) s ^= yield* effPlusOne(i);
        return s;
      }),
  ),
  'ns/await',
  NC,
);
row(
  'child task that awaits a ready value, then completes (Task yield* plusOneAfterReady(i) vs await; Effection yield*)',
  await compare(
    () => syncWait(co.sumAwaitingChildren(NC)),
    () => nativeSumAwaitingChildren(NC),
    () =>
      effectionRun(function* () {
        let s = 0;
        for (let i = 0; i < NC; i++) s ^= yield* effPlusOneAfter(i);
        return s;
      }),
  ),
  'ns/await',
  NC,
);
row(
  'child task imported from another module, run speculatively through the body function its export carries, awaiting a ready value (Task yield* vs await)',
  await compare(
    () => syncWait(co.sumImportedChildren(NC)),
    () => nativeSumAwaitingChildren(NC),
  ),
  'ns/await',
  NC,
);
const adder = new Adder(1);
const nativeAdder = { step: 1, async plusAfterReady(i) { return (await i) + this.step; } };
row(
  'child task method of another module (no body function: started inside the await, the runtime path), awaiting a ready value (Task yield* vs await)',
  await compare(
    () => syncWait(co.sumMethodChildren(NC, adder)),
    async () => {
      let s = 0;
      for (let i = 0; i < NC; i++) s ^= await nativeAdder.plusAfterReady(i);
      return s;
    },
  ),
  'ns/await',
  NC,
);

// 2a. build and complete a 100-deep chain
const D = 100;
const R = size(2000);
row(
  'yield* chain 100 deep: create + complete (Task vs generator)',
  await compare(
    () => {
      let s = 0;
      for (let r = 0; r < R; r++) s += syncWait(co.chain(D, 1, ready(1)));
      return s;
    },
    () => {
      let s = 0;
      for (let r = 0; r < R; r++) {
        const g = nchain(D, 1);
        let x = g.next();
        while (!x.done) x = g.next(1);
        s += x.value;
      }
      return s;
    },
    () =>
      effectionRun(function* () {
        let s = 0;
        for (let r = 0; r < R; r++) s += yield* effChain(D);
        return s;
      }),
  ),
  'ns/chain',
  R,
);

// 2b. resume the innermost coroutine of a 100-deep chain K times
const K = size(200_000);
row(
  'yield* chain 100 deep: resume innermost (Task vs generator)',
  await compare(
    () => {
      const p = new Parked();
      const t = co.chain(D, K, p);
      startTask(t, { taskDone() {} }, inlineScheduler);
      while (taskOutcome(t) === undefined) p.h.resume();
      return taskOutcome(t).value;
    },
    () => runNative(D, K),
  ),
  'ns/resume',
  K,
);

// 3. 100k live frames, pooled vs heap
const LIVE = size(100_000);
const ROUNDS = SMOKE ? 1 : 20;
async function liveFrames(alloc) {
  await settleGc();
  const before = { ...gcEvents };
  const t = performance.now();
  let s = 0;
  const hs = new Array(LIVE);
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < LIVE; i++) hs[i] = co.hold(allocatorArg, alloc, i, hs);
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
row(`${LIVE / 1000}k live frames x${ROUNDS} (pool vs heap)`, [pool, heap], 'ns/frame', LIVE * ROUNDS);

// 4a. 10^5 concurrent tasks, each waiting for a 1 ms timer
const MANY = size(100_000);
const TIMER_REPS = SMOKE ? 1 : 3;
row(
  `${MANY / 1000}k concurrent tasks, each awaiting a 1 ms timer (Task whenAll vs Promise.all; Effection all)`,
  await compare(
    () => toPromise(co.manySleepers(MANY, 1)),
    async () => {
      const values = await Promise.all(Array.from({ length: MANY }, async (_, i) => (await new Promise((r) => setTimeout(r, 1)), i & 7)));
      let s = 0;
      for (const v of values) s ^= v;
      return s;
    },
    () =>
      effectionRun(function* () {
        const values = yield* effection.all(
          Array.from({ length: MANY }, (_, i) =>
            (function* () {
              yield* effection.sleep(1);
              return i & 7;
            })(),
          ),
        );
        let s = 0;
        for (const v of values) s ^= v;
        return s;
      }),
    TIMER_REPS,
  ),
  'ns/task',
  MANY,
);

// 4b. cancel a tree of width^2 waiting tasks: time from the stop request until every leaf ran its
// cleanup and the root completed. Each side reports how many leaves were cancelled.
const WIDTH = SMOKE ? 4 : 100;
const LEAVES = WIDTH * WIDTH;
const turn = () => new Promise((r) => setTimeout(r, 5));
row(
  `cancel a tree of ${LEAVES / 1000}k waiting tasks (Task stop token vs AbortController; Effection halt)`,
  await compare(
    async () => {
      const counter = { cancelled: 0, started: 0 };
      const source = new StopSource();
      const done = toPromise(co.tree(WIDTH, counter), { stopToken: source.token }).catch((e) => {
        if (!(e instanceof StoppedError)) throw e;
      });
      while (counter.started < LEAVES) await turn();
      const t = performance.now();
      source.requestStop();
      await done;
      return { ms: performance.now() - t, result: counter.cancelled };
    },
    async () => {
      const ac = new AbortController();
      setMaxListeners(LEAVES + 1, ac.signal);
      let cancelled = 0;
      const leaf = () =>
        new Promise((_, rej) => {
          const timer = setTimeout(() => {}, 1e9);
          ac.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            cancelled++;
            rej(ac.signal.reason);
          });
        });
      const done = Promise.allSettled(Array.from({ length: WIDTH }, () => Promise.allSettled(Array.from({ length: WIDTH }, leaf))));
      await turn();
      const t = performance.now();
      ac.abort();
      await done;
      return { ms: performance.now() - t, result: cancelled };
    },
    async () => {
      const counter = { cancelled: 0, started: 0 };
      function* effLeaf() {
        counter.started++;
        try {
          yield* effection.sleep(1e9);
        } finally {
          counter.cancelled++;
        }
      }
      const task = effectionRun(function* () {
        yield* effection.all(Array.from({ length: WIDTH }, () => effection.all(Array.from({ length: WIDTH }, () => effLeaf()))));
      });
      while (counter.started < LEAVES) await turn();
      const t = performance.now();
      await task.halt();
      return { ms: performance.now() - t, result: counter.cancelled };
    },
    TIMER_REPS,
  ),
  'ns/task',
  LEAVES,
);

console.log('| benchmark | corosplit | native baseline | speed-up | Effection 4 | vs Effection |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const eff = r.eff === undefined ? '| n/a | ' : `| ${r.eff.toFixed(1)} ${r.unit} | ${(r.eff / r.ours).toFixed(2)}x `;
  console.log(`| ${r.name} | ${r.ours.toFixed(1)} ${r.unit} | ${r.theirs.toFixed(1)} ${r.unit} | ${(r.theirs / r.ours).toFixed(2)}x ${eff}|`);
}
console.log(`| GC events during ${LIVE / 1000}k live frames | pool: ${pool.gcs} (${pool.gcMs.toFixed(1)} ms) | heap: ${heap.gcs} (${heap.gcMs.toFixed(1)} ms) | | | |`);
