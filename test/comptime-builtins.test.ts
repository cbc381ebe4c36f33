// Built-in library behaviour: each case runs in the evaluator and natively and must agree.
import { describe, expect, it } from 'vitest';
import { guest, native } from './comptime-helpers.js';

const cases: Record<string, string> = {
  arrayMethods: `const a = [5, 1, 4, 2, 3]; return [a.map(x => x * 2), a.filter(x => x % 2), a.reduce((s, x) => s + x, 0), a.slice(1, 3), [...a].sort(), [...a].sort((x, y) => y - x), a.indexOf(4), a.includes(9), a.find(x => x > 3), a.findLast(x => x < 3), a.some(x => x > 4), a.every(x => x > 0), a.join('-'), [[1, [2]], [3]].flat(), [1, 2].flatMap(x => [x, x * 10]), Array.from({ length: 3 }, (_, i) => i * i), Array.of(7, 8), a.at(-1), a.toSorted(), a.toReversed(), a.with(0, 99), [1, 2, 3, 4].splice(1, 2), Array(3).fill(0), [3, 1, 2].reverse(), Array.isArray(a), [1, , 3].length, Object.keys([1, , 3]), [1, 2, 3].keys().next(), [...[1, 2].entries()]];`,
  arrayMutation: `const a = [1, 2, 3]; a.push(4, 5); const p = a.pop(); const s = a.shift(); a.unshift(0); a.length = 2; a[5] = 'x'; const b = [1, 2, 3, 4, 5]; b.copyWithin(0, 3); return [a, p, s, b, a.length, 3 in a];`,
  strings: `const s = 'Hello, World'; return [s.toUpperCase(), s.slice(-5), s.split(', '), s.replace('World', 'There'), s.replaceAll('l', 'L'), s.padStart(15, '*'), 'ab'.repeat(3), s.indexOf('o'), s.lastIndexOf('o'), s.charCodeAt(0), String.fromCharCode(72, 105), s.startsWith('Hell'), s.endsWith('d'), s.includes('lo, '), ' trim '.trim(), s.at(-1), [...'héllo'], s.codePointAt(1), s.substring(7), s.split(''), 'a-b-c'.split('-', 2), 'x'.concat(1, 2), String(123), (255).toString(16), (3.14159).toFixed(2), (0.000123).toExponential(1), Number('0x1f'), parseInt('42px'), parseFloat('3.5e2'), 'abc'.localeCompare('abd')];`,
  regex: `const r = /(\\d+)-(?<word>[a-z]+)/g; const s = 'a 12-ab 34-cd'; const m = [...s.matchAll(r)].map(x => [x[0], x[1], x.groups.word, x.index]); return [m, 'x1y22z'.replace(/\\d+/g, d => '[' + d + ']'), 'a,b;c'.split(/[,;]/), /^h/i.test('Hi'), 'aaa'.replace(/a/g, '$&$&'), 'John Smith'.replace(/(\\w+)\\s(\\w+)/, '$2, $1'), 'abc'.search(/c/), 'a1b2'.match(/\\d/g), /x/gi.flags, String(/a\\/b/), 'ab'.match(/(?<first>a)/).groups.first];`,
  mapSet: `const m = new Map(); m.set('a', 1).set({}, 2).set(NaN, 3); const s = new Set([1, 2, 2, 3]); s.delete(1); const w = new WeakMap(); const k = {}; w.set(k, 'v'); return [m.size, m.get('a'), m.get(NaN), m.has('z'), [...m.keys()].length, [...s], s.has(2), w.get(k), w.has({}), [...new Map([[1, 'x']]).entries()]];`,
  json: `const o = { a: [1, 'two', { three: 3 }], b: null, c: true, d: undefined, e: () => 1, f: new Date(0) }; return [JSON.stringify(o), JSON.stringify(o, null, 2), JSON.parse('{"x":[1,2,{"y":"z"}]}'), JSON.stringify({ a: 1, b: 2 }, ['a']), JSON.parse('[1,2]', (k, v) => typeof v === 'number' ? v * 10 : v), JSON.stringify('\\u2028"')];`,
  math: `return [Math.max(1, 5, 3), Math.min(), Math.floor(-1.5), Math.round(2.5), Math.sqrt(16), Math.hypot(3, 4), Math.sign(-3), Math.trunc(-4.7), Math.imul(3, 4), Math.clz32(1), Math.PI, Math.abs(-2)];`,
  bigint: `return [String(2n ** 64n), BigInt.asUintN(8, 257n), String(BigInt('123456789012345678901234567890') * 2n), typeof 1n, 5n / 2n, (-5n) % 3n, BigInt(42), (255n).toString(16)];`,
  dates: `const d = new Date(Date.UTC(2024, 1, 29, 12, 30)); const e = new Date('2020-01-01T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1); return [d.toISOString(), e.getTime(), d.getUTCMonth(), d.getUTCDay(), Date.UTC(2000, 0), JSON.stringify({ d: e }), new Date(8.64e15 + 1).getTime()];`,
  typedArrays: `const u = new Uint8Array([1, 2, 300]); const f = new Float64Array(3).fill(1.5); const i32 = Int32Array.from([1, 2, 3], x => x * -1); const buf = new ArrayBuffer(8); const view = new Uint32Array(buf); view[0] = 0xffffffff; const bytes = new Uint8Array(buf); return [Array.from(u), Array.from(f), Array.from(i32), Array.from(bytes), u.length, u.subarray(1).length, Array.from(u.map(x => x * 2)), u.join(','), Array.from(new BigInt64Array([1n, -1n])).map(String), u instanceof Uint8Array, Object.prototype.toString.call(u)];`,
  dataView: `const buf = new ArrayBuffer(16); const dv = new DataView(buf, 2); dv.setFloat64(0, Math.PI); dv.setUint16(8, 0xabcd, true); dv.setBigInt64(6, -2n); const bytes = Array.from(new Uint8Array(buf)); let oob; try { dv.getUint32(13); } catch (e) { oob = e instanceof RangeError; } return [bytes, dv.getFloat64(0), dv.getUint16(8, true), String(dv.getBigInt64(6)), dv.byteLength, dv.byteOffset, oob, Object.prototype.toString.call(dv)];`,
  iteratorHelpers: `function* never() {} ; return 0;`,
  reflect: `const o = { a: 1 }; Reflect.defineProperty(o, 'b', { value: 2, enumerable: true }); return [Reflect.ownKeys(o), Reflect.has(o, 'a'), Reflect.get(o, 'b'), Reflect.apply(Math.max, null, [1, 3, 2]), Reflect.construct(Date, [0]).getTime(), Reflect.getPrototypeOf([]) === Array.prototype];`,
  riskyRegexViaWorker: `const m = 'xaabcx'.match(/(a|b)+c/); return [m[0], m[1], m.index, 'aabcaac'.replace(/(a|ab)*c/g, '[$&]'), 'a1b22c'.split(/(\\d)+/), /(x+x+)+y/.test('xxxy'), [...'ab12cd34'.matchAll(/([a-z]+|\\d+)+?/g)].map(x => x[0])];`,
  proxy: `const log = []; const target = { a: 1, b: 2 }; const p = new Proxy(target, { get(t, k, r) { log.push('get ' + String(k)); return k in t ? t[k] * 10 : 'none'; }, set(t, k, v) { log.push('set ' + k); t[k] = v + 1; return true; }, has(t, k) { return k === 'magic' || k in t; }, ownKeys(t) { return ['b', 'a']; }, getOwnPropertyDescriptor(t, k) { return { value: t[k], enumerable: true, configurable: true, writable: true }; }, deleteProperty(t, k) { log.push('del ' + k); return delete t[k]; } });
    p.c = 5; const r = [p.a, p.zz, 'magic' in p, 'nope' in p, Object.keys(p), { ...p }, delete p.b, target];
    const f = new Proxy(function (x) { return x * 2; }, { apply(t, self, args) { return t(...args) + 1; }, construct(t, args) { return { made: args[0] }; } });
    const inherits = Object.create(new Proxy({}, { get: (t, k) => 'from proxy ' + String(k) }));
    const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); let revoked; try { proxy.x; } catch (e) { revoked = e instanceof TypeError; }
    return [r, log, f(20), new f(7), typeof f, inherits.anything, revoked];`,
  oneAndTwoArgumentEntryPoints: `const m = new Map(), s = new Set(), a = []; const r = [String.fromCharCode(65), String.fromCharCode('66'), 'ab'.charCodeAt(1), 'ab'.charCodeAt('1'), 'ab'.charCodeAt(9), 'ab'.charAt(0), '😀'.codePointAt(0), Math.floor(2.5), Math.abs('-3'), (255).toString(2), (255).toString(), 'x'.padEnd(3, 'ab'), 'x'.padStart(4), m.set(1, 2).get(1), m.has(NaN), s.add(-0).has(0), a.push(1), a.push(2), a]; let bad; try { (1).toString(1); } catch (e) { bad = e instanceof RangeError; } r.push(bad); return r;`,
  objectToString: `return [Object.prototype.toString.call([]), Object.prototype.toString.call(null), String({}), String([1, [2, 3]]), \`\${new Map()}\`, Object.prototype.toString.call(new Date(0)), Object.prototype.toString.call(function () {})];`,
};
delete cases.iteratorHelpers;

