// Passes on their own, not through transformSource: node splitting (structure.ts makeReducible),
// liveness (liveness.ts) and frame layout (layout.ts) on IR built from a small generator, the
// shape choice (analysis/shape.ts), the IR as text (ir-print.ts) and a promise-type coroutine's
// destroy paths (analysis/destroy-paths.ts). Each test states the property the pass promises.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { chooseShape } from '../transformer/lower/analysis/shape.js';
import { shareResumeFunctions } from '../transformer/lower/shared-resume.js';
import { CoroutineBuilder } from '../transformer/lower/build.js';
import { layoutFrame } from '../transformer/lower/layout.js';
import { computeLiveness } from '../transformer/lower/liveness.js';
import { structure, tidy, toStatements, widenTries, type SNode } from '../transformer/lower/structure.js';
import { GUARD_BLOCK, IrreducibleError, makeReducible, withSecondEntry, type SplitGraph } from '../transformer/lower/reducible.js';
import { printIR } from '../transformer/lower/ir-print.js';
import { successors } from '../transformer/lower/ir.js';
import { destroyGraph } from '../transformer/lower/analysis/destroy-paths.js';

/** A graph from adjacency lists; each node is its own block, and an edge is keyed by its target block. */
function graph(adj: number[][]): SplitGraph {
  return { entry: 0, nodes: adj.map((succ, i) => ({ block: i, succ: new Map(succ.map((t) => [t, t])) })) };
}

/** Reducible iff T1 (drop self-loops) and T2 (merge a node into its only predecessor) end in one node. */
function reducible(g: SplitGraph): boolean {
  const succ = new Map<number, Set<number>>();
  const reach = new Set<number>([g.entry]);
  const stack = [g.entry];
  while (stack.length) for (const t of g.nodes[stack.pop()!]!.succ.values()) if (!reach.has(t)) reach.add(t), stack.push(t);
  for (const n of reach) succ.set(n, new Set([...g.nodes[n]!.succ.values()]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [n, s] of succ) s.delete(n);
    for (const n of succ.keys()) {
      if (n === g.entry) continue;
      const preds = [...succ].filter(([, s]) => s.has(n)).map(([p]) => p);
      if (preds.length !== 1) continue;
      const p = preds[0]!;
      for (const t of succ.get(n)!) succ.get(p)!.add(t);
      succ.get(p)!.delete(n);
      succ.delete(n);
      changed = true;
      break;
    }
  }
  return succ.size === 1;
}

/** Every walk of blocks the split graph allows, the original allows too, and the other way round (to a depth). */
function sameBlockWalks(a: SplitGraph, b: SplitGraph, depth: number): boolean {
  const walks = (g: SplitGraph): Set<string> => {
    const out = new Set<string>();
    const go = (n: number, path: number[]): void => {
      out.add(path.join(','));
      if (path.length > depth) return;
      for (const t of g.nodes[n]!.succ.values()) go(t, [...path, g.nodes[t]!.block]);
    };
    go(g.entry, [g.nodes[g.entry]!.block]);
    return out;
  };
  const wa = walks(a);
  const wb = walks(b);
  return wa.size === wb.size && [...wa].every((w) => wb.has(w));
}

describe('makeReducible', () => {
  it('splits a loop with two entries into a reducible graph that allows the same block sequences', () => {
    // 0 enters the 1 <-> 2 cycle at both 1 and 2: the classic irreducible shape.
    const g = graph([[1, 2], [2], [1, 3], []]);
    expect(reducible(g)).toBe(false);
    const r = makeReducible(g);
    expect(reducible(r)).toBe(true);
    expect(r.nodes.length).toBe(5); // one copy of the non-header entry
    expect(sameBlockWalks(g, r, 8)).toBe(true);
  });

  it('handles nested multi-entry regions one round at a time', () => {
    // Outer cycle 1 -> 2 -> 3 -> 1 entered at 1 and 3; inner cycle 2 <-> 4 entered at 2 and 4 (from 0).
    const g = graph([[1, 3, 4], [2], [3, 4], [1, 5], [2], []]);
    expect(reducible(g)).toBe(false);
    const r = makeReducible(g);
    expect(reducible(r)).toBe(true);
    expect(sameBlockWalks(g, r, 10)).toBe(true);
  });

  it('leaves a reducible graph as it is', () => {
    const g = graph([[1], [2, 3], [1], []]);
    const r = makeReducible(g);
    expect(r.nodes.length).toBe(4);
    expect(r.nodes.map((n) => [...n.succ.values()])).toEqual(g.nodes.map((n) => [...n.succ.values()]));
  });

  it('gives up with IrreducibleError past its node budget, so the caller can fall back to dispatch', () => {
    const g = graph([[1, 2], [2], [1, 3], []]);
    expect(() => makeReducible(g, 64, 4)).toThrow(IrreducibleError);
  });
});

