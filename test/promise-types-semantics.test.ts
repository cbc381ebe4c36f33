// Control flow of lowered promise-type coroutines against native async functions: each case is
// written once with AW(x) for "await x", instantiated as a Task coroutine (`yield* aw(x)`, lowered
// by corosplit) and as an async function (`await x`, native), and both must produce the same
// result and the same log. Awaits complete inline (ready), after a real suspension (a resolved
// promise), or a fixed mix of both: a loop that continues in place keeps its locals in registers
// and stores them only when it really suspends, which only the mix exercises.
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled } from './helpers/program.js';

const cases: Record<string, string> = {
  'evaluation order around awaits': `
    const f = (x: any) => (log.push('f' + x), x);
    const r = f(1) + AW(f(2)) * f(3) + AW(f(4));
    log.push('r' + r);
    return [f(5), AW(f(6)), f(7)];`,
  'try/catch/finally with awaits everywhere': `
    try {
      log.push('t' + AW(1));
      AW(thrower('x'));
      log.push('not reached');
    } catch (e: any) {
      log.push('c' + e.message + AW(2));
    } finally {
      log.push('f');
    }
    try { return AW('ret'); } finally { log.push('fin after return'); }`,
  'nested try: rethrow through finally blocks, catch in an outer try': `
    try {
      try {
        try { AW(thrower('deep')); } finally { log.push('f1'); }
      } catch (e: any) { log.push('c2 ' + e.message); throw new Error('again ' + AW(e.message)); }
      finally { log.push('f2'); }
    } catch (e: any) { log.push('c3 ' + e.message); }
    return log.length;`,
  'labeled break/continue through finally blocks': `
    outer: for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        try {
          if (j === 1) continue outer;
          if (i === 2) break outer;
          log.push('ij' + i + j + AW(''));
        } finally {
          log.push('fin' + i + j);
        }
      }
    }
    return 'end';`,
  'return inside finally overrides, finally sees the locals': `
    let x = AW(10);
    try {
      x += AW(1);
      return x;
    } finally {
      log.push('x=' + x);
    }`,
  'switch with awaits in tests and bodies, fallthrough': `
    const out: any[] = [];
    for (const k of [1, 2, 3, 4]) {
      switch (AW(k)) {
        case AW(1): out.push('one');
        case 2: out.push('two-or-fall' + AW(k)); break;
        case 3: { out.push('three'); continue; }
        default: out.push('dflt');
      }
      out.push('after' + k);
    }
    return out;`,
  'for-of with awaits closes the iterator on break and on throw': `
    const src = (n: number) => ({ [Symbol.iterator]() { let i = 0; return { next: () => ({ value: i++, done: i > n }), return: () => { log.push('closed'); return { done: true, value: undefined }; } }; } });
    for (const x of src(5)) { if (AW(x) === 2) break; log.push('x' + x); }
    try { for (const y of src(5)) { if (y === 1) AW(thrower('in loop')); log.push('y' + y); } } catch (e: any) { log.push(e.message); }
    return log.length;`,
  'destructuring with awaits and defaults': `
    const { a, b = AW(2), ...rest } = AW({ a: 1, c: 3, d: 4 } as any);
    const [p, , q = AW('q'), ...more] = AW([7, 8, undefined, 9, 10]);
    let m: any, n: any;
    ({ m, n = AW('n') } = AW({ m: 'm' } as any));
    return [a, b, rest, p, q, more, m, n];`,
  'closures capture function-level bindings across awaits': `
    const fns: (() => any)[] = [];
    let total = 0;
    for (let i = 0; i < 3; i++) { total += AW(i * 10); fns.push(() => total); }
    for (let i = 0; i < 3; i++) fns.push(() => i);
    let shared = 0;
    const inc = () => ++shared;
    inc(); AW(0); inc();
    return [fns.map((g) => g()), shared];`,
  'closures capture per-iteration bindings of loops that await': `
    const fns: (() => any)[] = [];
    for (let i = 0; i < 3; i++) { fns.push(() => i); AW(i); fns.push(() => i * 10); }
    for (const s of ['a', 'b']) { const t = s + AW(s); fns.push(() => t); }
    let k = 0;
    while (k < 2) { let j = k++; AW(0); fns.push(() => j); j += 100; }
    for (let i = 0; i < 2; i++) { function later() { return 'fn' + i; } AW(1); fns.push(later); }
    const set: ((v: number) => void)[] = [];
    for (let i = 0; i < 2; i++) { set.push((v) => { i = v; }); AW(i); fns.push(() => i); }
    set[0](7);
    return fns.map((g) => g());`,
  'locals updated across inline and real awaits in loops': `
    let s = 0, prod = 1;
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      const v = AW(i);
      s += v;
      prod = (prod * 3 + v) % 1000003;
      if (i % 7 === 0) seen.push(s);
    }
    let j = 0;
    while (j < 30) { j += AW(1) + AW(0); s -= j; }
    do { prod = (prod + AW(j)) % 97; } while (--j > 20);
    return [s, prod, seen, j];`,
  'logical and conditional operators short-circuit awaits': `
    const t = (x: any) => (log.push('t' + x), x);
    const r1 = t(0) && AW(t(1));
    const r2 = t(null) ?? AW(t(2));
    const r3 = t(3) || AW(t(4));
    const r4 = t(true) ? AW(t('yes')) : AW(t('no'));
    let z: any = null;
    z ??= AW('set');
    return [r1, r2, r3, r4, z];`,
  'while/do-while loops with awaits in conditions': `
    let i = 0, s = 0;
    while (AW(i) < 5) { s += AW(i); i++; }
    do { s *= 2; } while (AW(s) < 1000);
    return [i, s];`,
  'an uncaught exception after awaits': `
    log.push('before ' + AW(1));
    throw new Error('escaped ' + AW(2));`,
  'for-in, labeled blocks and member assignments around awaits': `
    const o: any = { a: 1, b: 2, c: 3 };
    const keys: string[] = [];
    for (const k in o) { if (k === 'b') delete o.c; keys.push(k + AW(o[k])); }
    blk: { if (AW(true)) break blk; log.push('skipped'); }
    const arr: any[] = [0, 0];
    arr[AW(1)] = AW(5);
    o.a += AW(10);
    o.b **= AW(2);
    let n = 0;
    n += AW(n++);
    return [keys, arr, o, n, typeof AW(1)];`,
  'awaits in catch and finally-protected loops with break and continue': `
    const out: any[] = [];
    for (let i = 0; i < 5; i++) {
      try {
        if (i === 1) continue;
        if (i === 3) throw new Error('e' + i);
        if (i === 4) break;
        out.push('body' + AW(i));
      } catch (e: any) {
        out.push('catch ' + AW(e.message));
      } finally {
        out.push('fin' + i);
      }
    }
    return out;`,
  'objects, arrays, calls and templates built around awaits': `
    const o = { k: AW('v'), [AW('dyn')]: 1, arr: [AW(1), ...AW([2, 3])] };
    const g = (a: any, b: any) => a + '-' + b;
    return [o, g(AW('x'), AW('y')), \`t\${AW(1)}-\${AW(2)}\`, Math.max(AW(3), 1)];`,
};

