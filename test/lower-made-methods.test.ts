// Generator methods the runtime makes (optimize: 'size'): the class or object literal keeps an
// empty stand-in, and defineGeneratorMethods replaces it with a method built from the entry and
// the frame's field names. Everything reflection can see must match native methods, and the
// lowering must keep the ramp wherever a later member could define the same key.
import { describe, expect, it } from 'vitest';
import { both } from './helpers/lowered.js';

/** Reflection of a generator method `fn` found on `home` under `key`, as a list of plain values. */
const reflect = `
  function reflect(home, key, call) {
    const fn = home[key];
    const d = Object.getOwnPropertyDescriptor(home, key);
    const p = Object.getOwnPropertyDescriptor(fn, 'prototype');
    const it = call(fn);
    return [
      fn.name, fn.length, Object.getPrototypeOf(fn) === Object.getPrototypeOf(function* () {}),
      d.writable, d.enumerable, d.configurable, p.writable, p.enumerable, p.configurable,
      Object.getOwnPropertyNames(fn.prototype).length, Object.getPrototypeOf(fn.prototype) === Object.getPrototypeOf(function* () {}).prototype,
      it instanceof fn, Object.getPrototypeOf(it) === fn.prototype, JSON.stringify([...it]),
      (() => { try { new fn(); return 'constructed'; } catch (e) { return e.constructor.name; } })(),
      Object.getOwnPropertyNames(fn).sort().join(),
    ];
  }`;

