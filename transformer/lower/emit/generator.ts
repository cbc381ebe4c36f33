// The generator ABI of the one segment emitter (segment.ts), and what a generator has besides its
// resume functions: the frame constructor, the coroutine's own next() and the drop function.
// A resume function loads the frame fields it needs into locals, runs straight-line structured
// code to the next suspension point, stores what is live across it, clears what died, sets the
// frame's resume pointer and returns the value of the IteratorResult; next() builds the object
// (see ResumeFunction in the runtime for why).
import type * as TS from 'typescript';
import type { BlockId, IRStmt, VarId } from '../ir.js';
import { COMPLETION_NORMAL, COMPLETION_RETURN, COMPLETION_THROW, inFrame, successors } from '../ir.js';
import { buildSegment, dispatchSuspendActions, suspendActions, wholeSegment, type FrameLayout, type Segment } from '../layout.js';
import type { SNode } from '../structure.js';
import { GUARD_BLOCK, withSecondEntry } from '../reducible.js';
import { chooseShape, segmentGraph } from '../analysis/shape.js';
import { ENTER_MODE, findTailEntries } from '../analysis/tail-entries.js';
import { shareResumeFunctions } from '../shared-resume.js';
import type { HelperName } from '../build.js';
import { createSegmentEmitter, type AnalysedCoroutine, type CoroutineAbi, type Term } from './segment.js';
import { isInert, simpleAssignment } from '../syntax.js';
import { foldableInitialState } from '../analysis/initial-state.js';
import { hotSegments } from '../analysis/hot-segments.js';
import { operandTemps } from '../analysis/operand-temps.js';
import { dropUnusedValueParams } from './value-params.js';

/** Runtime names the emitted code refers to, mapped to the identifiers this file uses for them. */
export type RuntimeNames = (name: RuntimeHelper) => TS.Identifier;
export type RuntimeHelper =
  | HelperName
  | 'GeneratorFrame'
  | 'defineGenerator'
  | 'generatorFunction'
  | 'generatorFrame'
  | 'leaveAfterFinally'
  | 'leaveGenerator'
  | 'defineGeneratorMethod'
  | 'defineGeneratorMethods'
  | 'defineClassGeneratorMethods'
  | 'adoptPrototype'
  | 'generatorInstance'
  | 'aliasParameters'
  | 'tdzRead'
  | 'tdzAssign'
  | 'generatorReturn'
  | 'assignToConstant'
  | 'resumeGenerator'
  | 'generatorRunning'
  | 'generatorCompleted'
  | 'generatorFinish'
  | 'generatorPrototypeNext'
  | 'GeneratorPrototype'
  | 'generatorFrameConstructor'
  | 'asyncRun'
  | 'asyncGeneratorStart'
  | 'plainResumePoints';

export interface EmitNames {
  frameClass: string;
  drop: string;
  /** the frame's own `next` method */
  next: string;
  resume: (index: number) => string;
  /** the dispatch shape's one function holding every block (asked for only in that shape) */
  run: () => string;
  /** the three resume-function parameters and scratch locals: fresh names for this file */
  frame: string;
  value: string;
  mode: string;
  caught: string;
  cond: string;
  /** the unused fourth parameter that marks a resume function as a pass-through point */
  passThrough: string;
  /** the dispatch shape's state parameter: the block to run next */
  state: string;
  label: (n: number, kind: 'loop' | 'block') => string;
  /** a fresh name for a closure maker (RewriterContext.closureMaker); none: closures are made where they stand */
  closureMaker?: () => string;
}

export interface EmitInput extends AnalysedCoroutine {
  names: EmitNames;
  runtime: RuntimeNames;
  /** the body is strict code but its resume functions may land in sloppy code */
  strictPrologue: boolean;
  /** the body is strict code */
  strict: boolean;
  /** 'dispatch' forces the dispatch shape (tests); 'auto' lets chooseShape decide */
  shape: 'auto' | 'dispatch';
  /** 'size': no own `next`, no drop, fields created as they are stored (see LoweringOptions) */
  optimize: 'speed' | 'size';
  /**
   * A define call (defineGenerator and the method forms) wires this frame before the ramp can
   * run, and gives the constructor its prototype then; otherwise the constructor is wrapped in
   * generatorFrameConstructor where it is made.
   */
  wiredByDefine: boolean;
  /**
   * The frame may start past an initial resume function that only stores constants
   * (analysis/initial-state.ts). Not for an async function: its frame goes to asyncRun.
   */
  startsPastInitial: boolean;
}