/** AW(x) → (prefix(x)), matching the parenthesis of each AW call. */
function substitute(body: string, prefix: string): string {
  let out = '';
  let i = 0;
  while (i < body.length) {
    if (body.startsWith('AW(', i)) {
      let depth = 1;
      let j = i + 3;
      while (depth > 0) {
        if (body[j] === '(') depth++;
        else if (body[j] === ')') depth--;
        j++;
      }
      out += '(' + prefix + '(' + substitute(body.slice(i + 3, j - 1), prefix) + '))';
      i = j;
    } else out += body[i++];
  }
  return out;
}

function source(): string {
  const parts = [
    `import { type Task, type Awaitable, ready, fromThenable } from 'corosplit/runtime';`,
    `let mode = 'inline';`,
    `let seed = 1;`,
    `export function setMode(m: string) { mode = m; seed = 1; }`,
    // mixed: a fixed pseudo-random pattern, so loops that continue in place also suspend now and then
    `function suspendNow(): boolean { if (mode !== 'mixed') return mode === 'suspending'; seed = (seed * 48271) % 2147483647; return seed % 3 === 0; }`,
    `function aw<T>(x: T): Awaitable<T> { return (suspendNow() ? fromThenable(Promise.resolve(x)) : ready(x)) as any; }`,
    `function thrower(msg: string): any { return { then(_: any, rej: any) { rej(new Error(msg)); } }; }`,
    `function awt(x: any): Awaitable<any> { if (x && typeof x.then === 'function') return fromThenable(x) as any; return aw(x); }`,
  ];
  let i = 0;
  for (const [, body] of Object.entries(cases)) {
    const co = substitute(body, 'yield* awt');
    const as = substitute(body, 'await ');
    parts.push(`export function* co${i}(log: string[]): Task<any> {${co}\n}`);
    parts.push(`export async function as${i}(log: string[]): Promise<any> {${as}\n}`);
    i++;
  }
  return parts.join('\n');
}

// Every case in both shapes: the structured one (what these bodies get by default) and the
// dispatch one that large or irreducible bodies fall back to (analysis/shape.ts).
for (const shape of ['auto', 'dispatch'] as const) {
  describe(`promise-type coroutines behave like async functions (shape: ${shape})`, () => {
    let m: any;
    let rt: any;
    beforeAll(async () => {
      const c = compile({ 'main.ts': source() }, { typeCheck: false, shape });
      if (c.diagnostics.length) throw new Error(c.diagnostics.join('\n'));
      if (shape === 'dispatch') expect(c.js.get('main.ts')).toMatch(/function co0\$run\(/);
      m = await runCompiled(c);
      rt = await import('../dist/runtime/index.js');
    });
    const outcome = async (p: Promise<any>): Promise<unknown> => {
      try {
        return { value: await p };
      } catch (e) {
        return { error: (e as Error).message };
      }
    };
    Object.keys(cases).forEach((name, i) => {
      for (const mode of ['inline', 'suspending', 'mixed']) {
        it(`${name} (${mode} awaits)`, async () => {
          m.setMode(mode);
          const logA: string[] = [];
          const logB: string[] = [];
          const native = await outcome(m[`as${i}`](logA));
          const lowered = await outcome(rt.toPromise(m[`co${i}`](logB)));
          expect({ result: lowered, log: logB }).toEqual({ result: native, log: logA });
        });
      }
    });
  });
}
