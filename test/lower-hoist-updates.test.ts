// A loop's counter update that follows a suspension runs before it instead, so that the resume
// point is the loop's head and the initial resume function hands over to it
// (build/hoist-updates.ts). The move must be invisible: each case below is checked against native
// generators in both modes, and the cases that must not move (a closure or a finally that can see
// the counter, a counter that may hold an object) fail if the pass skips that check.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { both, lower } from './helpers/lowered.js';
import { compile, runCompiled } from './helpers/program.js';

const modes = ['speed', 'size'] as const;

const cases: Record<string, string> = {
  'a for loop yielding a function of its counter': `
    function* g(n) { for (let i = 0; i < n; i++) yield i * 2; }
    const it = g(4);
    var result = [...g(5), it.next(), it.next('x'), it.return(9), it.next()];`,
  'two counters stepped in one update, and a compound step': `
    function* g(s) { for (let i = 0, j = s.length - 1; i < j; i++, j -= 1) yield s[i] + s[j]; }
    var result = [...g('abcdef'), ...g('')];`,
  'a while loop whose update is the statement after the yield': `
    function* g(n) { let i = 0; while (i < n) { yield i; i += 2; } return i; }
    const it = g(5);
    var result = [it.next(), it.next(), it.next(), it.next(), it.next()];`,
  'the operand reads the counter and the sent value is used': `
    function* g(n) { const got = []; for (let i = 0; i < n; i++) got.push(yield i + 0.5); return got; }
    const it = g(3);
    var result = [it.next('lost'), it.next('a'), it.next('b'), it.next('c')];`,
  'a closure reads the counter between resumptions': `
    var peek;
    function* g(n) { let i = 0; peek = () => i; for (; i < n; i++) yield 0; }
    const it = g(3); const seen = [];
    while (!it.next().done) seen.push(peek());
    var result = [seen, peek()];`,
  'a finally reads the counter after return()': `
    const log = [];
    function* g() { let i = 0; try { for (; i < 5; i++) yield i + 1; } finally { log.push("fin" + i); } }
    const a = g(); a.next(); a.next();
    var result = [a.return('r'), log];`,
  'a catch reads the counter after throw()': `
    function* g() { var i = 0; try { for (; i < 5; i++) yield i + 1; } catch (e) { return e + i; } }
    const a = g(); a.next(); a.next();
    var result = [a.throw('t'), a.next()];`,
  'the counter starts as an object whose valueOf logs': `
    const log = [];
    function* g(from) { for (let i = from; i < 3; i++) { log.push('body'); yield log.slice(); } }
    const start = { valueOf() { log.push('valueOf'); return 0; } };
    var result = [...g(start), log];`,
  'the counter is set to an object later in the loop': `
    const log = [];
    const box = { valueOf() { log.push('valueOf'); return 10; } };
    function* g() { let i = 0; for (; i < 3; i++) { if (i === 1) i = box; yield log.length; } }
    var result = [...g(), log];`,
  'a bigint counter': `
    function* g() { for (let i = 0n; i < 3n; i++) yield String(i); }
    var result = [...g()];`,
  'the generator called from inside its own operand': `
    let it;
    function* g() { for (let i = 0; i < 3; i++) { let r; try { it.next(); } catch (e) { r = e.constructor.name; } yield r + i; } }
    it = g();
    var result = [...it];`,
  'the operand throws: the update has not run': `
    function* g() { let i = 0; try { for (; i < 5; i++) yield (i === 2 ? boom() : i); } catch (e) { yield 'caught at ' + i; } }
    function boom() { throw new Error('x'); }
    var result = [...g()];`,
  'a label and continue reach the update': `
    function* g() { outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j > i) continue outer; yield '' + i + j; } } }
    var result = [...g()];`,
  'a per-iteration binding a closure captures stays per iteration': `
    function* g() { const fs = []; for (let i = 0; i < 3; i++) { fs.push(() => i); yield fs.map((f) => f()); } }
    var result = [...g()];`,
  'a with statement before the loop may bind the counter name': `
    const log = [];
    function* g(o) { let i = 0; with (o) { i = 0; } for (; i < 3; i++) yield i; }
    const o = { get i() { log.push('get'); return 5; }, set i(v) { log.push('set ' + v); } };
    var result = [...g(o), ...g({}), log];`,
};

