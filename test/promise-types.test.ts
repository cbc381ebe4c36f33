// Promise-type coroutines end to end: real TypeScript compiled as a Program (the type checker
// recognises `[promiseType]` return types), lowered by transformProgram, run as ES modules against
// the built runtime.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { transformSource } from '../transformer/index.js';
import { compile, runCompiled, type Compiled } from './helpers/program.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const recSource = fs.readFileSync(path.join(here, 'fixtures', 'promise-types', 'rec.ts'), 'utf8');

function compiled(main: string, extra: Record<string, string> = {}): Compiled {
  const c = compile({ 'rec.ts': recSource, 'main.ts': main, ...extra });
  if (c.typeErrors.length) throw new Error('type errors:\n' + c.typeErrors.join('\n'));
  if (c.diagnostics.length) throw new Error('corosplit diagnostics:\n' + c.diagnostics.join('\n'));
  return c;
}

/** A coroutine of return type `ret` awaiting each awaiter of a list in a loop (so awaits that do not suspend continue in place). */
const awaitLoop = (name: string, ret: string): string => `export function* ${name}(as: RecAwaiter[]): ${ret}<string> {
        let out = '';
        for (let i = 0; i < as.length; i++) {
          try {
            out += String(yield* awaiter<string>(as[i])) + i;
          } catch (e) {
            out += '!' + (e as Error).message + i;
          }
        }
        return out;
      }`;