export interface EmitOutput {
  /**
   * `const X$Frame = function X$Frame(…) {…}`, wrapped in generatorFrameConstructor unless
   * wiredByDefine; lowered for size `const X$Frame = generatorFrame("k", …)`. Made on demand: a
   * generator function the runtime makes whole (generatorFunction) has none.
   */
  frameClass: () => TS.VariableStatement;
  /** releases the frame's references on completion; absent when there is nothing to release */
  dropFunction?: TS.FunctionDeclaration;
  resumeFunctions: TS.FunctionDeclaration[];
  /** functions that make closures the resume functions create (placed with them) */
  closureMakers: TS.FunctionDeclaration[];
  /** the frame's own `next`, placed beside the resume functions (it calls them by name); none when lowered for size */
  nextFunction?: TS.FunctionDeclaration;
  /** runs once the resume functions exist: hands the runtime the drop of the plain ones */
  registration?: TS.Statement;
  /** the resume function a new frame starts at */
  entry: string;
  /**
   * Lowered for size, the fields a frame starts with, `["i", 0]`, after the fields named for the
   * ramp's values (generatorFrame, generatorFunction)
   */
  startFields: TS.Expression[];
  /** `new Frame(entry, …fields the ramp provides)` given the ramp's expressions for them */
  newFrame: (args: { this?: TS.Expression; arguments?: TS.Expression; self?: TS.Expression; super?: TS.Expression; param: (v: VarId) => TS.Expression }) => TS.Expression;
}

