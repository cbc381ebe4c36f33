// DESTROY against JavaScript's own return(): destroying a promise-type coroutine suspended at a
// `yield` must run the same finally blocks and iterator closes, in the same order, as calling
// return() on a native generator suspended at the same `yield` (neither runs a catch). Each case is
// run natively (as a plain generator, not lowered) and lowered with a promise type whose
// yieldValue suspends, destroyed at every suspension point in turn.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled } from './helpers/program.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const recSource = fs.readFileSync(path.join(here, 'fixtures', 'promise-types', 'rec.ts'), 'utf8');

const iterable = `const src = (name: string, n: number) => ({ [Symbol.iterator]() { let i = 0; return { next: () => ({ value: i++, done: i > n }), return: () => { log.push('close ' + name); return { done: true, value: undefined }; } }; } });`;

const cases: Record<string, string> = {
  'nested try/finally': `
    try {
      log.push('a'); yield 1;
      try { log.push('b'); yield 2; } finally { log.push('inner finally'); }
      log.push('c'); yield 3;
    } finally { log.push('outer finally'); }
    log.push('after'); yield 4;`,
  'for-of loops close their iterators, innermost first': `
    ${iterable}
    try {
      for (const x of src('outer', 2)) {
        for (const y of src('inner', 2)) { log.push('xy' + x + y); yield x * 10 + y; }
        log.push('between'); yield -x;
      }
    } finally { log.push('finally'); }`,
  'catch clauses do not run; finally of a catch clause does': `
    try {
      try { yield 1; throw new Error('e'); }
      catch (e) { log.push('caught'); yield 2; }
      finally { log.push('f1'); }
      yield 3;
    } catch (e) { log.push('outer catch'); }
    finally { log.push('f2'); }`,
  'loops with finally blocks inside see the current iteration': `
    let total = 0;
    outer: for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        try { total += i + j; yield total; if (j === 1) continue outer; }
        finally { log.push('fin ' + i + j + ' total ' + total); }
      }
    }`,
  'switch and labeled blocks around suspensions': `
    for (const k of [1, 2]) {
      try {
        switch (k) {
          case 1: blk: { try { yield 'one'; } finally { log.push('case1 finally'); } break blk; }
          case 2: yield 'two'; break;
        }
      } finally { log.push('loop finally ' + k); }
    }`,
};

// In both shapes: the dispatch shape's resume functions run their destroy paths themselves.
describe.each(['auto', 'dispatch'] as const)('DESTROY runs what return() runs (shape: %s)', (shape) => {
  let m: any;
  beforeAll(async () => {
    const parts = [`import { type Rec } from './rec.js';`, `export * as rec from './rec.js';`];
    Object.values(cases).forEach((body, i) => parts.push(`export function* c${i}(log: string[]): Rec {${body}\n}`));
    const c = compile({ 'rec.ts': recSource, 'main.ts': parts.join('\n') }, { typeCheck: false, shape });
    if (c.diagnostics.length) throw new Error(c.diagnostics.join('\n'));
    m = await runCompiled(c);
    m.rec.RecPromise.options = {};
  });

  Object.entries(cases).forEach(([name, body], i) => {
    it(name, () => {
      // The native generator: the same body with the type annotations stripped by a tiny regex set.
      const js = body.replace(/\(name: string, n: number\)/g, '(name, n)').replace(/\(e: any\)/g, '(e)');
      const native = new Function('log', `return (function* () {${js}\n})();`) as (log: string[]) => Generator;
      let points = 0;
      for (let k = 0; ; k++) {
        const logN: string[] = [];
        const g = native(logN);
        let finished = false;
        for (let step = 0; step <= k; step++) if (g.next().done) finished = true;
        if (finished) break;
        g.return(undefined);

        const logL: string[] = [];
        const r = m[`c${i}`](logL);
        for (let step = 0; step <= k; step++) r.handle.resume();
        expect(r.handle.done()).toBe(false);
        r.handle.destroy();
        expect({ k, log: logL }).toEqual({ k, log: logN });
        points++;
      }
      expect(points).toBeGreaterThan(1);
    });
  });
});
