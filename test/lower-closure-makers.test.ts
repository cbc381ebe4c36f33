// Closures a generator makes in code several resume functions copy: one maker function per
// closure, placed with the resume functions, so every copy makes it from the same function
// literal (call sites that receive them stay monomorphic), and only when moving the closure out of
// the resume function cannot change what its names mean.
import { describe, expect, it } from 'vitest';
import { both, lower } from './helpers/lowered.js';

const literals = (code: string, text: string): number => code.split(text).length - 1;

describe('closure makers', () => {
  it('make a loop closure that takes per-iteration values from one literal in every resume function', () => {
    const source = `
      function* callbacks(k) { for (let i = 0; i < k; i++) { const twice = i * 2; yield () => i + twice; } }
      var result = [...callbacks(4)].map((f) => f());`;
    const { native, lowered, code } = both(source);
    expect(lowered).toEqual(native);
    expect(code).toMatch(/function callbacks\$closure\w*\(i, twice\) \{\s*return \(\) => i \+ twice;\s*\}/);
    expect(literals(code, '=> i + twice')).toBe(1);
    // both resume functions call it: the first value and the rest come from the same literal
    expect(code.match(/callbacks\$closure\w*\(i, twice\);/g)!.length).toBe(2);
  });

  const cases: [string, string, boolean][] = [
    // [name, program assigning `result`, whether a maker is expected]
    ['a value and a box', `
      function* g(k) { let seen = 0; for (let i = 0; i < k; i++) { yield () => [i, seen]; seen++; } }
      var fs = [...g(3)]; var result = fs.map((f) => f());`, false],
    ['a catch binding of a try kept whole (stays in the resume function)', `
      function* g(k) { const fs = []; for (let i = 0; i < k; i++) { try { throw i * 3; } catch (e) { fs.push(() => e + i); } yield fs.length; } return fs; }
      var it = g(3); var out = []; for (let r = it.next(); ; r = it.next()) { if (r.done) { out.push(r.value.map((f) => f())); break; } out.push(r.value); } var result = out;`, false],
    ['a binding of an inner loop kept whole', `
      function* g(k) { const fs = []; for (let i = 0; i < k; i++) { for (let j = 0; j < 2; j++) fs.push(() => i * 10 + j); yield fs.length; } return fs; }
      var it = g(3); var out = []; for (let r = it.next(); ; r = it.next()) { if (r.done) { out.push(r.value.map((f) => f())); break; } out.push(r.value); } var result = out;`, false],
    ['this and a loop value', `
      var o = { base: 100, *g(k) { for (let i = 0; i < k; i++) yield () => this.base + i; } };
      var result = [...o.g(3)].map((f) => f());`, false],
    ['arguments and a loop value', `
      function* g(k) { for (let i = 0; i < k; i++) yield () => arguments.length * 10 + i; }
      var result = [...g(3, 'x')].map((f) => f());`, false],
    ['a generator made inside the closure (lowered in place, so the closure stays too)', `
      function* g(k) { for (let i = 0; i < k; i++) yield () => [...(function* () { yield i; yield i * 2; })()]; }
      var result = [...g(3)].map((f) => f());`, false],
    // `i = i + 1` is not an update the builder moves before the yield (build/hoist-updates.ts),
    // so the initial resume function and the one after the yield both hold the loop
    ['a closure that takes nothing', `
      function* g(k) { for (let i = 0; i < k; i = i + 1) yield [i].map((y) => y * 2)[0]; }
      var result = [...g(3)];`, true],
    ['a variable of the enclosing function', `
      function outer(m) { return function* (k) { for (let i = 0; i < k; i++) yield () => i + m; }; }
      var result = [...outer(50)(3)].map((f) => f());`, true],
    ['a function expression with its own this, name and default', `
      function* g(k) { for (let i = 0; i < k; i++) yield function f(n = i) { return n <= 0 ? [this === undefined, i] : f.call(this, n - 1); }; }
      var result = [...g(3)].map((f) => f());`, true],
    ['a static private name of the class', `
      class C { static #s = 7; static *g(k) { for (let i = 0; i < k; i++) yield () => C.#s * 10 + i; } }
      var result = [...C.g(3)].map((f) => f());`, true],
    ['closures of two iterations stay distinct', `
      function* g(k) { for (let i = 0; i < k; i++) yield () => i; }
      var fs = [...g(3)]; var result = [fs[0] === fs[1], fs.map((f) => f())];`, true],
    ['a closure only one resume function has (made where it stands)', `
      function* g(k) { yield 0; const fs = []; for (let i = 0; i < k; i++) fs.push(() => -i); yield fs; }
      var result = [...g(3)].map((x) => (Array.isArray(x) ? x.map((f) => f()) : x));`, false],
  ];
  for (const optimize of ['speed', 'size'] as const) {
    for (const [name, source, maker] of cases) {
      it(`${name} (${optimize}): as native`, () => {
        const { native, lowered, code } = both(source, optimize);
        expect(lowered).toEqual(native);
        if (optimize === 'speed') expect(/\$closure\w*\(/.test(code)).toBe(maker);
      });
    }
  }

  // Sloppy code, where a free name inside `with` is looked up on the object first: moved out of
  // the with body, the closure would read the global instead. (A direct eval, the other way to
  // declare a name at run time, is an error in a generator that yields.)
  for (const optimize of ['speed', 'size'] as const) {
    it(`a closure inside a with statement kept whole (${optimize}): as native, made where it stands`, () => {
      const source = `
        var y = 'global'; var fs = [];
        function* g(k) { const w = { y: 'with' }; for (let i = 0; i < k; i++) { with (w) { fs.push(() => y); } yield i; } }
        var result = [...g(3)].concat(fs.map((f) => f()));`;
      const { native, lowered, code } = both(source, optimize);
      expect(lowered).toEqual(native);
      expect(native).toEqual([0, 1, 2, 'with', 'with', 'with']);
      expect(code).not.toMatch(/\$closure\w*\(/);
    });
  }

  it('are strict where the generator is, also placed in sloppy code', () => {
    const source = `
      function* g(k) { 'use strict'; for (let i = 0; i < k; i++) yield function () { return [this === undefined, i]; }; }
      var result = [...g(2)].map((f) => f());`;
    const { native, lowered, code } = both(source);
    expect(lowered).toEqual(native);
    expect(native).toEqual([[true, 0], [true, 1]]);
    expect(code).toMatch(/function g\$closure\w*\(i\) \{\s*"use strict";/);
  });

  it('are not made for a closure written once in the output', () => {
    const code = lower('function* g(xs) { yield 0; return xs.map((y) => y * 2); }');
    expect(code).not.toMatch(/\$closure/);
    expect(code).toContain('xs.map((y) => y * 2)');
  });
});
