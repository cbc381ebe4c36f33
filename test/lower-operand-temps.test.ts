// Suspensions lowered for size as one call, `return leaveGenerator($f, operand, next, …after)`,
// whose arguments run in order before it moves the resume pointer, and the temporaries that call
// makes unnecessary (analysis/operand-temps.ts). Also the value parameter of plain resume
// functions that never read it (emit/value-params.ts). The analysis is checked on the IR; the
// output against native generators, where it matters most: code in the operand that calls the
// generator again, throws, or reads the counter.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { transformSource } from '../transformer/index.js';
import { operandTemps } from '../transformer/lower/analysis/operand-temps.js';
import type { CoroutineIR } from '../transformer/lower/ir.js';
import { both } from './helpers/lowered.js';

/** The IR of each coroutine in `source` (lowered for size, where the pass that makes the temporaries runs too). */
function irs(source: string): CoroutineIR[] {
  const out: CoroutineIR[] = [];
  const r = transformSource(source, { fileName: 'case.js', runtime: 'import', sourceMap: false, optimize: 'size', onCoroutine: (c) => out.push(c.ir) });
  expect(r.diagnostics).toEqual([]);
  return out;
}

/** The names of the temporaries operandTemps finds, per coroutine. */
const found = (source: string): string[][] => irs(source).map((ir) => [...operandTemps(ts, ir).values()].map((v) => ir.vars[v].original));

describe('operand temporaries', () => {
  it('finds the temporary a counter update moved past the operand, and only that', () => {
    expect(found('function* g(o, n) { for (let i = 0; i < n; i++) yield o.get(i); }')).toEqual([['yv']]);
    // the operand does not read the counter: the update moves before it, with no temporary
    expect(found('function* g(o, n) { for (let i = 0; i < n; i++) yield o.get(); }')).toEqual([[]]);
    // an update the pass does not move, and a plain yield
    expect(found('function* g(o, n) { for (let i = 0; i < n; i = i + 1) yield o.get(i); yield n; }')).toEqual([[]]);
  });

  it('is no temporary that something else reads', () => {
    // `t` is the user's: written by the user, read after the yield.
    expect(found('function* g(o) { let t; for (let i = 0; i < 3; i++) { t = o.get(i); yield t; } return t; }')).toEqual([[]]);
  });
});

describe('suspensions lowered for size as one call', () => {
  const out = (source: string): string => transformSource(source, { fileName: 'case.js', runtime: 'import', sourceMap: false, optimize: 'size' }).code;

  it('passes the operand and the moved update to leaveGenerator, with no temporary left', () => {
    const code = out('function* g(o, n) { for (let i = 0; i < n; i++) yield o.get(i); }');
    expect(code).toMatch(/return leaveGenerator\(\$f, \$f\.o\.get\(\$f\.i\), g\$resume1, \$f\.i\+\+\);/);
    expect(code).not.toMatch(/\$yv|let /);
  });

  it('keeps `$f.$r = next; return value` for a value that needs no temporary', () => {
    const code = out('function* g(n) { for (let i = 0; i < n; i++) yield i; }');
    expect(code).toMatch(/\$f\.\$r = g\$resume1;\s*return \$f\.i;/);
  });

  const cases: Record<string, string> = {
    'the operand calls the generator again: it is still running': `
      let it;
      function* g(n) { for (let i = 0; i < n; i++) yield (() => { try { it.next(); return 'ran ' + i; } catch (e) { return e.constructor.name + ' ' + i; } })(); }
      it = g(3);
      var result = [...it];`,
    'the operand throws: the update has not run when a catch reads the counter': `
      function* g(o) { let i = 0; try { for (; i < 5; i++) yield o.get(i); } catch (e) { yield 'caught at ' + i; } }
      var result = [...g({ get: (i) => { if (i === 2) throw new Error('x'); return i; } })];`,
    'the operand reads the counter more than once, and an update by a step': `
      function* g(n) { for (let i = 0; i < n; i += 2) yield [i, i * i, i]; }
      var result = [...g(7)];`,
    'throw() and return() at a resume point whose function reads no sent value': `
      function* g(n) { for (let i = 0; i < n; i++) yield i; }
      const a = g(5); const b = g(5);
      a.next(); b.next();
      var result = [a.return(9), a.next(), (() => { try { b.throw('t'); } catch (e) { return e; } })(), b.next()];`,
    'a sent value passed on to the function that reads it': `
      function* g() { let s = 0; for (let i = 0; i < 4; i++) { const v = yield s; s += v ?? 100; } return s; }
      const it = g();
      var result = [it.next(), it.next(1), it.next(), it.next(3), it.next(4)];`,
  };
  for (const mode of ['speed', 'size'] as const) {
    for (const [name, src] of Object.entries(cases)) {
      it(`${name} (${mode})`, () => {
        const { native, lowered } = both(src, mode);
        expect(lowered).toEqual(native);
      });
    }
  }
});

describe('plain resume functions that never read the value sent', () => {
  const out = (source: string, optimize: 'speed' | 'size'): string => transformSource(source, { fileName: 'case.js', runtime: 'import', sourceMap: false, optimize }).code;

  it('declare only the frame, and their callers pass only the frame', () => {
    for (const mode of ['speed', 'size'] as const) {
      const code = out('function* g(n) { for (let i = 0; i < n; i++) yield i; }', mode);
      expect(code).toMatch(/function g\$resume1\(\$f\) \{/);
      expect(code).not.toMatch(/\$v\b/);
    }
  });

  it('keep it when they read it, or hand it on to one that does', () => {
    const code = out('function* g() { let s = 0; for (let i = 0; i < 4; i++) { const v = yield s; s += v; } return s; }', 'size');
    expect(code).toMatch(/function g\$resume1\(\$f, \$v\) \{/);
  });
});
