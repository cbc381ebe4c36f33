// Cross-module evaluation: imports from other files and from node_modules are evaluated from
// source, each module initialises once per evaluation, and the real corosplit runtime (its
// compiled dist/runtime) runs as guest code so lowered generators work at build time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModuleLoader } from '../transformer/comptime/index.js';
import { ensureRuntimeBuilt, run } from './comptime-helpers.js';

const root = path.resolve(import.meta.dirname, '..');

/** A loader over an in-memory project plus the built corosplit runtime. */
function loader(files: Record<string, string>, log: string[] = []): ModuleLoader {
  return (specifier, importer) => {
    log.push(`${importer} -> ${specifier}`);
    if (specifier === 'corosplit/runtime') return { fileName: path.join(root, 'dist/runtime/guest.js'), code: readFileSync(path.join(root, 'dist/runtime/guest.js'), 'utf8') };
    const fileName = specifier.startsWith('.') ? path.posix.join(path.posix.dirname(importer), specifier) : `node_modules/${specifier}/index.js`;
    if (fileName in files) return { fileName, code: files[fileName]! };
    if (fileName.startsWith(root)) return { fileName, code: readFileSync(fileName, 'utf8') };
    return undefined;
  };
}

// What the lowering emits for `function* fib() { let a = 0, b = 1; for (;;) { yield a; [a, b] = [b, a + b]; } }`
// and `function* take(it, n) { for (const x of it) { if (n-- <= 0) return; yield x; } }`, hand-written for now.
const seqModule = `
import { GeneratorFrame, defineGenerator, generatorCompleted, getIterator, iteratorClose } from 'corosplit/runtime';
class fib$Frame extends GeneratorFrame {
  constructor() { super(fib$resume0); this.a = 0; this.b = 1; }
}
function fib$resume0(f, v, m) {
  if (m !== 0) return generatorCompleted(f, v, m);
  f.$r = fib$resume1;
  return f.a;
}
function fib$resume1(f, v, m) {
  if (m !== 0) return generatorCompleted(f, v, m);
  [f.a, f.b] = [f.b, f.a + f.b];
  f.$r = fib$resume1;
  return f.a;
}
export function fib() { return new fib$Frame(); }
defineGenerator(fib, fib$Frame);

class take$Frame extends GeneratorFrame {
  constructor(it, n) { super(take$resume0); this.src = it; this.n = n; this.it = undefined; }
  $drop() { this.src = undefined; this.it = undefined; }
}
function take$resume0(f, v, m) {
  if (m !== 0) return generatorCompleted(f, v, m);
  f.it = getIterator(f.src);
  return take$loop(f);
}
function take$loop(f) {
  const r = f.it.next();
  if (r.done) { f.$r = generatorCompleted; return undefined; }
  if (f.n-- <= 0) { iteratorClose(f.it); f.$r = generatorCompleted; return undefined; }
  f.$r = take$resume1;
  return r.value;
}
function take$resume1(f, v, m) {
  if (m === 1) { iteratorClose(f.it); throw v; }
  if (m === 2) { iteratorClose(f.it); f.$r = generatorCompleted; return v; }
  return take$loop(f);
}
export function take(it, n) { return new take$Frame(it, n); }
defineGenerator(take, take$Frame);
export let inits = 0;
inits++;
`;

