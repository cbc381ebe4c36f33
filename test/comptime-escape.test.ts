// Escape corpus: guest code trying to reach the host (process, require, the host Function) must
// end in a diagnostic or a harmless guest value. Every payload, if it escaped, would set
// globalThis.__corosplitEscaped on the host or return a host process id.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRuntimeBuilt, run } from './comptime-helpers.js';

const root = path.resolve(import.meta.dirname, '..');
const runtimeLoader = (specifier: string) =>
  specifier === 'corosplit/runtime' ? { fileName: path.join(root, 'dist/runtime/guest.js'), code: readFileSync(path.join(root, 'dist/runtime/guest.js'), 'utf8') } : specifier.startsWith('./') && specifier.endsWith('.js') ? { fileName: path.join(root, 'dist/runtime', specifier), code: readFileSync(path.join(root, 'dist/runtime', specifier), 'utf8') } : undefined;

// Each payload evaluates to `leak`: whatever it managed to grab. The wrapper then tries to use it.
const payloads: Record<string, string> = {
  'constructor chain from an object literal': `({}).constructor.constructor('return process')()`,
  'constructor chain from this in a method': `({ m() { return this.constructor.constructor('return process')(); } }).m()`,
  'constructor chain from a number literal': `(1).constructor.constructor('return process')()`,
  'constructor chain from a string literal': `'x'.constructor.constructor('return globalThis')()`,
  'constructor chain from an array method': `[].map.constructor('return process')()`,
  'constructor chain from an error': `(() => { try { null.x; } catch (e) { return e.constructor.constructor('return process')(); } })()`,
  'constructor chain from a host-converted error': `(() => { try { 1n + 1; } catch (e) { return e.constructor.constructor('return process')(); } })()`,
  'constructor chain from an arrow': `(() => 1).constructor('return process')()`,
  'constructor of a lowered generator function': `Object.getPrototypeOf(defineGenerator(function g() {}, class extends GeneratorFrame {})).constructor('return process')()`,
  'Function via Reflect.construct': `Reflect.construct(Function, ['return process'])()`,
  'Function via bind': `Function.prototype.constructor.bind(null, 'return process')()()`,
  'eval by another name': `(0, eval)('process')`,
  'globalThis properties': `globalThis.process ?? globalThis.require ?? globalThis.module ?? globalThis.Buffer`,
  'global names': `typeof process === 'undefined' ? typeof require === 'undefined' ? undefined : require : process`,
  'Error.prepareStackTrace': `(() => { Error.prepareStackTrace = (e, frames) => frames[0].getThis(); return new Error('x').stack; })()`,
  'Error.captureStackTrace': `(() => { const o = {}; Error.captureStackTrace(o); return o.stack; })()`,
  'Error stack frames': `new Error('x').stack`,
  'Symbol.species on promises': `(() => { let grabbed; class P extends Promise { static get [Symbol.species]() { return function (ex) { ex((v) => grabbed = v, () => 0); }; } } P.resolve(1).then(() => 0); return grabbed; })()`,
  'Proxy traps that throw functions': `(() => { try { new Proxy({}, { get() { throw function () { return this; }; } }).x; } catch (f) { return f(); } })()`,
  'arguments.callee.caller': `(function () { return arguments.callee.caller; })()`,
  'function caller property': `(function f() { return f.caller; })()`,
  'inspect.custom symbol': `({ [Symbol.for('nodejs.util.inspect.custom')]: () => globalThis })[Symbol.for('nodejs.util.inspect.custom')]()`,
  'toString of a native function': `Math.max.toString.constructor('return process')()`,
  'getter on Object.prototype seen by intrinsics': `(() => { let seen; Object.defineProperty(Object.prototype, 'then', { get() { seen = this; return undefined; }, configurable: true }); Promise.resolve({}); delete Object.prototype.then; return seen && seen.constructor.constructor('return process')(); })()`,
  'regexp replacer arguments': `'abc'.replace(/b/, function () { return arguments[arguments.length - 1].constructor.constructor('return process')(); })`,
  'JSON reviver holder': `JSON.parse('{"a":1}', function (k, v) { if (k === '') return this.constructor.constructor('return process')(); return v; })`,
  'Symbol.for registry shared with the host': `Symbol.for('nodejs.util.inspect.custom') === Symbol.for('nodejs.util.inspect.custom') ? undefined : 1`,
  'dynamic import': `import('node:fs')`,
  'import.meta': `import.meta.url`,
  'with statement': `(() => { with (globalThis) return process; })()`,
  'sort comparator receives host values': `(() => { let leaked; [2, 1].sort(function (a, b) { leaked = this; return a - b; }); return leaked; })()`,
  'Map iterator internals': `(() => { const it = new Map([[1, 2]]).entries(); return Object.getOwnPropertyNames(it).concat(Object.getOwnPropertySymbols(it)).length ? it : undefined; })()`,
};

const hostGlobal = globalThis as { __corosplitEscaped?: unknown };

describe('comptime escape corpus', () => {
  beforeAll(ensureRuntimeBuilt);
  afterAll(() => {
    expect(hostGlobal.__corosplitEscaped).toBeUndefined();
  });
  for (const [name, payload] of Object.entries(payloads)) {
    it(name, () => {
      const code = `import { comptime, GeneratorFrame, defineGenerator } from 'corosplit/runtime';
export const v = comptime(() => {
  const leak = ${payload};
  try { leak.globalThis.__corosplitEscaped = 1; } catch {}
  try { leak.__corosplitEscaped = 1; } catch {}
  try { if (typeof leak.pid === 'number') return 'ESCAPED pid ' + leak.pid; } catch {}
  try { if (typeof leak.mainModule === 'object' || typeof leak.cwd === 'function') return 'ESCAPED process'; } catch {}
  return typeof leak === 'object' || typeof leak === 'function' ? 'guest ' + typeof leak : typeof leak;
});`;
      const r = run(code, { loadModule: runtimeLoader });
      if (r.ok) {
        expect(r.expression).not.toMatch(/ESCAPED/);
      } else {
        expect(r.diagnostic.message).not.toMatch(/internal evaluator error/);
        expect(r.diagnostic.message).toMatch(/^comptime: /);
      }
      expect(hostGlobal.__corosplitEscaped).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('then');
    });
  }
});
