// The segment emitter on its own, driven by an ABI written here: a coroutine kind corosplit does
// not ship (resume functions return `[tag, value]` pairs, and throw()/return() arrive as a mode),
// built from the same IR, liveness, layout and shapes as the real ones. If the emitter only worked
// with the ABIs it was written for, this would not match native generators.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CoroutineBuilder } from '../transformer/lower/build.js';
import { inFrame } from '../transformer/lower/ir.js';
import { computeLiveness } from '../transformer/lower/liveness.js';
import { dispatchSuspendActions, layoutFrame, suspendActions, wholeSegment } from '../transformer/lower/layout.js';
import { chooseShape } from '../transformer/lower/analysis/shape.js';
import { createSegmentEmitter, type CoroutineAbi } from '../transformer/lower/emit/segment.js';

/** Lowers the first function of `source` with the pair ABI; returns a factory for its coroutines. */
function lowerWithPairAbi(source: string, shape: 'auto' | 'dispatch'): { code: string; start: (...args: unknown[]) => { step(mode: number, v?: unknown): [string, unknown] } } {
  const sf = ts.createSourceFile('toy.ts', source, ts.ScriptTarget.Latest, true);
  const fn = sf.statements.find(ts.isFunctionDeclaration)!;
  const built = new CoroutineBuilder(ts, sf, fn, 'toy', 'generator', false).build();
  const { ir } = built;
  const liveness = computeLiveness(ir);
  const layout = layoutFrame(ir, liveness);
  const f = ts.factory;
  const id = (n: string): ts.Identifier => f.createIdentifier(n);
  const pair = (tag: string, value: ts.Expression): ts.Expression => f.createArrayLiteralExpression([f.createStringLiteral(tag), value]);
  const emitter = createSegmentEmitter(
    {
      ts,
      ir,
      layout,
      liveness,
      refs: built.refs,
      helperRefs: built.helperRefs,
      nativeCaptures: built.nativeCaptures,
      namesWritable: built.namesWritable,
      tdzRefs: built.tdzRefs,
      sourceFile: sf,
      runtime: (name: string) => id(`rt.${name}`),
      names: { frame: '$f', caught: '$e', cond: '$c', resume: (i) => `r${i}`, label: (n, kind) => `${kind}${n < 0 ? "_" : n}`, dispatch: { run: () => 'run', state: '$s' } },
      strict: true,
      isNestedLowerable: () => false,
      lowerNested: (n) => n,
      pushCollector: () => {},
      popCollector: () => [],
    },
    ({ rewrite, fieldAccess, assignLocal, code }): CoroutineAbi => ({
      fields: '$f',
      completeWith: (value) => pair('done', value ?? f.createVoidZero()),
      quietHelpers: new Set(),
      quietNames: ['$v', '$m'],
      strictPrologue: false,
      suspend(cx, t) {
        const acts = cx.structured ? suspendActions(ir, liveness, cx.seg, t.suspend) : dispatchSuspendActions(ir, liveness, t.suspend);
        const value = cx.scratch('$c');
        const seq: ts.Statement[] = [...cx.body, f.createExpressionStatement(f.createAssignment(value, rewrite(t.value)))];
        for (const v of acts.stores) if (!inFrame(ir.vars[v]!)) seq.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), id(ir.vars[v].name))));
        for (const v of acts.clears) seq.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createVoidZero())));
        seq.push(f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(id('$f'), '$r'), id(`r${layout.suspends[t.suspend].resumeSegment}`))));
        seq.push(f.createReturnStatement(pair('yield', id('$c'))));
        return cx.protect(seq, []);
      },
      complete: (cx, t) => cx.protect([...cx.body, f.createReturnStatement(pair('done', rewrite(t.value)))], []),
      resume: (cx, t) => [
        {
          k: 'if',
          cond: f.createStrictEquality(id('$m'), f.createNumericLiteral(1)),
          then: [code([assignLocal(t.exc, id('$v'))]), ...cx.branch(t.throwTarget)],
          else: [
            {
              k: 'if',
              cond: f.createStrictEquality(id('$m'), f.createNumericLiteral(2)),
              then: [code([assignLocal(t.ret, id('$v'))]), ...cx.branch(t.returnTarget)],
              else: [...(t.sent !== undefined ? [code([assignLocal(t.sent, id('$v'))])] : []), ...cx.branch(t.next)],
            },
          ],
        },
      ],
      resumeDelegate: () => {
        throw new Error('no yield* in the pair ABI');
      },
      params: (_seg, placement) => (placement.kind === 'dispatch' ? ['$f', '$v', '$m', '$s'] : ['$f', '$v', '$m']),
      leadingDecls: () => [],
      unusedLocals: () => new Set(),
      body: (_seg, main) => main,
    }),
  );
  const shapeChosen = chooseShape(ir, layout, undefined, shape);
  const fns =
    shapeChosen.kind === 'structured'
      ? layout.segments.map((seg, i) => emitter.resumeFunction(seg, { kind: 'structured', graph: shapeChosen.graphs[i]! }))
      : [
          ...layout.segments.map((seg) =>
            f.createFunctionDeclaration(undefined, undefined, `r${seg.index}`, undefined, ['$f', '$v', '$m'].map((p) => f.createParameterDeclaration(undefined, undefined, p)), undefined,
              f.createBlock([f.createReturnStatement(f.createCallExpression(id('run'), undefined, [id('$f'), id('$v'), id('$m'), f.createNumericLiteral(seg.entry)]))], true)),
          ),
          emitter.resumeFunction(wholeSegment(ir, layout), { kind: 'dispatch' }),
        ];
  const printer = ts.createPrinter();
  const code = fns.map((fd) => printer.printNode(ts.EmitHint.Unspecified, fd, sf)).join('\n');
  const params = ir.params.map((v) => ir.vars[v]!.name);
  // A frame is a plain object; a step runs the resume function it points at.
  const start = new Function('rt', `${code}\nreturn (${params.join(', ')}) => { const $f = { $r: r0, ${params.join(', ')} }; return { step(m, v) { const r = $f.$r; $f.$r = null; return r($f, v, m); } }; };`)({}) as any;
  return { code, start };
}

