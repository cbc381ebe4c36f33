// Output size and lowering time grow linearly in the input, on the shapes that used to grow
// faster: loops nested in try/finally (copies of shared tails plus node splitting; k = 5 did not
// lower at all), long runs of conditional yields (each resume point copied every later one), and
// many generators in one file. Each lowered program is also run against native generators,
// including throw() and return() at suspension points, since the large cases take the dispatch
// shape (see transformer/lower/analysis/shape.ts).
import { describe, expect, it } from 'vitest';
import { transformSource } from '../transformer/index.js';
import { both, lower } from './helpers/lowered.js';
import { asTaskAndAsync, manyGenerators, nestedTryLoops, sequentialBranches } from './helpers/scaling-programs.js';
import { compile, runCompiled } from './helpers/program.js';

function lowered(source: string, optimize: 'speed' | 'size'): { bytes: number; ms: number } {
  const t0 = performance.now();
  const r = transformSource(source, { fileName: 'scale.js', runtime: 'import', sourceMap: false, optimize });
  const ms = performance.now() - t0;
  expect(r.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
  return { bytes: r.code.length, ms };
}

/** Grows at most `slack` times faster than linearly from the small input to the large one. */
function expectLinear(small: { bytes: number }, large: { bytes: number }, factor: number, slack = 1.3): void {
  expect(large.bytes / small.bytes).toBeLessThanOrEqual(factor * slack);
}

// Both lowerings: size mode's passes over the structured code (widenTries, second entries) walk
// the same nested trees.
describe.each(['speed', 'size'] as const)('lowering scales linearly (optimize: %s)', (optimize) => {
  it('loops nested in try/finally: k = 10, 30, 60', () => {
    const k10 = lowered(nestedTryLoops(10), optimize);
    const k30 = lowered(nestedTryLoops(30), optimize);
    const k60 = lowered(nestedTryLoops(60), optimize);
    expectLinear(k10, k30, 3);
    expectLinear(k10, k60, 6);
    expect(k60.bytes).toBeLessThan(1_000_000);
    // A guard against super-linear blow-up (it took 28 s), not a benchmark: 420 ms here.
    expect(k60.ms).toBeLessThan(2000);
  });

  it('400 conditional yields in a row', () => {
    const m100 = lowered(sequentialBranches(100), optimize);
    const m400 = lowered(sequentialBranches(400), optimize);
    expectLinear(m100, m400, 4);
  });

  it('2,000 generators in one file', () => {
    const m500 = lowered(manyGenerators(500), optimize);
    const m2000 = lowered(manyGenerators(2000), optimize);
    expectLinear(m500, m2000, 4);
  });
});

/** Drives g to completion, or interrupts it with throw()/return() at its `stopAt`-th suspension. */
const driver = (args: string, stopAt: number, how: 'throw' | 'return' | 'none') => `
const log = [];
const out = [];
try {
  const it = g(${args}, log);
  let r = it.next();
  for (let step = 1; !r.done; step++) {
    out.push(r.value);
    if (step === ${stopAt} && '${how}' === 'throw') r = it.throw('boom');
    else if (step === ${stopAt} && '${how}' === 'return') r = it.return('early');
    else r = it.next(step * 10);
  }
  out.push('done', r.value);
} catch (e) { out.push('threw', String(e)); }
var result = JSON.stringify({ out, log });
`;

describe('the large shapes run as native generators do', () => {
  for (const how of ['none', 'throw', 'return'] as const) {
    it(`loops nested in try/finally, k = 6, ${how}`, () => {
      const r = both(nestedTryLoops(6) + driver('2', 37, how));
      expect(r.lowered).toBe(r.native);
      expect(r.code).toMatch(/switch \(\$s\)/);
    });
    it(`conditional yields, ${how}`, () => {
      const r = both(sequentialBranches(60) + driver('(i) => i % 3 !== 1', 17, how));
      expect(r.lowered).toBe(r.native);
    });
  }

  it('a small generator keeps the structured shape', () => {
    expect(lower(manyGenerators(1))).not.toMatch(/switch \(/);
  });
});

// Promise-type coroutines go through the same emitter and the same shape choice (before it, 400
// conditional awaits gave 33 MB and k = 5 nested loops did not lower).
const taskPrelude = `import { type Task, ready, fromThenable, toPromise } from 'corosplit/runtime';
let suspendEvery = 0, count = 0;
export function setSuspend(k: number) { suspendEvery = k; count = 0; }
const suspends = () => suspendEvery > 0 && ++count % suspendEvery === 0;
function aw<T>(x: T): Task<T> { return (suspends() ? fromThenable(Promise.resolve(x)) : ready(x)) as any; }
function an<T>(x: T): T | Promise<T> { return suspends() ? Promise.resolve(x) : x; }
export { toPromise };
`;
/** `withNative`: the async function too (its printed nesting grows quadratically, so not for sizes). */
function loweredTask(program: string, withNative = false): { bytes: number; ms: number; code: string; c: ReturnType<typeof compile> } {
  const { task, native } = asTaskAndAsync(program);
  const t0 = performance.now();
  const c = compile({ 'main.ts': taskPrelude + task + (withNative ? '\n' + native : '') }, { typeCheck: false });
  const ms = performance.now() - t0;
  expect(c.diagnostics).toEqual([]);
  const code = c.js.get('main.ts')!;
  return { bytes: code.length, ms, code, c };
}

describe('promise-type coroutines scale linearly too', () => {
  it('loops nested in try/finally: k = 10, 30, 60', () => {
    const k10 = loweredTask(nestedTryLoops(10));
    const k30 = loweredTask(nestedTryLoops(30));
    const k60 = loweredTask(nestedTryLoops(60));
    expectLinear(k10, k30, 3);
    expectLinear(k10, k60, 6);
    expect(k60.bytes).toBeLessThan(1_000_000);
    // type-checker program included; about 0.6 s here
    expect(k60.ms).toBeLessThan(4000);
  });

  it('400 conditional awaits in a row', () => {
    const m100 = loweredTask(sequentialBranches(100));
    const m400 = loweredTask(sequentialBranches(400));
    expectLinear(m100, m400, 4);
  });

  for (const suspendEvery of [0, 1, 3]) {
    it(`the dispatch shape runs as the async function does (awaits suspending: ${suspendEvery ? `1 in ${suspendEvery}` : 'none'})`, async () => {
      const nested = loweredTask(nestedTryLoops(6), true);
      expect(nested.code).toMatch(/function g\$run\(/);
      const branches = loweredTask(sequentialBranches(60), true);
      for (const [lowered, args] of [[nested, [2]], [branches, [(i: number) => i % 3 !== 1]]] as const) {
        const m = await runCompiled(lowered.c);
        m.setSuspend(suspendEvery);
        const logA: unknown[] = [];
        const native = await m.a(...args, logA);
        m.setSuspend(suspendEvery);
        const logB: unknown[] = [];
        const result = await m.toPromise(m.g(...args, logB));
        expect({ result, log: logB }).toEqual({ result: native, log: logA });
        expect(logA.length).toBeGreaterThan(20);
      }
    });
  }
});
