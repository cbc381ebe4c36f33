// A task awaiting a child task that does suspend runs the child's body elided (child$fast,
// transformer/lower/emit/elided-body.ts) until the child's first await that is not ready, where it
// materializes the frame (runtime/task-elision.ts). Each scenario here runs twice in one process:
// elided, and with elision off (any scoped frame allocator turns it off, and the heap's allocates
// exactly what the default does), and both runs must agree, with the expected value written out
// too. The heap allocator's count shows which run allocated child frames.
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled, type Compiled } from './helpers/program.js';

// Runs a scenario elided, then with elision off (a scoped heap allocator), counting child frames.
const BOTH = `
function both<T>(run: () => T): { elided: T; off: T; childFrames: [number, number] } {
  const t0 = heapAllocator.total;
  const elided = run();
  const t1 = heapAllocator.total;
  const off = withFrameAllocator(heapAllocator, run);
  return { elided, off, childFrames: [t1 - t0, heapAllocator.total - t1] };
}
`;

const OTHER = `
import { type Task } from 'corosplit/runtime';
import { Gate } from './main.js';
// A task of another module, exported: its speculative body goes along (coExportFast), and main's
// elided children that await it run it elided too, until it suspends on the gate.
export function* outside(g: Gate, v: number): Task<number> {
  const got = yield* g;
  return got + v;
}
`;

