// The speculative body function of a task child that can be elided although it suspends
// (analysis/task-elision.ts, runtime/task-elision.ts): the elided-task ABI of the one segment
// emitter. Its segment is the whole body from the entry, every await continuing in place:
//
//   function child$fast($f, $m, a, b) {
//     let <locals>;
//     if (!coElidable($m)) return coElideRamp(child(a, b));
//     …body… at each await:
//       $c = <operand>;
//       if (<$c is not an awaiter>) { <materialize at K>; return coElideSuspend($f, $v, 1, $c, void 0); }
//       if ($c.awaitReady($f, 1)) { <sent> = $c.awaitResume(); <budget spent: materialize, kind 2> }
//       else { <materialize at K>; return coElideSuspend($f, $v, 0, $c, void 0); }
//     (one materialization per await, reached through a kind variable, was measured 12 % slower)
//     return <value>;                       (an exception just propagates to the awaiting task)
//   }
//
// `$f` is the frame of the real task running it and `$m` the elided nesting depth. Materializing
// at K makes the frame (`$v = coElideFrame($f, Frame)`), stores the values live across K into its
// fields, sets its resume point to K's resume function and hands over to the runtime, which
// finishes the await as that resume point's own suspension would have. Those statements cannot
// throw, so a user `try` around the await never sees them; the handover itself never throws.
import type * as TS from 'typescript';
import { inFrame, successors, type BlockId, type Block } from '../ir.js';
import { buildSegment } from '../layout.js';
import { IrreducibleError, makeReducible } from '../reducible.js';
import { blockWeight, COPY_FACTOR, COPY_SLACK, segmentGraph } from '../analysis/shape.js';
import { LoweringError } from '../errors.js';
import { createSegmentEmitter, type CoroutineAbi } from './segment.js';
import { budgetAsks, notAwaiterTest, type CoEmitInput, type CoroutineHelper } from './promise.js';

export interface ElidedBodyNames {
  /** the function's name (`child$fast`) */
  name: string;
  /** the coroutine's ramp (its declared name), which the function calls when it cannot run elided */
  ramp: string;
}

/** The index the body function's segment gets (it is no resume point). */
const BODY = -2;

/**
 * The speculative body function, and whether it runs the body. Without one that fits (an
 * irreducible or too large body), a function that always takes the ramp: callers are emitted
 * before it is known. `dispatchShaped`: the resume functions took the dispatch shape, so the body is
 * too large or too tangled to be copied structured once more (nested loops with try/finally
 * k deep pass the copy budget by blocks, but their nesting makes the printed copy grow as k²).
 */
export function emitElidedBody(input: CoEmitInput, fast: ElidedBodyNames, dispatchShaped: boolean): { fn: TS.FunctionDeclaration; runsBody: boolean } {
  const made = elidedBodyFunction(input, fast, dispatchShaped);
  return { fn: made ?? rampOnlyFunction(input, fast), runsBody: made !== undefined };
}

/** `coElideRamp(child(…params))`: the body function's way out to the ramp. */
function rampCall(input: CoEmitInput, fast: ElidedBodyNames): TS.Expression {
  const f = input.ts.factory;
  const params = input.ir.params.map((v) => f.createIdentifier(input.ir.vars[v].name));
  return f.createCallExpression(input.runtime('coElideRamp'), undefined, [f.createCallExpression(f.createIdentifier(fast.ramp), undefined, params)]);
}

/** The body function's parameters: the running task's frame, the elided depth, the child's own. */
function bodyParams(input: CoEmitInput): string[] {
  return [input.names.frame, input.names.mode, ...input.ir.params.map((v) => input.ir.vars[v].name)];
}

/** A body function that always takes the ramp. */
function rampOnlyFunction(input: CoEmitInput, fast: ElidedBodyNames): TS.FunctionDeclaration {
  const f = input.ts.factory;
  return f.createFunctionDeclaration(undefined, undefined, fast.name, undefined, bodyParams(input).map((p) => f.createParameterDeclaration(undefined, undefined, p)), undefined, f.createBlock([f.createReturnStatement(rampCall(input, fast))], true));
}

