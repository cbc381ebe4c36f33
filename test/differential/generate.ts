// Seeded random programs for differential testing of the generator lowering. A program is kept
// as a tree rather than text so the shrinker can delete statements, unwrap compound statements
// and replace expressions by their subexpressions without re-parsing JavaScript.
//
// Every program is a classic script (no import/export) that records each observable effect into
// the global array `T`; the runner compares `T` natively and after lowering.

/** `list`: statements (each child removable); `stmt`: one statement; `expr`: one expression. */
export interface Node {
  kind: 'list' | 'stmt' | 'expr';
  parts: (string | Node)[];
}

export interface Program {
  seed: number;
  root: Node;
}

// mulberry32: tiny, fast, and the same sequence on every platform for a given seed.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const list = (children: Node[]): Node => ({ kind: 'list', parts: children });
const stmt = (...parts: (string | Node)[]): Node => ({ kind: 'stmt', parts });
const expr = (...parts: (string | Node)[]): Node => ({ kind: 'expr', parts });

export function render(n: Node | string): string {
  if (typeof n === 'string') return n;
  if (n.kind === 'list') return n.parts.map(render).join('\n');
  return n.parts.map(render).join('');
}

/**
 * Shared by every program: the trace, a value printer that does not depend on anything the
 * lowering may legitimately change (own fields of generator objects, engine error messages),
 * logging call helpers, and a configurable custom iterator whose every protocol call is traced.
 */
export const PRELUDE = `
var T = [];
function show(v, d) {
  d = d || 0;
  if (v === undefined) return 'u';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return 'fn';
  if (typeof v === 'symbol') return 'sym';
  if (typeof v.next === 'function') return 'iter';
  if (typeof v.stack === 'string' && typeof v.name === 'string') return v.name === 'Error' ? 'Error:' + v.message : v.name;
  if (d > 3) return '~';
  if (Array.isArray(v)) return '[' + v.map(function (x) { return show(x, d + 1); }).join(',') + ']';
  return '{' + Object.keys(v).map(function (k) { return k + ':' + show(v[k], d + 1); }).join(',') + '}';
}
// Engine errors show as their name only (show() above): the lowered runtime may word its
// TypeErrors differently, and V8's own wording names call-site text. Converting one to a string
// (\`o.g += e\`) must not leak the wording either.
[TypeError, RangeError, ReferenceError, SyntaxError].forEach(function (C) { C.prototype.toString = function () { return this.name; }; });
function log() { var s = []; for (var i = 0; i < arguments.length; i++) s.push(show(arguments[i])); T.push(s.join(' ')); }
function fx(tag, a, b) { log('fx', tag, a, b); return arguments.length > 2 ? b : arguments.length > 1 ? a : tag; }
var o = { p: 1, q: 'q', m: function (a, b) { log('m', this === o, a, b); return a; } };
var tg = { t: function (s, a) { log('tag', this === tg, s.raw.join('|'), a); return a; } };
// An accessor makes the order of reads and writes of a compound assignment observable.
var gv = 0;
Object.defineProperty(o, 'g', { get: function () { log('get g', gv); return gv; }, set: function (v) { log('set g', v); gv = v; }, enumerable: false });
// mode: bit 1 = has throw(), bit 2 = has return(), bit 4 = throw() throws, bit 8 = return() throws,
// bit 16 = results carry an extra own property (yield* must pass inner results through untouched),
// bit 32 = the second next() throws
function mkIter(name, n, mode) {
  var i = 0;
  var res = function (value, done) { var r = { value: value, done: done }; if (mode & 16) r.extra = name; return r; };
  var it = {
    next: function (v) { log(name + '.next', v); i++; if (mode & 32 && i === 2) throw new Error('in-' + name); return res(i > n ? 'R' + name : name + i, i > n); },
  };
  it[Symbol.iterator] = function () { log(name + '.iter'); return this; };
  if (mode & 1) it.throw = function (e) { log(name + '.throw', e); if (mode & 4) throw new Error('it-' + name); i++; return res(i > n ? 'T' + name : name + 't' + i, i > n); };
  if (mode & 2) it.return = function (v) { log(name + '.return', v); if (mode & 8) throw new Error('ir-' + name); return res('X' + name, true); };
  return it;
}
// Re-entry from inside the generator: the main generator is running, so each op must throw.
function rx(op, v) {
  try { var r = it[op](v); log('rx', op, r); return r; }
  catch (e) { log('rx threw', op, e); return 'rx'; }
}
function drive(it, steps) {
  for (var s = 0; s < steps.length; s++) {
    var op = steps[s][0];
    try { var r = steps[s].length > 1 ? it[op](steps[s][1]) : it[op](); log(op, '->', r); }
    catch (e) { log(op, 'threw', e); }
  }
}
function drain(it, n) {
  for (var k = 0; k < n; k++) {
    try { var r = it.next('d' + k); log('drain', r); if (r.done) return; }
    catch (e) { log('drain threw', e); return; }
  }
}
`;