const SOURCE = `
import { type Task, type Lazy, type Awaiter, type CoroutineHandle, type Env, TaskPromise, StopSource, heapAllocator, getAllocator, just, ready, syncWait, toPromise, withFrameAllocator, changeScheduler, inlineScheduler, StoppedError, sleep, whenAll } from 'corosplit/runtime';
import { outside } from './other.js';

/** An awaiter that parks its coroutine until open() is called. */
export class Gate implements Awaiter<number> {
  h: CoroutineHandle<any> | null = null;
  constructor(public value = 0) {}
  awaitReady() { return false; }
  awaitSuspend(h: CoroutineHandle<any>) { this.h = h; }
  awaitResume() { return this.value; }
  open(v: number) { this.value = v; const h = this.h!; this.h = null; h.resume(); }
  [Symbol.iterator](): Iterator<unknown, number, any> { throw new Error('not lowered'); }
}
class Throwing implements Awaiter<number> {
  constructor(private where: 'ready' | 'suspend') {}
  awaitReady(): boolean { if (this.where === 'ready') throw new Error('awaitReady threw'); return false; }
  awaitSuspend(): void { throw new Error('awaitSuspend threw'); }
  awaitResume() { return 0; }
  [Symbol.iterator](): Iterator<unknown, number, any> { throw new Error('not lowered'); }
}
const log: string[] = [];

// ---- children (each awaited with yield* child(…) below, so each gets a speculative body) ----

function* addReady(a: number, b: number): Task<number> {
  const x = yield* ready(a);
  const y = yield* ready(b);
  return x + y;
}
function* loopSum(n: number, gate: Gate | null, at: number): Task<number> {
  let s = 0, twice = 0;
  for (let i = 0; i < n; i++) {
    const v = i === at && gate !== null ? yield* gate : yield* ready(i);
    s += v;
    twice += 2 * v;
  }
  return s * 1000 + twice;
}
function* guarded(gate: Gate | null, fail: boolean): Task<string> {
  const out: string[] = [];
  try {
    out.push('a' + (yield* ready(1)));
    const v = gate === null ? yield* ready(2) : yield* gate;
    out.push('b' + v);
    if (fail) throw new Error('boom');
    out.push('c');
  } catch (e) {
    out.push('caught ' + (e as Error).message);
  } finally {
    out.push('finally');
  }
  return out.join(',');
}
function* transforms(): Task<number> {
  const a = yield* (just(5) as any as Task<number>);
  const b = yield* (Promise.resolve(7) as any as Task<number>);
  return a * 10 + b;
}
function* schedHop(): Task<number> {
  const before = yield* ready(1);
  yield* changeScheduler(inlineScheduler);
  return before + 1;
}
function* awaitThrows(where: 'ready' | 'suspend'): Task<string> {
  try {
    yield* ready(0);
    yield* (new Throwing(where) as any as Task<number>);
    return 'no';
  } catch (e) {
    return 'caught ' + (e as Error).message;
  }
}
function* throwsAfter(gate: Gate | null): Task<number> {
  if (gate !== null) yield* gate;
  else yield* ready(0);
  throw new Error('child failed');
}
function* viaOutside(g: Gate): Task<number> {
  const v = yield* outside(g, 1);
  log.push('viaOutside resumed');
  return v + 100;
}
function* viaOutsideTop(g: Gate): Task<number> { return yield* viaOutside(g); }
// The tasks the asynchronous scenarios start: each awaits the child, which so runs elided.
function* loopSumTop(g: Gate): Task<number> { return yield* loopSum(6, g, 3); }
function* guardedTop(g: Gate, fail: boolean): Task<string> { return yield* guarded(g, fail); }
function* recursive(n: number): Task<number> {
  if (n === 0) return yield* ready(0);
  return 1 + (yield* recursive(n - 1));
}
function* manyReady(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* ready(1);
  return s;
}
function* sleeps(counter: { finallies: number }): Task<number> {
  yield* ready(0);
  try {
    yield* sleep(1e6);
    return 1;
  } finally {
    counter.finallies++;
  }
}
class EnvSeen extends TaskPromise<number> {
  static seen: unknown[] = [];
  override receiveEnv(env: Env) { EnvSeen.seen.push(getAllocator(env)); }
}
function* sleepsTop(counter: { finallies: number }): Task<number> { return yield* sleeps(counter); }
function* envChild(g: Gate): Task<number, EnvSeen> { return yield* g; }
function* callsEnvChild(g: Gate): Task<number> { return yield* envChild(g); }
function* envTop(g: Gate): Task<number> { return yield* callsEnvChild(g); }
function* viaTransforms(): Task<number> { return yield* transforms(); }
function* budgetParent(n: number): Task<number> { return yield* manyReady(n); }
// A closure that captures nothing of the child keeps the speculative body; one that captures a
// binding makes it live in the frame from the start, so that child has none.
function* mapsClosure(a: number, b: number): Task<number> {
  const xs = [a, b].map((v) => v * 2);
  const s = yield* ready(xs[0] + xs[1]);
  return s + [1, 2].reduce((p, q) => p + q, 0);
}
function* capturesLocal(a: number): Task<number> {
  const k = yield* ready(a);
  return [1, 2].map((v) => v + k).reduce((p, q) => p + q, 0);
}
function* ordered(): Task<number> {
  log.push('child starts');
  const v = yield* ready(1);
  log.push('child ends');
  return v;
}

// ---- awaiters: plain tasks, and two kinds that must not use the speculative bodies ----

function* parent(): Task<unknown[]> {
  return [(yield* mapsClosure(1, 2)) + (yield* capturesLocal(10)) * 1000, yield* addReady(1, 2), yield* loopSum(5, null, -1), yield* guarded(null, false), yield* guarded(null, true), yield* awaitThrows('ready'), yield* awaitThrows('suspend'), yield* schedHop()];
}
function* parentCatches(gate: Gate | null): Task<string> {
  try {
    return String(yield* throwsAfter(gate));
  } catch (e) {
    return 'parent caught ' + (e as Error).message;
  }
}
function* parentOrder(): Task<number> {
  log.push('before');
  const v = (yield* ordered()) + (log.push('after'), 0);
  return v;
}
class Custom extends TaskPromise<number> {}
function* customParent(): Task<number, Custom> { return yield* addReady(2, 3); }
function* lazyParent(): Lazy<number> { return yield* addReady(3, 4); }

${BOTH}

export function runSync() {
  const r: Record<string, unknown> = {};
  r.parent = both(() => syncWait(parent()));
  r.parentCatches = both(() => syncWait(parentCatches(null)));
  r.recursive = both(() => syncWait(recursive(100000)));
  const budget = TaskPromise.stepBudget;
  TaskPromise.stepBudget = 7;
  try {
    r.budget = both(() => syncWait(budgetParent(100)));
  } finally {
    TaskPromise.stepBudget = budget;
  }
  r.order = both(() => { log.length = 0; syncWait(parentOrder()); return log.join(','); });
  r.custom = both(() => syncWait(customParent()));
  r.lazy = both(() => syncWait(lazyParent()));
  return r;
}

/** Scenarios where children really suspend: resumed by hand, then awaited to the end. */
export async function runAsync() {
  const r: Record<string, unknown> = {};
  const run = async (make: (g: Gate) => Task<unknown>, open: number) => {
    const g = new Gate();
    const p = toPromise(make(g), { scheduler: inlineScheduler });
    await null;
    g.open(open);
    return p;
  };
  const twice = async (make: (g: Gate) => Task<unknown>, open: number) => {
    const elided = await run(make, open);
    const off = await withFrameAllocator(heapAllocator, () => run(make, open));
    return { elided, off };
  };
  r.loopSum = await twice((g) => loopSumTop(g), 40);
  r.guarded = await twice((g) => guardedTop(g, false), 9);
  r.guardedFail = await twice((g) => guardedTop(g, true), 9);
  r.parentCatches = await twice((g) => parentCatches(g), 0);
  log.length = 0;
  r.viaOutside = await twice((g) => viaOutsideTop(g), 5);
  r.viaOutsideLog = log.join(',');
  r.transforms = { elided: await toPromise(viaTransforms()), off: await withFrameAllocator(heapAllocator, () => toPromise(viaTransforms())) };
  EnvSeen.seen.length = 0;
  // envTop's frame comes from another allocator: what envChild sees must be its awaiter's
  // (callsEnvChild's, from the heap), not that of envTop, on whose stack callsEnvChild runs elided.
  const { PoolAllocator } = await import('corosplit/runtime');
  const pool = new PoolAllocator();
  const g = new Gate();
  const t = withFrameAllocator(pool, () => envTop(g));
  const p = toPromise(t, { scheduler: inlineScheduler });
  g.open(3);
  r.env = [await p, EnvSeen.seen.map((a) => (a === heapAllocator ? 'heap' : a === pool ? 'pool' : String(a)))];
  // Stopping a task whose elided child materialized in a sleep: the child's finally runs once and
  // the whole task completes as stopped.
  const stop = async () => {
    const counter = { finallies: 0 };
    const src = new StopSource();
    const done = toPromise(sleepsTop(counter), { stopToken: src.token }).then(() => 'value', (e) => (e instanceof StoppedError ? 'stopped' : String(e)));
    await null;
    src.requestStop();
    return [await done, counter.finallies];
  };
  r.stop = { elided: await stop(), off: await withFrameAllocator(heapAllocator, stop) };
  return r;
}
`;