describe('generator methods made by the runtime', () => {
  it('look like native generator methods: class, static, symbol-keyed and object-literal ones', () => {
    const src = `${reflect}
      class Grid {
        constructor(w) { this.w = w; }
        *row(y) { for (let x = 0; x < this.w; x++) yield [x, y]; }
        *[Symbol.iterator]() { for (let y = 0; y < 2; y++) yield* this.row(y); }
        static *of(n, m) { yield n * m; }
        *'quoted key'(a) { yield a; }
        *7(a, b, c, d, e) { yield a + b + c + d + e; }
      }
      const o = { *pair(a, b) { yield a; yield b; }, *[Symbol.for('s')](a) { yield a; } };
      const g = new Grid(2);
      var result = [
        reflect(Grid.prototype, 'row', (f) => f.call(g, 9)),
        reflect(Grid.prototype, Symbol.iterator, (f) => f.call(g)),
        reflect(Grid, 'of', (f) => f.call(Grid, 3, 4)),
        reflect(Grid.prototype, 'quoted key', (f) => f.call(g, 'q')),
        reflect(Grid.prototype, '7', (f) => f.call(g, 1, 2, 3, 4, 5)),
        reflect(o, 'pair', (f) => f.call(o, 1, 2)),
        reflect(o, Symbol.for('s'), (f) => f.call(o, 's')),
        Reflect.ownKeys(Grid.prototype).map(String), Reflect.ownKeys(Grid).map(String), Reflect.ownKeys(o).map(String),
      ];`;
    const { native, lowered, code } = both(src, 'size');
    expect(lowered).toEqual(native);
    // All seven made by the runtime: no frame constructor, no ramp left. A stand-in stays where a
    // later member's key could order after the method's: row and pair (a computed key follows),
    // the symbol-keyed ones (their keys are evaluated where they stand). The others are defined
    // by the runtime alone: nothing of theirs is left in the class.
    expect(code).not.toMatch(/\$Frame/);
    expect(code).toMatch(/ row\(\) \{ \}/);
    expect(code).toMatch(/\{ pair\(\) \{ \}/);
    expect(code).toMatch(/\[\$key\w* = Symbol\.iterator\]\(\) \{ \}/);
    expect(code).not.toMatch(/static of\(|'quoted key'\(|\b7\(/);
  });

  it('keep the property order of the home, made methods among plain ones', () => {
    const src = `
      class A { a() {} *b() { yield 1; } c() {} static *d() { yield 2; } static e() {} get f() { return 1; } *g(x) { yield x; } }
      const o = { a: 1, *b() { yield 1; }, c: 2, *d() { yield 2; } };
      // array indices order by value, before other strings: a method keyed by one needs no stand-in
      class I { *5() { yield 5; } b() {} *3() { yield 3; } *[Symbol.iterator]() { yield 0; } *z() { yield 'z'; } static *[Symbol.iterator]() {} static s() {} }
      const oi = { *2() { yield 2; }, a: 1, *1() { yield 1; }, *b() { yield 'b'; }, 0: 0 };
      var result = [Object.getOwnPropertyNames(A.prototype), Object.getOwnPropertyNames(A), Object.keys(o), [...new A().b()], [...A.d()], [...o.d()], [...new A().g(5)],
        Reflect.ownKeys(I.prototype).map(String), Reflect.ownKeys(I).map(String), Reflect.ownKeys(oi), [...new I()[5]()], [...new I()[3]()], [...oi[1]()], [...oi.b()]];`;
    const { native, lowered, code } = both(src, 'size');
    expect(lowered).toEqual(native);
    // all made by the runtime but I's static [Symbol.iterator]: a computed key, and a later static member
    expect(code.match(/const \w+\$Frame\w* = /g)).toHaveLength(1);
  });

  it('replace what an earlier member defined at the key, and a class\'s own name and length, as a method definition does', () => {
    const src = `
      class S { static *name(a) { yield a; } static *length() { yield 2; } }
      class G { get m() { return 1; } *m(a) { yield a; } }
      const o = { foo: 1, *foo(a) { yield a; }, bar() {}, *bar() { yield 'b'; } };
      const d = (h, k) => { const x = Object.getOwnPropertyDescriptor(h, k); return [typeof x.value, x.value.name, x.value.length, x.writable, x.enumerable, x.configurable]; };
      var result = [d(S, 'name'), d(S, 'length'), [...S.name(1)], [...S.length()], Object.getOwnPropertyNames(S),
        d(G.prototype, 'm'), [...new G().m(3)], d(o, 'foo'), d(o, 'bar'), [...o.foo(4)], [...o.bar()], Object.keys(o)];`;
    const { native, lowered } = both(src, 'size');
    expect(lowered).toEqual(native);
  });

  it('pass the receiver as the call gives it, strict, and read it only when the body does', () => {
    const src = `
      class C { *self() { yield this; } static *who() { yield this === C; } }
      const s = { *self() { 'use strict'; yield this; } };
      const loose = { *self() { yield typeof this; } };
      const other = { tag: 'other' };
      var result = [
        C.prototype.self.call(other).next().value === other, C.prototype.self.call(undefined).next().value, C.prototype.self.call(5).next().value,
        [...C.who()], s.self.call(undefined).next().value, s.self.call(7).next().value,
        loose.self.call(5).next().value, loose.self.call(undefined).next().value,
      ];`;
    const { native, lowered, code } = both(src, 'size');
    expect(lowered).toEqual(native);
    // A sloppy method that reads \`this\` boxes a primitive receiver: its ramp stays.
    expect(code).toMatch(/self\(\) \{\s*return new self\$Frame\w*\(/);
    expect(code).toMatch(/"self", \[self\$resume0, "\$this"\]/);
  });

  it('a ramp that does more than pass its parameters on stays: defaults, patterns, rest, arguments, super', () => {
    const src = `
      class Base { tag() { return 'base'; } }
      class D extends Base {
        *withDefault(a = 2) { yield a; }
        *withPattern({ x }) { yield x; }
        *withRest(...r) { yield r.length; }
        *withArguments() { yield arguments.length; }
        *withSuper() { yield super.tag(); }
      }
      const d = new D();
      var result = [[...d.withDefault()], [...d.withPattern({ x: 3 })], [...d.withRest(1, 2)], [...d.withArguments(1, 2, 3)], [...d.withSuper()],
        D.prototype.withDefault.length, D.prototype.withRest.length];`;
    const { native, lowered, code } = both(src, 'size');
    expect(lowered).toEqual(native);
    expect(code.match(/new \w+\$Frame\(/g)).toHaveLength(5);
  });

  it('are not made where a later member may define the same key, and are not wired where one does', () => {
    const src = `
      const k = 'm';
      class Plain { *m() { yield 1; } m() { return 2; } }
      class Getter { *m() { yield 1; } get m() { return 3; } }
      class Twice { *m() { yield 1; } *m() { yield 2; } }
      class Computed { *m() { yield 1; } *[k]() { yield 4; } *n() { yield 5; } }
      class LaterComputed { *m() { yield 1; } [k]() { return 6; } }
      class Static { static *m() { yield 7; } m() { return 8; } }
      const spread = { *m() { yield 1; }, ...{ m: 9 } };
      const literal = { *m() { yield 1; }, m: 10 };
      var result = [
        new Plain().m(), Object.getPrototypeOf(Plain.prototype.m) === Function.prototype, 'prototype' in Plain.prototype.m,
        new Getter().m, [...new Twice().m()], [...new Computed().m()], [...new Computed().n()],
        new LaterComputed().m(), [...Static.m()], new Static().m(), spread.m, literal.m,
      ];`;
    const { native, lowered, code } = both(src, 'size');
    expect(lowered).toEqual(native);
    // Every m but Twice's, Computed's and Static's keeps its ramp; the overridden ones (Plain,
    // Getter, literal) are not wired, the others (a key computed later, a spread) are.
    expect(code.match(/new m\$Frame\w*\(/g)).toHaveLength(5);
    expect(code.match(/"m", m\$Frame\w*\b/g)).toHaveLength(2);
  });

  it('wire only the last of a key defined twice, lowered for speed as well', () => {
    const src = `
      class Twice { *m() { yield 1; } *m(x) { yield x; } }
      const k = 'm';
      class Computed { *m() { yield 1; } *[k](x) { yield x + 1; } }
      var result = [[...new Twice().m(5)], Twice.prototype.m.length, [...new Computed().m(5)], Computed.prototype.m.length,
        Object.getPrototypeOf(new Twice().m(1)) === Twice.prototype.m.prototype];`;
    for (const mode of ['speed', 'size'] as const) {
      const { native, lowered } = both(src, mode);
      expect(lowered).toEqual(native);
    }
  });

  it('follow a replaced prototype, as a generator method does', () => {
    const src = `
      class A { *m(a) { yield a; } }
      const proto = { marker: 1, __proto__: Object.getPrototypeOf(A.prototype.m.prototype) };
      A.prototype.m.prototype = proto;
      const it = A.prototype.m.call(null, 3);
      A.prototype.m.prototype = 5;
      const it2 = new A().m(4);
      var result = [Object.getPrototypeOf(it) === proto, it.marker, [...it], Object.getPrototypeOf(it2) === Object.getPrototypeOf(function* () {}).prototype, [...it2]];`;
    const { native, lowered, code } = both(src, 'size');
    expect(lowered).toEqual(native);
    expect(code).not.toMatch(/\$Frame/);
  });
});

describe('the wiring calls, as older output calls them', () => {
  it('defineGeneratorMethods wires the methods of any home by key, a class included', async () => {
    const rt = await import('../runtime/generator.js');
    // What an earlier corosplit emitted for `static *s() { yield 1; }`: a frame constructor and a
    // ramp, wired by a call on the class itself.
    function s$resume0(f: any): unknown {
      f.$r = rt.generatorFinish;
      return 1;
    }
    const Frame = function (this: any, r: unknown) {
      this.$r = r;
    } as unknown as new (r: unknown) => object;
    // (keyed by a computed key that evaluated to a number, as `static *[k]()` with k = 2)
    class C {
      static 2(): object {
        return new Frame(s$resume0);
      }
    }
    const s = (C as any)[2];
    expect(rt.defineGeneratorMethods(C, 2, Frame)).toBe(C);
    expect(Object.getPrototypeOf(s)).toBe(rt.GeneratorFunctionPrototype);
    expect([...(s() as Iterable<unknown>)]).toEqual([1]);
    expect(s()).toBeInstanceOf(s);
  });
});
