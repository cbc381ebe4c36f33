// The promise-type ABI of the one segment emitter (segment.ts), in the shape docs/coroutine-abi.md
// specifies, and the frame class: the coroutine's own part of a CoroutineFrame, one resume function
// `(f, m)` per suspension point (the ramp is built by coroutine-lower.ts).
//
// A resume function is
//   function g$resumeK(f, m) {
//     let <locals> = f.<field>…;
//     if (m !== 0) { <DESTROY: the finally blocks / iterator closes pending at point K>; return null; }
//     try { <re-opened user try statements> $sentK = coResume(f); …body… } catch (e) { return coUnhandled(f, e); }
//   }
// The DESTROY branch is structured on its own (from the resume block's return route to ir.destroy)
// and runs outside every user try: an exception from a finally body during destroy goes to the
// caller of destroy(). It must not reach a suspension point; if it could (a finally block that
// leaves with break/continue), that is a compile-time error.
import type * as TS from 'typescript';
import { inFrame, successors, type BlockId, type CoroutineIR, type VarId } from '../ir.js';
import { buildSegment, dispatchSuspendActions, suspendActions, wholeSegment, type Segment } from '../layout.js';
import { makeReducible, type SplitGraph } from '../reducible.js';
import type { RuntimeHelper } from './generator.js';
import { LoweringError } from '../errors.js';
import { chooseShape, segmentGraph } from '../analysis/shape.js';
import { destroyGraph } from '../analysis/destroy-paths.js';
import { createSegmentEmitter, type AnalysedCoroutine, type CoroutineAbi } from './segment.js';

/** Runtime exports the coroutine emitter refers to (all from corosplit/runtime). */
export type CoroutineHelper = 'coAllocate' | 'coAllocateHeader' | 'coAllocationFailed' | 'coPromiseFailed' | 'coStart' | 'coStartTask' | 'coSuspend' | 'coReady' | 'coAwaitBefore' | 'coNotAwaiter' | 'coResume' | 'coReturn' | 'coReturnVoid' | 'coUnhandled' | 'coElided' | 'coElidable' | 'coElideRamp' | 'coElideFrame' | 'coElideSuspend' | 'coExportFast' | 'coFastOf' | 'coFastBody';

export interface CoEmitNames {
  frameClass: string;
  resume: (index: number) => string;
  /** the resume functions' first parameter: the frame header (CoroutineFrame) */
  frame: string;
  /** the resume functions' local holding the header's `$l`: the coroutine's own fields */
  locals: string;
  /** a resume function's local holding the header's `$p`, read once where an await loops in place */
  promise: string;
  mode: string;
  caught: string;
  cond: string;
  /** holds what coSuspend returned */
  next: string;
  /** the dispatch shape's one function and its state parameter (see analysis/shape.ts) */
  run: () => string;
  state: string;
  label: (n: number, kind: 'loop' | 'block' | 'handover') => string;
  /** the value an entry function hands to the resume function it calls (mode HANDED) */
  handed: string;
  /** a fresh name for a closure maker (RewriterContext.closureMaker); none: closures are made where they stand */
  closureMaker?: () => string;
}

export interface CoEmitInput extends AnalysedCoroutine {
  names: CoEmitNames;
  runtime: (name: RuntimeHelper | CoroutineHelper) => TS.Identifier;
  /** the promise class declares awaitTransform, so `yield* x` awaits promise.awaitTransform(x) */
  awaitTransform: boolean;
  /** the promise class declares afterInlineAwait, asked after every await that did not suspend */
  afterInlineAwait: boolean;
  /** 'dispatch' forces the dispatch shape (tests); 'auto' lets chooseShape decide */
  shape: 'auto' | 'dispatch';
  /** write await_resume out at each resume point instead of calling coResume (optimize: 'speed') */
  inlineResume: boolean;
}

export interface CoEmitOutput {
  frameClass: TS.ClassDeclaration;
  resumeFunctions: TS.FunctionDeclaration[];
  /** functions that make closures the resume functions create (placed with them) */
  closureMakers: TS.FunctionDeclaration[];
  /** the resume functions' shape (analysis/shape.ts) */
  shape: 'structured' | 'dispatch';
}

