// A resume function that reaches the start of another resume point's code calls that resume
// function instead of holding its own copy (analysis/tail-entries.ts): lowered for speed only the
// initial one does, lowered for size every segment that owns no such entry. Checked against
// native generators in both modes.
import { describe, expect, it } from 'vitest';
import { both, lower } from './helpers/lowered.js';

const modes = ['speed', 'size'] as const;

const cases: Record<string, string> = {
  // the loop runs a million times between suspensions: the call must not be per iteration
  'a long loop without a suspension after the hand-over': `
    function* g(n) { let i = 0; const k = n; while (i < k) { i++; if (i % 250000 === 0) yield i; } return 'done'; }
    var result = [...g(1000000)];`,
  'the hand-over inside try/finally: throw() and return() at the owner still run the finally': `
    const log = [];
    function* g(s) { let i = 0; try { while (i < s.length) { const c = s[i++]; if (c === ' ') continue; yield c; } } finally { log.push('f' + i); } }
    const a = g('a b c'); const b = g('xy'); const c = g('pq');
    var result = [a.next(), a.next(), [...a], b.next(), b.return(9), b.next(), c.next(), (() => { try { c.throw(new Error('t')); } catch (e) { return e.message; } })(), log];`,
  'for-of in the initial resume function, closed early and by a throw': `
    const log = [];
    function src() { let i = 0; return { [Symbol.iterator]() { return this; }, next() { return { value: i++, done: i > 5 }; }, return() { log.push('closed'); return {}; } }; }
    function* g() { const pre = log.length; for (const x of src()) yield x * 2 + pre; }
    const a = g(); const b = g();
    var result = [a.next(), a.next(), a.return(1), b.next(), (() => { try { b.throw('e'); } catch (e) { return e; } })(), [...g()], log];`,
  'the value sent to the first next() is not taken for a later yield': `
    function* g() { let got = []; let i = 0; while (i < 3) { const v = yield i++; got.push(v); } return got; }
    const it = g();
    var result = [it.next('lost'), it.next('a'), it.next('b'), it.next('c')];`,
  'several plain yields at the end of one loop': `
    function* scan(s) { let i = 0; while (i < s.length) { const c = s[i++]; if (c === ' ') continue; if (c < 'a') yield 'n' + c; else if (c < 'n') yield 'l' + c; else yield 'h' + c; } }
    const it = scan('a1 z m');
    var result = [...scan('ab 1 z9 q'), it.next(), it.return(4), it.next()];`,
  'calling the generator from inside the code after the hand-over finds it running': `
    let it;
    function* g() { let i = 0; while (i < 3) { if (i === 1) { try { it.next(); } catch (e) { yield e.constructor.name; } } yield i++; } }
    it = g();
    var result = [...it];`,
  'a closure captures a per-iteration binding of the loop after the hand-over': `
    function* g() { const fs = []; let k = 0; while (k < 3) { let j = k++; fs.push(() => j); yield fs.map((f) => f()); } }
    var result = [...g()];`,
};

describe('hand-over to another resume function', () => {
  for (const optimize of modes) {
    for (const [name, src] of Object.entries(cases)) {
      it(`${name} (${optimize})`, () => {
        const { native, lowered } = both(src, optimize);
        expect(lowered).toEqual(native);
      });
    }
  }

  it('the initial resume function of a loop holds no copy of it, in both modes', () => {
    const src = `function* g(n) { let i = 0; while (i < n) { const sq = i * i; i++; yield sq + 1; } }`;
    for (const optimize of modes) {
      const code = lower(src, 'case.js', optimize);
      const resume0 = code.match(/function g\$resume0\([^)]*\) \{[\s\S]*?\n\}/)![0];
      expect(resume0).toMatch(/return g\$resume1\(\$f, \$v\);/);
      expect(resume0).not.toMatch(/while|for \(|sq/);
    }
  });

  it('lowered for speed, the hot resume functions keep their own loops; lowered for size, they call too', () => {
    // The point after `yield sq` owns the loop head; after `yield 1` the code, which needs the
    // value sent (so it owns nothing), goes round the loop (continue) to it as well.
    const src = `function* g(n) { let i = 0; while (i < n) { i++; if (i % 2) { const v = yield 1; i += v ?? 0.5; continue; } const sq = i * i; yield sq; } }`;
    const resume1 = (code: string): string => code.match(/function g\$resume1\([^)]*\) \{[\s\S]*?\n\}/)![0];
    expect(resume1(lower(src, 'case.js', 'speed'))).not.toMatch(/return g\$resume\d\(/);
    expect(resume1(lower(src, 'case.js', 'speed'))).toMatch(/sq/);
    expect(resume1(lower(src, 'case.js', 'size'))).toMatch(/return g\$resume2\(\$f, \$v\);/);
    expect(resume1(lower(src, 'case.js', 'size'))).not.toMatch(/sq/);
    for (const optimize of modes) {
      const { native, lowered } = both(`${src}\nconst it = g(6);\nvar result = [...g(4), it.next(), it.next(), it.next(0.25), it.next(), it.next(), it.next()];`, optimize);
      expect(lowered).toEqual(native);
    }
  });

  it('lowered for speed, the hand-over clears what the initial resume function loaded and the loop no longer needs', () => {
    const { native, lowered } = both(
      `function* g(big) { let n = big.items.length; while (n > 0) { n--; const label = 'item ' + n + ' of many (' + (n * n) + ')'; yield label; } }
       const it = g({ items: [1, 2, 3] });
       it.next();
       var result = Object.values(it).some((v) => v && typeof v === 'object' && 'items' in v);`,
      'speed',
    );
    expect(native).toBe(false);
    expect(lowered).toBe(false);
  });
});
