// Serialisation of results: every supported kind of value comes back identical when the emitted
// expression is evaluated, including shared references, cycles and holes.
import { describe, expect, it } from 'vitest';
import { guest, run } from './comptime-helpers.js';

function expression(body: string): string {
  const r = run(`import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => {\n${body}\n});`);
  if (!r.ok) throw new Error(r.diagnostic.message);
  return r.expression;
}

describe('comptime result serialisation', () => {
  it('primitives, including the awkward numbers', () => {
    expect(expression('return [-0, NaN, Infinity, -Infinity, undefined, null, 12345678901234567890n, -5n, 1e21, 5e-324, "a\\"b\\u2028"];')).toBe(
      '[-0, NaN, Infinity, -Infinity, void 0, null, 12345678901234567890n, -5n, 1e+21, 5e-324, "a\\"b\\u2028"]',
    );
    const back = guest('return [-0, NaN, "x"];') as unknown[];
    expect(Object.is(back[0], -0)).toBe(true);
    expect(back[1]).toBeNaN();
  });

  it('keeps array holes, including a trailing one', () => {
    const e = expression('const a = [1, , 3]; a[5] = 6; a.length = 7; return a;');
    expect(e).toBe('[1, , 3, , , 6, ,]');
    const v = (0, eval)(e) as unknown[];
    expect(v.length).toBe(7);
    expect(1 in v).toBe(false);
  });

  it('keeps key order, integer keys first, and __proto__ as a plain key', () => {
    const e = expression('const o = { b: 1, a: 2, 10: "x", 2: "y" }; o["__proto__"] = 5; Object.defineProperty(o, "__proto__", { value: 5, enumerable: true }); return o;');
    const v = (0, eval)(`(${e})`);
    expect(Object.keys(v)).toEqual(['2', '10', 'b', 'a', '__proto__']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it('null-prototype objects, Map, Set, Date, RegExp, typed arrays, ArrayBuffer', () => {
    const v = guest(`return { n: Object.assign(Object.create(null), { k: 1 }), m: new Map([[1, 'a'], ['b', { c: 2 }]]), s: new Set([3, 'x']), d: new Date(Date.UTC(2024, 0, 2)), r: /a+b/gi, u: new Uint16Array([1, 65535]), f: new Float32Array([0.5, -0]), big: new BigUint64Array([2n ** 64n - 1n]), buf: new Uint8Array([9, 8]).buffer };`) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v.n)).toBe(null);
    expect(v.m).toEqual(new Map<unknown, unknown>([[1, 'a'], ['b', { c: 2 }]]));
    expect(v.s).toEqual(new Set([3, 'x']));
    expect((v.d as Date).toISOString()).toBe('2024-01-02T00:00:00.000Z');
    expect(String(v.r)).toBe('/a+b/gi');
    expect(v.u).toEqual(new Uint16Array([1, 65535]));
    expect(Object.is((v.f as Float32Array)[1], -0)).toBe(true);
    expect((v.big as BigUint64Array)[0]).toBe(2n ** 64n - 1n);
    expect(new Uint8Array(v.buf as ArrayBuffer)).toEqual(new Uint8Array([9, 8]));
  });

  it('keeps shared references and cycles', () => {
    const e = expression('const shared = { s: 1 }; const root = { a: shared, b: [shared], self: null, m: new Map() }; root.self = root; root.m.set("me", root); root.m.set("k", 2); const ring = [1]; ring.push(ring); root.ring = ring; return root;');
    expect(e.startsWith('(() => {')).toBe(true);
    const v = (0, eval)(e);
    expect(v.a).toBe(v.b[0]);
    expect(v.self).toBe(v);
    expect([...v.m.keys()]).toEqual(['me', 'k']);
    expect(v.m.get('me')).toBe(v);
    expect(v.ring[1]).toBe(v.ring);
    expect(Object.keys(v)).toEqual(['a', 'b', 'self', 'm', 'ring']);
  });

  it('class instances are rebuilt only with opt-in', () => {
    const e = expression(`class Vec { static [Symbol.for('corosplit.serializable')] = true; constructor(x, y) { this.x = x; this.y = y; } } return [new Vec(1, 2)];`);
    expect(e).toBe('[Object.setPrototypeOf({ x: 1, y: 2 }, Vec.prototype)]');
  });

  it('a class whose name is not a plain identifier is refused, never pasted into the output', () => {
    const bad = (body: string) => {
      const r = run(`import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => {\n${body}\n});`);
      return r.ok ? r.expression : r.diagnostic.message;
    };
    const payload = '(globalThis.PWNED = 1, console.log("PWNED"), Object)';
    const r = run(`import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => {\nconst C = { [${JSON.stringify(payload)}]: class { static [Symbol.for('corosplit.serializable')] = true; constructor() { this.x = 1; } } }[${JSON.stringify(payload)}]; return new C();\n});`);
    // No expression at all: the build fails instead of emitting code built from the name.
    expect(r.ok).toBe(false);
    const injected = r.ok ? r.expression : r.diagnostic.message;
    expect(injected).toMatch(/the instance at result is of a class named "\(globalThis\.PWNED = 1, .*which is not an identifier/);
    expect(bad(`const C = { ['my class']: class { static [Symbol.for('corosplit.serializable')] = true; } }['my class']; return [new C()];`)).toMatch(/class named "my class", which is not an identifier/);
    expect(bad(`const C = { ['class']: class { static [Symbol.for('corosplit.serializable')] = true; } }['class']; return new C();`)).toMatch(/class named "class"/);
    // A constructor reached through a getter is not asked: the instance is refused as without opt-in.
    expect(
      bad(`class V { static [Symbol.for('corosplit.serializable')] = true; } const p = Object.create(V.prototype, { constructor: { get() { return V; } } }); const o = Object.create(p); return o;`),
    ).toMatch(/an instance of a class at result cannot be serialised/);
  });

  it('a mostly-empty array is written sparsely, not hole by hole', () => {
    const e = expression('const a = [1]; a[2000000] = 2; a.x = undefined; delete a.x; return a;');
    expect(e.length).toBeLessThan(200);
    const v = (0, eval)(e) as unknown[];
    expect(v.length).toBe(2000001);
    expect([v[0], v[2000000], 1 in v, 1999999 in v]).toEqual([1, 2, false, false]);
    // An array that is mostly present keeps the literal form, holes and all.
    expect(expression('const a = [1, , 3]; return a;')).toBe('[1, , 3]');
  });

  it('the code written for a result is bounded by the heap limit, also when one big string is shared', () => {
    const r = run(`import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => Array(300).fill('x'.repeat(1e6)), { heapBytes: 50_000_000 });`);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.diagnostic.message).toMatch(/the code for the result would be larger than the heap limit of 50000000 bytes .*raise the limit with comptime\(fn, \{ heapBytes: N \}\)/);
  });

  it('limit messages name the limit as written, not the budget counted from where the evaluation stood', () => {
    const r = run(`import { comptime } from 'corosplit/runtime';\nlet s = 0; for (let i = 0; i < 5000; i++) s += i;\nexport const v = comptime(() => { for (;;); }, { steps: 1000 });`);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.diagnostic.message).toMatch(/^comptime: evaluation exceeded the step limit of 1000 steps;/);
  });

  it('accessors, symbol keys, errors and promises are refused with their path', () => {
    const bad = (body: string) => {
      const r = run(`import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => {\n${body}\n});`);
      return r.ok ? r.expression : r.diagnostic.message;
    };
    expect(bad('return { get x() { return 1; } };')).toMatch(/the accessor property at result\.x/);
    expect(bad('return { [Symbol.iterator]: 1 };')).toMatch(/a symbol-keyed property at result\[Symbol\(Symbol\.iterator\)\]/);
    expect(bad('return { list: [new Error("e")] };')).toMatch(/an Error at result\.list\[0\]/);
    expect(bad('return new Map([["k", new WeakMap()]]);')).toMatch(/a WeakMap at result\.get\("k"\)/);
    expect(bad('const a = [1]; a.extra = 2; return a;')).toMatch(/has a property extra besides its elements/);
  });

  it('is deterministic: the same input gives byte-identical output', () => {
    const body = `const m = new Map(); for (let i = 0; i < 50; i++) m.set('k' + (i * 7919 % 101), { r: Math.random(), i, s: new Set([i % 3]) }); const shared = [Math.random()]; return { m, a: shared, b: shared, t: [...Array(20)].map(() => Math.random()) };`;
    const first = expression(body);
    for (let i = 0; i < 3; i++) expect(expression(body)).toBe(first);
    const t = (0, eval)(first).t as number[];
    expect(new Set(t).size).toBe(20);
    expect(t.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