describe('speculative task elision: a child that may suspend runs elided until it does', () => {
  let c: Compiled;
  let out: string;
  let sync: Record<string, any>;
  let later: Record<string, any>;
  beforeAll(async () => {
    c = compile({ 'main.ts': SOURCE, 'other.ts': OTHER });
    expect(c.diagnostics).toEqual([]);
    expect(c.typeErrors).toEqual([]);
    out = c.js.get('main.ts')!;
    const mod = await runCompiled(c);
    sync = mod.runSync();
    later = await mod.runAsync();
  });

  it('emits a speculative body for each child awaited by a plain task, and the awaits call it', () => {
    for (const name of ['addReady', 'loopSum', 'guarded', 'transforms', 'awaitThrows', 'throwsAfter', 'viaOutside', 'recursive', 'manyReady', 'ordered', 'callsEnvChild', 'sleeps']) {
      expect(out).toMatch(new RegExp(`function ${name}\\$fast\\(`));
    }
    expect(out).toMatch(/coElided\(addReady\$fast\(\$f\w*, 0, 1, 2\)\)/);
    // nested elided bodies count their depth
    expect(out).toMatch(/function recursive\$fast[\s\S]*?coElided\(recursive\$fast\(\$f\w*, \$m\w* \+ 1, n - 1\)\)/);
    // a child whose promise type is not TaskPromise has none
    expect(out).not.toMatch(/envChild\$fast/);
    // a closure that captures nothing keeps it; one that captures a binding of the child does not
    expect(out).toMatch(/function mapsClosure\$fast\(/);
    expect(out).not.toMatch(/capturesLocal\$fast/);
  });

  it('leaves awaiters with another promise type on the runtime path', () => {
    expect(out).toMatch(/function customParent\$resume0[\s\S]*?addReady\(2, 3\)/);
    expect(out).not.toMatch(/function customParent\$resume0[^}]*addReady\$fast/);
    expect(out).toMatch(/function lazyParent\$resume0[\s\S]*?addReady\(3, 4\)/);
    expect(sync.custom).toEqual({ elided: 5, off: 5, childFrames: [2, 2] });
    expect(sync.lazy).toEqual({ elided: 7, off: 7, childFrames: [2, 2] });
  });

  it('gives the same values elided and not, and elided allocates no child frame when all awaits are ready', () => {
    const expected = [9 + 23 * 1000, 3, 10 * 1000 + 20, 'a1,b2,c,finally', 'a1,b2,caught boom,finally', 'caught awaitReady threw', 'caught awaitSuspend threw', 2];
    expect(sync.parent.elided).toEqual(expected);
    expect(sync.parent.off).toEqual(expected);
    // elided: the parent's frame, and the children that materialize where an await needs their
    // own frame (the awaitSuspend that throws; the scheduler change); off: all 9 children's too
    // (capturesLocal always takes the runtime path: its closure captures `k`)
    expect(sync.parent.childFrames).toEqual([4, 10]);
  });

  it('throws the child’s exception into the awaiting task’s catch', () => {
    expect(sync.parentCatches.elided).toBe('parent caught child failed');
    expect(sync.parentCatches.off).toBe('parent caught child failed');
    expect(later.parentCatches).toEqual({ elided: 'parent caught child failed', off: 'parent caught child failed' });
  });

  it('materializes with every live value where the child really suspends, and resumes it there', () => {
    // values 0,1,2,40,4,5
    expect(later.loopSum).toEqual({ elided: 52 * 1000 + 104, off: 52 * 1000 + 104 });
    expect(later.guarded).toEqual({ elided: 'a1,b9,c,finally', off: 'a1,b9,c,finally' });
    expect(later.guardedFail).toEqual({ elided: 'a1,b9,caught boom,finally', off: 'a1,b9,caught boom,finally' });
  });

  it('awaits what only a task can (senders, promises, a scheduler change) by materializing first', () => {
    expect(later.transforms).toEqual({ elided: 57, off: 57 });
    expect(sync.parent.elided[7]).toBe(2);
  });

  it('a task of another module that the elided child started suspends, and resumes the child, not its awaiter', () => {
    expect(later.viaOutside).toEqual({ elided: 106, off: 106 });
    expect(later.viaOutsideLog).toBe('viaOutside resumed,viaOutside resumed');
  });

  it('a child whose receiveEnv reads the environment sees its real awaiter’s, not the task the elided body runs on', () => {
    expect(later.env).toEqual([3, ['heap']]);
  });

  it('keeps the host stack bounded: 100,000 nested children under syncWait', () => {
    expect(sync.recursive).toMatchObject({ elided: 100000, off: 100000 });
  });

  it('keeps the step budget: an elided child’s inline awaits count, and a spent budget materializes it', () => {
    expect(sync.budget).toMatchObject({ elided: 100, off: 100 });
    expect(sync.budget.childFrames[0]).toBeGreaterThan(1);
  });

  it('runs the child when it is awaited, in source order', () => {
    expect(sync.order).toMatchObject({ elided: 'before,child starts,child ends,after', off: 'before,child starts,child ends,after' });
  });

  it('stops a materialized child with its awaiter, running its finally once', () => {
    expect(later.stop).toEqual({ elided: ['stopped', 1], off: ['stopped', 1] });
  });
});