/** Drives a native generator and the pair-ABI coroutine through the same next/throw/return script. */
function compare(source: string, args: unknown[], script: [number, unknown][], shape: 'auto' | 'dispatch'): void {
  const native = new Function(`${source}; return toy;`)()(...args) as Generator;
  const { start, code } = lowerWithPairAbi(source, shape);
  const lowered = start(...args);
  const run = (op: () => unknown): unknown => {
    try {
      return op();
    } catch (e) {
      return `threw ${String(e)}`;
    }
  };
  const trace = (which: 'native' | 'lowered'): unknown[] => {
    const out: unknown[] = [];
    for (const [mode, v] of script) {
      if (which === 'native') {
        out.push(run(() => {
          const r = mode === 0 ? native.next(v) : mode === 1 ? native.throw(v) : native.return(v);
          return [r.done ? 'done' : 'yield', r.value];
        }));
      } else out.push(run(() => lowered.step(mode, v)));
      const last = out[out.length - 1];
      // (a finished or failed native generator only reports done; the toy driver has no such state)
      if ((Array.isArray(last) && last[0] === 'done') || (typeof last === 'string' && last.startsWith('threw'))) break;
    }
    return out;
  };
  expect(trace('lowered'), code).toEqual(trace('native'));
}

const program = `function* toy(n) {
  let s = 0;
  const fns = [];
  for (let i = 0; i < n; i++) {
    try {
      const got = yield i;
      if (got === 'stop') break;
      s += got;
      fns.push(() => i * 100 + s);
    } catch (e) {
      s -= 1;
    } finally {
      s += 1000;
    }
  }
  yield fns.map((g) => g());
  return s;
}`;

describe('the segment emitter with an ABI it was not written for', () => {
  for (const shape of ['auto', 'dispatch'] as const) {
    it(`matches native generators (${shape} shape): loops, try/catch/finally, per-iteration boxes, throw() and return()`, () => {
      compare(program, [4], [[0, undefined], [0, 1], [1, 'boom'], [0, 2], [0, 3], [0, 4], [0, undefined]], shape);
      compare(program, [5], [[0, undefined], [0, 10], [0, 'stop'], [0, undefined]], shape);
      compare(program, [3], [[0, undefined], [0, 1], [2, 'early'], [0, undefined]], shape);
      compare(program, [3], [[0, undefined], [1, new Error('out')], [0, 1]], shape);
    });
  }
});