interface Target {
  label?: string;
  loop: boolean;
}

interface Ctx {
  canYield: boolean;
  depth: number;
  targets: Target[];
  vars: string[]; // readable names in scope
  assignable: string[]; // function-level lets, safe to overwrite without breaking loop bounds
  loopVars: string[]; // per-iteration bindings, interesting to capture in closures
  gens: number; // helper generators with a smaller index exist and can be called
}

export interface GenOptions {
  /** `small` keeps programs cheap enough for the bounded run inside `npm test` */
  size?: 'small' | 'normal';
  /**
   * Statement features to leave out, so a long run can look past a known open bug instead of
   * rediscovering it on every other seed. Names: see FEATURES, plus 'computed-member-assign', 'param-write', 'strict' and 'tagged-template'.
   */
  exclude?: readonly string[];
  /**
   * 'reentry': weights the program towards a generator driven from inside its own body, in yield
   * operands too (rx: next/throw/return on the main generator while it runs), and a driver that
   * calls the main generator through another binding after rebinding its name.
   * 'eval': mixes in direct and indirect eval reading the generator's bindings, `with` (reading,
   * assigning and capturing names the object may shadow), `delete x`, labelled function
   * declarations and a var named `let`, and makes some generators yield-free. A direct eval in a
   * generator that suspends, and a frame-held variable named inside `with`, must be refused with
   * a located error; everything else must match.
   */
  focus?: 'reentry' | 'eval';
}

// The statement kinds `Gen.stmt` picks from, by index; several indices per kind weight it.
export const FEATURES = [
  'log', 'log', 'assign', 'assign-member', 'jump', 'closure', 'throw', 'yield-star', 'return',
  'for', 'for', 'for-of', 'for-of', 'while', 'do-while', 'for-in', 'try', 'try', 'try',
  'label', 'label', 'switch', 'switch', 'destructure', 'destructure', 'if', 'loop-closure', 'log', 'var', 'log',
  'for-head-yield', 'while-cond-yield', 'gen-method', 'arguments', 'return-plain', 'finally-return',
  'this', 'reentry', 'made-method',
] as const;

class Gen {
  private n = 0;
  readonly maxDepth: number;
  private readonly exclude: Set<string>;
  constructor(
    private readonly r: () => number,
    readonly opts: GenOptions = {},
  ) {
    this.maxDepth = opts.size === 'small' ? 2 : 3;
    this.exclude = new Set(opts.exclude ?? []);
  }

  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  fresh(prefix: string): string {
    return `${prefix}${this.n++}`;
  }

  literal(): string {
    return this.pick(['0', '1', '2', '3', '-1', "'s'", "'t'", 'undefined', 'null', 'true', 'false', '[1, 2]']);
  }