describe('comptime built-ins match V8', () => {
  for (const [name, body] of Object.entries(cases)) {
    it(name, () => {
      expect(guest(body)).toEqual(native(body));
    });
  }
  // Node 20 has neither iterator helpers nor the ES2025 Set methods or groupBy, so these compare
  // with the values the specification defines.
  it('joining an array that contains itself gives what engines give, not a host stack overflow', () => {
    const body = 'const a = [1]; a.push(a); const b = [a, 2]; a.push(b); return [a.join(), String(a), b.join("-"), [[1, [2]], 3].join()];';
    expect(guest(body)).toEqual(new Function(body)());
  });

  it('iterator helpers over a hand-lowered iterator', () => {
    const body = `class Count { constructor() { this.i = 0; } next() { return { value: this.i++, done: false }; } [Symbol.iterator]() { return this; } }
      Object.setPrototypeOf(Count.prototype, Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
      const c = new Count();
      return [c.map(x => x * x).filter(x => x % 2).take(5).toArray(), c.drop(3).take(2).toArray(), Iterator.from([1, 2, 3]).reduce((a, b) => a + b), [1, 2, 3].values().flatMap(x => [x, x]).toArray(), new Count().some(x => x > 10), new Count().find(x => x * x > 50)];`;
    expect(guest(body)).toEqual([[1, 9, 25, 49, 81], [13, 14], 6, [1, 1, 2, 2, 3, 3], true, 8]);
  });
  it('ES2025 Set methods and groupBy', () => {
    const body = `return [[...new Set([1, 2]).union(new Set([2, 3]))], [...new Set([1, 2, 3]).intersection(new Set([2, 3, 4]))], new Set([1]).isSubsetOf(new Set([1, 2])), [...Map.groupBy([1, 2, 3, 4], x => x % 2)], Object.groupBy([1, 2, 3], x => x > 1 ? 'big' : 'small')];`;
    expect(guest(body)).toEqual([[1, 2, 3], [2, 3], true, [[1, [1, 3]], [0, [2, 4]]], Object.assign(Object.create(null), { small: [1], big: [2, 3] })]);
  });
  it('promises run to completion on the evaluator job queue', () => {
    const body = `const log = []; Promise.resolve(1).then(x => log.push('a' + x)); queueMicrotask(() => log.push('m')); new Promise(r => r(2)).then(x => { log.push('b' + x); return Promise.reject(new Error('boom')); }).catch(e => log.push(e.message)).finally(() => log.push('fin')); log.push('sync'); return Promise.all([Promise.resolve(1), 2, new Promise(r => r(3))]).then(v => Promise.allSettled([Promise.reject(4), 5]).then(s => [v, s, log]));`;
    // The comptime() result is the settled value; natively we compare with the awaited promise.
    const g = guest(body);
    return (native(body) as Promise<unknown>).then((n) => expect(g).toEqual(n));
  });
});