/** Names the frame class's own members use, never used for a variable. */
export const COROUTINE_RESERVED = new Set(['$name', '$reset', 'constructor', '__proto__']);

/**
 * Renames variables whose names would collide with the frame class's own members, and gives the
 * receiver and `arguments` the ABI's field names (`this$`, `arguments$`).
 */
export function renameReserved(ir: CoroutineIR, freeNames: ReadonlySet<string> = new Set()): void {
  const used = new Set([...ir.vars.map((v) => v.name), ...freeNames]);
  for (const v of ir.vars) {
    if (v.kind !== 'this' && v.kind !== 'arguments') continue;
    let n = `${v.kind}$`;
    for (let i = 1; used.has(n); i++) n = `${v.kind}$${i}`;
    used.add(n);
    v.name = n;
  }
  for (const v of ir.vars) {
    if (!COROUTINE_RESERVED.has(v.name)) continue;
    let n = `${v.name}$v`;
    for (let i = 1; used.has(n); i++) n = `${v.name}$v${i}`;
    used.add(n);
    v.name = n;
  }
}

/**
 * `a` is not an awaiter: null, undefined, or no awaitReady method. Strict tests: `== null` would
 * add an undetectable-object check that keeps V8 from dropping a fresh awaiter.
 */
export function notAwaiterTest(ts: typeof TS, a: () => TS.Identifier): TS.Expression {
  const f = ts.factory;
  return f.createLogicalOr(
    f.createLogicalOr(f.createStrictEquality(a(), f.createNull()), f.createStrictEquality(a(), f.createVoidZero())),
    f.createStrictInequality(f.createTypeOfExpression(f.createPropertyAccessExpression(a(), 'awaitReady')), f.createStringLiteral('function')),
  );
}

/**
 * `(y = <promise>.afterInlineAwait()) !== null && y !== undefined`: the step budget asks for an
 * awaiter `y` first. Strict tests, as in notAwaiterTest.
 */
export function budgetAsks(ts: typeof TS, y: () => TS.Identifier, promise: TS.Expression): TS.Expression {
  const f = ts.factory;
  const asked = f.createAssignment(y(), f.createCallExpression(f.createPropertyAccessExpression(promise, 'afterInlineAwait'), undefined, []));
  return f.createLogicalAnd(f.createStrictInequality(f.createParenthesizedExpression(asked), f.createNull()), f.createStrictInequality(y(), f.createVoidZero()));
}

/** Every identifier text in `code`, nested functions included. */
function mentionedNames(ts: typeof TS, code: readonly TS.Node[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n)) out.add(n.text);
    else ts.forEachChild(n, visit);
  };
  for (const n of code) visit(n);
  return out;
}

/** The innermost node of the source file covering a span (for diagnostics on IR positions). */
function nodeAt(ts: typeof TS, sf: TS.SourceFile, pos: number, end: number): TS.Node {
  let best: TS.Node = sf;
  const visit = (n: TS.Node): void => {
    if (n.getStart(sf) <= pos && n.getEnd() >= end) {
      best = n;
      ts.forEachChild(n, visit);
    }
  };
  ts.forEachChild(sf, visit);
  return best;
}