// A child task exported by one module and awaited in another: the exporting module attaches the
// child's speculative body to its function (coExportFast), and the awaiting task calls it when the
// imported function has one (coFastOf), and the function itself otherwise. Each scenario runs
// elided and with elision off, as above.
const CHILDREN = `
import { type Task, type Awaiter, type CoroutineHandle, ready } from 'corosplit/runtime';
export class Gate implements Awaiter<number> {
  h: CoroutineHandle<any> | null = null;
  value = 0;
  awaitReady() { return false; }
  awaitSuspend(h: CoroutineHandle<any>) { this.h = h; }
  awaitResume() { return this.value; }
  open(v: number) { this.value = v; const h = this.h!; this.h = null; h.resume(); }
  [Symbol.iterator](): Iterator<unknown, number, any> { throw new Error('not lowered'); }
}
export function* plusAfter(i: number): Task<number> {
  return (yield* ready(i)) + 1;
}
// no suspension point at all: elided outright in its own module, and speculatively in others
export function* plusNow(i: number): Task<number> {
  return i + 1;
}
export function* plusBoth(i: number): Task<number> {
  return yield* plusNow(yield* plusAfter(i));
}
export function* parks(g: Gate, v: number): Task<number> {
  const x = yield* ready(v);
  const y = yield* g;
  return x * 100 + y;
}
export function* fails(msg: string): Task<number> {
  yield* ready(0);
  throw new Error(msg);
}
// no speculative body: a parameter default
export function* withDefault(i: number, step = 10): Task<number> {
  return (yield* ready(i)) + step;
}
function* renamedChild(i: number): Task<number> {
  return (yield* ready(i)) * 3;
}
export { renamedChild as tripled };
export const viaArrow = (i: number): Task<number> => plusAfter(i);
// A binding a test can point at a spy, as vi.spyOn does to a module's export: the spy copies the
// original's own properties, symbols included (as vitest's does), and counts its calls.
export let swappable: (i: number) => Task<number> = plusAfter;
export const spyCalls = { n: 0 };
export function installSpy(): void {
  const spy = function (this: unknown, i: number): Task<number> {
    spyCalls.n++;
    return plusAfter.call(this, i);
  };
  for (const k of Reflect.ownKeys(plusAfter)) if (k !== 'length' && k !== 'name' && k !== 'prototype') Object.defineProperty(spy, k, Object.getOwnPropertyDescriptor(plusAfter, k)!);
  swappable = spy;
}
export function* callsBack(f: () => number): Task<number> {
  return yield* ready(f());
}
`;