function elidedBodyFunction(input: CoEmitInput, fast: ElidedBodyNames, dispatchShaped: boolean): TS.FunctionDeclaration | undefined {
  if (dispatchShaped) return undefined;
  const { ts, ir, layout, names, runtime, liveness } = input;
  const f = ts.factory;

  const entry = ir.suspends[0].resume;
  const follow = (b: Block): BlockId[] => {
    const t = b.term;
    if (t.kind === 'resume') return b.id === entry ? [t.next] : [];
    if (t.kind === 'yield') {
      const rt = ir.blocks[ir.suspends[t.suspend].resume].term;
      // (and its handler: the await's own exceptions, awaitReady's or awaitResume's, go there)
      return [...(rt.kind === 'resume' ? [rt.next] : []), ...successors(ir, b).map((e) => e.target)];
    }
    return successors(ir, b).map((e) => e.target);
  };
  const seg = { ...buildSegment(ir, liveness, BODY, 0, entry, (b) => follow(ir.blocks[b])), loads: [] };
  // Values a closure captures live in the frame from the start: there is none to hold them.
  if (ir.vars.some(inFrame)) return undefined;
  let graph;
  try {
    graph = makeReducible(segmentGraph(ir, seg, entry, follow), 64, seg.blocks.length * 4 + 64);
  } catch (e) {
    if (e instanceof IrreducibleError) return undefined;
    throw e;
  }
  const base = seg.blocks.reduce((s, b) => s + blockWeight(ir, b), 0);
  if (graph.nodes.reduce((s, n) => s + blockWeight(ir, n.block), 0) > COPY_FACTOR * base + COPY_SLACK) return undefined;

  const frameId = (): TS.Identifier => f.createIdentifier(names.frame);
  const depth = (): TS.Identifier => f.createIdentifier(names.mode);
  const call = (h: CoroutineHelper, args: TS.Expression[]): TS.CallExpression => f.createCallExpression(runtime(h), undefined, args);
  const ret = (e?: TS.Expression): TS.Statement => f.createReturnStatement(e);
  const emitter = createSegmentEmitter(
    {
      ...input,
      runtime: runtime as (name: any) => TS.Identifier,
      strict: true,
      // Its own awaits of such children nest one deeper on the same real task.
      fastCallArgs: () => [frameId(), f.createBinaryExpression(depth(), ts.SyntaxKind.PlusToken, f.createNumericLiteral(1))],
      names: { frame: names.frame, caught: names.caught, cond: names.cond, resume: (i) => (i === BODY ? fast.name : names.resume(i)), label: names.label },
    },
    ({ rewrite, varExpr, fieldAccess, assignLocal }): CoroutineAbi => ({
      fields: names.locals,
      // A `return` kept inside a statement: the child's value.
      completeWith: (value) => value ?? f.createVoidZero(),
      quietHelpers: new Set(),
      quietNames: [names.mode, names.next, names.locals],
      strictPrologue: false,
      suspend(cx, t) {
        const sp = ir.suspends[t.suspend];
        if (sp.kind !== 'await') throw new LoweringError(input.sourceFile, 'internal: an elided task body with a suspension other than an await');
        const rt = ir.blocks[sp.resume].term;
        if (rt.kind !== 'resume') throw new LoweringError(input.sourceFile, 'internal: a suspension without a resume block');
        const aw = (): TS.Identifier => cx.scratch(names.cond);
        const nx = (): TS.Identifier => cx.scratch(names.next);
        const first = f.createExpressionStatement(f.createAssignment(aw(), rewrite(t.value)));
        if (sp.span) ts.setSourceMapRange(first, sp.span);
        // The frame the child would have had, holding what its resume function K loads.
        const materialize = (kind: number, value: TS.Expression): TS.Block => {
          const made = f.createAssignment(nx(), call('coElideFrame', [frameId(), f.createIdentifier(names.frameClass)]));
          const live = [...liveness.liveIn[sp.resume]];
          const stmts: TS.Statement[] = [f.createExpressionStatement(live.length ? f.createAssignment(cx.scratch(names.locals), f.createPropertyAccessExpression(f.createParenthesizedExpression(made), '$l')) : made)];
          for (const v of live) stmts.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createIdentifier(ir.vars[v].name))));
          stmts.push(f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(nx(), '$r'), f.createIdentifier(names.resume(layout.suspends[t.suspend].resumeSegment)))));
          stmts.push(ret(call('coElideSuspend', [frameId(), nx(), f.createNumericLiteral(kind), aw(), value])));
          return f.createBlock(stmts, true);
        };
        const sent = (value: TS.Expression): TS.Statement => (rt.sent !== undefined ? assignLocal(rt.sent, value) : f.createExpressionStatement(value));
        const readyPath = [sent(f.createCallExpression(f.createPropertyAccessExpression(aw(), 'awaitResume'), undefined, []))];
        if (input.afterInlineAwait) {
          // The running task's step budget counts the child's inline awaits too (its own would).
          const asked = budgetAsks(ts, nx, f.createPropertyAccessExpression(frameId(), '$p'));
          const m = materialize(2, rt.sent !== undefined ? varExpr(rt.sent) : f.createVoidZero());
          readyPath.push(f.createIfStatement(asked, f.createBlock([f.createExpressionStatement(f.createAssignment(aw(), nx())), ...m.statements], true)));
        }
        // The running task's frame goes along with the elided flag (TaskPromise.awaitReady).
        const ready = f.createCallExpression(f.createPropertyAccessExpression(aw(), 'awaitReady'), undefined, [frameId(), f.createNumericLiteral(1)]);
        const seq: TS.Statement[] = [...cx.body, first];
        // (coElided always returns an awaiter)
        if (!input.fastCalls?.has(t.value)) seq.push(f.createIfStatement(notAwaiterTest(ts, aw), materialize(1, f.createVoidZero())));
        seq.push(f.createIfStatement(ready, f.createBlock(readyPath, true), materialize(0, f.createVoidZero())));
        return cx.protect(seq, cx.branch(rt.next));
      },
      complete(cx, t) {
        const isVoid = t.value.pos < 0 && ts.isVoidExpression(t.value);
        return cx.protect([...cx.body, ret(isVoid ? undefined : rewrite(t.value))], []);
      },
      resume(cx, t) {
        if (cx.n !== entry) throw new LoweringError(input.sourceFile, 'internal: an elided task body entered at a resume point');
        return cx.branch(t.next);
      },
      resumeDelegate() {
        throw new LoweringError(input.sourceFile, 'internal: generator delegation in a promise-type coroutine');
      },
      params: () => bodyParams(input),
      leadingDecls: () => [],
      unusedLocals: () => new Set(ir.params),
      body: (_seg, main) => [f.createIfStatement(f.createLogicalNot(call('coElidable', [depth()])), ret(rampCall(input, fast))), ...main],
    }),
  );
  return emitter.resumeFunction(seg, { kind: 'structured', graph });
}