describe('tidy', () => {
  const call = (name: string): SNode => ({ k: 'code', stmts: [ts.factory.createExpressionStatement(ts.factory.createCallExpression(ts.factory.createIdentifier(name), undefined, []))] });
  const print = (nodes: SNode[]): string =>
    toStatements(ts, nodes).map((st) => ts.createPrinter({ removeComments: true }).printNode(ts.EmitHint.Unspecified, st, ts.createSourceFile('x.ts', '', ts.ScriptTarget.Latest))).join('\n').replace(/\s+/g, ' ');
  const exit: SNode = { k: 'break', label: 'L' };
  // L: { switch (s) { case 1: a(); case 2: break L; case 3: break L; default: break L; } } b();
  const tree = (): SNode[] => [
    { k: 'block', label: 'L', body: [{ k: 'switch', on: ts.factory.createIdentifier('s'), cases: [{ value: 1, body: [call('a')] }, { value: 2, body: [exit] }, { value: 3, body: [exit] }], default: [exit] }] },
    call('b'),
  ];

  it('drops a trailing switch\'s default that only leaves, with the cases that only do the same', () => {
    expect(print(tidy(tree(), () => false))).toBe('switch (s) { case 1: a(); } b();');
  });

  it('keeps such a case when the case before it may fall into it', () => {
    // case 1 runs on into case 2 (as the dispatch shape lays cases out): dropping case 2 would
    // make it fall into whatever follows. Case 3 follows a case that jumps, so it still goes.
    const endsInCode = (body: SNode[]): boolean => body[body.length - 1]?.k === 'code';
    expect(print(tidy(tree(), endsInCode))).toBe('L: { switch (s) { case 1: a(); case 2: break L; } } b();');
  });

  it('drops a jump at the end of a branch, a try or a catch that ends the block', () => {
    const nodes: SNode[] = [
      { k: 'block', label: 'L', body: [{ k: 'if', cond: ts.factory.createIdentifier('c'), then: [call('a'), exit], else: [{ k: 'try', body: [call('t'), exit], catchName: 'e', handler: [call('h'), exit] }] }] },
      call('b'),
    ];
    expect(print(tidy(nodes, () => false))).toBe('if (c) { a(); } else { try { t(); } catch (e) { h(); } } b();');
  });
});

