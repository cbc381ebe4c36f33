// Language semantics: each case runs in the evaluator and natively and must agree.
import { describe, expect, it } from 'vitest';
import { guest, native } from './comptime-helpers.js';

const cases: Record<string, string> = {
  arithmetic: `return [1 + 2 * 3, 7 % 3, -7 % 3, 2 ** 10, 1 / 0, -1 / 0, 0 / 0, -0, 5 >>> 1, -5 >> 1, -5 >>> 28, ~5, 3 & 5, 3 | 5, 3 ^ 5, 1 << 31, '3' * '4', '3' + 4, 4 + '3', null + 1, undefined + 1, true + true, 10n ** 20n, -7n / 2n, 0.1 + 0.2];`,
  comparisons: `return [1 < 2, '10' < '9', 10 < '9', null == undefined, null === undefined, NaN == NaN, '1' == 1, 0 == '', [1] == 1, ({}) == '[object Object]', 1n == 1, 2n > 1, 'b' > 'a'];`,
  closures: `const fs = []; for (let i = 0; i < 5; i++) fs.push(() => i * i); let c = 0; const inc = () => ++c; inc(); inc(); return [fs.map(f => f()), c];`,
  varHoisting: `function f() { x = 3; var x; return x; } function g() { return h(); function h() { return 'h'; } } function p(a, b) { var b; return [typeof a, b]; function a() {} } function d(a = 1, b) { function a() {} return typeof a; } return [f(), g(), typeof q, p(1, 2), p.length, d(5)]; var q = 1;`,
  destructuring: `const { a, b: { c = 5 } = {}, ...rest } = { a: 1, d: 4, e: 5 }; const [x, , y = 9, ...zs] = [1, 2, undefined, 4, 5]; let p, q; [p, q] = [q, p] = [1, 2]; const { length } = 'hello'; return [a, c, rest, x, y, zs, p, q, length];`,
  spread: `const a = [1, 2]; const o = { x: 1, ...{ y: 2 }, ...null }; function f(...args) { return args.length; } return [[...a, ...'ab', ...new Set([3, 3, 4])], o, f(...a, ...a), Math.max(...a)];`,
  labels: `const out = []; outer: for (let i = 0; i < 4; i++) { inner: for (let j = 0; j < 4; j++) { if (j === 2) continue outer; if (i === 3) break outer; out.push(i * 10 + j); } } blk: { out.push('a'); break blk; out.push('b'); } return out;`,
  tryFinally: `const log = []; function f() { try { log.push(1); return 'try'; } finally { log.push(2); } } function g() { try { throw new Error('x'); } catch (e) { return e.message; } finally { log.push(3); } } function h() { try { return 1; } finally { return 2; } } function k() { for (const x of [1, 2, 3]) { try { if (x === 2) break; } finally { log.push('f' + x); } } return 'k'; } return [f(), g(), h(), k(), log];`,
  switchStmt: `function s(x) { switch (x) { case 1: return 'one'; case 2: case 3: { let y = x * 2; return 'two-three' + y; } default: return 'other'; case 4: return 'four'; } } const r = []; for (let i = 0; i < 6; i++) r.push(s(i)); let f = 0; switch (1) { case 1: f++; case 2: f++; break; case 3: f++; } return [r, f];`,
  forInOf: `const o = { b: 1, a: 2, 1: 'x', 0: 'y' }; const ks = []; for (const k in o) ks.push(k); const proto = { inherited: 1 }; const child = Object.create(proto); child.own = 2; const ks2 = []; for (const k in child) ks2.push(k); const vs = []; for (const [k, v] of Object.entries(o)) vs.push(k + '=' + v); const m = new Map([[1, 'a'], [2, 'b']]); const ms = []; for (const [k, v] of m) ms.push(k + v); return [ks, ks2, vs, ms];`,
  templates: "const x = 5; function tag(s, ...v) { return s.raw.join('|') + v.join(','); } return [`a${x}b${x * 2}c`, tag`x${1}y${2}z`, `${[1, 2]}`, `${{ toString() { return 'T'; } }}`];",
  optionalChaining: `const o = { a: { b: () => 42 }, n: null }; return [o?.a?.b(), o.n?.b.c.d, o.x?.(), o.a.b?.(), o.n ?? 'dflt', (o.n?.x)?.y, o.a?.['b']()];`,
  logicalAssign: `let a = null, b = 0, c = 1; a ??= 5; b ||= 6; c &&= 7; const o = { x: undefined }; o.x ??= 'set'; return [a, b, c, o];`,
  classes: `class A { #secret = 1; static count = 0; static #hidden() { return 'h'; } x = 10; constructor(y) { this.y = y; A.count++; } get sum() { return this.x + this.y + this.#secret; } set sum(v) { this.x = v; } static make() { return new this(2); } reveal() { return A.#hidden() + this.#secret; } static { this.initialized = true; } has(o) { return #secret in o; } }
class B extends A { constructor() { super(100); this.z = super.reveal(); } get sum() { return super.sum * 2; } toString() { return 'B!'; } }
const a = A.make(); const b = new B(); a.sum = 5; return [a.sum, b.sum, b.z, A.count, A.initialized, String(b), b instanceof A, a.has(b), a.has({}), Object.keys(b), typeof A, A.name, B.name];`,
  newTarget: `function F() { return new.target === F; } class C { constructor() { this.t = new.target.name; } } class D extends C {} return [new F() instanceof F, F(), new D().t];`,
  argumentsObject: `function f() { return [arguments.length, [...arguments], Array.prototype.slice.call(arguments, 1)]; } return f(1, 2, 3);`,
  getterSetterLiteral: `let store = 0; const o = { get v() { return store * 2; }, set v(x) { store = x; }, ['comp' + 'uted']: 1, method() { return this.computed; } }; o.v = 21; return [o.v, o.method(), Object.keys(o)];`,
  symbols: `const s = Symbol('tag'); const o = { [s]: 1 }; const it = { from: 1, to: 4, [Symbol.iterator]() { let c = this.from, t = this.to; return { next: () => c <= t ? { value: c++, done: false } : { value: undefined, done: true } }; } }; return [[...it], o[s], Object.getOwnPropertySymbols(o).length, s.description, typeof s, Symbol.for('a') === Symbol.for('a'), Symbol.keyFor(Symbol.for('k'))];`,
  recursionAndBind: `function fact(n) { return n <= 1 ? 1n : BigInt(n) * fact(n - 1); } const bound = function (a, b) { return this.k + a + b; }.bind({ k: 1 }, 2); return [String(fact(25)), bound(3), bound.name, bound.length];`,
  typeofAndDelete: `const o = { a: 1, b: 2 }; delete o.a; return [typeof undefinedThing, typeof null, typeof {}, typeof [], typeof function () {}, typeof 1n, typeof Symbol(), o, 'b' in o, 'a' in o];`,
  memberUpdates: `const log = []; const o = { get x() { log.push('get'); return 1; }, set x(v) { log.push('set' + v); } }; o.x++; o.x += 5; --o.x; const a = [1, 2]; let i = 0; a[i++] += 10; a[i]--; const c = {}; c.k = (c.k ?? 0) + 1; c.k++; c['k'] *= 3; const key = { toString() { log.push('key'); return 'z'; } }; c[key] = 1; c[key] += 1; return [log, a, i, c, typeof o === 'object', typeof log.push === 'function', typeof undeclaredName === 'undefined'];`,
  commaVoidConditional: `let x = (1, 2, 3); return [x, void 0, x > 2 ? 'big' : 'small'];`,
  whileDo: `let i = 0, s = 0; while (i < 10) { if (i % 2) { i++; continue; } s += i++; } let j = 0; do { j++; } while (j < 5); return [s, j];`,
  objectStatics: `const o = Object.freeze({ a: 1 }); let threw = false; try { o.a = 2; } catch (e) { threw = e instanceof TypeError; } const p = Object.defineProperty({}, 'x', { value: 1, enumerable: false }); return [threw, Object.isFrozen(o), Object.keys(p), p.x, Object.getOwnPropertyNames(p), Object.fromEntries([['a', 1], ['b', 2]]), Object.assign({}, { a: 1 }, { b: 2 }), Object.entries({ x: 1 })];`,
  errors: `const r = []; try { null.x; } catch (e) { r.push(e instanceof TypeError, e.constructor.name); } try { undefinedVar; } catch (e) { r.push(e.name); } try { throw new RangeError('bad', { cause: 1 }); } catch (e) { r.push(e.message, e.cause, String(e)); } class MyErr extends Error { constructor(m) { super(m); this.name = 'MyErr'; } } try { throw new MyErr('mine'); } catch (e) { r.push(e instanceof Error, e instanceof MyErr, e.name, e.message); } return r;`,
  tdz: `const r = []; try { r.push(x); let x = 1; } catch (e) { r.push(e.name); } return r;`,
  generatorsViaIteratorProtocol: `function range(n) { let i = 0; return { [Symbol.iterator]() { return this; }, next() { return i < n ? { value: i++, done: false } : { value: undefined, done: true }; }, return() { closed = true; return { done: true }; } }; } let closed = false; for (const x of range(10)) { if (x === 3) break; } const [a, b] = range(5); return [closed, a, b];`,
};

describe('comptime language semantics match V8', () => {
  for (const [name, body] of Object.entries(cases)) {
    it(name, () => {
      expect(guest(body)).toEqual(native(body));
    });
  }
});