describe('counter updates that run before the suspension', () => {
  for (const optimize of modes) {
    for (const [name, src] of Object.entries(cases)) {
      it(`${name} (${optimize})`, () => {
        const { native, lowered } = both(src, optimize);
        expect(lowered).toEqual(native);
      });
    }
  }

  const resume = (code: string, n: number): string => code.match(new RegExp(`function g\\$resume${n}\\([^)]*\\) \\{[\\s\\S]*?\\n\\}`))![0];

  it('the loop is emitted once: the initial resume function hands over to the loop head', () => {
    // (the call of log.push keeps the initial resume function: with only `i = 0` before the loop
    // the frame would start at the head itself, analysis/initial-state.ts)
    const code = lower(`function* g(n, log) { log.push(n); for (let i = 0; i < n; i++) yield i * 2; }`, 'case.js', 'speed');
    expect(resume(code, 0)).toMatch(/return g\$resume1\(\$f\);/);
    expect(resume(code, 0)).not.toMatch(/i < n/);
    // the update runs after the operand, before the suspension
    expect(resume(code, 1)).toMatch(/= i \* 2;\s*i\+\+;[\s\S]*return \$yv\d*;/);
    expect(code.match(/i < n/g)).toHaveLength(1);
  });

  it('an update a finally can see stays after the resume', () => {
    const code = lower(`function* g(log) { let i = 0; try { for (; i < 5; i++) yield i + 1; } finally { log.push(i); } }`, 'case.js', 'speed');
    expect(resume(code, 0)).not.toMatch(/return g\$resume1\(/);
    expect(code.match(/i < 5/g)!.length).toBeGreaterThan(1);
  });
});

describe('a promise type with yieldValue', () => {
  it('yields each counter value in order and a finally sees the counter at destroy', async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const recSource = fs.readFileSync(path.join(here, 'fixtures', 'promise-types', 'rec.ts'), 'utf8');
    const c = compile({
      'rec.ts': recSource,
      'main.ts': `
        import { log, type Rec } from './rec.js';
        export * as rec from './rec.js';
        export function* counts(n: number): Rec<number> {
          let sum = 0;
          for (let i = 0; i < n; i++) sum += (yield i * 10) === 'sent-for-' + i * 10 ? 1 : 0;
          return sum;
        }
        export function* guarded(): Rec<number> {
          let i = 0;
          try { for (; i < 5; i++) yield i; } finally { log.push('finally ' + i); }
          return i;
        }`,
    });
    expect(c.typeErrors).toEqual([]);
    expect(c.diagnostics).toEqual([]);
    const m = await runCompiled(c);
    const { rec } = m;
    rec.RecPromise.options = { initialReady: true, finalReady: true };
    rec.log.length = 0;
    const r = m.counts(3);
    for (let k = 0; k < 3; k++) r.handle.resume();
    const yields = rec.log.filter((s: string) => s.startsWith('yieldValue') || s.startsWith('returnValue'));
    expect(yields).toEqual(['yieldValue(0)', 'yieldValue(10)', 'yieldValue(20)', 'returnValue(3)']);

    rec.log.length = 0;
    const g = m.guarded();
    g.handle.resume();
    g.handle.resume();
    g.handle.destroy();
    expect(rec.log.filter((s: string) => s.startsWith('yieldValue') || s.startsWith('finally'))).toEqual(['yieldValue(0)', 'yieldValue(1)', 'yieldValue(2)', 'finally 2']);
  });
});