const IMPORTER = `
import { type Task, heapAllocator, inlineScheduler, syncWait, toPromise, withFrameAllocator } from 'corosplit/runtime';
import { Gate, callsBack, fails, installSpy, parks, plusAfter, plusBoth, plusNow, spyCalls, swappable, tripled, viaArrow, withDefault } from './children.js';
import { plusAfter as shadowed } from './children.js';

function* sum(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s += (yield* plusAfter(i)) + (yield* plusNow(i)) + (yield* plusBoth(i));
  return s + (yield* tripled(2));
}
function* catches(): Task<string> {
  try {
    yield* fails('boom');
    return 'not reached';
  } catch (e) {
    return 'caught ' + (e as Error).message;
  }
}
function* others(): Task<number[]> {
  return [yield* withDefault(1), yield* viaArrow(2), yield* callsBack(() => 3), yield* useShadowed(shadowed)];
}
// a binding that shadows an import: that name is never tested for a body function
function* useShadowed(shadowed: (i: number) => Task<number>): Task<number> {
  return yield* shadowed(40);
}
function* viaSwappable(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* swappable(i);
  return s;
}
export function runSpied() {
  const before = syncWait(viaSwappable(10));
  installSpy();
  const after = syncWait(viaSwappable(10));
  return [before, after, spyCalls.n];
}
function* parked(g: Gate): Task<number> {
  return (yield* parks(g, 7)) + 1;
}

${BOTH}
export function runSync() {
  return { sum: both(() => syncWait(sum(100))), catches: both(() => syncWait(catches())), others: both(() => syncWait(others())) };
}
export async function runParked() {
  const run = async () => {
    const g = new Gate();
    const p = toPromise(parked(g), { scheduler: inlineScheduler });
    await null;
    g.open(5);
    return p;
  };
  const t0 = heapAllocator.total;
  const elided = await run();
  const t1 = heapAllocator.total;
  const off = await withFrameAllocator(heapAllocator, run);
  return { elided, off, childFrames: [t1 - t0, heapAllocator.total - t1] };
}
`;

