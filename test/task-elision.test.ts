// A task awaiting a child task with no suspension point calls the child's body as a plain function
// (transformer/lower/analysis/task-elision.ts): no frame, no promise, no awaiter. These cases check
// which awaits are elided (in the output and by a one-frame allocator that only the elided form
// fits in) and that nothing a user can see changes: values, exceptions and their handlers, the
// order arguments are evaluated in, the child called any other way, and children that must not
// be elided (recursion, an await inside, a rebound name, a frame allocator argument).
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled, type Compiled } from './helpers/program.js';

const SOURCE = `
import { type Task, type Lazy, type AllocatorArg, type FrameAllocator, BoundedAllocator, allocatorArg, ready, syncWait, withFrameAllocator } from 'corosplit/runtime';

const log: string[] = [];
function note<T>(s: string, v: T): T { log.push(s); return v; }

function* plusOne(i: number): Task<number> { return i + 1; }
function* thrower(msg: string): Task<number> { throw new Error(msg); }
function* twoLevels(i: number): Task<number> { return (yield* plusOne(i)) * 2; }
function* lazySeven(): Lazy<number> { return 7; }
function* recursive(n: number): Task<number> { return n === 0 ? 0 : 1 + (yield* recursive(n - 1)); }
function* awaitsReady(i: number): Task<number> { return (yield* ready(i)) + 1; }
function* shadowed(): Task<number> { return 1; }
function localShadow(): number { const shadowed = 5; return shadowed; }
function* withAlloc(_: AllocatorArg, a: FrameAllocator, x: number): Task<number> { return x; }
function* argsAwait(): Task<number> { return yield* plusOne(yield* ready(40)); }
// Its await sits in a class's computed member name, which the body function would not rewrite.
function* classKey(): Task<string> {
  class K { [String(yield* plusOne(1))]() { return 0; } }
  return Object.getOwnPropertyNames(K.prototype).join();
}

export function* sum(n: number): Task<number> {
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* plusOne(i);
  return s;
}
function* nested(): Task<number> { return (yield* twoLevels(1)) + (yield* lazySeven()); }
function* catches(): Task<string> {
  const out: string[] = [];
  try {
    yield* thrower('first');
    out.push('not reached');
  } catch (e) {
    out.push((e as Error).message);
  } finally {
    out.push('finally');
  }
  try { return String(yield* thrower('second')); } catch (e) { out.push((e as Error).message); }
  return out.join(',');
}
function* order(): Task<number> {
  return note('a', 1) + (yield* plusOne(note('b', 1))) + note('c', 1);
}
function* lazyParent(): Lazy<number> { return (yield* plusOne(1)) + (yield* twoLevels(1)); }
function* others(pool: FrameAllocator): Task<(number | string)[]> {
  return [yield* recursive(3), yield* awaitsReady(1), yield* shadowed(), yield* withAlloc(allocatorArg, pool, 9), localShadow(), yield* argsAwait(), yield* classKey()];
}

export function run() {
  const r: Record<string, unknown> = {};
  // One frame: the parent's. Awaiting a child through the runtime needs a second one at a time.
  r.sumOneFrame = withFrameAllocator(new BoundedAllocator(1), () => syncWait(sum(1000)));
  r.nested = syncWait(nested());
  r.catches = syncWait(catches());
  r.order = [syncWait(order()), log.join('')];
  r.lazyParent = syncWait(lazyParent());
  r.direct = [syncWait(plusOne(1)), syncWait(lazySeven())];
  r.others = syncWait(others(new BoundedAllocator(10)));
  let refused = '';
  try { withFrameAllocator(new BoundedAllocator(1), () => syncWait(others(new BoundedAllocator(10)))); } catch (e) { refused = (e as Error).name; }
  r.othersNeedFrames = refused;
  return r;
}
`;

describe('task elision: awaiting a child with no suspension point calls its body', () => {
  let c: Compiled;
  let out: string;
  let r: Record<string, unknown>;
  beforeAll(async () => {
    c = compile({ 'main.ts': SOURCE });
    expect(c.diagnostics).toEqual([]);
    expect(c.typeErrors).toEqual([]);
    out = c.js.get('main.ts')!;
    r = (await runCompiled(c)).run();
  });

  it('replaces the await by a call of the body function, and the loop stays in one resume function', () => {
    expect(out).toMatch(/function plusOne\$body\(i\) \{\s*return i \+ 1;\s*\}/);
    expect(out).toMatch(/function sum\$resume0[\s\S]*?s \+= plusOne\$body\(i\)/);
    expect(out).not.toMatch(/function sum\$resume1\b/);
    // transitively: twoLevels' body calls plusOne's
    expect(out).toMatch(/function twoLevels\$body\(i\) \{\s*return \(plusOne\$body\(i\)\) \* 2;\s*\}/);
    expect(out).toMatch(/lazySeven\$body/);
  });

  it('keeps the runtime await for children that are not elidable', () => {
    for (const name of ['recursive', 'awaitsReady', 'shadowed', 'withAlloc', 'argsAwait', 'classKey']) expect(out).not.toMatch(new RegExp(`${name}\\$body`));
    // an argument that awaits: the outer await stays a suspension point, after the argument's
    expect(out).toMatch(/function argsAwait\$resume1[\s\S]*?awaitTransform\(\$tmp\d+\(\$sent\d+\)\)/);
  });

  it('gives the same values, without a frame per child', () => {
    expect(r.sumOneFrame).toBe(500500);
    expect(r.nested).toBe(4 + 7);
    expect(r.lazyParent).toBe(2 + 4);
    expect(r.direct).toEqual([2, 7]);
    expect(r.others).toEqual([3, 2, 1, 9, 5, 41, '2,constructor']);
    // the same parent with children that are not elided does need more frames than one
    expect(r.othersNeedFrames).toBe('FrameAllocationError');
  });

  it('throws the child’s exception at the await, into the parent’s catch and finally', () => {
    expect(r.catches).toBe('first,finally,second');
  });

  it('leaves scripts alone: their top-level functions are globals another script can reassign', () => {
    const script = compile({
      'script.ts': `
type Task<T> = import('corosplit/runtime').Task<T>;
function* one(): Task<number> { return 1; }
function* twice(): Task<number> { return (yield* one()) * 2; }
`,
    });
    expect(script.diagnostics).toEqual([]);
    const js = script.js.get('script.ts')!;
    expect(js).toMatch(/function twice\$resume0/);
    expect(js).not.toMatch(/one\$body/);
  });

  it('evaluates the arguments and the rest of the expression in source order', () => {
    expect(r.order).toEqual([4, 'abc']);
  });
});
