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
    // (`i = from`, not a constant: the frame cannot start past the initial resume function)
    const src = `function* g(n, from) { let i = from; while (i < n) { const sq = i * i; i++; yield sq + 1; } }`;
    for (const optimize of modes) {
      const code = lower(src, 'case.js', optimize);
      const resume0 = code.match(/function g\$resume0\([^)]*\) \{[\s\S]*?\n\}/)![0];
      expect(resume0).toMatch(/return g\$resume1\(\$f\);/);
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
    expect(resume1(lower(src, 'case.js', 'size'))).toMatch(/return g\$resume2\(\$f\);/);
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

// Lowered for size, an owner whose code starts at a for loop's update also has a second entry at
// its test: the initial resume function runs the init and calls it with mode 3, which skips the
// update, instead of holding a copy of the loop. The updates here are ones the builder does not
// move before the yield (build/hoist-updates.ts moves `i++`, not `i = i + 1`).
describe('second entry past a for loop\'s update (optimize: size)', () => {
  const resumeFn = (code: string, name: string): string => code.match(new RegExp(`function ${name.replace(/\$/g, '\\$')}\\([^)]*\\) \\{[\\s\\S]*?\\n\\}`))![0];
  const guarded = `
    const log = [];
    function* g(k) { log.push('open'); try { for (let i = 0; i < k; i = i + 1) yield i * 10 + log.length; } finally { log.push('close'); } }`;

  it('the initial resume function runs the init and enters the loop at its test', () => {
    const code = lower(guarded, 'case.js', 'size');
    const r0 = resumeFn(code, 'g$resume0');
    expect(r0).toMatch(/\$f\.i = 0;\s*return g\$resume1\(\$f, \$v, 3\);/);
    expect(r0).not.toMatch(/try|finally|\$f\.k|log\.push\('close'\)/);
    expect(resumeFn(code, 'g$resume1')).toMatch(/if \(\$m !== 3\)/);
    // lowered for speed, nothing changes: the initial function keeps its own loop
    expect(resumeFn(lower(guarded, 'case.js', 'speed'), 'g$resume0')).not.toMatch(/, 3\)/);
  });

  // [source, whether its lowering has a second entry]: each case must exercise what it names
  const cases: Record<string, [string, boolean]> = {
    'values, then next() to the end: the update runs once per resumption, never on entry': [`${guarded}
      var result = [[...g(3)], [...g(0)], log.slice()];`, true],
    'return() and throw() at the owner still run the finally once': [`${guarded}
      const a = g(4); const b = g(4); const c = g(4);
      var result = [a.next(), a.return(7), a.next(), b.next(), b.next(), (() => { try { b.throw(new Error('x')); } catch (e) { return e.message; } })(), b.next(), c.return(1), log.slice()];`, true],
    'a test that throws on entry goes to the finally': [`
      const log = [];
      function* g(o) { try { for (let i = 0; i < o.n; i++) yield i; } finally { log.push('close'); } }
      const bad = { get n() { throw new Error('n'); } };
      var result = [(() => { try { g(bad).next(); } catch (e) { return e.message; } })(), log];`, true],
    'a plain owner (no try): its function stays plain for the runtime, return() completes it': [`
      function* sq(k) { for (let i = 0; i < k; i = i + 1) { const q = i * i; yield q + k * 2 - (q >> 1); } return -1; }
      const it = sq(5);
      var result = [[...sq(4)], it.next(), it.next(), it.return(9), it.next(), [...sq(0)]];`, true],
    // a default parameter and a "use strict" directive cannot go together: no second entry here
    'a sloppy script\'s class method (its resume functions take a "use strict" prologue)': [`
      class Grid { constructor(w, h) { this.w = w; this.h = h; }
        *coords() { for (let y = 0; y < this.h; y++) for (let x = 0; x < this.w; x++) { const v = x * 100 + y; yield v + this.w * 7 - (v >> 2); } }
        *row(y) { for (let x = 0; x < this.w; x++) { const v = x + y; yield v * this.h + (v >> 1) - 3; } } }
      const grid = new Grid(3, 2);
      var result = [[...grid.coords()], [...grid.row(5)]];`, false],
    'the update reads what the entry wrote; re-entry from the test finds the generator running': [`
      let it;
      function* g() { let calls = 0; for (let i = 0, j = 10; (calls++, i < 3); i = i + 1, j--) { if (i === 1) { try { it.next(); } catch (e) { yield e.constructor.name; } } yield [i, j, calls]; } }
      it = g();
      var result = [...it];`, true],
  };
  for (const [name, [src, second]] of Object.entries(cases)) {
    it(name, () => {
      const { native, lowered, code } = both(src, 'size');
      expect(code.includes(', 3);'), 'a call of a second entry').toBe(second);
      expect(lowered).toEqual(native);
    });
  }

  it('a plain owner keeps length 2 (how the runtime tells a plain point) while taking the mode', () => {
    const code = lower(`function* sq(k) { let s = 0; for (let i = 0; i < k; i = i + 1) { s += i; yield s * s + i; } return s; }`, 'case.js', 'size');
    const r1 = resumeFn(code, 'sq$resume1');
    expect(r1).toMatch(/^function sq\$resume1\(\$f, \$v, \$m = 0\)/);
    expect(resumeFn(code, 'sq$resume0')).toMatch(/return sq\$resume1\(\$f, \$v, 3\);/);
  });
});

