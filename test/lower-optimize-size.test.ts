// optimize: 'size' on its own terms: what the output leaves out and what it shares. Behaviour is
// checked elsewhere against native generators in this mode too (lower-semantics, differential, the
// esbuild route, test262 in CI); here the output itself is the subject.
import { describe, expect, it } from 'vitest';
import { CorosplitOptionsError, transformSource } from '../transformer/index.js';
import esbuildPlugin from '../transformer/plugins/esbuild.js';
import { both } from './helpers/lowered.js';

const lowerBoth = (source: string): { speed: string; size: string } => {
  const out = (optimize: 'speed' | 'size'): string => {
    const r = transformSource(source, { fileName: 'case.js', runtime: 'import', sourceMap: false, optimize });
    expect(r.diagnostics).toEqual([]);
    return r.code;
  };
  return { speed: out('speed'), size: out('size') };
};

describe("optimize: 'size'", () => {
  const walk = 'function* walk(n) { if (n === null) return; yield* walk(n.left); yield n.value; yield* walk(n.right); }';

  it('emits no per-generator next, no drop function, and one runtime call per yield*', () => {
    const { speed, size } = lowerBoth(walk);
    expect(speed).toMatch(/function walk\$next\(/);
    expect(speed).toMatch(/function walk\$drop\(/);
    expect(speed).toMatch(/delegateStep/);
    expect(size).not.toMatch(/walk\$next|walk\$drop|delegateStep|iteratorResultNotObject/);
    expect(size.match(/delegateTo\(/g)).toHaveLength(2);
    // no frame constructor and no ramp: the runtime makes both from the entry and the field names
    expect(size).not.toMatch(/walk\$Frame/);
    expect(size).toMatch(/var walk\$g = generatorFunction\(walk\$resume0, "walk", "n"\), walk = walk\$g;/);
    expect(size.length).toBeLessThan(speed.length / 3);
  });

  it('does not clear a field where its value dies: speed mode does, size mode keeps it until a later store', () => {
    // `a` is live across the first yield only; at the second, speed mode clears its field.
    const src = 'function* g(x) { const a = [x]; yield 1; const b = a.length + x; yield b; return b; }';
    const { speed, size } = lowerBoth(src);
    expect(speed).toMatch(/\$f\.a = void 0/);
    expect(size).not.toMatch(/\.a = void 0/);
    const { native, lowered } = both(`${src}\nvar result = [...g(5)];`, 'size');
    expect(lowered).toEqual(native);
  });

  it('reads and writes frame fields in place, with no load into a local and no store at a suspension; not under `with`', () => {
    const src = 'function* row(o, w) { for (let x = 0; x < w; x++) yield o.get(x); }';
    const { speed, size } = lowerBoth(src);
    // For speed: locals loaded first, the field stored at the yield.
    expect(speed).toMatch(/let [^;]*x = \$f\.x/);
    expect(speed).toMatch(/\$f\.x = x;/);
    // For size: the field itself, and the operand still evaluated before the state moves.
    expect(size).not.toMatch(/let [^;]*\bx\b/);
    // (The update runs before the suspension, after the operand: build/hoist-updates.ts. The
    // suspension is one call, whose arguments run in order before it moves the resume pointer,
    // so the operand needs no temporary: analysis/operand-temps.ts.)
    expect(size).toMatch(/if \(\$f\.x < \$f\.w\) \{\s*return leaveGenerator\(\$f, \$f\.o\.get\(\$f\.x\), row\$resume1, \$f\.x\+\+\);/);
    expect(size).not.toMatch(/\$yv/);
    const drive = `${src}\nvar calls = []; var o = { get: (x) => { calls.push(x); return x * 2; } }; var result = [[...row(o, 4)], calls];`;
    const { native, lowered } = both(drive, 'size');
    expect(lowered).toEqual(native);
    // `with` can name a local but not a frame field: such a body keeps its locals.
    const withBody = 'function* g(o) { let v = 1; yield 0; with (o) { v = v + 1; } yield v; }';
    expect(lowerBoth(withBody).size).toMatch(/let [^;]*\bv = \$f\.v/);
  });

  it('yields a frame variable by reading its field after the resume pointer moves: a field read runs no code', () => {
    const src = 'function* count(s, step) { let x = s; for (;;) { yield x; x = (x + step) | 0; } }';
    const { size } = lowerBoth(src);
    expect(size).toMatch(/\$f\.\$r = count\$resume1;\s*return \$f\.x;/);
    expect(size).not.toMatch(/\$c\b/);
    // a mapped parameter's field is an accessor of the ramp's binding, still no user code
    const mapped = 'function* m(a) { arguments[0] = a + 1; yield a; a = 7; yield arguments[0]; }';
    for (const optimize of ['speed', 'size'] as const) {
      const { native, lowered } = both(`${src}\n${mapped}\nconst it = count(5, 2);\nvar result = [it.next(), it.next(), it.next(), [...m(1)]];`, optimize);
      expect(lowered).toEqual(native);
    }
  });

  it('keeps one resume function for resume points whose code is the same', () => {
    const scan = `function* scan(s) {
      let i = 0;
      while (i < s.length) {
        const c = s[i++];
        if (c === ' ') continue;
        if (c >= '0' && c <= '9') yield 'num ' + c; else if (c >= 'a' && c <= 'z') yield 'id ' + c; else yield 'op ' + c;
      }
    }`;
    const { speed, size } = lowerBoth(scan);
    const resumeFunctions = (code: string): string[] => [...code.matchAll(/^function (scan\$resume\d+)\(/gm)].map((m) => m[1]!);
    // In both modes the initial resume function would only set i and call the first yield's for
    // the loop (analysis/tail-entries.ts): the frame starts there instead, with i = 0
    // (analysis/initial-state.ts).
    expect(resumeFunctions(speed)).toEqual(['scan$resume1', 'scan$resume2', 'scan$resume3']);
    expect(resumeFunctions(size)).toEqual(['scan$resume1']);
    expect(size).not.toMatch(/scan\$resume[023]/);
    expect(speed).toMatch(/this\.i = 0;/);
    expect(size).toMatch(/generatorFunction\(scan\$resume1, "scan", "s", \["i", 0\]\)/);
    // Inside try/finally each resume point has its own temporaries (the value a return() brings):
    // functions that differ only in their locals' names are the same function.
    const guarded = scan.replace('let i = 0;', 'let i = 0; try {').replace(/\}\s*\}$/, '} } finally { log.push(i); } }');
    expect(resumeFunctions(lowerBoth(guarded).speed)).toHaveLength(4);
    expect(resumeFunctions(lowerBoth(guarded).size)).toEqual(['scan$resume0', 'scan$resume1']);
    const { native, lowered } = both(`${scan}\nvar result = [...scan('a 1+b  c2')];`, 'size');
    expect(lowered).toEqual(native);
    expect(native).toEqual(['id a', 'num 1', 'op +', 'id b', 'id c', 'num 2']);
  });

  it('a ramp still follows a replaced prototype, and a finished generator still completes', () => {
    const { native, lowered } = both(
      `function* g() { yield 1; }
       const p = { hello() { return 'hi'; }, __proto__: Object.getPrototypeOf(g.prototype) };
       g.prototype = p;
       const it = g();
       var result = [Object.getPrototypeOf(it) === p, it.hello(), JSON.stringify([...it]), JSON.stringify(it.next()), Object.keys(it).filter((k) => k !== '$r')];`,
      'size',
    );
    expect(lowered).toEqual(native);
  });

  it('a generator function whose ramp only passes its parameters on is made by the runtime: a generator function to reflection', () => {
    const src = `function* pair(a, unused, b) { yield a; yield b; }
      const h = function* (x) { yield x * 2; };
      const GeneratorFunction = Object.getPrototypeOf(function* () {});`;
    const { size } = lowerBoth(src);
    expect(size).toMatch(/generatorFunction\(pair\$resume0, "pair", "a", 0, "b"\)/);
    expect(size).toMatch(/generatorFunction\(h\$resume0, "h", "x"\)/);
    expect(size).not.toMatch(/\$Frame/);
    const { native, lowered } = both(
      `${src}
       const it = pair(1, 2, 3);
       const replaced = { own: 1, __proto__: Object.getPrototypeOf(pair.prototype) };
       h.prototype = replaced;
       var result = [
         pair.name, pair.length, h.name, h.length, Object.getPrototypeOf(pair) === GeneratorFunction.prototype,
         it instanceof pair, Object.getPrototypeOf(it) === pair.prototype, [...it], [...pair()], [...pair(7)],
         Object.getOwnPropertyNames(pair).sort().join(), JSON.stringify(Object.getOwnPropertyDescriptor(pair, 'length')),
         JSON.stringify(Object.getOwnPropertyDescriptor(pair, 'prototype')), Object.getPrototypeOf(h(1)) === replaced,
         (() => { try { new pair(); return 'constructed'; } catch (e) { return e.constructor.name; } })(),
         pair(1) !== pair(1), pair.call({}, 5).next().value,
       ];`,
      'size',
    );
    expect(lowered).toEqual(native);
  });

  it('a method is made by the runtime from its entry and field names', () => {
    const src = `class Grid { constructor(w) { this.w = w; } *row(y) { for (let x = 0; x < this.w; x++) yield [x, y]; } static *of(n, m) { yield n * m; } }
      const o = { *pair(a, b) { yield a; yield b; } };`;
    const { speed, size } = lowerBoth(src);
    expect(speed).toMatch(/const row\$Frame = function row\$Frame\(/);
    // (the frame starts with x = 0, past the initial resume function: analysis/initial-state.ts)
    // one call for the class: its one prototype method, then the static one
    expect(size).toMatch(/defineClassGeneratorMethods\(this, 1, "row", \[row\$resume\d, "\$this", "y", \["x", 0\]\], "of", \[of\$resume0, 0, "n", "m"\]\);/);
    // (no stand-ins: no later member's key orders after theirs)
    expect(size).not.toMatch(/ row\(|static of\(|pair\(\)/);
    expect(size).not.toMatch(/\$Frame/);
    const { native, lowered } = both(
      `${src}
       const g = new Grid(2);
       const it = g.row(9);
       var result = [[...it], it instanceof Grid.prototype.row, Object.getPrototypeOf(it) === Grid.prototype.row.prototype, [...Grid.of(3, 4)], [...o.pair(1, 2)]];`,
      'size',
    );
    expect(lowered).toEqual(native);
  });

  it('a finally block at the end of the body leaves through one runtime call, whatever the completion', () => {
    const src = `const log = [];
      function* g(k) { try { for (let i = 0; i < k; i++) yield i; } finally { log.push('f' + k); } }
      function* nested(k) { try { try { yield 1; yield 2; } finally { log.push('in'); } yield 3; } finally { log.push('out'); } return k; }
      function* overrides() { try { yield 1; } finally { return 'mine'; } }
      function* failing() { try { yield 1; } finally { throw new Error('finally'); } }`;
    const { speed, size } = lowerBoth(src);
    expect(size).toMatch(/return leaveAfterFinally\(\$f, \$completion\d+, \$completionValue\d+\);/);
    expect(size).not.toMatch(/case 2: return generatorReturn\(\$f, \$completionValue\d+\);\s*default: return generatorReturn\(\$f\);/);
    expect(speed).not.toMatch(/leaveAfterFinally/);
    const caught = (f: string): string => `(() => { try { ${f}; return 'no throw'; } catch (e) { return e.message ?? e; } })()`;
    const { native, lowered } = both(
      `${src}
       const a = g(3); const b = g(3); const c = g(3); const d = nested(7); const e = nested(8); const o = overrides(); const x = failing();
       var result = [
         [...g(2)], a.next(), a.return(9), a.next(), b.next(), ${caught("b.throw(new Error('t'))")}, b.next(), c.return(4),
         [...nested(5)], d.next(), d.return(6), e.next(), e.next(), ${caught("e.throw(new Error('u'))")},
         o.next(), o.return(1), x.next(), ${caught('x.next()')}, x.next(), log,
       ];`,
      'size',
    );
    expect(lowered).toEqual(native);
  });

  it('one try covers the code of a try region between suspensions, branches included; behaviour as native', () => {
    // The loop's update and test both run user code inside the try. Lowered for speed the try
    // ends with the test, whose value waits in a temporary for the branch after it; lowered for
    // size (where the loop's test is a second entry, after the update) one try holds both and
    // the branch.
    const src = `const log = [];
      function* g(k) { log.push('open'); try { for (let i = 0; i < k; i++) yield i; } finally { log.push('close'); } }
      function* caught(items) { for (const x of items) { try { if (x.ok) yield x.v; else yield -x.v; } catch (e) { log.push('caught ' + e); } } }`;
    const { speed, size } = lowerBoth(src);
    const resume1 = (code: string): string => code.slice(code.indexOf('function g$resume1'), code.indexOf('\n}\n', code.indexOf('function g$resume1')));
    expect(resume1(size).match(/\btry \{/g)).toHaveLength(1);
    expect(resume1(size)).toMatch(/if \(\$f\.i < \$f\.k\)/);
    expect(resume1(speed)).toMatch(/\$c = i < k;\s*\}\s*catch/);
    // user code that throws in the update, in the test, and in a branch's condition; return() and
    // throw() at the suspension; a catch that resumes the loop
    const { native, lowered } = both(
      `${src}
       const boom = { valueOf() { throw 'valueOf'; } };
       let n = 0; const late = { valueOf() { if (++n > 2) throw 'late'; return 5; } };
       const run = (f) => { try { return f(); } catch (e) { return 'threw ' + e; } };
       const a = g(3), b = g(3), c = g(late);
       const items = [{ ok: true, v: 1 }, { get ok() { throw 'getter'; }, v: 2 }, { ok: false, v: 3 }];
       var result = [
         [...g(2)], run(() => [...g(boom)]), a.next(), a.return(9), a.next(), b.next(), run(() => b.throw('t')), b.next(),
         run(() => [...c]), [...caught(items)], log,
       ];`,
      'size',
    );
    expect(lowered).toEqual(native);
  });

  it('a ramp that binds more than plain parameters stays emitted', () => {
    const src = `function* d(a = 1) { yield a; }
      function* p({ x }, ...rest) { yield x + rest.length; }
      function* t() { yield this.v; }
      function* n(a) { yield arguments.length + a; }`;
    const { size } = lowerBoth(src);
    for (const name of ['d', 'p', 't', 'n']) expect(size, name).toMatch(new RegExp(`${name}\\$Frame`));
    expect(size).not.toMatch(/generatorFunction/);
    const { native, lowered } = both(`${src}\nvar result = [[...d()], [...d(4)], [...p({ x: 2 }, 1, 1)], [...t.call({ v: 3 })], [...n(1, 2)]];`, 'size');
    expect(lowered).toEqual(native);
  });

  it('an unknown value is an error that names the option, from the API and when a plugin is configured', () => {
    expect(() => transformSource('function* g() { yield 1; }', { fileName: 'a.js', optimize: 'Size' as 'size' })).toThrow(CorosplitOptionsError);
    expect(() => transformSource('function* g() { yield 1; }', { fileName: 'a.js', optimize: 'Size' as 'size' })).toThrow("corosplit: option 'optimize' must be 'speed' or 'size', not \"Size\"");
    expect(() => esbuildPlugin({ optimize: 'fast' as 'size' })).toThrow("option 'optimize' must be 'speed' or 'size'");
    expect(() => transformSource('function* g() { yield 1; }', { fileName: 'a.js', runtime: 'bundle' as 'inline' })).toThrow("option 'runtime' must be 'import' or 'inline'");
  });
});
