// Minimal repros of lowering bugs found by the differential fuzzer, as data: each `source` is a
// classic script that sets `result`; natively and lowered (test/helpers/lowered.ts `both`) the two
// results must be equal. They are not run as tests here because bugs were open when they were
// written (see FINDINGS.md for the status); once a bug is fixed its cases can move into a test
// such as lower-semantics.test.ts. all of them (F1–F7) pass.

export interface Regression {
  name: string;
  /** the FINDINGS.md entry */
  finding: string;
  source: string;
}

export const regressions: Regression[] = [
  {
    name: 'for (let ...) gives each iteration its own binding even when the body yields',
    finding: 'F1',
    source: `
      function* g() { const fs = []; for (let i = 0; i < 3; i++) { fs.push(() => i); yield i; } return fs.map((f) => f()); }
      const it = g(); it.next(); it.next(); it.next();
      var result = it.next().value; // native [0, 1, 2]`,
  },
  {
    name: 'for-of const binding captured by a closure, body yields',
    finding: 'F1',
    source: `
      function* g() { const fs = []; for (const x of ['a', 'b']) { fs.push(() => x); yield x; } return fs.map((f) => f()); }
      const it = g(); it.next(); it.next();
      var result = it.next().value; // native ['a', 'b']`,
  },
  {
    name: 'block-scoped let inside a loop body captured by a closure, body yields',
    finding: 'F1',
    source: `
      function* g() { const fs = []; let n = 0; while (n < 2) { const j = n++; fs.push(() => j); yield j; } return fs.map((f) => f()); }
      const it = g(); it.next(); it.next();
      var result = it.next().value; // native [0, 1]`,
  },
  {
    name: 'catch parameter captured by a closure in a loop, catch block yields',
    finding: 'F1',
    source: `
      function* g() { const fs = []; for (const v of [1, 2]) { try { throw v; } catch (e) { fs.push(() => e); yield e; } } return fs.map((f) => f()); }
      const it = g(); it.next(); it.next();
      var result = it.next().value; // native [1, 2]`,
  },
  {
    name: 'obj[key()] = yield v evaluates key() before suspending',
    finding: 'F2',
    source: `
      const log = [];
      const o = {};
      function key() { log.push('key'); return 'k'; }
      function* g() { o[key()] = yield 1; }
      const it = g();
      log.push('yielded ' + it.next().value);
      it.next(2);
      var result = [log, o.k]; // native [['key', 'yielded 1'], 2]`,
  },
  {
    name: 'obj().p = yield v evaluates obj() before suspending',
    finding: 'F2',
    source: `
      const log = [];
      const o = {};
      function obj() { log.push('obj'); return o; }
      function* g() { obj().p = yield 1; }
      const it = g();
      log.push('yielded ' + it.next().value);
      it.next(2);
      var result = [log, o.p]; // native [['obj', 'yielded 1'], 2]`,
  },
  {
    name: 'o[yield a] = yield b suspends at the key first',
    finding: 'F2',
    source: `
      const o = {};
      function* g() { o[yield 'key'] = yield 'value'; }
      const it = g();
      var result = [it.next().value, it.next('k').value, it.next(2).done, o.k]; // native ['key', 'value', true, 2]`,
  },
  {
    name: 'sloppy-mode arguments stays mapped to the parameters',
    finding: 'F3',
    source: `
      function* g(a) { a = 2; yield arguments[0]; arguments[0] = 3; yield a; }
      var result = [...g(1)]; // native [2, 3]`,
  },
  {
    name: 'reading a let before its declaration throws ReferenceError',
    finding: 'F4',
    source: `
      function* g() { try { y; } catch (e) { yield e.constructor.name; } let y = 2; yield y; }
      var result = [...g()]; // native ['ReferenceError', 2]`,
  },
  {
    name: 'a loop body let is back in its TDZ on the next iteration',
    finding: 'F4',
    source: `
      function* g() { for (let i = 0; i < 2; i++) { try { z; yield 'no tdz'; } catch (e) { yield e.constructor.name; } let z = i; yield z; } }
      var result = [...g()]; // native ['ReferenceError', 0, 'ReferenceError', 1]`,
  },
  {
    name: "a for-of head's expression sees the loop binding in its TDZ, not an outer one",
    finding: 'F4',
    source: `
      function* g() { const x = 'outer'; try { for (const x of [x]) yield x; } catch (e) { yield e.constructor.name; } }
      var result = [...g()]; // native ['ReferenceError']`,
  },
  {
    name: 'a tagged template with a member tag keeps this when the template yields',
    finding: 'F5',
    source: `
      const tg = { t(s, v) { return [this === tg, s.raw.join('|'), v]; } };
      function* g() { return tg.t\`a\${yield 1}b\`; }
      const it = g(); it.next();
      var result = it.next(5).value; // native [true, 'a|b', 5]`,
  },
  {
    name: 'next() from a finally block run by a return statement throws "already running"',
    finding: 'F6',
    source: `
      let it;
      const seen = [];
      function* g() { try { return 0; } finally { try { seen.push(it.next()); } catch (e) { seen.push(e.constructor.name); } } }
      it = g();
      var result = [it.next(), seen]; // native [{ value: 0, done: true }, ['TypeError']]`,
  },
  {
    name: 'sloppy mode: a function declared in a block with a yield is also a function-scoped var',
    finding: 'F7',
    source: `
      function* g() { { function inner() { return 'ib'; } yield inner(); } yield typeof inner; }
      var result = [...g()]; // native ['ib', 'function']`,
  },
];