export function emitGenerator(input: EmitInput): EmitOutput {
  const { ts, ir, names, runtime } = input;
  const f = ts.factory;
  const frameId = (): TS.Identifier => f.createIdentifier(names.frame);
  const isMemory = (v: VarId): boolean => inFrame(ir.vars[v]);
  const small = input.optimize === 'size';

  // ------------------------------------------------------------ resume points
  // Suspension points inside `yield*`: their resume functions hand out the inner result object.
  const passThroughSuspends = new Set<number>();
  for (const b of ir.blocks) if (b.term.kind === 'yield' && b.term.raw) passThroughSuspends.add(b.term.suspend);
  const passThroughSegments = input.layout.segments.filter((s) => passThroughSuspends.has(s.suspend)).map((s) => s.index);
  // Blocks that do nothing but leave the coroutine, from outside any try: by throwing or
  // returning one variable as it is (its id), or by completing with undefined.
  const leavesWith = (b: BlockId, kind: 'throw' | 'return'): VarId | undefined => {
    const blk = ir.blocks[b];
    const t = blk.term;
    return blk.stmts.length === 0 && blk.region < 0 && t.kind === kind && t.uses.length === 1 && ts.isIdentifier(t.value) ? t.uses[0] : undefined;
  };
  const endsWithUndefined = (b: BlockId): boolean => {
    const blk = ir.blocks[b];
    const v = blk.term.kind === 'return' ? blk.term.value : undefined;
    return blk.stmts.length === 0 && blk.region < 0 && !!v && ts.isVoidExpression(v) && ts.isNumericLiteral(v.expression);
  };
  // A block that only completes normally into a finally block: `code = 0; value = void 0;`.
  const entersWithNormalCompletion = (b: BlockId, codeVar: VarId, valueVar: VarId, fin: BlockId): boolean => {
    const blk = ir.blocks[b];
    if (blk.term.kind !== 'goto' || blk.term.target !== fin || blk.stmts.length !== 2) return false;
    const [c, v] = blk.stmts.map((st) => st.node);
    const assigns = (n: TS.Statement, target: VarId, value: (e: TS.Expression) => boolean, st: IRStmt): boolean =>
      st.defs.length === 1 && st.defs[0] === target && st.uses.length === 0 && ts.isExpressionStatement(n) && ts.isBinaryExpression(n.expression) &&
      n.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && value(n.expression.right);
    return (
      assigns(c, codeVar, (e) => ts.isNumericLiteral(e) && e.text === String(COMPLETION_NORMAL), blk.stmts[0]) &&
      assigns(v, valueVar, (e) => ts.isVoidExpression(e) && ts.isNumericLiteral(e.expression), blk.stmts[1])
    );
  };
  // Plain resume points (see plainResumePoints in the runtime): throw() and return() there run
  // nothing of the body, so the runtime does them and the resume function has no mode dispatch.
  const isPlainResume = (t: Term<'resume'>): boolean => leavesWith(t.throwTarget, 'throw') === t.exc && leavesWith(t.returnTarget, 'return') === t.ret;
  const plainSegments = new Set(
    input.layout.segments.filter((seg) => {
      const t = ir.blocks[seg.entry].term;
      return t.kind === 'resume' && isPlainResume(t);
    }).map((seg) => seg.index),
  );
  // Segments that reach the start of another resume point's code call its resume function there
  // (analysis/tail-entries.ts): lowered for speed only the initial one, once per generator.
  // A pass-through point's function hands out an inner result object, so it owns nothing.
  const tails = findTailEntries(ir, input.liveness, input.layout, {
    callers: small ? 'all' : 'initial',
    mayOwn: (seg) => ir.suspends[seg.suspend].kind !== 'initial' && !passThroughSuspends.has(seg.suspend),
    // A plain owner reads the mode as a parameter with a default, which a "use strict" prologue
    // forbids (a function with a non-simple parameter list cannot have one).
    secondEntry: small ? (seg) => !(input.strictPrologue && plainSegments.has(seg.index)) : undefined,
  });
  // Owners with a second entry (a for loop's test, past its update): segment index → that block.
  const secondEntryOf = new Map<number, BlockId>();
  for (const [y] of tails.second) secondEntryOf.set(tails.owner.get(y)!, y);
  const cutLayout: FrameLayout = tails.cuts.size
    ? { ...input.layout, segments: input.layout.segments.map((seg) => (tails.cuts.has(seg.index) ? buildSegment(ir, input.liveness, seg.index, seg.suspend, seg.entry, undefined, tails.cuts.get(seg.index)) : seg)) }
    : input.layout;
  const cutGraph = (seg: Segment) => {
    const cut = tails.cuts.get(seg.index);
    const second = secondEntryOf.get(seg.index);
    const graph = segmentGraph(ir, seg, seg.entry, (b) => (cut?.has(b.id) && b.id !== seg.entry ? [] : successors(ir, b).map((e) => e.target)));
    return second === undefined ? graph : withSecondEntry(graph, graph.nodes.findIndex((n) => n.block === second));
  };
  const shape = chooseShape(ir, cutLayout, cutGraph, input.shape);
  // Owners whose second entry is inside a cycle: the block the cycle's guard stands in front of.
  const guardedHeader = new Map<number, BlockId>();
  if (shape.kind === 'structured') {
    shape.graphs.forEach((g, i) => {
      const guard = g.nodes.find((n) => n.block === GUARD_BLOCK);
      if (guard) guardedHeader.set(cutLayout.segments[i].index, guard.succ.keys().next().value!);
    });
  }
  // The dispatch shape holds every block once, so it calls nothing and keeps the whole segments.
  const layout = shape.kind === 'structured' ? cutLayout : input.layout;
  // Their entry blocks: the dispatch shape's one function runs every segment, and knows a plain
  // point by the block it enters at.
  const plainEntries = new Set(layout.segments.filter((seg) => plainSegments.has(seg.index)).map((seg) => seg.entry));
  const isPlainEntry = (seg: Segment, n: BlockId): boolean => (seg.index < 0 ? plainEntries.has(n) : plainSegments.has(seg.index) && n === seg.entry);
  // Plain points after which the body only ends (a last `yield x;`): the frame points at the
  // runtime's generatorFinish, which completes, instead of a resume function of its own.
  const endsBody = (seg: Segment): boolean => {
    const t = ir.blocks[seg.entry].term;
    return t.kind === 'resume' && endsWithUndefined(t.next);
  };
  const finishing = new Set(
    shape.kind === 'structured' ? layout.segments.filter((seg) => ir.suspends[seg.suspend].kind !== 'initial' && plainSegments.has(seg.index) && endsBody(seg)).map((seg) => seg.index) : [],
  );
  const resumeRef = (i: number): TS.Identifier => (finishing.has(i) ? runtime('generatorFinish') : f.createIdentifier(names.resume(i)));
  // A frame that starts at the owner the initial resume function would call, with the constants
  // it would store: that function is not emitted (analysis/initial-state.ts). Its literals are
  // the source's own nodes, printed once, in the frame constructor.
  const initialState = input.startsPastInitial && shape.kind === 'structured' ? foldableInitialState(ts, ir, input.liveness, layout, tails, plainSegments) : undefined;
  const entrySegment = initialState ? initialState.owner : 0;
  const hasFunction = (i: number): boolean => !finishing.has(i) && i !== initialState?.skipped;

  // ------------------------------------------------------------ completion
  // Closures made by the body may outlive it, so captured fields are kept.
  const droppable = small ? [] : layout.fields.filter((v) => !inFrame(ir.vars[v]));
  const dropFunction = droppable.length
    ? f.createFunctionDeclaration(undefined, undefined, names.drop, undefined, [f.createParameterDeclaration(undefined, undefined, 'f')], undefined,
        f.createBlock(droppable.map((v) => f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(f.createIdentifier('f'), ir.vars[v].name), f.createVoidZero()))), true))
    : undefined;
  // A return inside a kept try statement with a finally block completes only after that block
  // ran (it may still call next() and must see "running"); next() marks it completed afterwards.
  let completesBeforeFinally = false;
  // The local names of the quiet helpers lowered code calls: generatorReturn and leaveGenerator
  // only store frame fields. (Named when first called: an import of a helper nobody calls stays
  // in the output.)
  const quietCalled = new Set<string>();
  const quiet = (name: 'generatorReturn' | 'leaveGenerator'): TS.Identifier => {
    const id = runtime(name);
    quietCalled.add(id.text);
    return id;
  };
  const completion = (value: TS.Expression, beforeFinally = false): TS.Expression => {
    completesBeforeFinally ||= beforeFinally;
    const drop = dropFunction ? f.createIdentifier(names.drop) : f.createVoidZero();
    if (small && !beforeFinally) {
      // (the helper of its suspensions: one name less in the output)
      const undef = ts.isVoidExpression(value) && ts.isNumericLiteral(value.expression);
      return f.createCallExpression(quiet('leaveGenerator'), undefined, undef ? [frameId()] : [frameId(), value]);
    }
    const args = beforeFinally ? [frameId(), value, drop, f.createTrue()] : dropFunction ? [frameId(), value, drop] : [frameId(), value];
    return f.createCallExpression(quiet('generatorReturn'), undefined, args);
  };

  /**
   * The completion value a finally's `switch` rethrows (case 1) and returns (case 2) when that is
   * all it does, its default completing with undefined, all outside any try; else undefined.
   */
  const leavingValue = (t: Term<'switch'>): VarId | undefined => {
    const thrown = t.cases.find((c) => c.value === COMPLETION_THROW);
    const returned = t.cases.find((c) => c.value === COMPLETION_RETURN);
    if (t.cases.length !== 2 || !thrown || !returned || !endsWithUndefined(t.default)) return undefined;
    const v = leavesWith(thrown.target, 'throw');
    return v !== undefined && leavesWith(returned.target, 'return') === v ? v : undefined;
  };

  // Lowered for size: operand temporaries a suspension's call makes unnecessary, and those it did.
  const temps = small ? operandTemps(ts, ir) : new Map<BlockId, VarId>();
  const foldedTemps = new Set<VarId>();
  const emitter = createSegmentEmitter(
    { ...input, names: { ...names, dispatch: { run: names.run, state: names.state } } },
    ({ rewrite, varExpr, fieldAccess, assignLocal, code, isQuiet }): CoroutineAbi => ({
      fields: names.frame,
      completeWith: (value, beforeFinally) => completion(value ?? f.createVoidZero(), beforeFinally),
      // generatorReturn(frame, value, drop) only clears frame fields, leaveGenerator only sets $r
      quietHelpers: quietCalled,
      quietNames: [names.value, names.mode, names.drop],
      strictPrologue: input.strictPrologue,
      suspend(cx, t) {
        const sl = { ...layout.suspends[t.suspend], ...(cx.structured ? suspendActions(ir, input.liveness, cx.seg, t.suspend) : dispatchSuspendActions(ir, input.liveness, t.suspend)) };
        const value = rewrite(t.value);
        // Evaluate the value before the resume pointer moves on: an operand that runs user code
        // may call this generator again, which must find it running, not already at its next
        // resume point. An inert value needs no temporary: it reads no frame field the stores
        // and clears touch (a captured variable is a field access, which is not inert). A name
        // that is not the segment's own local may be a global accessor, which runs code.
        // Nor does a variable that lives in the frame: reading its field runs no user code (a
        // mapped parameter's accessor reads the ramp's binding), and no store or clear at a
        // suspension touches such a field.
        // (Checked on the rewritten operand: under `with`, a name reads through the object first.)
        const inFrameVar =
          ts.isIdentifier(t.value) && t.uses.length === 1 && isMemory(t.uses[0]) &&
          ts.isPropertyAccessExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === names.frame;
        const needsTemp = !inFrameVar && (!isInert(ts, value) || (ts.isIdentifier(value) && !isQuiet(value.text) && value.text !== 'undefined'));
        // Lowered for size, a suspension that would need a temporary (for its operand, or one the
        // IR made to carry it past statements, see analysis/operand-temps.ts) is one call instead,
        // whose arguments run before it moves the resume pointer: the operand, the statements that
        // had to follow it, the frame stores. (Not every suspension: beside `$f.$r = next`, the
        // call made gzip's output of several benchmark files larger.)
        const temp = small ? temps.get(cx.n) : undefined;
        const def = temp === undefined ? -1 : cx.body.findIndex((s) => simpleAssignment(ts, s)?.name.text === ir.vars[temp].name);
        const folds = def >= 0 && cx.body.slice(def + 1).every((s) => ts.isExpressionStatement(s));
        if (folds || (small && needsTemp)) {
          const body = folds ? cx.body.slice(0, def) : cx.body;
          const operand = folds ? simpleAssignment(ts, cx.body[def])!.value : value;
          const after = folds ? cx.body.slice(def + 1).map((s) => (s as TS.ExpressionStatement).expression) : [];
          if (folds) foldedTemps.add(temp!);
          for (const v of sl.stores) if (!isMemory(v)) after.push(f.createAssignment(fieldAccess(v), f.createIdentifier(ir.vars[v].name)));
          const ret = f.createReturnStatement(f.createCallExpression(quiet('leaveGenerator'), undefined, [frameId(), operand, resumeRef(sl.resumeSegment), ...after]));
          const sp = ir.suspends[t.suspend].span;
          if (sp) ts.setSourceMapRange(ret, sp);
          return cx.protect([...body, ret], []);
        }
        const seq: TS.Statement[] = [...cx.body];
        let valueExpr = value;
        if (needsTemp) {
          seq.push(f.createExpressionStatement(f.createAssignment(cx.scratch(names.cond), value)));
          valueExpr = f.createIdentifier(names.cond);
        }
        for (const v of sl.stores) if (!isMemory(v)) seq.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createIdentifier(ir.vars[v].name))));
        if (!small) for (const v of sl.clears) seq.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createVoidZero())));
        seq.push(f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(frameId(), '$r'), resumeRef(sl.resumeSegment))));
        // The value (or, inside yield*, the inner result object): next() makes the IteratorResult.
        const ret = f.createReturnStatement(valueExpr);
        const sp = ir.suspends[t.suspend].span;
        if (sp) ts.setSourceMapRange(ret, sp);
        seq.push(ret);
        return cx.protect(seq, []);
      },
      complete: (cx, t) => cx.protect([...cx.body, f.createReturnStatement(completion(rewrite(t.value)))], []),
      // Lowered for size, `switch (code) { case 1: throw v; case 2: return generatorReturn($f, v);
      // default: return generatorReturn($f); }` after a finally block at the body's end is one
      // call, `return leaveAfterFinally($f, code, v)`: the switch was about a tenth of such a
      // generator's minified, gzipped output.
      wideTries: small,
      leaveAfterFinally(cx, t) {
        if (!small || cx.destroying || cx.block.region >= 0) return undefined;
        const value = leavingValue(t);
        if (value === undefined) return undefined;
        return cx.protect([...cx.body, f.createReturnStatement(f.createCallExpression(runtime('leaveAfterFinally'), undefined, [frameId(), varExpr(t.on), varExpr(value)]))], []);
      },
      resume(cx, t) {
        const v = f.createIdentifier(names.value);
        const m = f.createIdentifier(names.mode);
        // An owner's second entry: called with ENTER by another segment, it starts at that block.
        const second = cx.structured && cx.n === cx.seg.entry ? secondEntryOf.get(cx.seg.index) : undefined;
        const sentStore: SNode[] = t.sent !== undefined ? [code([assignLocal(t.sent, v)])] : [];
        const entering = (rest: SNode[]): SNode[] =>
          second === undefined ? rest : [{ k: 'if', cond: f.createStrictEquality(m, f.createNumericLiteral(ENTER_MODE)), then: cx.branch(second), else: rest }];
        if (isPlainEntry(cx.seg, cx.n)) return entering([...sentStore, ...cx.branch(t.next)]);
        if (t.mode !== undefined) {
          // throw() and return() enter one finally block with the mode as its completion code. When
          // next() goes there too, with the normal completion (0), the mode is that code as well.
          const enter = [code([assignLocal(t.exc, v), assignLocal(t.mode, m)]), ...cx.branch(t.throwTarget)];
          if (t.sent === undefined && entersWithNormalCompletion(t.next, t.mode, t.exc, t.throwTarget)) {
            // Called with ENTER, it can go the same way: the guard in front of the finally block
            // goes on to the second entry, where the two stores are dead (it reads only what the
            // function loaded).
            return guardedHeader.get(cx.seg.index) === t.throwTarget ? enter : entering(enter);
          }
          return entering([
            { k: 'if', cond: f.createStrictInequality(m, f.createNumericLiteral(0)), then: enter, else: [] },
            ...sentStore,
            ...cx.branch(t.next),
          ]);
        }
        const out: SNode[] = [
          {
            k: 'if',
            cond: f.createStrictInequality(m, f.createNumericLiteral(0)),
            then: [
              {
                k: 'if',
                cond: f.createStrictEquality(f.createIdentifier(names.mode), f.createNumericLiteral(1)),
                then: [code([assignLocal(t.exc, f.createIdentifier(names.value))]), ...cx.branch(t.throwTarget)],
                else: [code([assignLocal(t.ret, f.createIdentifier(names.value))]), ...cx.branch(t.returnTarget)],
              },
            ],
            else: [],
          },
        ];
        out.push(...sentStore, ...cx.branch(t.next));
        return entering(out);
      },
      enterGuard: (header, second, branch) => [
        {
          k: 'if',
          cond: f.createStrictInequality(f.createIdentifier(names.mode), f.createNumericLiteral(ENTER_MODE)),
          then: branch(header),
          else: [code([f.createExpressionStatement(f.createAssignment(f.createIdentifier(names.mode), f.createNumericLiteral(0)))]), ...branch(second)],
        },
      ],
      resumeDelegate: (cx, t) => [code([assignLocal(t.value, f.createIdentifier(names.value)), assignLocal(t.mode, f.createIdentifier(names.mode))]), ...cx.branch(t.next)],
      // A fourth, unused parameter marks a pass-through point for the runtime's shared path.
      params: (seg, placement) =>
        placement.kind === 'dispatch'
          ? [names.frame, names.value, names.mode, names.state]
          : plainSegments.has(seg.index)
            // A plain owner with a second entry reads the mode its callers pass, as a parameter with
            // a default: the function's length stays 2, which is what tells the runtime it is plain.
            ? [names.frame, names.value, ...(secondEntryOf.has(seg.index) ? [{ name: names.mode, init: f.createNumericLiteral(0) }] : [])]
            : [names.frame, names.value, names.mode, ...(passThroughSuspends.has(seg.suspend) ? [names.passThrough] : [])],
      leadingDecls: () => [],
      unusedLocals(seg) {
        // A plain point's exception and return value go to the runtime, not to locals.
        const unused = new Set<VarId>(seg.locals.filter((v) => foldedTemps.has(v)));
        for (const b of seg.index < 0 ? plainEntries : [seg.entry]) {
          const t = ir.blocks[b].term;
          if (isPlainEntry(seg, b) && t.kind === 'resume') unused.add(t.exc).add(t.ret);
        }
        return unused;
      },
      tailCall(seg, x, owner) {
        // As at a suspension, with what is live at x in place of what is live across it; the
        // resume pointer stays "running" for the owner to set.
        const across = input.liveness.liveIn[x];
        const entryIn = input.liveness.liveIn[seg.entry];
        const written = new Set(seg.written);
        const locals = new Set(seg.locals);
        const seq: TS.Statement[] = [];
        for (const v of across) if (locals.has(v) && (written.has(v) || !entryIn.has(v))) seq.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createIdentifier(ir.vars[v].name))));
        if (!small) for (const v of entryIn) if (!across.has(v) && !inFrame(ir.vars[v])) seq.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createVoidZero())));
        const mode = tails.second.has(x) ? [f.createNumericLiteral(ENTER_MODE)] : plainSegments.has(owner) ? [] : [f.createNumericLiteral(0)];
        const args = [frameId(), f.createIdentifier(names.value), ...mode];
        seq.push(f.createReturnStatement(f.createCallExpression(f.createIdentifier(names.resume(owner)), undefined, args)));
        return [code(seq)];
      },
      body: (_seg, main) => main,
    }),
  );

  const emittedSegments = layout.segments.filter((seg) => hasFunction(seg.index));
  const tailsOf = (seg: Segment): ReadonlyMap<BlockId, number> | undefined => {
    const cut = tails.cuts.get(seg.index);
    return cut && new Map([...cut].map((x) => [x, tails.owner.get(x)!]));
  };
  let resumeFunctions: TS.FunctionDeclaration[] =
    shape.kind === 'structured'
      ? emittedSegments.map((seg) => emitter.resumeFunction(seg, { kind: 'structured', graph: shape.graphs[layout.segments.indexOf(seg)], tails: tailsOf(seg) }))
      : [...layout.segments.map(enterDispatch), emitter.resumeFunction(wholeSegment(ir, layout), { kind: 'dispatch' })];
  if (small && shape.kind === 'structured') resumeFunctions = shareResumeFunctions(ts, input.sourceFile, resumeFunctions, (i) => emitter.labels.get(emittedSegments[i].index) ?? []).functions;

  /** The dispatch shape's resume function: enters the shared function at its resume block. */
  function enterDispatch(seg: Segment): TS.FunctionDeclaration {
    // A plain point takes no mode: the runtime does throw() and return() there (its entry block
    // in the shared function does not read the mode).
    const plain = plainSegments.has(seg.index);
    const params = plain ? [names.frame, names.value] : [names.frame, names.value, names.mode, ...(passThroughSuspends.has(seg.suspend) ? [names.passThrough] : [])];
    const call = f.createCallExpression(f.createIdentifier(names.run()), undefined, [frameId(), f.createIdentifier(names.value), plain ? f.createNumericLiteral(0) : f.createIdentifier(names.mode), f.createNumericLiteral(seg.entry)]);
    return f.createFunctionDeclaration(undefined, undefined, names.resume(seg.index), undefined, params.map((p) => f.createParameterDeclaration(undefined, undefined, p)), undefined, f.createBlock([f.createReturnStatement(call)], true));
  }

  // ------------------------------------------------------------ frame class
  // The resume functions and `next` may live in an enclosing function (when they close over its
  // scope), so the ramp hands them to the module-level frame constructor.
  // Lowered for size, the frame has no own `next` and the fields the ramp does not provide are
  // created by the first store (a few more hidden classes, one line less per field).
  const ctorParams = ['r', ...(small ? [] : ['n']), ...layout.rampFields.map((_, i) => `a${i}`)];
  // The constructor stores the start values: lowered for speed the emitted one, lowered for size
  // the runtime's, given them as `["i", 0]` after the names of the fields the ramp fills.
  const startFieldList = (): TS.Expression[] => [...(initialState?.values ?? [])].map(([v, e]) => f.createArrayLiteralExpression([f.createStringLiteral(ir.vars[v].name), e]));
  // A plain constructor function, not a class: the runtime gives it a fresh, empty prototype (it
  // becomes fn.prototype), where a class's would keep its `constructor` (see generatorFrameConstructor).
  const ctorBody: TS.Statement[] = [
    f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(f.createThis(), '$r'), f.createIdentifier('r'))),
    ...(small ? [] : [f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(f.createThis(), 'next'), f.createIdentifier('n')))]),
  ];
  const thisField = (v: VarId): TS.PropertyAccessExpression => f.createPropertyAccessExpression(f.createThis(), ir.vars[v].name);
  layout.fields.forEach((v) => {
    const i = layout.rampFields.indexOf(v);
    if (small && i < 0) return;
    const start = initialState?.values.get(v);
    ctorBody.push(f.createExpressionStatement(f.createAssignment(thisField(v), i >= 0 ? f.createIdentifier(`a${i}`) : start ?? f.createVoidZero())));
  });
  const wrapCtor = (ctor: TS.FunctionExpression): TS.Expression => (input.wiredByDefine ? ctor : f.createCallExpression(runtime('generatorFrameConstructor'), undefined, [ctor]));
  // Lowered for size the constructor only stores what it is given, so the runtime makes it from
  // the field names (generatorFrame), with its prototype as generatorFrameConstructor gives one.
  const frameCtor = (): TS.Expression =>
    small
      ? f.createCallExpression(runtime('generatorFrame'), undefined, [...layout.rampFields.map((v) => f.createStringLiteral(ir.vars[v].name)), ...startFieldList()])
      : wrapCtor(f.createFunctionExpression(undefined, undefined, names.frameClass, undefined, ctorParams.map((p) => f.createParameterDeclaration(undefined, undefined, p)), undefined, f.createBlock(ctorBody, true)));
  const frameClass = (): TS.VariableStatement => f.createVariableStatement(
    undefined,
    f.createVariableDeclarationList(
      [
        f.createVariableDeclaration(
          names.frameClass,
          undefined,
          undefined,
          frameCtor(),
        ),
      ],
      ts.NodeFlags.Const,
    ),
  );

  const newFrame: EmitOutput['newFrame'] = (args) =>
    f.createNewExpression(f.createIdentifier(names.frameClass), undefined, [
      f.createIdentifier(names.resume(entrySegment)),
      ...(small ? [] : [f.createIdentifier(names.next)]),
      ...layout.rampFields.map((v) => {
        const k = ir.vars[v].kind;
        if (k === 'this') return args.this ?? f.createThis();
        if (k === 'arguments') return args.arguments ?? f.createIdentifier('arguments');
        if (k === 'self') return args.self ?? f.createVoidZero();
        if (k === 'super') return args.super ?? f.createVoidZero();
        return args.param(v);
      }),
    ]);
  const registration =
    dropFunction && plainSegments.size
      ? f.createExpressionStatement(f.createCallExpression(runtime('plainResumePoints'), undefined, [f.createIdentifier(names.drop), ...[...plainSegments].filter(hasFunction).map((i) => f.createIdentifier(names.resume(i)))]))
      : undefined;
  // (after sharing: a kept function reads the value if any function it stands for did)
  const valueParams = dropUnusedValueParams(ts, resumeFunctions, names.frame, names.value);
  resumeFunctions = valueParams.functions;
  const closures = emitter.closureMakers(resumeFunctions);
  return { frameClass, resumeFunctions: closures.functions, closureMakers: closures.makers, nextFunction: small ? undefined : emitNext(), entry: names.resume(entrySegment), startFields: small ? startFieldList() : [], newFrame, dropFunction, registration };

  /**
   * The frame's own `next`. %GeneratorPrototype%.next is one function shared by every lowered
   * generator, so its call of the resume pointer sees every resume function of the program and
   * V8 can inline none of them. This copy belongs to one coroutine: it compares the pointer with
   * the resume functions that run most and calls them directly (indirect-call promotion), so a
   * consumer's `next()` call site can inline the step and drop the IteratorResult allocation.
   * Everything else (other resume points, running, completed, a foreign receiver) takes the
   * shared path, which does all the checks.
   */
  function emitNext(): TS.FunctionDeclaration {
    const self = f.createThis();
    const r = f.createIdentifier('r');
    const v = f.createIdentifier('v');
    const value = f.createIdentifier('value');
    const p = f.createIdentifier('p');
    const pointer = (): TS.PropertyAccessExpression => f.createPropertyAccessExpression(f.createThis(), '$r');
    const hot = hotSegments(ir, layout, initialState?.skipped);
    // (a finishing point calls the runtime's generatorFinish here, as directly as its own function;
    // a function that takes no value is passed none)
    const resumeId = resumeRef;
    const call = (i: number): TS.Statement => {
      const run = f.createExpressionStatement(f.createAssignment(value, f.createCallExpression(resumeId(i), undefined, plainSegments.has(i) ? (valueParams.dropped.has(names.resume(i)) ? [self] : [self, v]) : [self, v, f.createNumericLiteral(0)])));
      if (!passThroughSegments.includes(i)) return run;
      // A step of yield* mostly stays in it: hand the inner result on without further tests.
      return f.createBlock([run, f.createIfStatement(f.createStrictEquality(pointer(), resumeId(i)), f.createReturnStatement(value))], true);
    };
    // if (r === R0) value = R0(this, v, 0); else if (r === R1) …; else value = Rn(this, v, 0)
    let dispatch: TS.Statement = call(hot[hot.length - 1]);
    for (let k = hot.length - 2; k >= 0; k--) dispatch = f.createIfStatement(f.createStrictEquality(r, resumeId(hot[k])), call(hot[k]), dispatch);
    const anyOf = (ids: number[], test: (i: number) => TS.Expression, join: TS.SyntaxKind.AmpersandAmpersandToken | TS.SyntaxKind.BarBarToken): TS.Expression =>
      ids.map(test).reduce((a, b) => f.createBinaryExpression(a, join, b));
    const shared = f.createPropertyAccessExpression(runtime('GeneratorPrototype'), 'next');
    const body: TS.Statement[] = [
      // A replaced %GeneratorPrototype%.next wins, as it would for a native generator.
      f.createIfStatement(
        f.createStrictInequality(shared, runtime('generatorPrototypeNext')),
        f.createReturnStatement(f.createCallExpression(f.createPropertyAccessExpression(shared, 'call'), undefined, [self, v])),
      ),
      // (`this` needs no null check: strict code throws reading $r of undefined, and sloppy code
      // has the global object, whose $r is no resume function.)
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(r, undefined, undefined, pointer())], ts.NodeFlags.Const)),
      // Everything but the hot resume points (running, completed, a foreign receiver) takes the
      // shared path, which does all the checks.
      f.createIfStatement(
        anyOf(hot, (i) => f.createStrictInequality(r, resumeId(i)), ts.SyntaxKind.AmpersandAmpersandToken),
        f.createReturnStatement(f.createCallExpression(runtime('resumeGenerator'), undefined, [self, v, f.createNumericLiteral(0)])),
      ),
      f.createExpressionStatement(f.createAssignment(pointer(), runtime('generatorRunning'))),
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(value)], ts.NodeFlags.Let)),
      f.createTryStatement(
        f.createBlock([dispatch], true),
        f.createCatchClause('e', f.createBlock([f.createExpressionStatement(f.createAssignment(pointer(), runtime('generatorCompleted'))), f.createThrowStatement(f.createIdentifier('e'))], true)),
        undefined,
      ),
      // Every segment ends by setting the next resume point or, through generatorReturn, the
      // completed state; only an exception leaves the pointer at "running". A completion that
      // still had finally blocks to run leaves it too, and is marked here.
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(p, undefined, undefined, pointer())], completesBeforeFinally ? ts.NodeFlags.Let : ts.NodeFlags.Const)),
      ...(completesBeforeFinally
        ? [f.createIfStatement(f.createStrictEquality(p, runtime('generatorRunning')), f.createExpressionStatement(f.createAssignment(pointer(), f.createAssignment(p, runtime('generatorCompleted')))))]
        : []),
      // Suspended inside yield*: the inner iterator's result object goes out as it is.
      ...(passThroughSegments.length ? [f.createIfStatement(anyOf(passThroughSegments, (i) => f.createStrictEquality(p, resumeId(i)), ts.SyntaxKind.BarBarToken), f.createReturnStatement(value))] : []),
      // The one allocation site of this generator's IteratorResults.
      f.createReturnStatement(f.createObjectLiteralExpression([f.createPropertyAssignment('value', value), f.createPropertyAssignment('done', f.createStrictEquality(p, runtime('generatorCompleted')))])),
    ];
    const fn = f.createFunctionDeclaration(undefined, undefined, names.next, undefined, [f.createParameterDeclaration(undefined, undefined, v)], undefined, f.createBlock(body, true));
    // Stack traces show this frame between the caller and the resume function: map all of it to
    // the generator's head (else it inherits whatever mapping precedes it in the output).
    const head = ir.suspends[0]?.span;
    if (head) {
      ts.setSourceMapRange(fn, head);
      const mapAll = (n: TS.Node): void => {
        ts.setSourceMapRange(n, head);
        ts.forEachChild(n, mapAll);
      };
      body.forEach(mapAll);
    }
    return fn;
  }

}
