// Plain resume points: a suspension in no try statement and no iterator loop. Their resume
// functions take (frame, value) and carry no dispatch on the resume mode; throw() and return()
// there are done by the runtime (resumeGenerator), which also runs the coroutine's drop.
import { describe, expect, it } from 'vitest';
import { both, lower, run } from './helpers/lowered.js';

const gen = `
function* g(a, b) {
  let big = { payload: a };
  const x = yield 1;
  let y = yield x + b;
  y += big.payload;
  yield y;
  return 'end';
}
`;

describe('plain resume points', () => {
  it('are emitted without a mode parameter, and registered with their drop', () => {
    const code = lower(gen);
    expect(code).toMatch(/function g\$resume1\(\$f, \$v\) \{/);
    expect(code).not.toMatch(/\$m !== 0/);
    expect(code).toMatch(/plainResumePoints\(g\$drop, g\$resume0, g\$resume1, g\$resume2, g\$resume3\)/);
  });

  const drives: [string, string][] = [
    ['return() before the start', `it.return(7), it.next()`],
    ['throw() before the start', `(() => { try { it.throw(new Error('early')); } catch (e) { return e.message; } })(), it.next()`],
    ['return() at the first yield', `it.next(), it.return(8), it.next(), it.return(9)`],
    ['throw() at the second yield', `it.next(), it.next(2), (() => { try { it.throw('x'); } catch (e) { return e; } })(), it.next()`],
    ['return() while running throws', `it.next(), (() => { try { return it.next({ toString() { return String(it.return(1)); } }); } catch (e) { return e.constructor.name; } })()`],
    ['to the end', `it.next(), it.next(2), it.next(3), it.next(4), it.next(), it.return(5)`],
  ];
  for (const [name, steps] of drives) {
    it(`${name}: as native`, () => {
      const r = both(`${gen}\nconst it = g(40, 2);\nvar result = JSON.stringify([${steps}]);`);
      expect(r.lowered).toBe(r.native);
    });
  }

  it('return() at a plain point releases what the frame held (the drop ran)', () => {
    const code = lower(gen);
    const out = run(`${code}\nconst it = g({ big: true }, 2); it.next(); it.next(1);\nconst before = it.big !== undefined;\nit.return(0);\nvar result = [before, it.big, it.b];`) as unknown[];
    expect(out).toEqual([true, undefined, undefined]);
  });

  it('a point inside try/finally is not plain: return() runs the finally block', () => {
    const src = `function* h() { try { yield 1; yield 2; } finally { log.push('finally'); } }\nconst log = [];\nconst it = h(); it.next();\nvar result = JSON.stringify([it.return(3), log]);`;
    const r = both(src);
    expect(r.lowered).toBe(r.native);
    expect(r.code).toMatch(/function h\$resume1\(\$f, \$v, \$m\)/);
  });
});

// A last `yield` after which the body only ends: the frame points at the runtime's
// generatorFinish, so the coroutine has no resume function that only completes.
describe('the finishing point after a last yield', () => {
  const fin = `
function* f(a) {
  let big = { payload: a };
  const x = yield 1;
  yield x + big.payload;
}
`;
  it('has no resume function of its own and is not registered', () => {
    const code = lower(fin);
    expect(code).toMatch(/\$f\.\$r = generatorFinish;/);
    expect(code).not.toMatch(/function f\$resume2/);
    expect(code).toMatch(/plainResumePoints\(f\$drop, f\$resume0, f\$resume1\)/);
    const small = lower(fin, 'case.js', 'size');
    // (lowered for size, the operand needs no temporary in a call: analysis/operand-temps.ts)
    expect(small).toMatch(/return leaveGenerator\(\$f, x \+ \$f\.big\.payload, generatorFinish\);/);
    expect(small).not.toMatch(/function f\$resume2/);
  });
  const drives: [string, string][] = [
    ['next() to the end and after', `it.next(), it.next(2), it.next(3), it.next(4)`],
    ['return() at the last yield', `it.next(), it.next(2), it.return(9), it.next()`],
    ['throw() at the last yield', `it.next(), it.next(2), (() => { try { it.throw('x'); } catch (e) { return e; } })(), it.next()`],
    ['next() from inside the last step', `it.next(), it.next({ valueOf() { try { it.next(); } catch (e) { return e.constructor.name.length; } } }), it.next()`],
  ];
  for (const [name, steps] of drives) {
    for (const optimize of ['speed', 'size'] as const) {
      it(`${name} (${optimize}): as native`, () => {
        const r = both(`${fin}\nconst it = f(40);\nvar result = JSON.stringify([${steps}]);`, optimize);
        expect(r.lowered).toBe(r.native);
      });
    }
  }
  it('at the last yield the frame holds no value it no longer needs (lowered for speed)', () => {
    const code = lower(fin);
    const out = run(`${code}\nconst it = f({ big: true }); it.next(); it.next(1);\nvar result = Object.keys(it).filter((k) => k !== '$r' && k !== 'next' && it[k] !== undefined);`);
    expect(out).toEqual([]);
  });
});