  /** An expression; yields only where ctx allows, and fewer the deeper we are. */
  expr(c: Ctx, d = 0): Node {
    const leaf = d >= 3 || this.chance(0.3 + d * 0.2);
    if (leaf) {
      const r = this.int(10);
      if (r < 3 && c.vars.length) return expr(this.pick(c.vars));
      if (r < 5 && c.canYield) return expr('(yield ', this.literal(), ')');
      if (r === 5) return expr('o.p');
      return expr(this.literal());
    }
    const e = (): Node => this.expr(c, d + 1);
    const y = c.canYield;
    if (y && this.opts.focus === 'reentry' && this.chance(0.25)) {
      const op = this.pick(['next', 'throw', 'return']);
      return this.chance(0.5) ? expr(`(yield rx('${op}', `, e(), '))') : expr('(yield (', e(), `, rx('${op}', `, this.literal(), ')))');
    }
    switch (this.int(y ? 28 : 23)) {
      case 0: return expr('(', e(), ' + ', e(), ')');
      case 1: return expr('(', e(), ' - ', e(), ')');
      case 2: return expr('(', e(), ' < ', e(), ')');
      case 3: return expr('fx(', `'${this.fresh('f')}'`, ', ', e(), ', ', e(), ')');
      case 4: return expr('[', e(), ', ', e(), ']');
      case 5: return expr('({ a: ', e(), ', b: ', e(), ' })');
      case 6: return expr('(', e(), ' ? ', e(), ' : ', e(), ')');
      case 7: return expr('(', e(), ' && ', e(), ')');
      case 8: return expr('(', e(), ' || ', e(), ')');
      case 9: return expr('(', e(), ' ?? ', e(), ')');
      case 10: return expr('`<${', e(), '}|${', e(), '}>`');
      case 11:
        if (c.assignable.length) return expr('(', this.pick(c.assignable), this.pick([' = ', ' += ', ' -= ', ' ||= ', ' ??= ']), e(), ')');
        return expr('(o.p += ', e(), ')');
      case 12: return expr('(o.p ', this.pick(['=', '+=', '&&=']), ' ', e(), ')');
      case 13:
        if (this.exclude.has('computed-member-assign')) return expr('(o.q = ', e(), ')');
        return expr('(o[', e(), '] = ', e(), ')');
      case 14: return expr('o.m(', e(), ', ', e(), ')');
      case 15: return expr('(', e(), ', ', e(), ')');
      case 16: return expr('(typeof ', e(), ')');
      case 17: return expr('(o.g ', this.pick(['+=', '=', '||=', '-=']), ' ', e(), ')');
      case 18: return expr('o.g');
      case 19: return expr('(void ', e(), ')');
      case 20: return expr('(delete o[', e(), '])');
      case 21: return expr('fx(', `'${this.fresh('f')}'`, ', ...[', e(), ', ', e(), '])');
      case 22:
        if (this.exclude.has('tagged-template')) return expr('`${', e(), '}`');
        return expr(this.pick(['tg.t', "tg['t']"]), '`<${', e(), '}>`');
      // yield-bearing forms
      case 23: return expr('(yield ', e(), ')');
      case 24: return expr('(yield)');
      case 25: return expr('(yield* ', this.delegate(c, d + 1), ')');
      case 26: return expr('fx(', `'${this.fresh('f')}'`, ', (yield ', e(), '), ', e(), ')');
      default: return expr('[...', this.iterable(c, d + 1), ']');
    }
  }

  /** The operand of `yield*`: nested generators, custom iterators with or without throw/return, arrays. */
  delegate(c: Ctx, d: number): Node {
    const r = this.int(10);
    if (r < 4 && c.gens > 0) return expr(`g${this.int(c.gens)}(`, this.expr({ ...c, canYield: false }, 3), ')');
    if (r < 8) return expr(`mkIter('${this.fresh('i')}', ${this.int(4)}, ${this.int(64)})`);
    return expr('[', this.expr(c, d + 1), ', ', this.literal(), ']');
  }

  iterable(c: Ctx, d: number): Node {
    const r = this.int(10);
    if (r < 3 && c.gens > 0) return expr(`g${this.int(c.gens)}(`, this.literal(), ')');
    if (r < 6) return expr(`mkIter('${this.fresh('i')}', ${this.int(4)}, ${this.int(64)})`);
    return expr('[', this.expr(c, d), ', ', this.expr(c, d), ', ', this.literal(), ']');
  }

