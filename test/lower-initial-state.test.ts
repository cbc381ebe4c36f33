// A generator whose initial resume function would only store constants and call the owner of
// the code that follows starts there instead, with those constants in its frame
// (analysis/initial-state.ts). Checked against native generators in both modes; the cases that
// must not fold (an owner inside try/finally, a second entry, a parameter assigned first) fail
// if the analysis skips that check.
import { describe, expect, it } from 'vitest';
import { both, lower } from './helpers/lowered.js';

const modes = ['speed', 'size'] as const;

const cases: Record<string, string> = {
  'return(), throw() and next() before the first step': `
    function* g(n) { for (let i = 0; i < n; i++) yield i * 2; }
    const a = g(3); const b = g(3); const c = g(3);
    const err = (f) => { try { return f(); } catch (e) { return 'threw ' + e; } };
    var result = [a.return(5), a.next(), err(() => b.throw('x')), b.next(), c.next('ignored'), [...c], [...g(0)]];`,
  'start values of every literal kind, and a dead one': `
    function* g(n) {
      let unused = 5; let s = 'a'; let t = true; let u = null; let neg = -1.5; let z = void 0; let k = 0;
      while (k < n) { k++; yield [s, t, u, neg, z, k]; s += k; t = !t; neg -= 1; }
    }
    var result = [...g(3)];`,
  'a closure made later reads a start value': `
    function* g(n) { let k = 10; let i = 0; while (i < n) { i++; yield () => i * k; } }
    var result = [...g(3)].map((f) => f());`,
  'a parameter assigned before it is read starts as that constant': `
    function* g(n) { n = 0; while (n < 3) { n++; yield n; } }
    var result = [[...g(5)], [...g(-4)]];`,
  'a loop in try/finally: its owner is not plain, return() before the start runs no finally': `
    const log = [];
    function* g() { let i = 0; try { while (i < 3) { i++; yield i; } } finally { log.push('fin ' + i); } }
    const a = g(); const b = g(); b.next();
    var result = [a.return(1), a.next(), b.return(2), [...g()], log];`,
  'a second entry past the update of a for loop (lowered for size)': `
    function* g(k) { let s = 0; for (let i = 0; i < k; i = i + 1) { s += i; yield s * s + i; } return s; }
    const a = g(3);
    var result = [[...g(4)], a.return(7), a.next()];`,
  'a parameter assigned first thing in sloppy code that reads arguments stays the ramp field': `
    function* g(n) { n = 0; while (n < 3) { n++; yield [n, arguments[0]]; } }
    var result = [[...g(5)], [...g(-4)]];`,
  'the generator called from inside its first step': `
    let it;
    function* g() { let i = 0; while (i < 3) { i++; let r; try { it.next(); } catch (e) { r = e.constructor.name; } yield r + i; } }
    it = g();
    var result = [...it];`,
  'name, length and prototype of a generator function the runtime makes, up to and past four parameters': `
    function* g(a, b) { let i = 0; while (i < a) { i++; yield i + b; } }
    function* h(a, b, c, d, e) { let i = 0; while (i < a) { i++; yield i + b + c + d + e; } }
    var result = [g.name, g.length, h.name, h.length, [...g(2, 10)], [...h(2, 1, 2, 3, 4)], g(1) instanceof g, Object.getPrototypeOf(h(1)) === h.prototype];`,
  'generator methods of a class and an object literal, and a generator expression': `
    class Grid { constructor(w) { this.w = w; } *row(y) { let x = 0; while (x < this.w) { x++; yield [x, y]; } } static *count(n) { let c = 0; while (c < n) { c++; yield c; } } }
    const o = { *pairs(k) { let j = 0; while (j < k) { j++; yield [this === o, j]; } } };
    const ge = function* (n) { let q = 0; while (q < n) { q++; yield q * q; } };
    var result = [[...new Grid(2).row(7)], [...Grid.count(3)], [...o.pairs(2)], [...ge(3)]];`,
};

describe('a frame that starts past its initial resume function', () => {
  for (const optimize of modes) {
    for (const [name, src] of Object.entries(cases)) {
      it(`${name} (${optimize})`, () => {
        const { native, lowered } = both(src, optimize);
        expect(lowered).toEqual(native);
      });
    }
  }

  it('emits no initial resume function: the frame starts at the loop owner with the constants set', () => {
    const src = `function* g(n) { let s = 'x'; let i = 0; while (i < n) { i++; yield s + i; } }`;
    const speed = lower(src, 'case.js', 'speed');
    expect(speed).not.toMatch(/g\$resume0/);
    // (the literals are the source's own, quotes included)
    expect(speed).toMatch(/this\.s = 'x';\s*this\.i = 0;/);
    expect(speed).toMatch(/new g\$Frame\(g\$resume1, g\$next, n\)/);
    const size = lower(src, 'case.js', 'size');
    expect(size).not.toMatch(/g\$resume0/);
    expect(size).toMatch(/generatorFunction\(g\$resume1, "g", "n", \["s", 'x'\], \["i", 0\]\)/);
  });

  it('keeps the initial resume function when it does more than store constants, or its owner is not plain', () => {
    for (const src of [
      `function* g(n, log) { log.push(n); let i = 0; while (i < n) { i++; yield i; } }`,
      `function* g(n) { let i = n - n; while (i < n) { i++; yield i; } }`,
      `function* g(n, log) { let i = 0; try { while (i < n) { i++; yield i; } } finally { log.push(i); } }`,
    ]) {
      for (const optimize of modes) expect(lower(src, 'case.js', optimize)).toMatch(/function g\$resume0\(/);
    }
  });
});