export function emitPromiseCoroutine(input: CoEmitInput): CoEmitOutput {
  const { ts, ir, layout, names, runtime } = input;
  const f = ts.factory;
  const frameId = (): TS.Identifier => f.createIdentifier(names.frame);
  const isMemory = (v: VarId): boolean => inFrame(ir.vars[v]);
  const call = (h: CoroutineHelper, args: TS.Expression[]): TS.CallExpression => f.createCallExpression(runtime(h), undefined, args);
  const isVoidReturn = (e: TS.Expression): boolean => e.pos < 0 && ts.isVoidExpression(e);
  const ret = (e: TS.Expression): TS.Statement => f.createReturnStatement(e);
  const isInitial = (seg: Segment): boolean => ir.suspends[seg.suspend].kind === 'initial';
  // Each resume point's destroy path, found once (the dispatch shape asks twice: for the locals of
  // its resume function and for its code).
  const destroyPaths = new Map<number, Map<BlockId, BlockId[]>>();
  const destroyEdges = (segment: number, from: BlockId): Map<BlockId, BlockId[]> => {
    let edges = destroyPaths.get(segment);
    if (!edges) destroyPaths.set(segment, (edges = destroyGraph(ts, ir, from)));
    return edges;
  };
  // Resume functions with an await that continues in place: they read the promise once, first,
  // rather than twice per iteration (V8 does not keep the load across the awaiter's calls; 4 %
  // on a loop of ready awaits).
  const promiseLocalIn = new Set<number>();
  // The initial suspension's resume block: its resumption (coResume) is in the function prologue.
  const initialResume = ir.suspends[0]?.kind === 'initial' ? ir.suspends[0].resume : -1;
  // Hand-over (speed, structured shape): when an await of the entry function completes without
  // suspending and its resume point is another function, the entry function reads the result
  // and calls that function with it (mode HANDED, the result as third argument), from outside
  // its try: a trampoline pass fewer, and the awaiter never reaches the frame, so V8 can drop a
  // fresh one. Only the entry function does, as for generators (lowering.md, "Hand-over"): it
  // runs once per activation, so the stack grows by one call at most. `handTargets` are the
  // resume points it may call; `handing` the functions whose body gets the labeled try.
  const handTargets = new Set<number>();
  const handing = new Set<number>();
  const handsOver = (cx: { seg: Segment; structured: boolean; destroying: boolean }): boolean => input.inlineResume && cx.structured && !cx.destroying && isInitial(cx.seg);
  const handedMode = 2;
  // The resumption of the suspension that ended here: await_resume of the awaiter the frame holds
  // (cleared first, so the frame does not keep a finished awaiter alive). For speed it is written
  // out, so that its awaitResume call is a call site of this one resume point, which sees the
  // awaiters of one `yield*`; coResume's single call site sees every awaiter type of the program,
  // and V8 then calls them all without inlining (15 of 75 ns per awaited child task, measured in
  // bench:runtime's process).
  const resumption = (scratch: (name: string) => TS.Identifier, take: (value: TS.Expression) => TS.Statement): TS.Statement[] => {
    if (!input.inlineResume) return [take(call('coResume', [frameId()]))];
    const awaiter = f.createPropertyAccessExpression(frameId(), '$a');
    return [
      f.createExpressionStatement(f.createAssignment(scratch(names.cond), awaiter)),
      f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(frameId(), '$a'), f.createVoidZero())),
      take(f.createCallExpression(f.createPropertyAccessExpression(scratch(names.cond), 'awaitResume'), undefined, [])),
    ];
  };

  const emitter = createSegmentEmitter(
    {
      ...input,
      runtime: runtime as (name: any) => TS.Identifier,
      strict: true,
      // A real resume function runs on the task's own frame: elided bodies it calls nest from 0.
      fastCallArgs: () => [frameId(), f.createNumericLiteral(0)],
      names: { frame: names.frame, caught: names.caught, cond: names.cond, resume: names.resume, label: names.label, dispatch: { run: names.run, state: names.state }, closureMaker: names.closureMaker },
    },
    ({ rewrite, varExpr, fieldAccess, assignLocal, code }): CoroutineAbi => ({
      // The coroutine's fields live in the header's $l, which every resume function reads once, first.
      fields: names.locals,
      // A `return` kept inside a statement completes the coroutine through the promise.
      completeWith: (value) => (value ? call('coReturn', [frameId(), value]) : call('coReturnVoid', [frameId()])),
      // (every completion calls the promise's returnValue: user code)
      quietHelpers: new Set(),
      quietNames: [names.mode, names.next],
      strictPrologue: false,
      suspend(cx, t) {
        const sp = ir.suspends[t.suspend];
        if (cx.destroying) {
          const at = sp.span ? nodeAt(ts, input.sourceFile, sp.span.pos, sp.span.end) : input.sourceFile;
          throw new LoweringError(at, 'a suspension point reachable while the coroutine is being destroyed (a finally block leaves with break/continue and the code after it suspends)');
        }
        const sl = { ...layout.suspends[t.suspend], ...(cx.structured ? suspendActions(ir, input.liveness, cx.seg, t.suspend) : dispatchSuspendActions(ir, input.liveness, t.suspend)) };
        // The await sequence is inlined (coroutine-abi.md §5): each call below is a call site of
        // this one suspension point, so V8 sees the awaiter types of this `yield*` only and can
        // inline awaitReady/awaitResume; a ready awaiter then costs no call at all.
        const aw = (): TS.Identifier => cx.scratch(names.cond);
        const inPlace = sl.resumeSegment === cx.seg.index;
        const promise = (): TS.Expression => {
          if (!inPlace) return f.createPropertyAccessExpression(frameId(), '$p');
          promiseLocalIn.add(cx.seg.index);
          return f.createIdentifier(names.promise);
        };
        const operand = rewrite(t.value);
        const awaiter =
          sp.kind === 'await'
            ? input.awaitTransform
              ? f.createCallExpression(f.createPropertyAccessExpression(promise(), 'awaitTransform'), undefined, [operand])
              : operand
            : f.createCallExpression(f.createPropertyAccessExpression(promise(), 'yieldValue'), undefined, [operand]);
        const first = f.createExpressionStatement(f.createAssignment(aw(), awaiter));
        if (sp.span) ts.setSourceMapRange(first, sp.span);
        const seq: TS.Statement[] = [...cx.body, first];
        if (sp.kind === 'await' && !input.awaitTransform) {
          // The operand itself is the awaiter: say what is wrong when it is not one. What
          // awaitTransform and yieldValue return is the promise type's business (a Task's
          // awaitTransform rejects non-awaitables with its own message); checking it again
          // costs a polymorphic load per await.
          // Strict tests: `== null` would add an undetectable-object check that keeps V8 from
          // dropping a fresh awaiter (see TaskPromise.awaitTransform).
          seq.push(f.createIfStatement(notAwaiterTest(ts, aw), f.createExpressionStatement(call('coNotAwaiter', [frameId(), aw(), f.createStringLiteral('the awaited value')]))));
        }
        // What a real suspension needs: the frame holds what is live across it, and nothing dead.
        const suspendStores: TS.Statement[] = [];
        for (const v of sl.stores) if (!isMemory(v)) suspendStores.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createIdentifier(ir.vars[v].name))));
        for (const v of sl.clears) suspendStores.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createVoidZero())));
        suspendStores.push(f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(frameId(), '$r'), f.createIdentifier(names.resume(sl.resumeSegment)))));
        // The frame goes along so that an awaiter that is itself a coroutine can start inside the
        // await (a Task does; coroutine-abi.md §5); awaiters of the C++ protocol ignore it.
        const ready = f.createCallExpression(f.createPropertyAccessExpression(aw(), 'awaitReady'), undefined, [frameId()]);
        const suspend = call('coSuspend', [frameId(), aw()]);
        // (a resume point emitted before the entry function could not learn it is called so)
        if (!inPlace && handsOver(cx) && sl.resumeSegment > cx.seg.index) {
          handTargets.add(sl.resumeSegment);
          handing.add(cx.seg.index);
          const handed = (): TS.Identifier => cx.scratch(names.handed);
          const take = (value: TS.Expression): TS.Statement => f.createExpressionStatement(f.createAssignment(handed(), value));
          const readyPath = [take(f.createCallExpression(f.createPropertyAccessExpression(aw(), 'awaitResume'), undefined, []))];
          if (input.afterInlineAwait) {
            const nx = (): TS.Identifier => cx.scratch(names.next);
            readyPath.push(
              f.createIfStatement(
                budgetAsks(ts, nx, promise()),
                // What is live was stored above and the resume point is set, so this is the
                // trampoline path's: the resume function reads the result from the awaiter
                // coAwaitBefore leaves in the frame, after the interposed one's.
                ret(call('coAwaitBefore', [frameId(), nx(), handed()])),
              ),
            );
          }
          readyPath.push(f.createBreakStatement(names.label(0, 'handover')));
          const r = ret(suspend);
          if (sp.span) ts.setSourceMapRange(r, sp.span);
          return cx.protect([...seq, ...suspendStores, f.createIfStatement(ready, f.createBlock(readyPath, true)), r], []);
        }
        if (!inPlace) {
          // The resume point is another resume function (always, in the dispatch shape): a ready
          // awaiter bounces through the trampoline, which runs it (no direct call, so loops of
          // inline completions keep a flat stack).
          const r = ret(f.createConditionalExpression(ready, undefined, call('coReady', [frameId(), aw()]), undefined, suspend));
          if (sp.span) ts.setSourceMapRange(r, sp.span);
          return cx.protect([...seq, ...suspendStores, r], []);
        }
        // The resume point is this function (a loop whose body awaits): when the await completes
        // without suspending, continue in place. The edge to the resume block's successor is part
        // of the graph this function is structured from (promiseSegmentGraph), so it becomes an
        // ordinary JS loop and the locals stay in registers; nothing is stored unless the
        // coroutine really suspends.
        const rt = ir.blocks[sp.resume].term;
        if (rt.kind !== 'resume') throw new LoweringError(input.sourceFile, 'internal: a suspension without a resume block');
        const sent = (value: TS.Expression): TS.Statement => (rt.sent !== undefined ? assignLocal(rt.sent, value) : f.createExpressionStatement(value));
        const nx = (): TS.Identifier => cx.scratch(names.next);
        // Store what is live, run `suspension`; if it hands back this frame, the coroutine is
        // running again here and reads its result.
        const suspendHere = (suspension: TS.Expression): TS.Block =>
          f.createBlock(
            [
              ...suspendStores,
              f.createIfStatement(f.createStrictInequality(f.createParenthesizedExpression(f.createAssignment(nx(), suspension)), frameId()), ret(nx())),
              ...resumption(cx.scratch, sent),
            ],
            true,
          );
        const readyPath = [sent(f.createCallExpression(f.createPropertyAccessExpression(aw(), 'awaitResume'), undefined, []))];
        if (input.afterInlineAwait) {
          // The promise keeps a budget of inline completions (a Task yields to its scheduler
          // now and then). It is asked after the result was read, so the finished awaiter
          // never reaches a path that keeps it and V8 can still drop a fresh one.
          const result = rt.sent !== undefined ? varExpr(rt.sent) : f.createVoidZero();
          readyPath.push(
            f.createIfStatement(
              budgetAsks(ts, nx, promise()),
              suspendHere(call('coAwaitBefore', [frameId(), nx(), result])),
            ),
          );
        }
        seq.push(f.createIfStatement(ready, f.createBlock(readyPath, true), suspendHere(suspend)));
        return cx.protect(seq, cx.branch(rt.next));
      },
      complete(cx, t) {
        if (cx.destroying || cx.n === ir.destroy) return [code([...cx.body, ret(f.createNull())])];
        const done = isVoidReturn(t.value) ? call('coReturnVoid', [frameId()]) : call('coReturn', [frameId(), rewrite(t.value)]);
        return cx.protect([...cx.body, ret(done)], []);
      },
      resume(cx, t) {
        // The entry (initial suspend) is handled by the function prologue.
        if (cx.n === initialResume) return cx.branch(t.next);
        let first = resumption(cx.scratch, (resumed) => (t.sent !== undefined ? assignLocal(t.sent, resumed) : f.createExpressionStatement(resumed)));
        if (cx.n === cx.seg.entry && handTargets.has(cx.seg.index)) {
          // Handed the result by the entry function, or resumed by the runtime.
          const mode = (): TS.Identifier => f.createIdentifier(names.mode);
          first =
            t.sent !== undefined
              ? [f.createIfStatement(f.createStrictEquality(mode(), f.createNumericLiteral(handedMode)), assignLocal(t.sent, f.createIdentifier(names.handed)), f.createBlock(first, true))]
              : [f.createIfStatement(f.createStrictInequality(mode(), f.createNumericLiteral(handedMode)), f.createBlock(first, true))];
        }
        // awaitResume may throw: inside a try, to the handler the await stands in
        return cx.protect(first, cx.branch(t.next), cx.block.region >= 0 ? { exc: t.exc, handler: t.throwTarget } : undefined);
      },
      resumeDelegate() {
        throw new LoweringError(input.sourceFile, 'internal: generator delegation in a promise-type coroutine');
      },
      params: (seg, placement) => (placement.kind === 'dispatch' ? [names.frame, names.state] : handTargets.has(seg.index) ? [names.frame, names.mode, names.handed] : [names.frame, names.mode]),
      leadingDecls: (seg) => [
        ...(layout.fields.length ? [f.createVariableDeclaration(names.locals, undefined, undefined, f.createPropertyAccessExpression(frameId(), '$l'))] : []),
        ...(promiseLocalIn.has(seg.index) ? [f.createVariableDeclaration(names.promise, undefined, undefined, f.createPropertyAccessExpression(frameId(), '$p'))] : []),
      ],
      // The resume points' exception and return temporaries are the generic IR's; this ABI routes
      // completions through coUnhandled and the DESTROY branch, so most functions never mention
      // them (nor, sometimes, a local of the segment): declare only what the code names.
      unusedLocals: (seg, code) => {
        const named = mentionedNames(ts, code);
        if (named.has('eval')) return new Set();
        return new Set(seg.locals.filter((v) => !named.has(ir.vars[v].name)));
      },
      body(seg, main, emitDestroy, placement, scratch) {
        const unhandled = (stmts: TS.Statement[]): TS.Statement =>
          f.createTryStatement(f.createBlock(stmts, true), f.createCatchClause(names.caught, f.createBlock([ret(call('coUnhandled', [frameId(), f.createIdentifier(names.caught)]))], true)), undefined);
        // The dispatch shape's one function runs resumed code only: destroy is its resume functions' business.
        if (placement.kind === 'dispatch') return [unhandled(main)];
        const m = f.createIdentifier(names.mode);
        // A function the entry hands over to is also called with mode HANDED: only DESTROY destroys.
        const notResume = handTargets.has(seg.index) ? f.createStrictEquality(m, f.createNumericLiteral(1)) : f.createStrictInequality(m, f.createNumericLiteral(0));
        const prologue: TS.Statement[] = [];
        if (isInitial(seg)) {
          prologue.push(f.createIfStatement(notResume, ret(f.createNull())));
          prologue.push(...resumption(scratch, (resumed) => f.createExpressionStatement(resumed)));
        } else {
          // The DESTROY branch: structured on its own, from the resume block's return route.
          const entry = ir.blocks[seg.entry].term;
          if (entry.kind !== 'resume') throw new LoweringError(input.sourceFile, 'internal: a resume point without a resume block');
          const edges = destroyEdges(seg.index, entry.returnTarget);
          const graph = makeReducible(segmentGraph(ir, seg, entry.returnTarget, (b) => edges.get(b.id) ?? []));
          const destroy = emitDestroy(graph, { edges });
          if (fallsOff(destroy)) destroy.push(ret(f.createNull()));
          prologue.push(f.createIfStatement(notResume, f.createBlock(destroy, true)));
        }
        if (placement.kind === 'enter') {
          // (the initial point's coResume runs outside any user try, as in the structured shape)
          return [...prologue, ret(f.createCallExpression(f.createIdentifier(names.run()), undefined, [frameId(), f.createNumericLiteral(seg.entry)]))];
        }
        if (!handing.has(seg.index)) return [...prologue, unhandled(main)];
        // Outside the try: what the called function throws is its own business (a promise type
        // whose unhandledException rethrows must not see the exception twice).
        const targets = [...handTargets];
        const callee = targets.length === 1 ? f.createIdentifier(names.resume(targets[0])) : f.createPropertyAccessExpression(frameId(), '$r');
        return [
          ...prologue,
          f.createLabeledStatement(names.label(0, 'handover'), unhandled(main)),
          ret(f.createCallExpression(callee, undefined, [frameId(), f.createNumericLiteral(handedMode), f.createIdentifier(names.handed)])),
        ];
      },
    }),
  );

  // Copies of shared code past a budget of the body's size take the dispatch shape, as for
  // generators: output linear in the input whatever the control flow.
  const shape = chooseShape(ir, layout, promiseSegmentGraph, input.shape);
  const resumeFunctions =
    shape.kind === 'structured'
      ? layout.segments.map((seg, i) => emitter.resumeFunction(seg, { kind: 'structured', graph: shape.graphs[i] }))
      : [...layout.segments.map((seg) => emitter.resumeFunction(enterSegment(seg), { kind: 'enter' })), emitter.resumeFunction(wholeSegment(ir, layout), { kind: 'dispatch' })];

  /**
   * What a resume function of the dispatch shape runs itself: its destroy path. Its locals are
   * that path's alone (the segment's would make every such function as large as the body).
   */
  function enterSegment(seg: Segment): Segment {
    const t = ir.blocks[seg.entry].term;
    if (t.kind !== 'resume' || isInitial(seg)) return { ...seg, blocks: [seg.entry], locals: [], loads: [], written: [] };
    const edges = destroyEdges(seg.index, t.returnTarget);
    const part = buildSegment(ir, input.liveness, seg.index, seg.suspend, seg.entry, (b) => (b === seg.entry ? [t.returnTarget] : (edges.get(b) ?? [])));
    // The blocks stay the segment's own: the destroy graph is made over them.
    return { ...part, blocks: seg.blocks };
  }

  /**
   * A promise-type segment's graph: the generic successors without the return route of a resume
   * point (destroy is a branch of its own), without the throw route where no handler surrounds it
   * (an exception leaves through coUnhandled) or at the initial point, and with the edge that
   * continues in place after an await in this segment that did not suspend.
   */
  function promiseSegmentGraph(seg: Segment): SplitGraph {
    return segmentGraph(ir, seg, seg.entry, (b) => {
      const out: BlockId[] = [];
      for (const e of successors(ir, b)) {
        if (e.kind === 'resume-return') continue;
        if (e.kind === 'resume-throw' && (b.region < 0 || (isInitial(seg) && b.id === seg.entry))) continue;
        out.push(e.target);
      }
      const t = b.term;
      if (t.kind === 'yield' && layout.suspends[t.suspend].resumeSegment === seg.index) {
        const rt = ir.blocks[ir.suspends[t.suspend].resume].term;
        if (rt.kind === 'resume') out.push(rt.next);
      }
      return out;
    });
  }

  function fallsOff(stmts: TS.Statement[]): boolean {
    const last = stmts[stmts.length - 1];
    return !last || !(ts.isReturnStatement(last) || ts.isThrowStatement(last));
  }

  // ------------------------------------------------------------ frame class
  const thisField = (v: VarId): TS.PropertyAccessExpression => f.createPropertyAccessExpression(f.createThis(), ir.vars[v].name);
  const members: TS.ClassElement[] = layout.fields.map((v) => f.createPropertyDeclaration(undefined, ir.vars[v].name, undefined, undefined, f.createVoidZero()));
  members.push(f.createGetAccessorDeclaration(undefined, '$name', [], undefined, f.createBlock([f.createReturnStatement(f.createStringLiteral(ir.name))], true)));
  // $reset lets a recycling allocator reuse the object for another activation. A closure that
  // captures a frame variable keeps this object and may outlive the activation, so such a class
  // gets no $reset, and allocators never hand its objects out twice.
  if (!layout.fields.some((v) => inFrame(ir.vars[v]))) {
    members.push(f.createMethodDeclaration(undefined, undefined, '$reset', undefined, undefined, [], undefined, f.createBlock(layout.fields.map((v) => f.createExpressionStatement(f.createAssignment(thisField(v), f.createVoidZero()))), true)));
  }
  // The coroutine's own part of its frame; the runtime's header (CoroutineFrame) holds it in $l.
  const frameClass = f.createClassDeclaration(undefined, names.frameClass, undefined, undefined, members);
  const closures = emitter.closureMakers(resumeFunctions);
  return { frameClass, resumeFunctions: closures.functions, closureMakers: closures.makers, shape: shape.kind };
}