  cond(c: Ctx): Node {
    const r = this.int(6);
    if (r === 0 && c.canYield) return expr('(yield ', this.literal(), ')');
    if (r === 1 && c.loopVars.length) return expr(`${this.pick(c.loopVars)} `, this.pick(['===', '!==', '<', '>']), ` ${this.int(3)}`);
    if (r === 2 && c.assignable.length) return expr(`${this.pick(c.assignable)}`);
    return this.expr(c, 1);
  }

  block(c: Ctx, n = 1 + this.int(3)): Node {
    const out: Node[] = [];
    for (let i = 0; i < n; i++) out.push(this.stmt(c));
    return list(out);
  }

  /** focus 'eval': a direct or indirect eval of code that reads a binding in scope. */
  evalStmt(c: Ctx): Node {
    const v = c.vars.length ? this.pick(c.vars) : 'o';
    const code = this.pick([`typeof ${v}`, `${v}`, `[${v}, typeof o]`, `String(${v}) + 1`]);
    const q = JSON.stringify(code).replace(/'/g, "\\'");
    const L = `'${this.fresh('L')}'`;
    const a = c.assignable.length ? this.pick(c.assignable) : 'o.q';
    // Direct forms are rare: one refuses the whole program, and the indirect ones must also run.
    switch (this.int(23)) {
      // Sloppy-only declarations: a labelled function in a block (which also gets a var), a var named let.
      case 20: {
        const fn = this.fresh('lf');
        return stmt(`{ lbl: function ${fn}() { return ${v}; } log(`, L, `, ${fn}()); } log(`, L, `, typeof ${fn});`);
      }
      case 21: return stmt('var let = ', this.expr({ ...c, canYield: false }, 2), '; log(', L, ', let);');
      // Other names resolved at run time (sloppy code only: eval-focus generators are never strict).
      case 16: return stmt('log(', L, `, delete ${v});`);
      case 17: return stmt(`with (${this.pick(['{}', `{ ${v}: 'w' }`, 'o'])}) { log(`, L, `, ${v}, typeof ${v}); }`);
      case 18: return stmt(`with (${this.pick(['{}', `{ ${a}: 'w' }`.replace('{ o.q:', '{ q:')])}) { ${a} = `, this.expr({ ...c, canYield: false }, 2), '; }');
      case 19: return stmt(`{ const w = { ${v}: 'w' }; with (w) { fs.push(() => ${v}); } log(`, L, ", w, fs.map((f) => f())); }");
      case 0: return stmt('log(', L, ', eval(', q, '));');
      case 1: return stmt('log(', L, ', (eval)(', q, '));'); // still direct
      case 2: return stmt('log(', L, ', (() => eval(', q, '))());'); // direct, in a closure over the frame
      case 3: case 4: case 5: return stmt('log(', L, ', globalThis.eval(', q, '));'); // indirect
      case 6: case 7: return stmt('log(', L, ', [eval][0](', q, '));'); // indirect
      default: return stmt('log(', L, ', (0, eval)(', q, '));'); // indirect: global scope only
    }
  }

  stmt(c: Ctx): Node {
    const deep = c.depth >= this.maxDepth;
    const inner = (extra: Partial<Ctx> = {}): Ctx => ({ ...c, depth: c.depth + 1, ...extra });
    let r = this.int(deep ? 8 : FEATURES.length);
    if (this.opts.focus === 'reentry' && this.chance(0.15)) r = FEATURES.indexOf('reentry');
    if (this.opts.focus === 'eval' && this.chance(0.2)) return this.evalStmt(c);
    if (this.exclude.has(FEATURES[r]!)) r = 0;
    switch (r) {
      case 0: case 1: return stmt('log(', `'${this.fresh('L')}', `, this.expr(c), ');');
      case 2:
        if (c.assignable.length) return stmt(this.pick(c.assignable), this.pick([' = ', ' += ', ' -= ']), this.expr(c), ';');
        return stmt('o.q = ', this.expr(c), ';');
      case 3: return stmt(this.pick(['o.p', 'o.q', 'o[' + this.literal() + ']']), this.pick([' = ', ' += ']), this.expr(c), ';');
      case 4: return this.jump(c);
      case 5:
        if (c.loopVars.length) return stmt(`fs.push(() => [${this.pick(c.loopVars)}, ${c.assignable[0] ?? '0'}]);`);
        return stmt("log('fs', fs.map((f) => f()));");
      case 6: return stmt('if (', this.cond(c), ') ', this.pick(['throw new Error(', 'throw (']), `'${this.fresh('E')}');`);
      case 7:
        if (c.canYield) return this.chance(0.5) ? stmt('yield* ', this.delegate(c, 1), ';') : stmt('log("ys", (yield* ', this.delegate(c, 1), '));');
        return stmt('log(', this.expr(c), ');');
      case 8: return stmt('if (', this.cond(c), ') return ', this.expr(c), ';');
      case 9: case 10: {
        const i = this.fresh('i');
        const body = this.block(inner({ targets: [...c.targets, { loop: true }], vars: [...c.vars, i], loopVars: [...c.loopVars, i] }));
        return stmt(`for (let ${i} = 0; ${i} < ${1 + this.int(3)}; ${i}++) {\n`, body, '\n}');
      }
      case 11: case 12: {
        const x = this.fresh('x');
        const it = this.iterable(c, 2);
        const ext = { targets: [...c.targets, { loop: true }], vars: [...c.vars, x], loopVars: [...c.loopVars, x] };
        if (this.chance(0.25)) {
          const x2 = this.fresh('x');
          // Not an expr node: the shrinker must not replace a binding pattern by a constant.
          const pattern = stmt(`[${x} = `, this.expr(c, 2), `, ${x2}]`);
          const body = this.block(inner({ ...ext, vars: [...ext.vars, x2] }));
          return stmt('for (const ', pattern, ' of [[', this.literal(), '], [undefined, 2], ', this.expr(c, 2), ']) {\n', body, '\n}');
        }
        return stmt(`for (const ${x} of `, it, ') {\n', this.block(inner(ext)), '\n}');
      }
      case 13: {
        const w = this.fresh('w');
        const body = this.block(inner({ targets: [...c.targets, { loop: true }], vars: [...c.vars, w] }));
        return stmt(`{ let ${w} = 0; while (${w}++ < ${1 + this.int(3)}) {\n`, body, '\n} }');
      }
      case 14: {
        const w = this.fresh('w');
        const body = this.block(inner({ targets: [...c.targets, { loop: true }], vars: [...c.vars, w] }));
        return stmt(`{ let ${w} = 0; do {\n`, body, `\n} while (++${w} < ${1 + this.int(3)}); }`);
      }
      case 15: {
        const k = this.fresh('k');
        const body = this.block(inner({ targets: [...c.targets, { loop: true }], vars: [...c.vars, k], loopVars: [...c.loopVars, k] }));
        return stmt(`for (const ${k} in { a: 1, b: `, this.expr(c, 2), ', c: 3 }) {\n', body, '\n}');
      }
      case 16: case 17: case 18: return this.tryStmt(c, inner);
      case 19: case 20: {
        const L = this.fresh('L');
        const kind = this.int(3);
        const ext: Partial<Ctx> = { targets: [...c.targets, { label: L, loop: kind !== 2 }] };
        if (kind === 0) {
          const i = this.fresh('i');
          const body = this.block(inner({ ...ext, targets: [...c.targets, { label: L, loop: true }], vars: [...c.vars, i], loopVars: [...c.loopVars, i] }));
          return stmt(`${L}: for (let ${i} = 0; ${i} < ${1 + this.int(3)}; ${i}++) {\n`, body, '\n}');
        }
        if (kind === 1) {
          const x = this.fresh('x');
          const body = this.block(inner({ ...ext, vars: [...c.vars, x], loopVars: [...c.loopVars, x] }));
          return stmt(`${L}: for (const ${x} of `, this.iterable(c, 2), ') {\n', body, '\n}');
        }
        return stmt(`${L}: {\n`, this.block(inner(ext)), '\n}');
      }
      case 21: case 22: {
        const sw = inner({ targets: [...c.targets, { loop: false }] });
        const cases: (string | Node)[] = [];
        const n = 1 + this.int(3);
        for (let i = 0; i < n; i++) {
          const label = c.canYield && this.chance(0.15) ? expr('(yield ', this.literal(), ')') : expr(this.literal());
          cases.push(stmt('case ', label, ': {\n', this.block(sw, 1 + this.int(2)), this.chance(0.4) ? '\nbreak;' : '', '\n}\n'));
        }
        if (this.chance(0.6)) cases.push(stmt('default: {\n', this.block(sw, 1), '\n}\n'));
        return stmt('switch (', this.expr(c, 1), ') {\n', list(cases as Node[]), '}');
      }
      case 23: case 24: return this.destructure(c);
      case 25: {
        const th = this.cond(c);
        return stmt('if (', th, ') {\n', this.block(inner()), '\n} else {\n', this.block(inner()), '\n}');
      }
      case 26: {
        // A closure per iteration over a yield; each must see its own binding afterwards.
        const i = this.fresh('i');
        return stmt(`for (let ${i} = 0; ${i} < ${1 + this.int(3)}; ${i}++) { fs.push(() => ${i}); `, c.canYield ? expr('(yield ', i, ')') : expr(i), '; }\n', "log('fs', fs.map((f) => f()));");
      }
      case 27: return stmt('log(', `'${this.fresh('L')}', `, this.expr(c), ', ', this.expr(c), ');');
      case 28: return stmt(`var ${this.fresh('v')} = `, this.expr(c), ';');
      case 30: {
        // yield in the init and the test of a for head; the bound keeps it terminating
        const i = this.fresh('i');
        const body = this.block(inner({ targets: [...c.targets, { loop: true }], vars: [...c.vars, i], loopVars: [...c.loopVars, i] }));
        const test = c.canYield ? expr(`${i} < 2 && `, this.expr(c, 2)) : expr(`${i} < 2`);
        return stmt(`for (let ${i} = `, c.canYield ? expr('(yield 0) ? 0 : 1') : expr('0'), '; ', test, `; ${i}++) {\n`, body, '\n}');
      }
      case 31: {
        const w = this.fresh('w');
        const body = this.block(inner({ targets: [...c.targets, { loop: true }], vars: [...c.vars, w] }));
        return stmt(`{ let ${w} = 0; while (${w}++ < 2 && `, c.canYield ? expr('(yield ', this.literal(), ')') : this.expr(c, 2), ') {\n', body, '\n} }');
      }
      case 32: {
        // a generator method: this, arguments and a nested generator inside the lowered one
        const h = this.fresh('h');
        return stmt(`{ const ${h} = { k: `, this.expr({ ...c, canYield: false }, 2), `, *m(a) { log('m this', this.k, a, arguments.length); yield this.k; yield* arguments; return a; } }; `,
          c.canYield ? stmt(`log('gm', yield* ${h}.m(`, this.expr(c, 2), ', 7));') : stmt(`log('gm', [...${h}.m(1)]);`), ' }');
      }
      case 33: return stmt("log('args', arguments.length, arguments[0]);");
      case 34: return stmt('return ', this.expr(c, 1), ';');
      case 35: {
        // return or throw from a finally overrides the pending completion of the try
        const fin = this.pick(['return ', "throw new Error('F' + "]);
        return stmt('try {\n', this.block(inner()), '\n} finally {\n', this.block(inner(), 1), `\nif (`, this.cond(c), `) ${fin}`, this.expr(c, 2), fin.startsWith('throw') ? ');' : ';', '\n}');
      }
      case 36: return stmt("log('this', typeof this, this === undefined);");
      case 37:
        // Drives the main generator from inside a generator: a TypeError while main is running
        // (it is on the stack), an ordinary step when this is a separately iterated helper.
        return stmt("try { log('re', it.next(", this.literal(), ")); } catch (e) { log('re threw', e); }");
      case 38: {
        // class generator methods that read only their parameters and `this` (lowered for size,
        // the runtime makes them: no ramp, maybe no stand-in), one with a start value
        const k = this.fresh('C');
        const cls = `class ${k} { constructor(k) { this.k = k; } *m(a) { for (let i = 0; i < 2; i++) yield this.k + a + i; } static *s(b) { yield b; yield typeof this; } }`;
        return stmt(`{ ${cls} log('cm', ${k}.prototype.m.length, ${k}.s.name, Object.getOwnPropertyNames(${k}.prototype).join()); `,
          c.canYield ? stmt(`log('cm', yield* new ${k}(`, this.expr({ ...c, canYield: false }, 2), ').m(', this.expr(c, 2), `), [...${k}.s(1)]);`) : stmt(`log('cm', [...new ${k}(2).m(`, this.expr(c, 2), `)], [...${k}.s(1)]);`), ' }');
      }
      default: return stmt('log(', `'${this.fresh('L')}', `, this.expr(c), ');');
    }
  }

  jump(c: Ctx): Node {
    const options: string[] = [];
    for (const t of c.targets) {
      if (t.label) {
        options.push(`break ${t.label};`);
        if (t.loop) options.push(`continue ${t.label};`);
      }
    }
    const innermost = c.targets[c.targets.length - 1];
    if (innermost && !innermost.label) options.push('break;');
    if (c.targets.some((t) => t.loop)) options.push('continue;');
    if (!options.length) return stmt('log(', `'${this.fresh('L')}'`, ');');
    // Conditional so the code after the jump stays reachable on some iterations.
    return stmt('if (', this.cond(c), ') ', this.pick(options));
  }

  tryStmt(c: Ctx, inner: (e?: Partial<Ctx>) => Ctx): Node {
    const form = this.int(3); // 0 catch, 1 finally, 2 both
    const e = this.fresh('e');
    const parts: (string | Node)[] = ['try {\n', this.block(inner()), '\n}'];
    if (form !== 1) {
      const bind = this.chance(0.8);
      const cc = inner(bind ? { vars: [...c.vars, e], loopVars: [...c.loopVars, e] } : {});
      parts.push(bind ? ` catch (${e}) {\nlog('caught', ${e});\n` : ' catch {\n', this.block(cc), '\n}');
    }
    if (form !== 0) parts.push(' finally {\n', this.block(inner()), '\n}');
    return stmt(...parts);
  }

  destructure(c: Ctx): Node {
    const a = this.fresh('d');
    const b = this.fresh('d');
    switch (this.int(3)) {
      case 0:
        return stmt(`{ const [${a} = `, this.expr(c, 1), `, ${b}] = [`, this.expr(c, 2), `]; log('da', ${a}, ${b}); }`);
      case 1:
        return stmt(`{ const { p: ${a} = `, this.expr(c, 1), `, q: [${b} = `, this.expr(c, 2), '] = [] } = ', this.pick(['{}', '{ p: 5 }', '{ q: [7] }', '{ p: undefined, q: [undefined] }']), `; log('do', ${a}, ${b}); }`);
      default:
        if (c.assignable.length >= 2) {
          const [x, y] = [c.assignable[0], c.assignable[1]];
          return stmt(`[${x}, ${y} = `, this.expr(c, 2), '] = [', this.expr(c, 2), '];');
        }
        return stmt('({ p: o.q = ', this.expr(c, 1), ' } = {});');
    }
  }

  /** `function* gK(...)`: a helper (or, as the last one, the main generator). */
  genFn(index: number, isMain: boolean): Node {
    const vars = ['a0', 'a1', 'a2'];
    const params = this.pick(['p0, p1', 'p0, p1 = 2', 'p0, { q: p1 = 3 } = {}', 'p0, ...p1']);
    const c: Ctx = {
      // (focus eval: a generator that never yields keeps its body whole, so its direct evals run)
      canYield: !(this.opts.focus === 'eval' && this.chance(0.4)),
      depth: 0,
      targets: [],
      vars: [...vars, 'p0', 'p1'],
      // Parameters are assignable too (sloppy-mode arguments mapping), unless excluded.
      assignable: this.exclude.has('param-write') ? vars : [...vars, 'p0'],
      loopVars: [],
      gens: index,
    };
    const small = this.opts.size === 'small';
    const body = this.block(c, isMain ? (small ? 2 + this.int(4) : 4 + this.int(6)) : 1 + this.int(small ? 2 : 4));
    const tail = this.chance(0.6) ? stmt('return ', this.expr(c, 1), ';') : stmt("log('end');");
    // The prologue is three separate statements so the shrinker can drop the ones a repro does not need.
    const prologue = [stmt("let a0 = 1, a1 = 's', a2 = 0;"), stmt('const fs = [];'), stmt(`log('start g${index}', p0, p1);`)];
    // A function-level 'use strict' is only legal with a simple parameter list.
    // (focus eval: `with` and `delete x` are sloppy-only)
    const strict = params === 'p0, p1' && !this.exclude.has('strict') && this.opts.focus !== 'eval' && this.chance(0.4) ? [stmt("'use strict';")] : [];
    // Sometimes a counter loop comes first: the initial resume function then only sets the
    // counter and calls the loop's, so the frame starts past it (the lowering's
    // analysis/initial-state.ts), and the loop's update runs before its yield (build/hoist-updates.ts).
    const lead = c.canYield && this.chance(0.25) ? [stmt(`for (let lead = 0; lead < ${1 + this.int(3)}; lead++) yield `, this.pick(['lead', "['lead', lead]", 'lead * 2 + 1']), ';')] : [];
    return stmt(`function* g${index}(${params}) {\n`, list([...strict, ...lead, ...prologue, ...(body.parts as Node[]), tail]), '\n}');
  }

  driver(main: string): Node {
    const steps: Node[] = [];
    const n = 1 + this.int(10);
    for (let i = 0; i < n; i++) {
      const r = this.int(10);
      if (r < 6) steps.push(stmt(this.chance(0.3) ? `['next'],` : `['next', ${this.literal()}],`));
      else if (r < 8) steps.push(stmt(`['throw', ${this.pick(["new Error('D" + i + "')", "'raw" + i + "'"])}],`));
      else steps.push(stmt(`['return', ${this.literal()}],`));
    }
    // Rebinding (focus reentry): the declared name is reassigned, the generator called through
    // another binding; its objects must still inherit from that function's prototype.
    const rebind = this.opts.focus === 'reentry' && this.chance(0.6);
    const callee = rebind ? 'alias' : main;
    const out: Node[] = [
      ...(rebind ? [stmt(`var alias = ${main};`), stmt(`${main} = ${this.pick(['null', '42', 'function () {}'])};`)] : []),
      stmt(`var it = ${callee}(${this.literal()}, ${this.literal()});`),
      ...(rebind ? [stmt("log('rebound', it instanceof alias, Object.getPrototypeOf(it) === alias.prototype);")] : []),
      stmt('drive(it, [\n', list(steps), '\n]);'),
      stmt('drain(it, 40);'),
    ];
    main = callee;
    if (this.chance(0.3)) out.push(stmt(`{ let c = 0; try { for (const v of ${main}(1)) { log('of', v); if (++c > ${this.int(5)}) break; } } catch (e) { log('of threw', e); } }`));
    if (this.chance(0.2)) out.push(stmt(`try { log('spread', [...${main}(2)].slice(0, 30)); } catch (e) { log('spread threw', e); }`));
    return list(out);
  }
}

export function generate(seed: number, opts: GenOptions = {}): Program {
  const g = new Gen(prng(seed), opts);
  const helpers = g.int(opts.size === 'small' ? 2 : 3);
  const fns: Node[] = [];
  for (let i = 0; i <= helpers; i++) fns.push(g.genFn(i, i === helpers));
  return { seed, root: list([...fns, g.driver(`g${helpers}`)]) };
}

/** The full script: prelude, program, and `result` set to the trace. */
export function programText(p: Program | Node): string {
  const root = 'root' in p ? p.root : p;
  return render(root);
}

export function scriptOf(body: string): string {
  return PRELUDE + '\n' + body + '\nvar result = T;\n';
}