describe('withSecondEntry', () => {
  // 0 is the entry; 1 (a finally block, say) heads the cycle 1 -> 2 -> 3 -> 4 -> 1; 3 (the loop's
  // test) leaves to 5. A second entry at 3 would enter the cycle in the middle.
  const loop = (): SplitGraph => graph([[1], [2], [3], [4, 5], [1], []]);

  it('puts a guard in front of the cycle: the one way in, to the old header or to the second entry', () => {
    const r = withSecondEntry(loop(), 3);
    expect(r.nodes).toHaveLength(7);
    const guard = r.nodes.findIndex((n) => n.block === GUARD_BLOCK);
    expect(guard).toBe(6);
    expect([...r.nodes[guard]!.succ]).toEqual([[1, 1], [3, 3]]); // header first, then the second entry
    // the entry goes to the guard both ways (its own edge to 1, and the second entry's to 3), and
    // so does the back edge
    expect([...r.nodes[0]!.succ]).toEqual([[1, guard], [3, guard]]);
    expect([...r.nodes[4]!.succ]).toEqual([[1, guard]]);
    expect(reducible(r)).toBe(true);
    expect(makeReducible(r).nodes).toHaveLength(7); // nothing left to copy
  });

  it('structures into one loop headed by the guard, which is placed as a merge node', () => {
    const r = withSecondEntry(loop(), 3);
    const text = toStatements(ts, structure(
      { entry: r.entry, successors: (x) => [...new Set(r.nodes[x]!.succ.values())], merge: (x) => r.nodes[x]!.block === GUARD_BLOCK },
      {
        block: (x, branch) => {
          const blk = r.nodes[x]!.block;
          const to = (b: number) => branch(r.nodes[x]!.succ.get(b)!);
          if (blk === GUARD_BLOCK) return [{ k: 'if', cond: ts.factory.createIdentifier('entering'), then: to(3), else: to(1) }];
          if (blk === 0) return [{ k: 'if', cond: ts.factory.createIdentifier('enter'), then: to(3), else: to(1) }];
          if (blk === 3) return [{ k: 'if', cond: ts.factory.createIdentifier('test'), then: to(4), else: to(5) }];
          const body: SNode[] = [{ k: 'code', stmts: [ts.factory.createExpressionStatement(ts.factory.createCallExpression(ts.factory.createIdentifier(`b${blk}`), undefined, []))] }];
          return blk === 5 ? body : [...body, ...to([...r.nodes[x]!.succ.keys()][0]!)];
        },
        labelFor: (n, kind) => `${kind}${n}`,
      },
    )).map((st) => ts.createPrinter({ removeComments: true }).printNode(ts.EmitHint.Unspecified, st, ts.createSourceFile('x.ts', '', ts.ScriptTarget.Latest))).join('\n');
    expect(text.match(/for \(;;\)/g)).toHaveLength(1);
    for (const b of [1, 2, 4, 5]) expect(text.match(new RegExp(`b${b}\\(\\)`, 'g'))).toHaveLength(1);
    // the loop starts at the guard
    expect(text).toMatch(/for \(;;\) \{\s*if \(!\(entering\)\)/);
  });

  it('adds a plain edge where the second entry starts no cycle, or the cycle is entered only there', () => {
    // 3 is past the loop 1 <-> 2
    const past = withSecondEntry(graph([[1], [2], [1, 3], [4], []]), 3);
    expect(past.nodes.some((n) => n.block === GUARD_BLOCK)).toBe(false);
    expect(past.nodes[0]!.succ.get(3)).toBe(3);
    // 3 heads the cycle 3 <-> 4, which nothing else enters
    const header = withSecondEntry(graph([[1], [2], [3], [4, 5], [3], []]), 3);
    expect(header.nodes.some((n) => n.block === GUARD_BLOCK)).toBe(false);
    expect(reducible(header)).toBe(true);
  });

  it('adds a plain edge when another node outside the cycle also enters it at the second entry', () => {
    // 5 -> 3 from outside: a guard at 1 could not stand for that edge, so node splitting handles it
    const g = withSecondEntry(graph([[1, 5], [2], [3], [4, 6], [1], [3], []]), 3);
    expect(g.nodes.some((n) => n.block === GUARD_BLOCK)).toBe(false);
    expect(reducible(makeReducible(g))).toBe(true);
  });
});

function irOf(source: string) {
  const sf = ts.createSourceFile('pass.ts', source, ts.ScriptTarget.Latest, true);
  const fn = sf.statements.find(ts.isFunctionDeclaration)!;
  const { ir } = new CoroutineBuilder(ts, sf, fn, fn.name!.text, 'generator', false).build();
  const liveness = computeLiveness(ir);
  const layout = layoutFrame(ir, liveness);
  const name = (v: number): string => ir.vars[v]!.name;
  return { ir, liveness, layout, name };
}

describe('value captures (analysis/value-capture.ts)', () => {
  const flags = (source: string) => {
    const { ir, layout, name } = irOf(source);
    const of = (n: string) => ir.vars.find((v) => v.original === n)!;
    return { of, fields: layout.fields.map(name) };
  };

  it('hands closures the value of bindings no write can follow: no box, and a field only where live across a yield', () => {
    const { of, fields } = flags(`function* g(n: number) {
      const base = n;
      for (let i = 0; i < n; i++) {
        const twice = i * 2;
        yield () => base + i + twice;
      }
      for (const [k, v] of [[1, 2]]) yield () => k + v;
    }`);
    for (const n of ['base', 'i', 'twice', 'k', 'v']) {
      expect(of(n).byValue, n).toBe(true);
      expect(of(n).captured || of(n).boxed, n).toBeFalsy();
    }
    // i is read by the update after the yield; twice is dead there; base by the next iteration
    expect(fields).toEqual(expect.arrayContaining(['i', 'base']));
    expect(fields).not.toContain('twice');
  });

  it('keeps a binding shared when a write may follow a closure, or the closure may come first', () => {
    const shared = (body: string, n: string) => {
      const v = flags(`function* g(n: number) { ${body} }`).of(n);
      expect(v.byValue, body).toBeFalsy();
      expect(v.captured, body).toBe(true);
    };
    shared('let x = 1; const f = () => x; yield; x = 2; return f;', 'x');
    shared('let x; const f = () => x; x = 2; yield f;', 'x');
    shared('const f = () => x; const x = 1; yield f;', 'x');
    shared('for (let i = 0; i < n; i++) { yield () => i; i++; }', 'i');
    shared('for (let i = 0; i < n; i++) { yield () => i; (() => { i = 3; })(); }', 'i');
    shared('const fs = []; for (let i = 0; i < n; fs.push(() => i), i++) yield;', 'i');
    shared('for (let i = 0; (yield () => i) && i < n; i++);', 'i');
    shared('switch (n) { case 0: const c = 1; yield () => c; }', 'c');
    shared('const c = 1; yield class { m() { return c; } };', 'c');
    shared('const c = 1; yield function* () { yield c; };', 'c');
    shared('const c = 1; yield async () => c;', 'c');
    shared('const c = 1; yield { get v() { return c; } };', 'c');
    shared('const c = 1; { function h() { return c; } yield h; }', 'c');
    shared('const c = 1; const f = () => c; yield () => eval("c") + f();', 'c');
  });
});

describe('liveness and frame layout', () => {
  it('gives frame fields only to variables live across a suspension', () => {
    const { ir, layout, name } = irOf(`function* g(n: number) {
      const before = n * 2;      // used after the yield: a field
      const scratch = n + 1;     // dead before the yield: a local
      console.log(scratch);
      yield before;
      const after = before + 1;  // defined and used after the last yield: a local
      return after;
    }`);
    const fields = layout.fields.map(name).filter((n) => !n.startsWith('$'));
    expect(fields).toContain('before');
    expect(fields).not.toContain('scratch');
    expect(fields).not.toContain('after');
    // The yield's live-across set names exactly `before` among the user's variables.
    const y = ir.suspends.find((s) => s.kind === 'yield')!;
    expect([...layout.suspends[y.id]!.liveAcross].map(name).filter((n) => !n.startsWith('$'))).toEqual(['before']);
  });

  it('keeps a variable captured by a closure in the frame for the whole call', () => {
    const { layout, name } = irOf(`function* g() {
      let x = 1;
      const f = () => x;
      x = 2;
      return f();
    }`);
    expect(layout.fields.map(name)).toContain('x');
  });

  it('gives a boxed variable (captured, declared in a loop) a field only where its box is live across a suspension', () => {
    const { ir, layout, liveness, name } = irOf(`function* g(n: number) {
      const fns: (() => number)[] = [];
      for (let i = 0; i < n; i++) {
        let twice = i * 2;         // closures keep its box; nothing after the yield reads it
        fns.push(() => i + twice);
        twice++, i += 0;           // written after the closure: boxes, not values
        yield fns.length;
      }
      while (true) yield fns;      // the loop is over: no box is live here
    }`);
    const twice = ir.vars.find((v) => v.original === 'twice')!;
    const i = ir.vars.find((v) => v.original === 'i')!;
    expect(twice.boxed && i.boxed).toBe(true);
    // i's box is read by the loop update after the yield; twice's is not
    expect(layout.fields.map(name)).toContain('i');
    expect(layout.fields.map(name)).not.toContain('twice');
    // suspended in the last loop, the frame holds neither box
    const last = ir.suspends[ir.suspends.length - 1]!;
    expect([...liveness.liveIn[last.resume]!].map(name)).not.toContain('i');
  });

  it('counts a loop back edge: a variable read at the top of the next iteration lives across the yield', () => {
    const { ir, layout, name } = irOf(`function* g() {
      let sum = 0;
      for (let i = 0; i < 3; i++) {
        yield i;
        sum += i;
      }
      return sum;
    }`);
    const y = ir.suspends.find((s) => s.kind === 'yield')!;
    const live = [...layout.suspends[y.id]!.liveAcross].map(name);
    expect(live).toEqual(expect.arrayContaining(['sum', 'i']));
  });
});

describe('chooseShape', () => {
  it('keeps structured resume functions for a small body and switches to dispatch when copies would blow up', () => {
    const small = irOf('function* g() { yield 1; yield 2; }');
    expect(chooseShape(small.ir, small.layout).kind).toBe('structured');
    // 60 nested try/finally loops with yields: structured copies grow much faster than the body.
    const depth = 60;
    let body = 'yield 0;';
    for (let k = 0; k < depth; k++) body = `for (let i${k} = 0; i${k} < 2; i${k}++) { try { ${body} } finally { yield ${k}; } }`;
    const big = irOf(`function* g() { ${body} }`);
    expect(chooseShape(big.ir, big.layout).kind).toBe('dispatch');
  });
});

describe('shareResumeFunctions', () => {
  const sf = ts.createSourceFile('x.ts', '', ts.ScriptTarget.ESNext);
  const parse = (text: string): ts.FunctionDeclaration[] =>
    ts.createSourceFile('fns.ts', text, ts.ScriptTarget.ESNext, true).statements.filter(ts.isFunctionDeclaration);
  const print = (fns: ts.FunctionDeclaration[]): string => fns.map((fn) => ts.createPrinter().printNode(ts.EmitHint.Unspecified, fn, sf)).join('\n');

  it('keeps the first of equal functions, ignoring their labels, and renames references to the rest', () => {
    const fns = parse(`
      function g$resume0($f, $v) { $f.$r = g$resume2; return 0; }
      function g$resume1($f, $v) { loop1: for (;;) { if ($f.i++ < 3) { $f.$r = g$resume1; return 1; } $f.$r = g$resume2; return 2; } }
      function g$resume2($f, $v) { loop2: for (;;) { if ($f.i++ < 3) { $f.$r = g$resume1; return 1; } $f.$r = g$resume2; return 2; } }
      function g$resume3($f, $v, $m) { loop3: for (;;) { if ($f.i++ < 3) { $f.$r = g$resume1; return 1; } $f.$r = g$resume2; return 2; } }`);
    const labels = [[], ['loop1'], ['loop2'], ['loop3']];
    const { functions, alias } = shareResumeFunctions(ts, sf, fns, (i) => labels[i]!);
    // resume3 takes a third parameter (it dispatches on the mode): not the same function
    expect([...alias]).toEqual([['g$resume2', 'g$resume1']]);
    expect(functions.map((f) => f.name!.text)).toEqual(['g$resume0', 'g$resume1', 'g$resume3']);
    expect(print(functions)).not.toMatch(/g\$resume2/);
  });

  it('finds functions that become equal once others are merged, and leaves different ones alone', () => {
    const fns = parse(`
      function g$resume0($f, $v) { $f.$r = g$resume1; return 0; }
      function g$resume1($f, $v) { $f.$r = g$resume3; return 1; }
      function g$resume2($f, $v) { $f.$r = g$resume4; return 1; }
      function g$resume3($f, $v) { return $v; }
      function g$resume4($f, $v) { return $v; }
      function g$resume5($f, $v) { return $v + 1; }`);
    const { functions, alias } = shareResumeFunctions(ts, sf, fns, () => []);
    expect(Object.fromEntries(alias)).toEqual({ g$resume4: 'g$resume3', g$resume2: 'g$resume1' });
    expect(functions.map((f) => f.name!.text)).toEqual(['g$resume0', 'g$resume1', 'g$resume3', 'g$resume5']);
  });

  it('compares locals by position, not by name, and never renames a property', () => {
    const fns = parse(`
      function g$resume0($f, $v) { let a = $f.a, $returned5; $returned5 = $v; return [a, $returned5]; }
      function g$resume1($f, $v) { let a = $f.a, $returned6; $returned6 = $v; return [a, $returned6]; }
      function g$resume2($f, $v) { let b = $f.b, $returned7; $returned7 = $v; return [b, $returned7]; }
      function g$resume3($f, $v) { let a = $f.a, x; x = $v; return { a, x }; }
      function g$resume4($f, $v) { let a = $f.a, y; y = $v; return { a, y }; }
      function g$resume5($f, $v) { let a = $f.a, y; y = $v; return { a: y }; }
      function g$resume6($f, $v) { let a = $f.a, z; z = $v; return { a: z }; }`);
    const { alias } = shareResumeFunctions(ts, sf, fns, () => []);
    // resume2 loads another field; resume3/4 return objects with different keys (shorthand)
    expect(Object.fromEntries(alias)).toEqual({ g$resume1: 'g$resume0', g$resume6: 'g$resume5' });
  });
});

/** The IR of the first function in `source`, built in `mode`, with its text. */
function built(source: string, mode: 'generator' | 'coroutine' = 'generator') {
  const sf = ts.createSourceFile('pass.ts', source, ts.ScriptTarget.Latest, true);
  const fn = sf.statements.find(ts.isFunctionDeclaration)!;
  const { ir } = new CoroutineBuilder(ts, sf, fn, fn.name!.text, mode, false).build();
  const text = printIR(ts, ir, sf);
  /** the block whose statements print as `code` */
  const blockWith = (code: string): number => ir.blocks.findIndex((b) => b.stmts.some((st) => ts.createPrinter().printNode(ts.EmitHint.Unspecified, st.node, sf).includes(code)));
  return { ir, text, blockWith };
}

describe('successors', () => {
  it('gives a block an edge to its region\'s handler unless it only stores constants into temporaries and jumps', () => {
    const { ir } = irOf(`function* g(f) { try { f(); yield 1; } finally { f(); } }`);
    const region = ir.regions[0]!;
    const inTry = ir.blocks.filter((b) => b.region === region.id && b.term.kind !== 'resume');
    const edgesOut = (b: (typeof ir.blocks)[number]) => successors(ir, b).filter((e) => e.kind === 'throw');
    // the normal exit: `$completion = 0; $completionValue = void 0;` and a jump to the finally block
    const normalExit = inTry.find((b) => b.stmts.length > 0 && b.stmts.every((st) => st.quiet))!;
    expect(normalExit.term).toEqual({ kind: 'goto', target: region.finally!.entry });
    expect(edgesOut(normalExit)).toEqual([]);
    // the call can throw
    const call = inTry.find((b) => b.stmts.some((st) => !st.quiet))!;
    expect(edgesOut(call)).toEqual([{ target: region.handler, kind: 'throw', defs: [region.exc] }]);
    // a store of the user's own variable is never quiet, nor one of a value that is not a constant
    const user = irOf(`function* g() { let x; try { x = 1; yield x; x = f(); yield x; } finally {} }`).ir;
    for (const b of user.blocks) for (const st of b.stmts) if (st.quiet) expect(user.vars[st.defs[0]!]!.kind).toBe('temp');
  });
});

describe('printIR', () => {
  it('shows regions, suspension points, statements with their effects, and terminators', () => {
    const { ir, text } = built(`function* g(n: number) {
      try { for (let i = 0; i < n; i++) { const x = yield i; if (x) break; } } finally { n = 0; }
      return n;
    }`);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`coroutine g (generator): entry b${ir.entry}, params n`);
    const region = ir.regions[0]!;
    const name = (v: number) => ir.vars[v]!.name;
    expect(lines).toContain(`  r0: try -> b${region.handler} (${name(region.exc)}) finally b${region.finally!.entry} (code ${name(region.finally!.code)}, value ${name(region.finally!.value)})`);
    // the loop's yield is inside the try, which has no catch: its resume point sends throw() and
    // return() straight into the finally block, storing the resume mode as the completion code
    const y = ir.blocks.find((b) => b.term.kind === 'yield')!;
    expect(lines).toContain(`b${y.id} "for body" in r0:`);
    expect(lines).toContain(`  yield i -> #1`);
    const fin = region.finally!;
    const esc = (v: number) => name(v).replace('$', '\\$');
    expect(text).toMatch(new RegExp(`resume #1: next b\\d+ \\(\\$sent1\\), throw b${fin.entry} \\(${esc(fin.value)}\\), return b${fin.entry} \\(${esc(fin.value)}\\), mode ${esc(fin.code)}`));
    // the finally block dispatches on its completion code: throw, return, else fall through
    expect(text).toMatch(new RegExp(`switch \\${name(region.finally!.code)} \\{ 1: b\\d+, 2: b\\d+, default: b\\d+ \\}`));
    // per-iteration bindings: a box for i at loop entry and a copy per iteration
    expect(lines).toContain('  box i (copy)');
    expect(text).toMatch(/x = \$sent1;\s+\/\/ defs x; uses \$sent1/);
  });
});

