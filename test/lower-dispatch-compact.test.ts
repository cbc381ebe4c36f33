// The dispatch shape's compaction on its own: structured nodes in, structured nodes out, printed
// so that a test reads JavaScript. Each rewrite (threading, moving a once-reached block to its
// jump, falling through) is checked on the smallest case that needs it, and so are the cases it
// must leave alone: resume entries, blocks reached twice, and a block that jumps to itself.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compactDispatch, type DispatchCase } from '../transformer/lower/emit/dispatch-compact.js';
import { fallsThrough, toStatements, type SNode } from '../transformer/lower/structure.js';

const f = ts.factory;
const printer = ts.createPrinter({ removeComments: true });
const sf = ts.createSourceFile('x.js', '', ts.ScriptTarget.Latest);

const js = (text: string): SNode => ({ k: 'code', stmts: ts.createSourceFile('c.js', text, ts.ScriptTarget.Latest).statements.slice() });
const jumpTo = (to: number): SNode[] => [{ k: 'code', stmts: [f.createExpressionStatement(f.createAssignment(f.createIdentifier('s'), f.createNumericLiteral(to)))] }, { k: 'continue', label: 'L' }];

describe('dispatch compaction', () => {
  it('moves a block reached by one jump to that jump, and drops its case', () => {
    const r = dispatchWith((J) => ({ 0: [js('a();'), J(1)], 1: [js('b();'), js('return 1;')] }), [0]);
    expect(r.values).toEqual([0]);
    expect(r.text).toBe('for (;;) { switch (s) { default: a(); b(); return 1; } }');
  });

  it('keeps a block reached twice as a case, and falls through to it from the case before', () => {
    const r = dispatchWith((J) => ({ 0: [{ k: 'if', cond: f.createIdentifier('c'), then: [js('x();'), ...J(2)], else: [] }, J(2)], 2: [js('return 2;')] }), [0]);
    expect(r.values).toEqual([0, 2]);
    expect(r.text).toBe('for (;;) { switch (s) { case 0: if (c) { x(); s = 2; continue; } default: return 2; } }');
  });

  it('threads jumps through a block that only jumps on', () => {
    const r = dispatchWith((J) => ({ 0: [{ k: 'if', cond: f.createIdentifier('c'), then: J(1), else: [] }, J(3)], 1: [J(3)], 3: [js('return 3;')], 4: [js('q();'), J(3)] }), [0, 4]);
    // Block 1 is gone; 3 is reached three times (0 twice, through 1 and directly; 4 once).
    expect(r.values).toEqual([0, 3, 4]);
    expect(r.text).toContain('if (c) { s = 3; continue; }');
    expect(r.text).not.toContain('s = 1');
  });

  it('never moves a resume entry: its resume function enters it by number', () => {
    const r = dispatchWith((J) => ({ 0: [js('a();'), J(5)], 5: [js('return 5;')] }), [0, 5]);
    expect(r.values).toEqual([0, 5]);
    // (the jump to the next case falls through)
    expect(r.text).toBe('for (;;) { switch (s) { case 0: a(); default: return 5; } }');
  });

  it('keeps a loop: a block whose one jump is its own', () => {
    const r = dispatchWith((J) => ({ 0: [js('i = 0;'), J(1)], 1: [{ k: 'if', cond: f.createIdentifier('more'), then: [js('i++;'), ...J(1)], else: [] }, js('return i;')] }), [0]);
    // 1 is reached from 0 and from itself: two jumps, so it stays, entered by falling through.
    expect(r.values).toEqual([0, 1]);
    expect(r.text).toBe('for (;;) { switch (s) { case 0: i = 0; default: if (more) { i++; s = 1; continue; } return i; } }');
  });

  it('lays a case out after the case that jumps to it last, so that the jump falls through', () => {
    // 0 suspends or goes on to 9; 4 (a resume entry) jumps back to 9 too, so 9 stays a case. In
    // block order 4 would sit between them; laid out, 9 follows 0, whose `else` jump is hoisted
    // out of the `if` and then dropped.
    const r = dispatchWith(
      (J) => ({
        0: [{ k: 'if', cond: f.createIdentifier('c'), then: [js('return 0;')], else: J(9) }],
        4: [js('y();'), J(9)],
        9: [js('return 9;')],
      }),
      [0, 4],
    );
    expect(r.values).toEqual([0, 9, 4]);
    expect(r.text).toBe('for (;;) { switch (s) { case 0: if (c) { return 0; } case 9: return 9; default: y(); s = 9; continue; } }');
  });

  it('moves a handler reached from one catch into the catch', () => {
    const r = dispatchWith((J) => ({ 0: [{ k: 'try', body: [js('risky();')], catchName: 'e', handler: [js('x = e;'), ...J(7)] }, js('return 0;')], 7: [js('return x;')] }), [0]);
    expect(r.values).toEqual([0]);
    expect(r.text).toBe('for (;;) { switch (s) { default: try { risky(); } catch (e) { x = e; return x; } return 0; } }');
  });
});

/** Compacts the blocks `build` makes (with J(n) for a jump to block n) and prints the dispatch loop. */
function dispatchWith(build: (J: (to: number) => SNode[]) => Record<number, (SNode | SNode[])[]>, entries: number[]) {
  const stores = new Map<SNode, number>();
  const J = (to: number): SNode[] => {
    const [store, cont] = jumpTo(to);
    stores.set(store, to);
    return [store, cont];
  };
  const blocks = build(J);
  const cases: DispatchCase[] = Object.entries(blocks).map(([v, body]) => ({ value: Number(v), body: body.flat() }));
  const out = compactDispatch(cases, new Set(entries), { targetOf: (n) => stores.get(n), make: J, fallsThrough: (l) => fallsThrough(ts, l) });
  const last = out.pop()!;
  const stmts = toStatements(ts, [{ k: 'loop', label: 'L', body: [{ k: 'switch', on: f.createIdentifier('s'), cases: out, default: last.body }] }]);
  return { values: [...out.map((c) => c.value), last.value], text: stmts.map((s) => printer.printNode(ts.EmitHint.Unspecified, s, sf)).join('\n').replace(/\s+/g, ' ') };
}