describe('speculative task elision across modules: an exported child’s body goes along with it', () => {
  let c: Compiled;
  let children: string;
  let importer: string;
  let sync: Record<string, any>;
  let parkedRun: Record<string, any>;
  let spied: number[];
  beforeAll(async () => {
    c = compile({ 'main.ts': IMPORTER, 'children.ts': CHILDREN });
    expect(c.diagnostics).toEqual([]);
    expect(c.typeErrors).toEqual([]);
    children = c.js.get('children.ts')!;
    importer = c.js.get('main.ts')!;
    const mod = await runCompiled(c);
    sync = mod.runSync();
    parkedRun = await mod.runParked();
    spied = mod.runSpied();
  });

  it('attaches the body function to each exported child that has one, and to no other', () => {
    for (const name of ['plusAfter', 'plusNow', 'plusBoth', 'parks', 'fails', 'callsBack']) expect(children).toMatch(new RegExp(`coExportFast\\(${name}, ${name}\\$fast\\)`));
    // exported under another name: attached to the function all the same
    expect(children).toMatch(/coExportFast\(renamedChild, renamedChild\$fast\)/);
    expect(children).not.toMatch(/withDefault\$fast/);
  });

  it('tests an imported callee for a body function, except where a binding shadows it or an argument is a function', () => {
    expect(importer).toMatch(/coFastOf\(plusAfter\) !== void 0 \? coElided\(plusAfter\[coFastBody\]\(\$f\w*, 0, i\)\) : plusAfter\(i\)/);
    expect(importer).toMatch(/coFastOf\(tripled\)/);
    expect(importer).not.toMatch(/coFastOf\(shadowed\)/);
    expect(importer).not.toMatch(/coFastOf\(callsBack\)/);
  });

  it('gives the same values elided and not; all-ready children allocate no frame elided', () => {
    // (i + 1) + (i + 1) + (i + 2) for i in 0..99, and tripled(2). Elided: the parent, and the
    // plusNow that plusBoth awaits with an await in its argument (never elided: the call follows a
    // real suspension point); off: every child's, plusBoth's two included
    expect(sync.sum).toEqual({ elided: 3 * 4950 + 400 + 6, off: 3 * 4950 + 400 + 6, childFrames: [1 + 100, 1 + 500 + 1] });
    expect(sync.catches).toEqual({ elided: 'caught boom', off: 'caught boom', childFrames: [1, 2] });
  });

  it('awaits a function without a body function (a default parameter, an arrow, a function argument, a shadowing binding) as a task', () => {
    // elided: the parent, and the four children awaited through their ramps (useShadowed itself is
    // a child of this module, elided; what it awaits through its parameter is plusAfter's ramp);
    // off: useShadowed's frame too
    expect(sync.others).toEqual({ elided: [11, 3, 3, 41], off: [11, 3, 3, 41], childFrames: [5, 6] });
  });

  it('calls a spy that copied the original’s properties, body function included, as it is', () => {
    expect(importer).toMatch(/coFastOf\(swappable\)/);
    expect(spied).toEqual([55, 55, 10]);
  });

  it('materializes an imported child where it really suspends, and resumes it there', () => {
    // elided: the parent's frame and the child's, made when it parked on the gate
    expect(parkedRun).toEqual({ elided: 706, off: 706, childFrames: [2, 2] });
  });
});