describe('destroyGraph', () => {
  it('follows only the completions a destroy can carry: the pending finally blocks, not the code after them', () => {
    const { ir, blockWith } = built(`function* g(log: string[]): T {
      try { log.push('body'); yield* a; log.push('after await'); } finally { log.push('finally'); }
      log.push('after try');
    }`, 'coroutine');
    const resume = ir.blocks.find((b) => b.term.kind === 'resume' && b.term.suspend === 1)!;
    if (resume.term.kind !== 'resume') throw new Error('no resume block');
    for (const code of ["log.push('finally')", "log.push('after try')", "log.push('after await')"]) expect(blockWith(code)).toBeGreaterThanOrEqual(0);
    const edges = destroyGraph(ts, ir, resume.term.returnTarget);
    const reached = new Set<number>([resume.term.returnTarget]);
    for (const [, to] of edges) for (const t of to) reached.add(t);
    expect(reached.has(blockWith("log.push('finally')"))).toBe(true);
    expect(reached.has(ir.destroy!)).toBe(true);
    // the finally's switch on its completion code: only the return route is live on this path
    expect(reached.has(blockWith("log.push('after try')"))).toBe(false);
    expect(reached.has(blockWith("log.push('after await')"))).toBe(false);
  });
});

describe('widenTries', () => {
  // Statements are `quiet()` (cannot throw) or `loud()` (can); a try's handler jumps to `h`.
  const f = ts.factory;
  const stmt = (name: string): SNode => ({ k: 'code', stmts: [f.createExpressionStatement(f.createCallExpression(f.createIdentifier(name), undefined, []))] });
  const guarded = (name: string, key = 'K', to = 'h'): SNode => ({ k: 'try', body: [stmt(name)], catchName: '$e', handler: [stmt('quiet'), { k: 'break', label: to }], key });
  const quietCode = {
    stmt: (st: ts.Statement) => ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && (st.expression.expression as ts.Identifier).text === 'quiet',
    expr: (e: ts.Expression) => ts.isIdentifier(e) && (e.text === 'c' || e.text === '$c'),
    cond: '$c',
  };
  const print = (nodes: SNode[]): string => {
    const sf = ts.createSourceFile('x.ts', '', ts.ScriptTarget.ES2022);
    return toStatements(ts, nodes).map((st) => ts.createPrinter().printNode(ts.EmitHint.Unspecified, st, sf)).join(' ').replace(/\s+/g, ' ');
  };

  it('covers the quiet code, branches and jumps around a try with it, and merges the tries of the same handler', () => {
    const tree: SNode[] = [
      stmt('quiet'),
      { k: 'if', cond: f.createIdentifier('c'), then: [guarded('loud1'), { k: 'break', label: 'out' }], else: [] },
      guarded('loud2'),
      stmt('quiet'),
      { k: 'continue', label: 'top' },
    ];
    // (the jump that ends it goes after it: see the next case)
    expect(print(widenTries(ts, tree, quietCode))).toBe('try { quiet(); if (c) { loud1(); break out; } loud2(); quiet(); } catch ($e) { quiet(); break h; } continue top;');
  });

  it('puts the jump that ends the widened try after it, where a loop or block can drop it', () => {
    const loopTail: SNode[] = [guarded('loud1'), { k: 'if', cond: f.createIdentifier('c'), then: [stmt('quiet'), { k: 'break', label: 'out' }], else: [{ k: 'continue', label: 'top' }] }];
    expect(print(widenTries(ts, loopTail, quietCode))).toBe('try { loud1(); if (c) { quiet(); break out; } } catch ($e) { quiet(); break h; } continue top;');
    // not when the handler falls through: the jump would then follow the handler too
    const soft: SNode = { k: 'try', body: [stmt('loud1')], catchName: '$e', handler: [stmt('quiet')], key: 'S' };
    expect(print(widenTries(ts, [soft, { k: 'break', label: 'x' }], quietCode))).toBe('try { loud1(); break x; } catch ($e) { quiet(); }');
  });

  it('stops at code that can throw outside the try, and at a condition that can', () => {
    const tree: SNode[] = [stmt('loud0'), guarded('loud1'), stmt('quiet'), { k: 'if', cond: f.createIdentifier('d'), then: [stmt('quiet')], else: [] }, guarded('loud2')];
    expect(print(widenTries(ts, tree, quietCode))).toBe('loud0(); try { loud1(); quiet(); } catch ($e) { quiet(); break h; } if (d) { quiet(); } try { loud2(); } catch ($e) { quiet(); break h; }');
  });

  it('keeps a try with another handler whole inside, and does not unwrap the first handler inside it', () => {
    const inner: SNode = { k: 'try', body: [guarded('loud2')], catchName: '$e', handler: [stmt('quiet'), { k: 'break', label: 'h2' }], key: 'K2' };
    const tree: SNode[] = [guarded('loud1'), inner, guarded('loud3')];
    expect(print(widenTries(ts, tree, quietCode))).toBe(
      'try { loud1(); try { try { loud2(); } catch ($e) { quiet(); break h; } } catch ($e) { quiet(); break h2; } loud3(); } catch ($e) { quiet(); break h; }',
    );
    // a handler that can throw keeps its try out of the first one (the first, whose handler
    // cannot, may go inside it)
    const noisy: SNode = { k: 'try', body: [stmt('loud2')], catchName: '$e', handler: [stmt('loud9'), { k: 'break', label: 'h2' }], key: 'K2' };
    expect(print(widenTries(ts, [guarded('loud1'), noisy], quietCode))).toBe('try { try { loud1(); } catch ($e) { quiet(); break h; } loud2(); } catch ($e) { loud9(); break h2; }');
  });

  it('does not merge tries whose handlers jump to different places', () => {
    expect(print(widenTries(ts, [guarded('loud1'), guarded('loud2', 'K', 'other')], quietCode))).toBe('try { loud1(); try { loud2(); } catch ($e) { quiet(); break other; } } catch ($e) { quiet(); break h; }');
  });

  it('tests a condition where it is computed once both are in one try', () => {
    const computed: SNode = { k: 'try', body: [{ k: 'code', stmts: [f.createExpressionStatement(f.createAssignment(f.createIdentifier('$c'), f.createCallExpression(f.createIdentifier('loud1'), undefined, [])))] }], catchName: '$e', handler: [stmt('quiet'), { k: 'break', label: 'h' }], key: 'K' };
    const tree: SNode[] = [computed, { k: 'if', cond: f.createIdentifier('$c'), then: [{ k: 'break', label: 'a' }], else: [stmt('quiet')] }];
    expect(print(widenTries(ts, tree, quietCode))).toBe('try { if (loud1()) { break a; } quiet(); } catch ($e) { quiet(); break h; }');
  });
});