describe('a user-defined promise type: the protocol in C++ order', () => {
  let m: any;
  let rec: any;
  let out: string;
  beforeAll(async () => {
    const c = compiled(`
      import { CoroutineHandle, promiseType, suspendNever, type AllocatorArg, type FrameAllocator } from 'corosplit/runtime';
      import { log, RecAwaiter, awaiter, always as suspendAlways, closing, type Rec } from './rec.js';
      export * as rec from './rec.js';

      export function* twice(a: number, b: string): Rec<number> {
        log.push('body ' + a + b);
        return a * 2;
      }
      export function* fails(msg: string): Rec<number> {
        log.push('body');
        throw new Error(msg);
      }
      export function* nothing(): Rec {
        log.push('body');
      }
      export function* yields(): Rec<string> {
        const x: unknown = yield 5;
        log.push('got ' + String(x));
        return String(x);
      }
      export function* awaits(a: RecAwaiter): Rec<string> {
        const v = yield* awaiter<string>(a);
        log.push('got ' + v);
        return v;
      }
      // The first await sits in the entry function and resumes in the next one: a ready one is
      // handed over (mode 2), and the called function may throw, destroy and suspend as usual.
      export function* handsOver(a: RecAwaiter, b: RecAwaiter, fail: boolean): Rec<string> {
        let x = '';
        try {
          x = yield* awaiter<string>(a);
          log.push('x=' + x);
          yield* awaiter<void>(b);
        } finally {
          log.push('finally');
        }
        if (fail) throw new Error('after ' + x);
        return x;
      }
      export function* catches(a: RecAwaiter): Rec<string> {
        try {
          yield* awaiter<string>(a);
          return 'no';
        } catch (e) {
          log.push('caught ' + (e as Error).message);
          return 'yes';
        }
      }
      // Symmetric transfer: awaiting transfers control to the coroutine behind \`h\`.
      export function* transfers(name: string, to: () => CoroutineHandle<any>): Rec {
        log.push(name + ' before');
        yield* awaiter<void>(new RecAwaiter(name + '.transfer', false, () => to()));
        log.push(name + ' after');
      }
      export function* destroyed(items: number[]): Rec<number> {
        let n = 0;
        try {
          try {
            for (const x of closing(items)) {
              n += x;
              log.push('suspend at ' + x);
              yield* suspendAlways;
              log.push('never');
            }
          } finally {
            log.push('inner finally n=' + n);
          }
        } catch (e) {
          log.push('catch must not run on destroy');
        } finally {
          log.push('outer finally');
        }
        return n;
      }
      export function* throwsInFinally(): Rec {
        try {
          try {
            yield* suspendAlways;
          } finally {
            log.push('finally throws');
            throw new Error('from finally');
          }
        } catch (e) {
          log.push('catch must not run on destroy');
        }
      }
      export function* withAllocator(_: AllocatorArg, alloc: FrameAllocator, x: number): Rec<number> {
        return x + 1;
      }
      export class Counter {
        count = 10;
        *add(k: number): Rec<number> {
          this.count += k;
          yield* suspendAlways;
          this.count += k;
          return this.count;
        }
      }
      export const expr = function* (k: number): Rec<number> { return k * 3; };
      // A loop whose body awaits: the suspension resumes into its own resume function, so an
      // await that does not really suspend continues in place.
      ${awaitLoop('loops', 'Rec')}
      // A promise type without awaitTransform: the operand of yield* is the awaiter itself.
      export class BarePromise {
        result: unknown = undefined;
        getReturnObject(): Bare<any> { return this as any; }
        initialSuspend() { return suspendNever; }
        finalSuspend() { return suspendNever; }
        returnValue(v: unknown): void { this.result = v; }
        unhandledException(e: unknown): void { this.result = e; }
      }
      export interface Bare<T> { readonly [promiseType]?: BarePromise; [Symbol.iterator](): Iterator<unknown, T, any> }
      export function* bare(x: any): Bare<string> {
        try {
          return 'got ' + (yield* x);
        } catch (e) {
          return 'caught: ' + (e as Error).message;
        }
      }
      export function* plainGenerator(n: number) { for (let i = 0; i < n; i++) yield i; }
      // A promise type with the afterInlineAwait hook: it answers from a plan, one entry per call.
      export class HookPromise {
        static plan: unknown[] = [];
        result: unknown = undefined;
        getReturnObject(): Hooked<any> { return this as any; }
        initialSuspend() { return suspendNever; }
        finalSuspend() { return suspendNever; }
        returnValue(v: unknown): void { this.result = v; }
        unhandledException(e: unknown): void { this.result = 'unhandled: ' + (e as Error).message; }
        afterInlineAwait(): any {
          log.push('afterInlineAwait');
          return HookPromise.plan.length ? HookPromise.plan.shift() : null;
        }
      }
      export interface Hooked<T> { readonly [promiseType]?: HookPromise; [Symbol.iterator](): Iterator<unknown, T, any> }
      ${awaitLoop('hookLoop', 'Hooked')}
      export function* hookLine(a: RecAwaiter, b: RecAwaiter): Hooked<string> {
        try {
          const x = yield* awaiter<string>(a);
          log.push('x=' + x);
          return x + (yield* awaiter<string>(b));
        } catch (e) {
          return 'caught ' + (e as Error).message;
        }
      }
    `);
    out = c.js.get('main.ts')!;
    m = await runCompiled(c);
    rec = m.rec;
  });
  /** The log after the initial suspend's awaitResume (the body onwards). */
  const afterStart = (log: string[]): string[] => log.slice(log.indexOf('initial.awaitResume') + 1);
  const reset = (opts: object = {}): string[] => {
    rec.log.length = 0;
    rec.RecPromise.options = opts;
    return rec.log;
  };

  it('emits a frame class of its own fields, resume functions reading it from the header once, and a ramp through coAllocateHeader/coStart; no generator left', () => {
    // The frame class holds the coroutine's fields only; the runtime's header (one class for all
    // coroutines) holds it in $l.
    expect(out).toMatch(/class twice\$Frame \{\s*a = void 0;\s*b = void 0;/);
    expect(out).not.toMatch(/extends CoroutineFrame/);
    expect(out).toMatch(/function twice\$resume0\(\$f, \$m\) \{\s*let \$l = \$f\.\$l, a = \$l\.a/);
    // the ramp constructs the locals when the allocator handed out a new frame without them
    expect(out).toMatch(/const (\$l\d*) = \$frame\d*\.\$l \|\| \(\$frame\d*\.\$l = new twice\$Frame\(\)\);\s*\1\.a = a;\s*\1\.b = b;/);
    // RecPromise is declared in rec.ts: the output imports it under a fresh name
    expect(out).toMatch(/import \{ RecPromise as RecPromise\$co \} from ["']\.\/rec\.js["']/);
    expect(out).toMatch(/coAllocateHeader\(twice\$Frame, RecPromise\$co, void 0\)/);
    // the promise is constructed where a throw hands the frame back (coPromiseFailed), then coStart
    expect(out).toMatch(/try \{\s*(\$promise\d*) = new RecPromise\$co\(a, b\);\s*\}\s*catch \((\$e\d*)\) \{\s*throw coPromiseFailed\(\$frame\d*, \2\);\s*\}\s*return coStart\(\$frame\d*, \1, twice\$resume0\)/);
    expect(out).not.toMatch(/function\s*\*\s*twice|function\s*\*\s*awaits/);
    // the plain generator keeps the generator lowering
    expect(out).toMatch(/const plainGenerator\$Frame = function plainGenerator\$Frame\(/);
  });

  it('runs ramp, body, returnValue and final suspend in order; destroy frees the frame', () => {
    const log = reset();
    const r = m.twice(21, 'x');
    expect(log).toEqual(['allocate(twice)', 'copy a=21', 'copy b=x', 'promise(21,x)', 'getReturnObject', 'initialSuspend', 'initial.awaitReady', 'initial.awaitSuspend']);
    log.length = 0;
    r.handle.resume();
    expect(log).toEqual(['initial.awaitResume', 'body 21x', 'returnValue(42)', 'finalSuspend', 'final.awaitReady', 'final.awaitSuspend']);
    expect(r.promise.result).toBe(42);
    expect(r.handle.done()).toBe(true);
    log.length = 0;
    r.handle.destroy();
    expect(log).toEqual(['free(twice)']);
  });

  it('an initial suspend that is ready runs the body inside the ramp; a ready final suspend frees the frame', () => {
    const log = reset({ initialReady: true, finalReady: true });
    const r = m.twice(1, 'y');
    expect(log).toEqual([
      'allocate(twice)', 'copy a=1', 'copy b=y', 'promise(1,y)', 'getReturnObject', 'initialSuspend', 'initial.awaitReady', 'initial.awaitResume',
      'body 1y', 'returnValue(2)', 'finalSuspend', 'final.awaitReady', 'final.awaitResume', 'free(twice)',
    ]);
    expect(r.promise.result).toBe(2);
  });

  it('an exception leaving the body goes to unhandledException, then the final suspend', () => {
    const log = reset({ initialReady: true, finalReady: true });
    const r = m.fails('boom');
    expect(log.slice(7)).toEqual(['body', 'unhandledException(boom)', 'finalSuspend', 'final.awaitReady', 'final.awaitResume', 'free(fails)']);
    expect((r.promise.error as Error).message).toBe('boom');
    // rethrowing from unhandledException propagates to the ramp's caller, and the frame is freed
    reset({ initialReady: true, rethrow: true });
    expect(() => m.fails('again')).toThrow('again');
    expect(rec.log.at(-1)).toBe('free(fails)');
  });

  it('the entry function hands a ready result to the next resume function, from outside its try: one unhandledException, and that function still destroys and suspends', () => {
    // The shape: a labeled try left by `break` when the await was ready, then the direct call.
    expect(out).toMatch(/(handover\d*): try \{[^]*?\$f\.\$r = handsOver\$resume1;\s*if \(\$c\.awaitReady\(\$f\)\) \{\s*\$pass = \$c\.awaitResume\(\);\s*break \1;\s*\}\s*return coSuspend\(\$f, \$c\);/);
    expect(out).toMatch(/return handsOver\$resume1\(\$f, 2, \$pass\);\s*\}\s*function handsOver\$resume1\(\$f, \$m, \$pass\) \{[^]*?if \(\$m === 1\) \{/);
    expect(out).toMatch(/if \(\$m === 2\)\s*\$sent\d+ = \$pass;\s*else \{\s*\$c = \$f\.\$a;/);

    // Handed over, then suspended at b and resumed: the value went through.
    let log = reset();
    let parked: any;
    const r = m.handsOver(new rec.RecAwaiter('a', true, undefined, 'A'), new rec.RecAwaiter('b', false, (h: any) => { parked = h; }), false);
    r.handle.resume();
    expect(afterStart(log)).toEqual(['awaitTransform', 'a.awaitReady', 'a.awaitResume', 'x=A', 'awaitTransform', 'b.awaitReady', 'b.awaitSuspend']);
    parked.resume();
    expect(r.promise.result).toBe('A');
    expect(log.slice(-6)).toEqual(['b.awaitResume', 'finally', 'returnValue(A)', 'finalSuspend', 'final.awaitReady', 'final.awaitSuspend']);

    // Destroyed while suspended at b: the finally runs once (the called function's DESTROY branch).
    log = reset();
    const d = m.handsOver(new rec.RecAwaiter('a', true, undefined, 'A'), new rec.RecAwaiter('b', false), false);
    d.handle.resume();
    log.length = 0;
    d.handle.destroy();
    expect(log).toEqual(['finally', 'free(handsOver)']);

    // Not ready: the runtime resumes the same function with mode 0, and it reads the awaiter.
    log = reset();
    let parkedA: any;
    const n = m.handsOver(new rec.RecAwaiter('a', false, (h: any) => { parkedA = h; }, 'A2'), new rec.RecAwaiter('b', true), false);
    n.handle.resume();
    parkedA.resume();
    expect(n.promise.result).toBe('A2');
    expect(afterStart(log)).toEqual(['awaitTransform', 'a.awaitReady', 'a.awaitSuspend', 'a.awaitResume', 'x=A2', 'awaitTransform', 'b.awaitReady', 'b.awaitResume', 'finally', 'returnValue(A2)', 'finalSuspend', 'final.awaitReady', 'final.awaitSuspend']);

    // An exception in the called function reaches unhandledException once; rethrown, it leaves
    // through the resumer, and the coroutine is left at its final suspend point (as in C++).
    log = reset({ rethrow: true });
    const t = m.handsOver(new rec.RecAwaiter('a', true, undefined, 'A3'), new rec.RecAwaiter('b', true), true);
    expect(() => t.handle.resume()).toThrow('after A3');
    expect(log.filter((e) => e.startsWith('unhandledException'))).toEqual(['unhandledException(after A3)']);
    expect(log.at(-1)).toBe('unhandledException(after A3)');
    expect(t.handle.done()).toBe(true);
    t.handle.destroy();
    expect(log.at(-1)).toBe('free(handsOver)');
  });

  it('falling off the end calls returnVoid', () => {
    const log = reset({ initialReady: true, finalReady: true });
    m.nothing();
    expect(afterStart(log)).toEqual(['body', 'returnVoid', 'finalSuspend', 'final.awaitReady', 'final.awaitResume', 'free(nothing)']);
  });

  it('yield v awaits promise.yieldValue(v); its value is awaitResume()', () => {
    const log = reset({ initialReady: true, finalReady: true });
    const r = m.yields();
    expect(afterStart(log)).toEqual(['yieldValue(5)', 'yield.awaitReady', 'yield.awaitSuspend']);
    log.length = 0;
    r.handle.resume();
    expect(log).toEqual(['yield.awaitResume', 'got sent-for-5', 'returnValue(sent-for-5)', 'finalSuspend', 'final.awaitReady', 'final.awaitResume', 'free(yields)']);
    expect(r.promise.result).toBe('sent-for-5');
  });

  it('yield* x goes through awaitTransform and the awaiter protocol, not the iterator protocol', () => {
    const log = reset({ initialReady: true, finalReady: true });
    let handle: any;
    const r = m.awaits(new rec.RecAwaiter('x', false, (h: any) => { handle = h; }, 'value'));
    expect(log.slice(7)).toEqual(['awaitTransform', 'x.awaitReady', 'x.awaitSuspend']);
    expect(handle.promise).toBe(r.promise);
    log.length = 0;
    handle.resume();
    expect(log).toEqual(['x.awaitResume', 'got value', 'returnValue(value)', 'finalSuspend', 'final.awaitReady', 'final.awaitResume', 'free(awaits)']);
    // ready: no suspension at all
    reset({ initialReady: true, finalReady: true });
    m.awaits(new rec.RecAwaiter('y', true, undefined, 'now'));
    expect(rec.log.slice(7, 11)).toEqual(['awaitTransform', 'y.awaitReady', 'y.awaitResume', 'got now']);
    // awaitSuspend returning false resumes at once
    reset({ initialReady: true, finalReady: true });
    m.awaits(new rec.RecAwaiter('z', false, () => false, 'inline'));
    expect(rec.log.slice(7, 12)).toEqual(['awaitTransform', 'z.awaitReady', 'z.awaitSuspend', 'z.awaitResume', 'got inline']);
  });

  it('an exception from awaitResume is thrown at the yield* and reaches the enclosing catch', () => {
    reset({ initialReady: true, finalReady: true });
    const r = m.catches(new rec.RecAwaiter('x', true, undefined, new Error('resume failed')));
    expect(rec.log).toContain('caught resume failed');
    expect(r.promise.result).toBe('yes');
    reset({ initialReady: true, finalReady: true });
    const r2 = m.catches(new rec.RecAwaiter('x', false, () => { throw new Error('suspend failed'); }));
    expect(rec.log).toContain('caught suspend failed');
    expect(r2.promise.result).toBe('yes');
  });

  it('in a loop that continues in place, each await keeps the C++ order: ready, awaitSuspend false, a transfer to itself, a throw, a real suspension', () => {
    const log = reset({ initialReady: true, finalReady: true });
    let parked: any;
    const as = [
      new rec.RecAwaiter('ready', true, undefined, 'a'),
      new rec.RecAwaiter('false', false, () => false, 'b'),
      new rec.RecAwaiter('self', false, (h: any) => h, 'c'),
      new rec.RecAwaiter('throws', true, undefined, new Error('d')),
      {
        awaitReady() {
          log.push('readyThrows.awaitReady');
          throw new Error('e');
        },
      },
      new rec.RecAwaiter('parks', false, (h: any) => { parked = h; }, 'f'),
      new rec.RecAwaiter('again', true, undefined, 'g'),
    ];
    const r = m.loops(as);
    expect(afterStart(log).filter((e) => e !== 'awaitTransform')).toEqual([
      'ready.awaitReady', 'ready.awaitResume',
      'false.awaitReady', 'false.awaitSuspend', 'false.awaitResume',
      'self.awaitReady', 'self.awaitSuspend', 'self.awaitResume',
      'throws.awaitReady', 'throws.awaitResume',
      'readyThrows.awaitReady',
      'parks.awaitReady', 'parks.awaitSuspend',
    ]);
    expect(r.handle.done()).toBe(false);
    log.length = 0;
    parked.resume();
    expect(log.filter((e) => e !== 'awaitTransform').slice(0, 4)).toEqual(['parks.awaitResume', 'again.awaitReady', 'again.awaitResume', 'returnValue(a0b1c2!d3!e4f5g6)']);
    expect(r.promise.result).toBe('a0b1c2!d3!e4f5g6');
  });

  it('afterInlineAwait, in a loop that continues in place: asked after every await that did not suspend; an awaiter it returns is awaited before the result is taken', () => {
    const log = reset();
    const hops: any[] = [];
    const hop = (name: string) => new rec.RecAwaiter(name, false, (h: any) => { hops.push(h); });
    m.HookPromise.plan = [null, hop('hop1'), hop('hop2')];
    let parked: any;
    const as = [
      // The first await of the loop sits in the entry resume function and resumes in the loop's:
      // the entry function reads its result, asks the hook, and hands the result over (mode 2).
      new rec.RecAwaiter('first', true, undefined, 'z'),
      new rec.RecAwaiter('ready', true, undefined, 'a'),
      new rec.RecAwaiter('false', false, () => false, 'b'),
      new rec.RecAwaiter('self', false, (h: any) => h, 'c'),
      new rec.RecAwaiter('throws', true, undefined, new Error('d')),
      new rec.RecAwaiter('parks', false, (h: any) => { parked = h; }, 'e'),
      new rec.RecAwaiter('again', true, undefined, 'f'),
    ];
    const r = m.hookLoop(as);
    // The ready await read its result, then the hook interposed hop1, which suspended.
    expect(log).toEqual(['first.awaitReady', 'first.awaitResume', 'afterInlineAwait', 'ready.awaitReady', 'ready.awaitResume', 'afterInlineAwait', 'hop1.awaitReady', 'hop1.awaitSuspend']);
    log.length = 0;
    hops[0].resume();
    // awaitSuspend returned false: the hook again, and hop2 runs before false's result is read.
    expect(log).toEqual(['hop1.awaitResume', 'false.awaitReady', 'false.awaitSuspend', 'afterInlineAwait', 'hop2.awaitReady', 'hop2.awaitSuspend']);
    log.length = 0;
    hops[1].resume();
    // A transfer to itself counts; an exception result and a real suspension do not.
    expect(log).toEqual([
      'hop2.awaitResume', 'false.awaitResume',
      'self.awaitReady', 'self.awaitSuspend', 'afterInlineAwait', 'self.awaitResume',
      'throws.awaitReady', 'throws.awaitResume',
      'parks.awaitReady', 'parks.awaitSuspend',
    ]);
    log.length = 0;
    parked.resume();
    expect(log).toEqual(['parks.awaitResume', 'again.awaitReady', 'again.awaitResume', 'afterInlineAwait']);
    expect(r.result).toBe('z0a1b2c3!d4e5f6');
  });

  it('afterInlineAwait on the trampoline path: a ready interposed awaiter, one that suspends, one that throws, and a hook result that is not an awaiter', () => {
    // `a` is awaited in the entry function, which hands its result over; `b` sits in the next
    // resume function and resumes in a third, so a ready `b` goes through the trampoline
    // (coReady), where the hook is asked before b's awaitResume.
    const log = reset();
    m.HookPromise.plan = [null, new rec.RecAwaiter('hopR', true, undefined, 'ignored')];
    const r1 = m.hookLine(new rec.RecAwaiter('a', true, undefined, 'A'), new rec.RecAwaiter('b', true, undefined, 'B'));
    expect(log).toEqual(['a.awaitReady', 'a.awaitResume', 'afterInlineAwait', 'x=A', 'b.awaitReady', 'afterInlineAwait', 'hopR.awaitReady', 'hopR.awaitResume', 'b.awaitResume']);
    expect(r1.result).toBe('AB');

    let parked: any;
    m.HookPromise.plan = [null, new rec.RecAwaiter('hopS', false, (h: any) => { parked = h; })];
    log.length = 0;
    const r2 = m.hookLine(new rec.RecAwaiter('a', true, undefined, 'A2'), new rec.RecAwaiter('b', true, undefined, 'B2'));
    expect(log).toEqual(['a.awaitReady', 'a.awaitResume', 'afterInlineAwait', 'x=A2', 'b.awaitReady', 'afterInlineAwait', 'hopS.awaitReady', 'hopS.awaitSuspend']);
    expect(r2.result).toBeUndefined();
    parked.resume();
    expect(r2.result).toBe('A2B2');

    // The interposed awaiter's exception is thrown at the yield*, where the user's catch sees it:
    // at b (trampoline) and at a (handed over).
    m.HookPromise.plan = [null, new rec.RecAwaiter('hopT', true, undefined, new Error('from the hop'))];
    expect(m.hookLine(new rec.RecAwaiter('a', true, undefined, 'A3'), new rec.RecAwaiter('b', true, undefined, 'B3')).result).toBe('caught from the hop');
    m.HookPromise.plan = [new rec.RecAwaiter('hopT', true, undefined, new Error('from the first hop'))];
    expect(m.hookLine(new rec.RecAwaiter('a', true, undefined, 'A3'), new rec.RecAwaiter('b', true, undefined, 'B3')).result).toBe('caught from the first hop');

    m.HookPromise.plan = [null, 42];
    expect(m.hookLine(new rec.RecAwaiter('a', true, undefined, 'A4'), new rec.RecAwaiter('b', true, undefined, 'B4')).result).toBe(
      "caught coroutine 'hookLine': afterInlineAwait() is not an awaiter (it needs awaitReady, awaitSuspend and awaitResume); got number",
    );
    m.HookPromise.plan = [];
  });

  it('without awaitTransform the operand is the awaiter; a value that is not one is an error at the yield*, naming the coroutine', () => {
    expect(m.bare(new rec.RecAwaiter('x', true, undefined, 'v')).result).toBe('got v');
    expect(m.bare(42).result).toBe("caught: coroutine 'bare': the awaited value is not an awaiter (it needs awaitReady, awaitSuspend and awaitResume); got number");
    expect(m.bare(null).result).toMatch(/^caught: coroutine 'bare': the awaited value is not an awaiter .*got null$/);
  });

  it('symmetric transfer: awaitSuspend returning a handle runs that coroutine next, in the same resume', () => {
    const log = reset({ finalReady: true });
    const b = m.transfers('B', () => { throw new Error('B does not transfer'); });
    const a = m.transfers('A', () => b.handle);
    log.length = 0;
    a.handle.resume();
    expect(log).toEqual([
      'initial.awaitResume', 'A before', 'awaitTransform', 'A.transfer.awaitReady', 'A.transfer.awaitSuspend',
      'initial.awaitResume', 'B before', 'awaitTransform', 'B.transfer.awaitReady', 'B.transfer.awaitSuspend',
      'unhandledException(B does not transfer)', 'finalSuspend', 'final.awaitReady', 'final.awaitResume', 'free(transfers)',
    ]);
  });

  it('destroying a suspended coroutine runs its pending finally blocks and closes its iterators, innermost first, then frees it', () => {
    const log = reset({ initialReady: true });
    const r = m.destroyed([1, 2, 3]);
    expect(log.slice(0, 3)).toEqual(['allocate(destroyed)', 'copy items=1,2,3', 'promise(Array)']);
    expect(afterStart(log)).toEqual(['suspend at 1', 'awaitTransform']);
    r.handle.resume();
    log.length = 0;
    r.handle.destroy();
    expect(log).toEqual(['iterator closed', 'inner finally n=3', 'outer finally', 'free(destroyed)']);
  });

  it('an exception from a finally block during destroy goes to the caller of destroy(), not to a user catch', () => {
    const log = reset({ initialReady: true });
    const r = m.throwsInFinally();
    const h = r.handle;
    log.length = 0;
    expect(() => h.destroy()).toThrow('from finally');
    expect(log).toEqual(['finally throws', 'free(throwsInFinally)']);
  });

  it('allocatorArg: the argument after it is the frame allocator; the promise constructor sees every parameter', async () => {
    const { allocatorArg, HeapAllocator } = await import('../dist/runtime/index.js');
    const alloc = new HeapAllocator();
    reset({ initialReady: true, finalReady: true });
    const r = m.withAllocator(allocatorArg, alloc, 41);
    expect(r.promise.result).toBe(42);
    expect(rec.log[0]).toBe('promise(Symbol(corosplit.allocatorArg),HeapAllocator,41)');
    expect(alloc.total).toBe(1);
    expect(alloc.live).toBe(0);
  });

  it('methods keep `this` in the frame and pass it to the promise constructor first; function expressions lower too', () => {
    reset({ initialReady: true, finalReady: true });
    const c = new m.Counter();
    const r = m.Counter.prototype.add.call(c, 5);
    expect(rec.log.slice(0, 4)).toEqual(['allocate(Counter.add)', 'copy k=5', 'copy this$=[object Object]', 'promise(Counter,5)']);
    expect(c.count).toBe(15);
    r.handle.resume();
    expect(r.promise.result).toBe(20);
    reset({ initialReady: true, finalReady: true });
    expect(m.expr(7).promise.result).toBe(21);
  });

  it('plain generators in the same file keep generator semantics', () => {
    expect([...m.plainGenerator(4)]).toEqual([0, 1, 2, 3]);
  });
});

describe('Task and Lazy', () => {
  let m: any;
  let out: string;
  beforeAll(async () => {
    const c = compiled(`
      import { type Task, type Lazy, ready, sleep, syncWait, startTask, runAs, TaskPromise, BoundedAllocator, withFrameAllocator, FrameAllocationError, disposeTask, type Resumable } from 'corosplit/runtime';
      // A promise type derived from TaskPromise: its ramp constructs it and goes through coStart.
      export class Counted<T = any> extends TaskPromise<T> {
        static made = 0;
        constructor() { super(); Counted.made++; }
      }
      export function* counted(n: number): Task<number, Counted<number>> { return (yield* ready(n)) + 1; }
      export function boundedUnstarted(): { live: number[]; value: number } {
        const alloc = new BoundedAllocator(1);
        const live: number[] = [];
        let value = 0;
        withFrameAllocator(alloc, () => {
          const t = add(1, 2);
          live.push(alloc.live);
          disposeTask(t);
          live.push(alloc.live);
          value = syncWait(add(3, 4));
          live.push(alloc.live);
        });
        return { live, value };
      }
      export function* add(a: number, b: number): Task<number> { return a + b; }
      export function* label(n: number): Task<string> { return 'n=' + n; }
      export function* lazyDouble(n: number): Lazy<number> { return n * 2; }
      export function* combine(n: number): Task<string> {
        const sum: number = yield* add(n, 1);          // typed result of a child task
        const text: string = yield* label(sum);
        const twice: number = yield* lazyDouble(sum);
        return text + ' twice=' + twice;
      }
      export function* manyAwaits(n: number): Task<number> {
        let s = 0;
        for (let i = 0; i < n; i++) s += yield* ready(1);
        return s;
      }
      export function* childChain(n: number): Task<number> {
        let s = 0;
        for (let i = 0; i < n; i++) s += yield* add(i, 0);
        return s;
      }
      export function* failing(msg: string): Task<number> { throw new Error(msg); }
      export function* guarded(msg: string): Task<string> {
        try { return String(yield* failing(msg)); } catch (e) { return 'caught ' + (e as Error).message; }
      }
      export function boundedRun(capacity: number): { results: unknown[]; failures: number } {
        const alloc = new BoundedAllocator(capacity);
        const results: unknown[] = [];
        withFrameAllocator(alloc, () => {
          const tasks: Task<number>[] = [];
          for (let i = 0; i < capacity + 2; i++) {
            try { tasks.push(add(i, 100)); results.push('allocated'); }
            catch (e) { results.push(e instanceof FrameAllocationError ? 'FrameAllocationError: ' + (e as Error).message : e); }
          }
          for (const t of tasks) results.push(syncWait(t));
          results.push(syncWait(add(1, 1)));
        });
        return { results, failures: alloc.failures };
      }
      function* waits(log: string[]): Task<number> {
        try { log.push('inner waiting'); yield* sleep(10_000); return 1; }
        catch (e) { log.push('inner catch must not run'); return 2; }
        finally { log.push('inner finally'); }
      }
      export function* stoppable(log: string[]): Task<number> {
        try { return yield* waits(log); }
        catch (e) { log.push('outer catch must not run'); return 3; }
        finally { log.push('outer finally'); }
      }
      // Locals named like the runtime's header fields live in the frame class, beside nothing of the runtime's.
      export function* dollarNames(n: number): Task<string> {
        let $r = n, $p = 'p', $l = [n, n], $a = true, $name = 'nm', $reset = 1;
        yield* ready(0);
        $r++;
        return [$r, $p, $l.length, $a, $name, $reset].join(',');
      }
      // A parameter default keeps this child on the runtime path: its entry function awaits the
      // ready value and hands the result over, unless the step budget interposes a turn.
      function* plusReadyD(i: number, d = 1): Task<number> { return (yield* ready(i)) + d; }
      export function* awaitsChildren(n: number): Task<number> {
        let s = 0;
        for (let i = 0; i < n; i++) s += yield* plusReadyD(i);
        return s;
      }
      // The lowered loop of ready awaits continues in place; the step budget still makes it yield.
      export function budgetYields(n: number, budget: number, children = false): { yields: number; result: unknown } {
        const q: Resumable[] = [];
        let yields = 0;
        const s = { schedule: (r: Resumable) => q.push(r), yieldNow: (r: Resumable) => { yields++; q.push(r); } };
        const saved = TaskPromise.stepBudget;
        TaskPromise.stepBudget = budget;
        try {
          let result: unknown;
          const t = children ? awaitsChildren(n) : manyAwaits(n);
          startTask(t, { taskDone: (p: any) => { result = p.value; } }, s);
          while (q.length > 0) runAs(s, q.shift()!);
          return { yields, result };
        } finally {
          TaskPromise.stepBudget = saved;
        }
      }
      export { syncWait };
    `);
    out = c.js.get('main.ts')!;
    m = await runCompiled(c);
  });

  it('a plain Task ramp ends in coStartTask (no promise constructor, no try); a Lazy and a derived promise type keep coStart', () => {
    expect(out).toMatch(/export function add\(a, b\) \{[^}]*\$l\d*\.b = b;\s*return coStartTask\(\$frame\d*, add\$resume0\);\s*\}/);
    expect(out).not.toMatch(/new TaskPromise\(/);
    expect(out).toMatch(/export function lazyDouble\(n\) \{[^]*?\$promise\d* = new LazyPromise\(n\);[^]*?return coStart\(\$frame\d*, \$promise\d*, lazyDouble\$resume0\);/);
    expect(out).toMatch(/\$promise\d* = new Counted\(n\);/);
    // The task it starts is a suspended, unstarted TaskPromise: it runs, is awaited, and a
    // disposed one gives its frame back.
    expect(m.syncWait(m.add(2, 3))).toBe(5);
    expect(m.boundedUnstarted()).toEqual({ live: [1, 0, 0], value: 7 });
    const made = m.Counted.made;
    expect(m.syncWait(m.counted(41))).toBe(42);
    expect(m.Counted.made).toBe(made + 1);
  });

  it('a Task awaiting Tasks and a Lazy gets their typed results', () => {
    expect(m.syncWait(m.combine(4))).toBe('n=5 twice=10');
  });

  it('exceptions of a child task are rethrown at the yield* in the parent', () => {
    expect(m.syncWait(m.guarded('boom'))).toBe('caught boom');
    expect(() => m.syncWait(m.failing('direct'))).toThrow('direct');
  });

  it('10 million synchronously completing yield* awaits in one loop run in constant stack', () => {
    expect(m.syncWait(m.manyAwaits(10_000_000))).toBe(10_000_000);
  });

  it('locals named $r, $p, $l, $a, $name and $reset keep their values across a suspension', () => {
    expect(m.syncWait(m.dollarNames(5))).toBe('6,p,2,true,nm,1');
  });

  it('a lowered loop of ready awaits yields to its scheduler once per step budget, and loses no result', () => {
    expect(m.budgetYields(1000, 100)).toEqual({ yields: 10, result: 1000 });
    expect(m.budgetYields(99, 100)).toEqual({ yields: 0, result: 99 });
  });

  it('a child whose entry function hands its first result over still gives way when the step budget is spent there, and loses no result', () => {
    expect(out).toMatch(/function plusReadyD\$resume0\([^]*?return coAwaitBefore\(\$f, \$v, \$pass\);\s*break handover\d*;[^]*?return plusReadyD\$resume1\(\$f, 2, \$pass\);/);
    // Budget 1: every child's first inline await spends it, so the entry function returns
    // coAwaitBefore with the scheduler turn, and the child resumes through the trampoline.
    const spent = m.budgetYields(50, 1, true);
    expect(spent.result).toBe((50 * 51) / 2);
    // Two turns per child: the child's at its first await (its own budget of 1), and the
    // parent's when the child's completion transfers back to it.
    expect(spent.yields).toBe(100);
    expect(m.budgetYields(50, 10_000, true)).toEqual({ yields: 0, result: (50 * 51) / 2 });
    expect(m.syncWait(m.awaitsChildren(10))).toBe(55);
  });

  it('100k child tasks awaited in a loop (symmetric transfer parent -> child -> parent) run in constant stack', () => {
    expect(m.syncWait(m.childChain(100_000))).toBe((100_000 * 99_999) / 2);
  });

  it('a BoundedAllocator scope: allocation fails with FrameAllocationError naming the coroutine once the capacity is reached; frames are recycled', () => {
    const r = m.boundedRun(2);
    expect(r.results).toEqual([
      'allocated', 'allocated',
      "FrameAllocationError: cannot allocate a frame for coroutine 'add': the frame allocator is exhausted",
      "FrameAllocationError: cannot allocate a frame for coroutine 'add': the frame allocator is exhausted",
      100, 101, 2,
    ]);
    expect(r.failures).toBe(2);
  });

  it('a stop request completes nested lowered tasks as stopped: their pending finally blocks run innermost first, no catch runs', async () => {
    const { StopSource, StoppedError, toPromise } = await import('../dist/runtime/index.js');
    const src = new StopSource();
    const log: string[] = [];
    const p = toPromise(m.stoppable(log), { stopToken: src.token });
    setTimeout(() => src.requestStop(), 5);
    const r = await p.then(() => 'value', (e: unknown) => e);
    expect(r).toBeInstanceOf(StoppedError);
    expect(log).toEqual(['inner waiting', 'inner finally', 'outer finally']);
  });

  it('rejects a wrong result type at compile time (the yield* result is typed by the Task)', () => {
    const c = compile({ 'main.ts': `
      import { type Task } from 'corosplit/runtime';
      function* add(a: number, b: number): Task<number> { return a + b; }
      export function* bad(): Task<string> { const s: string = yield* add(1, 2); return s; }
    ` });
    expect(c.typeErrors.join('\n')).toMatch(/Type 'number' is not assignable to type 'string'/);
  });
});

describe('driver coroutines written in TypeScript', () => {
  it('FireAndForget and Dispatch are accepted as function* return types, and the driver awaitables as yield* operands', async () => {
    const c = compiled(`
      import { BoundedAllocator, Device, RequestWaitQueue, Status, allocatorArg, dispatchAllocationFailed, resumeBackground,
        type AllocatorArg, type Dispatch, type FireAndForget, type FrameAllocator, type Request } from 'corosplit/runtime';
      export const log: string[] = [];
      export function* later(): FireAndForget {
        log.push('before');
        yield* resumeBackground();
        log.push('after');
      }
      const q = new RequestWaitQueue();
      function* serve(_: AllocatorArg, alloc: FrameAllocator, req: Request): Dispatch {
        yield* q.wait(req);
        req.complete(Status.Success, 7);
      }
      export function run(): unknown[] {
        const dev = new Device('d');
        const { file } = dev.open();
        const alloc = new BoundedAllocator(1);
        const a = dev.request(2, file, { length: 1 });
        const b = dev.request(2, file, { length: 1 });
        const first = serve(allocatorArg, alloc, a);
        const second = serve(allocatorArg, alloc, b);   // the only frame is taken
        q.wakeOne();
        return [first === dispatchAllocationFailed, second === dispatchAllocationFailed, a.status, a.information, alloc.live];
      }
    `);
    const m = await runCompiled(c);
    expect(m.run()).toEqual([false, true, 0, 7, 0]);
    m.later();
    expect(m.log).toEqual(['before']);
    await new Promise((r) => setTimeout(r, 10));
    expect(m.log).toEqual(['before', 'after']);
  });
});

describe('frames and closures', () => {
  it('a closure that outlives its coroutine keeps its own captured values, also when the frame allocator recycles frames', async () => {
    const c = compiled(`
      import { type Task, ready, syncWait, PoolAllocator, ArenaAllocator, withFrameAllocator, type FrameAllocator } from 'corosplit/runtime';
      function* makeGetter(x: number): Task<() => number> {
        let y = x * 10;
        yield* ready(0);
        return () => x + y++;
      }
      export function run(alloc: FrameAllocator): number[] {
        return withFrameAllocator(alloc, () => {
          const g1 = syncWait(makeGetter(1));
          const g2 = syncWait(makeGetter(2));    // may reuse g1's frame
          return [g1(), g2(), g1(), g2()];
        });
      }
      export { PoolAllocator, ArenaAllocator };
    `);
    const m = await runCompiled(c);
    const expected = [11, 22, 12, 23];
    expect(m.run(new m.PoolAllocator())).toEqual(expected);
    const arena = new m.ArenaAllocator();
    expect(m.run(arena)).toEqual(expected);
    arena.reset();
    expect(m.run(arena)).toEqual(expected);
  });
});

describe('getReturnObjectOnAllocationFailure', () => {
  it('is the ramp result when the allocator is exhausted', async () => {
    const c = compiled(`
      import { promiseType, BoundedAllocator, suspendNever, type Awaiter } from 'corosplit/runtime';
      export class MaybePromise {
        static frameAllocator = new BoundedAllocator(1);
        static getReturnObjectOnAllocationFailure(): Maybe<number> { return { failed: true } as any; }
        value: number | undefined;
        getReturnObject(): Maybe<number> { return { failed: false, promise: this } as any; }
        initialSuspend(): Awaiter<void> { return suspendNever; }
        finalSuspend(): Awaiter<void> { return { awaitReady: () => false, awaitSuspend: () => {}, awaitResume: () => {} }; }
        returnValue(v: number): void { this.value = v; }
        unhandledException(e: unknown): void { throw e; }
      }
      export interface Maybe<T> { readonly [promiseType]?: MaybePromise; [Symbol.iterator](): Iterator<unknown, T, any>; }
      export function* one(n: number): Maybe<number> { return n; }
    `);
    const m = await runCompiled(c);
    const first = m.one(5);
    expect(first.failed).toBe(false);
    expect(first.promise.value).toBe(5);
    // the first frame is still held (suspended at its final suspend point): capacity 1 is used up
    expect(m.one(6)).toEqual({ failed: true });
    expect(m.MaybePromise.frameAllocator.failures).toBe(1);
  });
});

describe('diagnostics', () => {
  it('yield inside finally is a compile-time error at its position', () => {
    const c = compile({ 'rec.ts': recSource, 'main.ts': `
      import { always as suspendAlways, type Rec } from './rec.js';
      export function* f(): Rec {
        try { yield* suspendAlways; } finally {
          yield* suspendAlways;
        }
      }
    ` });
    expect(c.diagnostics).toHaveLength(1);
    expect(c.diagnostics[0]).toMatch(/^main\.ts:5:11: corosplit cannot lower `yield\*` inside a finally block of a promise-type coroutine/);
    expect(c.diagnostics[0]).toMatch(/in promise-type coroutine 'f'/);
    expect(c.js.size).toBe(0);
  });

  it('break out of a finally that would suspend during destroy is a compile-time error', () => {
    const c = compile({ 'rec.ts': recSource, 'main.ts': `
      import { always as suspendAlways, type Rec } from './rec.js';
      export function* f(): Rec {
        for (let i = 0; i < 3; i++) {
          try { yield* suspendAlways; } finally { continue; }
        }
      }
    ` }, { typeCheck: false });
    expect(c.diagnostics.join('\n')).toMatch(/main\.ts:5:17: corosplit cannot lower a suspension point reachable while the coroutine is being destroyed/);
  });

  it('a closure capturing a per-iteration binding of a loop that suspends sees its own iteration', async () => {
    // (this was rejected at compile time while the promise-type emitter had no per-iteration boxes)
    const c = compile({ 'rec.ts': recSource, 'main.ts': `
      import { always, rec, type Rec } from './rec.js';
      export function* f(): Rec<number[]> {
        const fns: (() => number)[] = [];
        for (let i = 0; i < 3; i++) { yield* always; fns.push(() => i); i += 10; yield* always; i -= 10; }
        return fns.map((g) => g());
      }
      export function run(): unknown {
        const r = rec(f());
        for (let k = 0; k < 7; k++) r.handle.resume();
        return [r.handle.done(), r.promise.result];
      }
    ` });
    expect(c.diagnostics).toEqual([]);
    // (written after the closure is made: a box per iteration)
    expect(c.js.get('main.ts')).toMatch(/\bi = \{ v: /);
    const m = await runCompiled(c);
    expect(m.run()).toEqual([true, [0, 1, 2]]);
  });

  it('a closure over a per-iteration binding nothing writes after it gets the value (no box)', async () => {
    const c = compile({ 'rec.ts': recSource, 'main.ts': `
      import { always, rec, type Rec } from './rec.js';
      export function* f(): Rec<number[]> {
        const fns: (() => number)[] = [];
        for (let i = 0; i < 3; i++) { yield* always; const t = i * 10; fns.push(() => i + t); }
        return fns.map((g) => g());
      }
      export function run(): unknown {
        const r = rec(f());
        for (let k = 0; k < 4; k++) r.handle.resume();
        return [r.handle.done(), r.promise.result];
      }
    ` });
    expect(c.diagnostics).toEqual([]);
    const js = c.js.get('main.ts')!;
    expect(js).not.toMatch(/\{ v: /);
    expect(js).toMatch(/\(\(i, t\) => \(\) => i \+ t\)\(i, t\)/);
    const m = await runCompiled(c);
    expect(m.run()).toEqual([true, [0, 11, 22]]);
  });

  it('yield v with a promise type that has no yieldValue, and a promise type missing required members, are compile-time errors', () => {
    const c = compile({ 'main.ts': `
      import { promiseType } from 'corosplit/runtime';
      export class NoYield { getReturnObject(): any { return null; } initialSuspend(): any { return null; } finalSuspend(): any { return null; } unhandledException(): void {} }
      export interface NY { readonly [promiseType]?: NoYield; [Symbol.iterator](): Iterator<unknown, number, any>; }
      export function* f(): NY {
        yield 1;
        return 2;
      }
      export class Incomplete { getReturnObject(): any { return null; } }
      export interface Inc { readonly [promiseType]?: Incomplete; [Symbol.iterator](): Iterator<unknown, void, any>; }
      export function* g(): Inc {}
    ` }, { typeCheck: false });
    expect(c.diagnostics).toEqual([
      "main.ts:6:9: corosplit cannot lower \`yield v\` in a coroutine whose promise type 'NoYield' has no yieldValue (use \`yield*\` to await) yet (in promise-type coroutine 'f')",
      "main.ts:11:29: the promise type 'Incomplete' has no initialSuspend, finalSuspend, unhandledException (required by the coroutine protocol) (in promise-type coroutine 'g')",
    ]);
  });

  it('a promise-type coroutine declared with a function declaration inside a coroutine body gets a diagnostic', () => {
    const c = compile({ 'main.ts': `
      import { type Task, ready } from 'corosplit/runtime';
      export function* outer(n: number): Task<number> {
        function* inner(k: number): Task<number> { return k * n; }
        return yield* inner(yield* ready(2));
      }
    ` });
    expect(c.diagnostics.join('\n')).toMatch(/main\.ts:4:37: 'inner' is a promise-type coroutine declared with a function declaration inside a lowered coroutine or generator body/);
  });

  it('a parameter default referring to a binding of an earlier destructuring parameter is rejected', () => {
    const c = compile({ 'main.ts': `
      import { type Task } from 'corosplit/runtime';
      export function* f({ a }: { a: number }, b: number = a): Task<number> { return a + b; }
    ` });
    expect(c.diagnostics.join('\n')).toMatch(/main\.ts:3:60: corosplit cannot lower a parameter default that refers to 'a', a binding of an earlier destructuring parameter/);
  });

  it('a promise class that cannot be imported is an error naming the coroutine', () => {
    const c = compile({ 'p.ts': `
      import { promiseType } from 'corosplit/runtime';
      class Hidden { getReturnObject() { return {}; } initialSuspend(): any { return null; } finalSuspend(): any { return null; } unhandledException() {} }
      export interface H { readonly [promiseType]?: Hidden; [Symbol.iterator](): Iterator<unknown, void, any>; }
    `, 'main.ts': `
      import type { H } from './p.js';
      export function* g(): H {}
    ` });
    expect(c.diagnostics.join('\n')).toMatch(/main\.ts:3:29: the promise class 'Hidden' must be exported by name from its module.*'g'/);
  });

  it('a promise class exported from another module is imported by the output', async () => {
    const c = compiled(`
      import { type Rec, never as suspendNever } from './rec.js';
      export * as rec from './rec.js';
      export function* g(): Rec<number> { yield* suspendNever; return 3; }
    `);
    expect(c.js.get('main.ts')).toMatch(/import \{ RecPromise as RecPromise\$co\d* \} from ["']\.\/rec\.js["']/);
    const m = await runCompiled(c);
    const rec = m.rec;
    rec.RecPromise.options = { initialReady: true, finalReady: true };
    expect(m.g().promise.result).toBe(3);
  });

  it('a promise class re-exported (and renamed) by an entry module the file imports is imported from that module', async () => {
    const c = compiled(
      `
      import { type Rec, never as suspendNever } from './lib.js';
      export * as rec from './rec.js';
      export function* g(): Rec<number> { yield* suspendNever; return 4; }
    `,
      { 'lib.ts': `export { RecPromise as LibPromise, never, type Rec } from './rec.js';` },
    );
    expect(c.js.get('main.ts')).toMatch(/import \{ LibPromise as LibPromise\$co\d* \} from ["']\.\/lib\.js["']/);
    const m = await runCompiled(c);
    m.rec.RecPromise.options = { initialReady: true, finalReady: true };
    expect(m.g().promise.result).toBe(4);
  });

  it('without a type checker, a Task return type gets a diagnostic instead of a wrong generator lowering', () => {
    const r = transformSource(`import { type Task } from 'corosplit/runtime';\nexport function* f(): Task<number> { return 1; }\n`, { fileName: 'single.ts' });
    expect(r.code).toBe('');
    expect(r.diagnostics.map((d) => d.text).join('\n')).toMatch(/^single\.ts:2:23: error: 'f' returns Task<…>, a promise-type coroutine, which corosplit can only recognise with the type checker/);
  });

  it('the same when comptime() rewrote the import that names Task (an import used only inside the call is dropped)', () => {
    // `comptime` is used only inside the call, so the import is rewritten to its other specifiers.
    const src = `import { comptime, type Task } from 'corosplit/runtime';\nfunction* double(x: number): Task<number> { return x * 2; }\nexport const t = comptime(() => 1 + 1);\n`;
    const r = transformSource(src, { fileName: 'rewritten.ts' });
    expect(r.code).toBe('');
    expect(r.diagnostics.map((d) => d.text).join('\n')).toMatch(/rewritten\.ts:2:30: error: 'double' returns Task<…>, a promise-type coroutine/);
    // With a checker it lowers, and the rewritten import keeps no `type` specifier for JavaScript.
    const c = compile({ 'main.ts': src });
    expect(c.diagnostics).toEqual([]);
    const js = c.js.get('main.ts')!;
    expect(js).toMatch(/export const t = 2;/);
    expect(js).not.toMatch(/\btype Task\b/);
    expect(js).toMatch(/\bTaskPromise\b/);
  });
});

describe('samples', () => {
  const samples = path.join(here, '..', 'samples');
  const runSample = async (name: string): Promise<string> => {
    const c = compile({ 'main.ts': fs.readFileSync(path.join(samples, name), 'utf8') }, { types: ['node'] });
    expect(c.typeErrors).toEqual([]);
    expect(c.diagnostics).toEqual([]);
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(' '));
    try {
      await runCompiled(c);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      console.log = original;
    }
    return lines.join('\n');
  };

  it('samples/task.ts lowers and runs', async () => {
    expect(await runSample('task.ts')).toBe(
      ['fib(20) = 6765', 'squares = 4 9 16', 'caught: the child failed', 'finally ran', 'before await: 0 computations', 'cached value after 1 computation'].join('\n'),
    );
  });

  it('samples/user-promise-type.ts lowers and runs', async () => {
    expect(await runSample('user-promise-type.ts')).toBe(
      ['range: 0 1 2 3 4', 'primes: 2 3 5 7 11 13 17 19 23 29', 'primes: finally ran on destroy', 'squares: 1 4 9 16 25', 'pooled frames: 3, live: 0'].join('\n'),
    );
  });
});

describe('placement and entry points', () => {
  it('coroutines nested in functions, object literals and static methods close over their scope', async () => {
    const c = compiled(`
      import { type Task, syncWait, ready } from 'corosplit/runtime';
      export function makeCounter(start: number) {
        let calls = 0;
        function* next(step: number): Task<number> {
          calls++;
          const v: number = yield* ready(start + step);
          return v * 10 + calls;
        }
        return { next, calls: () => calls };
      }
      export const obj = {
        base: 5,
        *plus(k: number): Task<number> { return this.base + (yield* ready(k)); },
      };
      export class Util {
        static *twice(x: number): Task<number> { return 2 * (yield* ready(x)); }
      }
      export class Account {
        #balance = 100;
        static #fee = 1;
        *withdraw(n: number): Task<number> {
          const granted: number = yield* ready(Math.min(n, this.#balance));
          this.#balance -= granted + Account.#fee;
          return this.#balance;
        }
      }
      export function* outer(n: number): Task<number[]> {
        const inner = function* (k: number): Task<number> { return k * n + (yield* ready(1)); };
        const squares = function* () { for (let i = 1; i <= n; i++) yield i * i; };
        const out: number[] = [];
        for (const sq of squares()) out.push(yield* inner(sq));
        return out;
      }
      export function* destructured({ x, y = 2 }: { x: number; y?: number }, [first, ...others]: number[] = [7, 8, 9], ...[r1, r2]: number[]): Task<number[]> {
        const z: number = yield* ready(x + y);
        return [z, first, others.length, r1 ?? -1, r2 ?? -1];
      }
      export function* usesArguments(a: number, b: number): Task<number> {
        yield* ready(0);
        return arguments.length * 100 + a + b;
      }
      export { syncWait };
    `);
    const out = c.js.get('main.ts')!;
    // next() refers to start/calls of makeCounter: its resume functions are placed inside makeCounter
    expect(out).toMatch(/function makeCounter\(start\) \{\s*function next\$resume0/);
    const m = await runCompiled(c);
    const counter = m.makeCounter(3);
    expect(m.syncWait(counter.next(1))).toBe(41);
    expect(m.syncWait(counter.next(2))).toBe(52);
    expect(counter.calls()).toBe(2);
    expect(m.syncWait(m.obj.plus(4))).toBe(9);
    expect(m.syncWait(m.Util.twice(21))).toBe(42);
    // private names: the resume functions live in the class body
    const acct = new m.Account();
    expect(m.syncWait(acct.withdraw(30))).toBe(69);
    expect(m.syncWait(acct.withdraw(500))).toBe(-1);
    expect(m.syncWait(m.usesArguments(1, 2))).toBe(203);
    // destructuring parameters: bound in the ramp, the promise constructor gets the arguments
    expect(m.syncWait(m.destructured({ x: 1 }))).toEqual([3, 7, 2, -1, -1]);
    expect(m.syncWait(m.destructured({ x: 1, y: 5 }, [4], 10, 20))).toEqual([6, 4, 0, 10, 20]);
    // a coroutine and a plain generator nested in a coroutine
    expect(m.syncWait(m.outer(3))).toEqual([4, 13, 28]);
  });

  it('the ts-patch plugin entry lowers promise-type coroutines with the program it is given', async () => {
    const c = compile(
      { 'main.ts': `
        import { type Task, syncWait } from 'corosplit/runtime';
        function* add(a: number, b: number): Task<number> { return a + b; }
        function* gen() { yield 1; yield 2; }
        export const result = [syncWait(add(40, 2)), [...gen()]];
      ` },
      { via: 'plugin' },
    );
    expect(c.typeErrors).toEqual([]);
    const out = c.js.get('main.ts')!;
    expect(out).toMatch(/class add\$Frame \{/);
    expect(out).toMatch(/const gen\$Frame = function gen\$Frame\(/);
    expect((await runCompiled(c)).result).toEqual([42, [1, 2]]);
  });
});

describe('the corosplit CLI', () => {
  const repo = path.join(here, '..');
  const cli = path.join(repo, 'bin', 'corosplit.js');
  it('`corosplit program` lowers the samples with the type checker; the outputs run', async () => {
    const { spawnSync } = await import('node:child_process');
    // inside the package, so the output's `corosplit/runtime` imports resolve to this package
    const out = path.join(repo, 'test', 'artifacts', `cli-program-${process.pid}`);
    fs.rmSync(out, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [cli, 'program', 'samples/task.ts', 'samples/user-promise-type.ts', '--out-dir', out], { cwd: repo, encoding: 'utf8' });
    expect(r.stderr).toMatch(/^corosplit: wrote 2 of 2 files in \d+ ms\n$/);
    expect(r.status).toBe(0);
    const task = spawnSync(process.execPath, [path.join(out, 'task.js')], { encoding: 'utf8' });
    expect(task.stdout).toContain('fib(20) = 6765\nsquares = 4 9 16\n');
    const seq = spawnSync(process.execPath, [path.join(out, 'user-promise-type.js')], { encoding: 'utf8' });
    expect(seq.stdout).toContain('primes: 2 3 5 7 11 13 17 19 23 29\nprimes: finally ran on destroy\n');
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('`corosplit transform` (no type checker) refuses a Task coroutine with a positioned diagnostic', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [cli, 'transform', 'samples/task.ts'], { cwd: repo, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^samples\/task\.ts:6:27: error: 'fib' returns Task<…>, a promise-type coroutine, which corosplit can only recognise with the type checker/m);
  });
});

// The resumption of an await reads the awaiter the frame holds, clears it (a suspended frame must
// not keep a finished awaiter, or what it holds, alive) and takes its result once. Lowered for speed
// that is written out at the resume point, so the awaitResume call sees one await's awaiter types,
// and the ramp constructs the frame class itself; lowered for size both are the runtime's
// (coResume, coAllocate). Both must behave the same, in a resume function of its own and in a loop
// that continues in place.
describe('the resumption of an await', () => {
  const source = `
    import { syncWait, type Task } from 'corosplit/runtime';
    let held: any = null;
    // Not ready; awaitSuspend keeps the handle and resumes at once (returns false).
    class Later {
      resumed = 0;
      constructor(readonly v: number) {}
      awaitReady() { return false; }
      awaitSuspend(h: any) { held = h; return false; }
      awaitResume() { this.resumed++; return this.v; }
    }
    const pending = () => held.$f.$a;
    export function* straight(): Task<unknown[]> {
      const a = new Later(1);
      const x = yield* a;
      return [x, a.resumed, pending()];
    }
    export function* loop(n: number): Task<unknown[]> {
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const a = new Later(i);
        out.push((yield* a) + ':' + a.resumed + ':' + pending());
      }
      return out;
    }
    export const run = () => [syncWait(straight()), syncWait(loop(3))];
  `;
  for (const optimize of ['speed', 'size'] as const) {
    it(`takes the result once and clears the frame's awaiter before the body goes on (optimize: ${optimize})`, async () => {
      const c = compile({ 'main.ts': source }, { typeCheck: false, optimize });
      const out = c.js.get('main.ts')!;
      const resumeFunctions = out.slice(out.indexOf('function straight$resume'), out.indexOf('export function straight('));
      const ramp = out.slice(out.indexOf('export function loop('));
      if (optimize === 'speed') {
        // the ramp constructs the locals into a new heap frame (coAllocateHeader)
        expect(ramp).toMatch(/coAllocateHeader\(loop\$Frame,[\s\S]*?(\$l\d*) = (\$frame\d*)\.\$l \|\| \(\2\.\$l = new loop\$Frame\(\)\);\s*\1\.n = n;/);
        expect(resumeFunctions).not.toMatch(/coResume\(/);
        expect(resumeFunctions).toMatch(/(\$c\d*) = (\$f\d*)\.\$a;\s*\2\.\$a = void 0;\s*\$?\w+ = \1\.awaitResume\(\);/);
      } else {
        expect(ramp).toMatch(/coAllocate\(loop\$Frame,[\s\S]*?\$frame\d*\.\$l\.n = n;/);
        expect(ramp).not.toMatch(/new loop\$Frame/);
        expect(resumeFunctions).toMatch(/= coResume\(\$f\d*\)/);
      }
      const m = await runCompiled(c);
      expect(m.run()).toEqual([
        [1, 1, undefined],
        ['0:1:undefined', '1:1:undefined', '2:1:undefined'],
      ]);
    });
  }
});
