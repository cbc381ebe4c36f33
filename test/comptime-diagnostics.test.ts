// Diagnostics: uncaught guest exceptions, guest call stacks with arguments, mapped positions,
// unsupported constructs, non-determinism.
import { describe, expect, it } from 'vitest';
import { diag, run } from './comptime-helpers.js';

describe('comptime diagnostics', () => {
  it('formatting an uncaught exception runs no guest code: getters that loop or throw, Proxy prototypes', () => {
    const cases: [string, RegExp][] = [
      [`const e = new Error('x'); Object.defineProperty(e, 'message', { get() { for (;;); } }); throw e;`, /^comptime: uncaught exception: Error$/],
      [`const e = new Error('x'); Object.defineProperty(e, 'name', { get() { throw new Error('from the getter'); } }); throw e;`, /^comptime: uncaught exception: Error: x$/],
      [`throw Object.create(new Proxy({}, { get() { throw 1; } }));`, /^comptime: uncaught exception: \{…\}$/],
    ];
    for (const [body, message] of cases) {
      const t = performance.now();
      const r = run(`import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => { ${body} });`);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.diagnostic.message).toMatch(message);
      expect(performance.now() - t).toBeLessThan(5_000);
    }
  });

  it('an uncaught exception shows its message and guest stack with arguments', () => {
    const code = [
      "import { comptime } from 'corosplit/runtime';",
      'function fib(n) {',
      "  if (n === 17) throw new RangeError('too big: ' + n);",
      '  return n < 2 ? n : fib(n - 1) + fib(n - 2);',
      '}',
      'export const table = comptime(() => fib(20));',
    ].join('\n');
    const r = run(code, { fileName: 'src/seq.js' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.message).toBe('comptime: uncaught exception: RangeError: too big: 17');
    expect(r.diagnostic.notes).toEqual([
      'thrown at src/seq.js:3:23',
      'in call to fib(17) at src/seq.js:4:22',
      'in call to fib(18) at src/seq.js:4:22',
      'in call to fib(19) at src/seq.js:4:22',
      'in call to fib(20) at src/seq.js:6:37',
      'in call to (anonymous function)() at src/seq.js:6:22',
      'while evaluating comptime() at src/seq.js:6:22',
    ]);
  });

  it('an error created deep in a recursion keeps a bounded stack with the skipped count', () => {
    const d = diag("function f(n) { if (n === 400) throw new Error('deep'); return f(n + 1); } return f(0);");
    expect(d.message).toBe('comptime: uncaught exception: Error: deep');
    const calls = d.notes.filter((n) => n.startsWith('in call to'));
    expect(calls.length).toBe(10);
    expect(calls[0]).toMatch(/^in call to f\(400\)/);
    expect(calls[9]).toMatch(/^in call to \(anonymous function\)\(\)/);
    expect(d.notes).toContain('(skipping 392 calls in the stack)');
  });

  it('a thrown non-error value is described', () => {
    expect(diag("throw { code: 42 };").message).toBe('comptime: uncaught exception: {…}');
    expect(diag("throw 'plain';").message).toBe('comptime: uncaught exception: "plain"');
  });

  it('positions map back through the position map and resume functions say where they resumed', () => {
    const code = [
      "import { comptime } from 'corosplit/runtime';",
      'function gen$resume1(f) {',
      "  throw new Error('inside the coroutine');",
      '}',
      'export const v = comptime(() => gen$resume1({}));',
    ].join('\n');
    const r = run(code, {
      fileName: 'lowered/seq.js',
      positionMap: {
        original: (file, line, column) => ({ fileName: file.replace('lowered/', 'src/').replace('.js', '.ts'), line: line + 100, column }),
        resumePoint: (_file, line) => (line === 2 ? { fileName: 'src/seq.ts', line: 5, column: 5 } : undefined),
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.notes[0]).toBe('thrown at src/seq.ts:103:9');
    expect(r.diagnostic.notes[1]).toBe('resumed from yield at src/seq.ts:5:5');
    expect(r.diagnostic.position).toEqual({ fileName: 'src/seq.ts', line: 103, column: 9 });
  });

  it('the current time is refused as non-deterministic', () => {
    expect(diag('return Date.now();').message).toMatch(/^comptime: call to non-deterministic Date\.now\(\)/);
    expect(diag('return new Date().getTime();').message).toMatch(/non-deterministic new Date\(\)/);
  });

  it('unsupported constructs and intrinsics are named', () => {
    expect(diag('return eval("1");').message).toMatch(/eval .* is not supported/);
    expect(diag('return new Function("return 1")();').message).toMatch(/Function constructor .* is not supported/);
    expect(diag('setTimeout(() => 0, 1);').message).toMatch(/setTimeout \(timers\) is not supported/);
    expect(diag('function* g() { yield 1; } return [...g()];').message).toMatch(/a generator function .* is not supported .* \(at src\/main.js:3:1\)/);
    expect(diag('return process.env;').message).toBe('comptime: uncaught exception: ReferenceError: process is not defined');
  });

  it('results that cannot become code name their path', () => {
    expect(diag('return { items: [1, 2, 3, { next: () => 1 }] };').message).toBe('comptime: cannot turn the result into code: a function (next) at result.items[3].next cannot be serialised');
    expect(diag('return [Symbol("s")];').message).toMatch(/a symbol \(Symbol\(s\)\) at result\[0\]/);
    expect(diag('class P { x = 1 } return { p: new P() };').message).toMatch(/an instance of P at result\.p cannot be serialised \(class instances need opt-in/);
    const gen = `const proto = Object.create(Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
      Object.defineProperty(proto, Symbol.toStringTag, { value: 'Generator' });
      class Frame { next() { return { done: true }; } } Object.setPrototypeOf(Frame.prototype, proto);
      return { g: new Frame() };`;
    expect(diag(gen).message).toMatch(/coroutine escapes constant evaluation: the generator object at result\.g/);
  });

  it('a promise that never settles is reported', () => {
    expect(diag('return new Promise(() => {});').message).toMatch(/never settled/);
  });
});