describe('comptime across modules', () => {
  beforeAll(ensureRuntimeBuilt);

  it('evaluates lowered generators from another module through the real runtime', () => {
    const code = `import { comptime } from 'corosplit/runtime';
import { fib, take } from './seq.js';
export const table = comptime(() => [...take(fib(), 20)]);`;
    const r = run(code, { fileName: 'src/table.js', loadModule: loader({ 'src/seq.js': seqModule }) });
    if (!r.ok) throw new Error(r.diagnostic.message + '\n' + r.diagnostic.notes.join('\n'));
    expect(r.expression).toBe('[0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181]');
  });

  it('lowered generators get the iterator helpers through the runtime prototype chain', () => {
    const code = `import { comptime } from 'corosplit/runtime';
import { fib } from './seq.js';
export const evens = comptime(() => fib().filter((x) => x % 2 === 0).map((x) => x * 10).take(6).toArray());`;
    const r = run(code, { fileName: 'src/table.js', loadModule: loader({ 'src/seq.js': seqModule }) });
    if (!r.ok) throw new Error(r.diagnostic.message + '\n' + r.diagnostic.notes.join('\n'));
    expect(r.expression).toBe('[0, 20, 80, 340, 1440, 6100]');
  });

  it('return(), throw() and re-entry behave as the runtime defines them, inside the guest', () => {
    const code = `import { comptime, GeneratorFrame } from 'corosplit/runtime';
import { fib } from './seq.js';
export const v = comptime(() => {
  const g = fib();
  const a = [g.next(), g.next(), g.return(42), g.next()];
  const h = fib();
  h.next();
  let thrown;
  try { h.throw(new Error('boom')); } catch (e) { thrown = e.message; }
  class Reenter extends GeneratorFrame { constructor() { super((f) => f.next()); } }
  let reentry;
  try { new Reenter().next(); } catch (e) { reentry = e instanceof TypeError && e.message; }
  return [a, thrown, h.next(), reentry, Object.prototype.toString.call(g), g[Symbol.iterator]() === g];
});`;
    const r = run(code, { fileName: 'src/t.js', loadModule: loader({ 'src/seq.js': seqModule }) });
    if (!r.ok) throw new Error(r.diagnostic.message + '\n' + r.diagnostic.notes.join('\n'));
    expect((0, eval)(r.expression)).toEqual([
      [{ value: 0, done: false }, { value: 1, done: false }, { value: 42, done: true }, { value: undefined, done: true }],
      'boom',
      { value: undefined, done: true },
      'Generator is already running',
      '[object Generator]',
      true,
    ]);
  });

  it('a live generator in the result is the coroutine-escape error', () => {
    const code = `import { comptime } from 'corosplit/runtime';
import { fib } from './seq.js';
export const gen = comptime(() => ({ g: fib() }));`;
    const r = run(code, { fileName: 'src/table.js', loadModule: loader({ 'src/seq.js': seqModule }) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostic.message).toMatch(/coroutine escapes constant evaluation: the generator object at result\.g/);
  });

  it('initialises each module once, supports default/namespace/re-exports and node_modules deps', () => {
    const files = {
      'src/a.js': `export let count = 0; export function bump() { return ++count; } export default class Point { constructor(x) { this.x = x; } }`,
      'src/b.js': `import { bump } from './a.js'; export const fromB = bump(); export { bump as again } from './a.js'; export * from './c.js';`,
      'src/c.js': `export const fromC = 'c';`,
      'node_modules/tiny-lib/index.js': `export const pad = (s, n) => String(s).padStart(n, '0');`,
    };
    const log: string[] = [];
    const code = `import { comptime } from 'corosplit/runtime';
import Point, { count, bump } from './a.js';
import * as b from './b.js';
import { pad } from 'tiny-lib';
export const v = comptime(() => [count, bump(), b.fromB, b.again(), count, b.fromC, new Point(3).x, pad(7, 3), Object.keys(b)]);`;
    const r = run(code, { fileName: 'src/main.js', loadModule: loader(files, log) });
    if (!r.ok) throw new Error(r.diagnostic.message + '\n' + r.diagnostic.notes.join('\n'));
    expect((0, eval)(r.expression)).toEqual([1, 2, 1, 3, 3, 'c', 3, '007', ['again', 'fromB', 'fromC']]);
    expect(log.filter((l) => l.endsWith('-> ./a.js')).length).toBe(2);
    const deps = r.ok ? r.dependencies : [];
    expect(deps.filter((f) => !f.includes('/dist/runtime/'))).toEqual(['src/a.js', 'src/b.js', 'src/c.js', 'node_modules/tiny-lib/index.js']);
    expect(deps.filter((f) => f.includes('/dist/runtime/')).map((f) => path.basename(f)).sort()).toEqual(['async-generator.js', 'comptime.js', 'generator.js', 'guest.js']);
  });

  it('sees TDZ across an import cycle like ESM does', () => {
    const files = {
      'src/x.js': `import { y } from './y.js'; export const x = 'x'; export const seen = y;`,
      'src/y.js': `import { x } from './x.js'; export let y; try { y = x; } catch (e) { y = e.name; }`,
    };
    const code = `import { comptime } from 'corosplit/runtime';\nimport { seen } from './x.js';\nexport const v = comptime(() => seen);`;
    const r = run(code, { fileName: 'src/main.js', loadModule: loader(files) });
    expect(r.ok && r.expression).toBe('"ReferenceError"');
  });

  it('an unloadable import is a diagnostic naming it', () => {
    const r = run(`import { comptime } from 'corosplit/runtime';\nimport fs from 'node:fs';\nexport const v = comptime(() => fs.readFileSync('/etc/passwd'));`, { loadModule: loader({}) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostic.message).toBe("comptime: cannot load module 'node:fs' imported by src/main.js: the module loader did not provide its source");
  });

  it('evaluations are isolated, also when a module loader runs another evaluation meanwhile', () => {
    const nestedLoader: ModuleLoader = (specifier, importer) => {
      if (specifier !== './dep.js') return undefined;
      // A loader that evaluates the dependency's own comptime() calls before handing it over.
      const inner = run(`import { comptime } from 'corosplit/runtime';\nArray.prototype.polluted = 1;\nexport const n = comptime(() => [1, 2].length);`, { fileName: 'src/dep.js' });
      const n = inner.ok ? inner.expression : 'null';
      return { fileName: 'src/dep.js', code: `export const n = ${n};` };
    };
    const r = run(`import { comptime } from 'corosplit/runtime';\nimport { n } from './dep.js';\nexport const v = comptime(() => { let e; try { null.x; } catch (x) { e = x instanceof TypeError; } return [n, 'polluted' in [], e, new Error('x') instanceof Error]; });`, { loadModule: nestedLoader });
    expect(r.ok && r.expression).toBe('[2, false, true, true]');
  });

  it('nested comptime() calls are not reported separately', () => {
    const code = `import { comptime } from 'corosplit/runtime';\nexport const a = comptime(() => comptime(() => 2) * 3);`;
    const r = run(code);
    expect(r.ok && r.results.map((x) => x.expression)).toEqual(['6']);
  });

  it('TypeScript-only runtime semantics are refused by name, type syntax is ignored', () => {
    const files = {
      'src/p.ts': `export class P { constructor(private x: number) {} }`,
      'src/q.ts': `export interface Shape { w: number } export type N = number; export const area = (s: Shape): N => s.w * (s.w as number)!;`,
    };
    const bad = run(`import { comptime } from 'corosplit/runtime';\nimport { P } from './p.ts';\nexport const v = comptime(() => new P(1));`, { loadModule: loader(files) });
    expect(!bad.ok && bad.diagnostic.message).toMatch(/a TypeScript parameter property \(the module loader must return JavaScript\) is not supported .* \(at src\/p\.ts:1:30\)/);
    const ok = run(`import { comptime } from 'corosplit/runtime';\nimport { area } from './q.ts';\nexport const v = comptime(() => area({ w: 3 }));`, { loadModule: loader(files) });
    expect(ok.ok && ok.expression).toBe('9');
  });

  it('collects console output for the build log without running guest code to format it', () => {
    const code = `import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => { console.log('table', [1, 'two', { three: 3 }], new Map([[1, 2]])); console.warn({ toString() { throw new Error('not called'); } }); return 1; });`;
    const r = run(code);
    expect(r.ok).toBe(true);
    expect(r.logs).toEqual(['table [ 1, "two", { three: 3 } ] Map(1)', 'warn: { toString: [Function: toString] }']);
  });

  it('console output the host keeps is bounded: long strings are cut, lines and the whole log capped', () => {
    const before = process.memoryUsage().rss;
    const code = `import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => { const big = Array(50).fill('x'.repeat(1e7)); for (let i = 0; i < 1000; i++) console.log(big); console.log('y'.repeat(5000)); return 1; });`;
    const r = run(code);
    expect(r.ok).toBe(true);
    const total = r.logs.reduce((n, l) => n + l.length, 0);
    expect(total).toBeLessThan(1.1 * (1 << 20));
    expect(r.logs[0]).toMatch(/^\[ "x{1000}… \(10000000 characters\)", /);
    expect(r.logs[0]!.length).toBeLessThanOrEqual(10_000 + 40);
    expect(r.logs.at(-1)).toBe('(further console output dropped)');
    expect(process.memoryUsage().rss - before).toBeLessThan(1 << 30);
  });

  it('every comptime() call of the module is reported with its span', () => {
    const code = `import { comptime } from 'corosplit/runtime';\nexport const a = comptime(() => 1 + 1);\nexport const b = comptime(() => a * 10, { steps: 100 });`;
    const r = run(code);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.results.map((x) => [code.slice(x.start, x.end), x.expression])).toEqual([
      ['comptime(() => 1 + 1)', '2'],
      ['comptime(() => a * 10, { steps: 100 })', '20'],
    ]);
    const second = run(code, { callAt: r.results[1]!.start });
    expect(second.ok && second.expression).toBe('20');
  });
});
