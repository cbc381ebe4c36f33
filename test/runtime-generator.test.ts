// The generator runtime, driven by a hand-written frame in the shape the lowering emits.
import { describe, expect, it } from 'vitest';
import { GeneratorFrame, defineGenerator, generatorCompleted, generatorFrameConstructor } from '../runtime/index.js';

// function* count(n) { try { for (let i = 0; i < n; i++) yield i; } finally { log.push('fin'); } }
const log: string[] = [];
interface count$Frame extends GeneratorFrame {
  n: number;
  i: number;
}
const count$Frame = generatorFrameConstructor(function count$Frame(this: count$Frame, n: number) {
  this.$r = count$resume0;
  this.n = n;
  this.i = 0;
}) as unknown as new (n: number) => count$Frame;
function count$resume0(f: count$Frame, v: unknown, m: number): unknown {
  if (m !== 0) return generatorCompleted(f, v, m);
  f.i = 0;
  return count$loop(f);
}
function count$loop(f: count$Frame): unknown {
  if (f.i < f.n) { f.$r = count$resume1; return f.i; }
  log.push('fin');
  f.$r = generatorCompleted;
  return undefined;
}
function count$resume1(f: count$Frame, v: unknown, m: number): unknown {
  if (m === 1) { log.push('fin'); throw v; }
  if (m === 2) { log.push('fin'); f.$r = generatorCompleted; return v; }
  f.i++;
  return count$loop(f);
}
function count(n: number) { return new count$Frame(n); }
defineGenerator(count, count$Frame);

describe('GeneratorFrame', () => {
  it('iterates and completes', () => {
    log.length = 0;
    expect([...count(3)]).toEqual([0, 1, 2]);
    expect(log).toEqual(['fin']);
  });
  it('has the reflective shape of a generator', () => {
    const g = count(1);
    const GeneratorPrototype = Object.getPrototypeOf(count.prototype);
    expect(Object.getPrototypeOf(g)).toBe(count.prototype);
    expect(Object.prototype.toString.call(g)).toBe('[object Generator]');
    expect(g[Symbol.iterator]()).toBe(g);
    expect(Object.getPrototypeOf(GeneratorPrototype)).toBe(Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
    expect(Object.getOwnPropertyNames(count.prototype)).toEqual([]);
    expect(Object.getPrototypeOf(count).prototype).toBe(GeneratorPrototype);
    expect(GeneratorPrototype.next.length).toBe(1);
  });
  it('routes return() and throw() and stays completed afterwards', () => {
    log.length = 0;
    const g = count(5);
    expect(g.next()).toEqual({ value: 0, done: false });
    expect(g.return(42)).toEqual({ value: 42, done: true });
    expect(g.next()).toEqual({ value: undefined, done: true });
    const h = count(5);
    h.next();
    expect(() => h.throw(new Error('boom'))).toThrow('boom');
    expect(h.next()).toEqual({ value: undefined, done: true });
    expect(log).toEqual(['fin', 'fin']);
  });
  it('throw() before start completes without running the body', () => {
    const g = count(2);
    expect(() => g.throw(7)).toThrow();
    expect(g.next()).toEqual({ value: undefined, done: true });
  });
  it('hands out an inner result object as it is after a resume point marked as pass-through', () => {
    // function* relay(it) { yield* it; } in the ABI's shape: the resume function that continues a
    // yield* declares a fourth parameter, and what it returns is the inner result object.
    const inner = { n: 0, next() { return { value: this.n++, done: this.n > 2, extra: 'kept' }; } };
    interface relay$Frame extends GeneratorFrame { it: typeof inner }
    function relay$resume1(f: relay$Frame, _v: unknown, m: number, _passThrough?: unknown): unknown {
      if (m !== 0) return generatorCompleted(f, _v, m);
      const r = f.it.next();
      if (r.done) { f.$r = generatorCompleted; return r.value; }
      f.$r = relay$resume1;
      return r;
    }
    const relay$Frame = generatorFrameConstructor(function relay$Frame(this: relay$Frame, it: typeof inner) {
      this.$r = relay$resume1;
      this.it = it;
    }) as unknown as new (it: typeof inner) => relay$Frame;
    const g = new relay$Frame(inner);
    expect(relay$resume1.length).toBe(4);
    expect(g.next()).toEqual({ value: 0, done: false, extra: 'kept' });
    expect(g.next()).toEqual({ value: 1, done: false, extra: 'kept' });
    // the inner iterator finished: the relay completes with its value in a result of its own
    expect(g.next()).toEqual({ value: 2, done: true });
    expect(g.next()).toEqual({ value: undefined, done: true });
  });
  it('tells a plain resume point by its parameter count, cached or frozen, after asking it as a pass-through', () => {
    // function* two() { yield 1; return 2; } with plain points, (frame, value): return() there
    // completes without calling the function. The runtime caches the count on the function the
    // first time it asks (here after the first step, as "is it a pass-through point?") and reads
    // it again for return(); a frozen function cannot hold the cache and is asked every time.
    for (const frozen of [false, true]) {
      let calls = 0;
      function two$resume1(f: GeneratorFrame, _v: unknown): unknown { calls++; f.$r = generatorCompleted; return 2; }
      function two$resume0(f: GeneratorFrame, _v: unknown): unknown { f.$r = two$resume1; return 1; }
      if (frozen) Object.freeze(two$resume1);
      const two$Frame = generatorFrameConstructor(function two$Frame(this: GeneratorFrame) {
        this.$r = two$resume0;
      }) as unknown as new () => GeneratorFrame & Iterator<number>;
      for (let round = 0; round < 2; round++) {
        const g = new two$Frame();
        expect(g.next()).toEqual({ value: 1, done: false });
        expect(g.return!(9)).toEqual({ value: 9, done: true });
        expect(g.next()).toEqual({ value: undefined, done: true });
        const h = new two$Frame();
        expect(h.next()).toEqual({ value: 1, done: false });
        expect(h.next()).toEqual({ value: 2, done: true });
      }
      expect(calls).toBe(2);
      expect(Object.isFrozen(two$resume1)).toBe(frozen);
    }
  });
  it('keeps what it caches on resume functions out of reach of names other code sets on Function.prototype', () => {
    const proto = Function.prototype as any;
    proto.$arity = 3;
    proto.$drop = () => { throw new Error('a drop the runtime did not register'); };
    proto.$pt = true;
    try {
      let calls = 0;
      function one$resume1(f: GeneratorFrame, _v: unknown): unknown { calls++; f.$r = generatorCompleted; return 2; }
      function one$resume0(f: GeneratorFrame, _v: unknown): unknown { f.$r = one$resume1; return 1; }
      const one$Frame = generatorFrameConstructor(function one$Frame(this: GeneratorFrame) {
        this.$r = one$resume0;
      }) as unknown as new () => GeneratorFrame & Iterator<number>;
      const g = new one$Frame();
      expect(g.next()).toEqual({ value: 1, done: false });
      // plain point: completes without running the body (read as arity 3, it would run it as next())
      expect(g.return!(9)).toEqual({ value: 9, done: true });
      expect(calls).toBe(0);
    } finally {
      delete proto.$arity;
      delete proto.$drop;
      delete proto.$pt;
    }
  });
  it('rejects re-entry and foreign receivers with TypeError', () => {
    let g: any;
    class reenter$Frame extends GeneratorFrame { constructor() { super((f) => f.next()); } }
    g = new reenter$Frame();
    expect(() => g.next()).toThrow(TypeError);
    expect(() => GeneratorFrame.prototype.next.call({})).toThrow(TypeError);
  });
});