// The loop's `continue` runs a finally block, so the resume function after the `yield` enters the
// loop at that finally block while the initial one comes in at the test: the owner tests the mode
// at a guard in front of the finally block (structure.ts, withSecondEntry) instead of either
// function holding its own copy of the loop.
describe('second entry inside a loop entered at a finally block (optimize: size)', () => {
  const resumeFn = (code: string, name: string): string => code.match(new RegExp(`function ${name.replace(/\$/g, '\\$')}\\([^)]*\\) \\{[\\s\\S]*?\\n\\}`))![0];
  const guarded = `
    const st = { count: 0 };
    function* g(k) { for (let i = 0; i < k; i++) { try { if (i % 3 === 2) continue; yield i; } finally { st.count++; } } }`;

  it('the initial resume function hands over at the test; the owner has one loop with a guard', () => {
    const code = lower(guarded, 'case.js', 'size');
    const r0 = resumeFn(code, 'g$resume0');
    expect(r0).toMatch(/\$f\.i = 0;\s*return g\$resume1\(\$f, \$v, 3\);/);
    expect(r0).not.toMatch(/for \(|try|st\.count/);
    const r1 = resumeFn(code, 'g$resume1');
    expect(r1.match(/for \(;;\)/g)).toHaveLength(1);
    expect(r1.match(/st\.count\+\+/g)).toHaveLength(1);
    // the guard forgets ENTER on the way to the test, so the next iteration runs the finally block
    expect(r1).toMatch(/if \(\$m !== 3\) \{[\s\S]*st\.count\+\+[\s\S]*\}\s*else \{\s*\$m = 0;\s*\}/);
    // throw() and return() store the resume mode as the completion code: no dispatch on it
    expect(r1).toMatch(/let \$completion\d+ = \$m, \$completionValue\d+ = \$v/);
    expect(r1).not.toMatch(/\$m === 1|\$m !== 0/);
  });

  // [source, whether its lowering calls a second entry]: each case must exercise what it names
  const cases: Record<string, [string, boolean]> = {
    'values to the end, and loops of no iteration: the finally runs once per iteration': [`${guarded}
      var result = [[...g(7)], [...g(0)], [...g(1)], st.count];`, true],
    'return() and throw() at the suspension run the finally once and complete': [`${guarded}
      const a = g(6); const b = g(6); const c = g(6);
      var result = [a.next(), a.next(), a.return(7), a.next(), b.next(), (() => { try { b.throw(new Error('x')); } catch (e) { return e.message; } })(), b.next(), c.return(1), c.next(), st.count];`, true],
    'a finally block that throws replaces the completion, on next(), return() and throw()': [`
      const log = [];
      function* g(k) { for (let i = 0; i < k; i++) { try { if (i === 1) continue; yield i; } finally { log.push(i); if (i === 3) throw new Error('f' + i); } } }
      const a = g(5); const b = g(5); const c = g(5);
      const out = (f) => { try { return f(); } catch (e) { return e.message; } };
      var result = [out(() => [...a]), b.next(), out(() => b.return(9)), c.next(), c.next(), c.next(), out(() => c.throw(new Error('t'))), c.next(), log];`, true],
    'a finally block that returns overrides a pending throw': [`
      function* g(k) { for (let i = 0; i < k; i++) { try { yield i; } finally { if (i === 2) return 'fin'; } } }
      const a = g(5);
      var result = [[...g(5)], a.next(), (() => { try { return a.throw(new Error('lost')); } catch (e) { return e.message; } })(), a.next()];`, true],
    'the test throws on entry and on a later iteration; both go out through no finally': [`
      let n = 0;
      const o = { get k() { if (++n === 1 || n === 4) throw new Error('k' + n); return 3; } };
      function* g(o) { for (let i = 0; i < o.k; i++) { try { yield i; } finally { n += 10; } } }
      const out = (f) => { try { return f(); } catch (e) { return e.message; } };
      var result = [out(() => [...g(o)]), out(() => [...g(o)]), n];`, true],
    'a while loop whose body runs the finally on continue and on a break': [`
      const log = [];
      function* g(s) { let i = 0; while (i < s.length) { try { const c = s[i++]; if (c === ' ') continue; if (c === '.') break; yield c; } finally { log.push(i); } } return i; }
      var result = [[...g('ab c.de')], [...g('')], [...g(' . ')], log];`, true],
    'nested loops: the inner one runs its finally on continue of the outer loop': [`
      const log = [];
      function* g(n) { outer: for (let i = 0; i < n; i++) { for (let j = 0; j < n; j++) { try { if (j === i) continue outer; yield [i, j]; } finally { log.push(i * 10 + j); } } } }
      var result = [[...g(3)], log];`, true],
    'a finally block that yields keeps its completion across the suspension': [`
      function* g(k) { for (let i = 0; i < k; i++) { try { if (i === 1) continue; yield i; } finally { yield 'f' + i; } } }
      const a = g(3);
      var result = [[...g(3)], a.next(), a.next(), a.return('r'), a.next(), a.next()];`, true],
    'calling the generator from its finally block finds it running': [`
      let it;
      function* g(k) { for (let i = 0; i < k; i++) { try { yield i; } finally { try { it.next(); } catch (e) { log.push(e.constructor.name); } } } }
      const log = [];
      it = g(3);
      var result = [[...it], log];`, true],
  };
  for (const [name, [src, second]] of Object.entries(cases)) {
    it(name, () => {
      const { native, lowered, code } = both(src, 'size');
      expect(code.includes(', 3);'), 'a call of a second entry').toBe(second);
      expect(lowered).toEqual(native);
    });
  }
});
