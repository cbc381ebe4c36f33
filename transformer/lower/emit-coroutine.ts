// IR + frame layout → TypeScript AST for promise-type coroutines, in the shape docs/coroutine-abi.md
// specifies: a frame class extending CoroutineFrame, one resume function `(f, m)` per suspension
// point, and the ramp statements (coAllocate, parameter copies, coStart).
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
import { createRewriter } from './rewrite.js';
import type { Block, BlockId, CoroutineIR, VarId } from './ir.js';
import { suspendActions, type FrameLayout, type Segment } from './layout.js';
import type { Liveness } from './liveness.js';
import { makeReducible, structure, toStatements, type SNode, type SplitGraph } from './structure.js';
import type { HelperName } from './build.js';
import type { RuntimeHelper } from './emit.js';
import { LoweringError } from './errors.js';

/** Runtime exports the coroutine emitter refers to (all from corosplit/runtime). */
export type CoroutineHelper = 'coAllocate' | 'coAllocationFailed' | 'coPromiseFailed' | 'coStart' | 'coSuspend' | 'coReady' | 'coAwaitBefore' | 'coNotAwaiter' | 'coResume' | 'coReturn' | 'coReturnVoid' | 'coUnhandled';

export interface CoEmitNames {
  frameClass: string;
  resume: (index: number) => string;
  /** the resume functions' first parameter: the frame header (CoroutineFrame) */
  frame: string;
  /** the resume functions' local holding the header's `$l`: the coroutine's own fields */
  locals: string;
  mode: string;
  caught: string;
  cond: string;
  /** holds what coSuspend returned */
  next: string;
  label: (n: number, kind: 'loop' | 'block') => string;
}

export interface CoEmitInput {
  ts: typeof TS;
  ir: CoroutineIR;
  layout: FrameLayout;
  liveness: Liveness;
  refs: Map<TS.Node, VarId>;
  helperRefs: Map<TS.Identifier, HelperName>;
  /** references to a let/const that may come before its declaration (analysis/tdz.ts) */
  tdzRefs: ReadonlySet<TS.Node>;
  names: CoEmitNames;
  runtime: (name: RuntimeHelper | CoroutineHelper) => TS.Identifier;
  sourceFile: TS.SourceFile;
  /** the promise class declares awaitTransform, so `yield* x` awaits promise.awaitTransform(x) */
  awaitTransform: boolean;
  /** the promise class declares afterInlineAwait, asked after every await that did not suspend */
  afterInlineAwait: boolean;
  isNestedLowerable: (n: TS.Node) => boolean;
  lowerNested: (n: TS.Node) => TS.Node;
  pushCollector: () => void;
  popCollector: () => TS.Statement[];
}

export interface CoEmitOutput {
  frameClass: TS.ClassDeclaration;
  resumeFunctions: TS.FunctionDeclaration[];
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
  const localsId = (): TS.Identifier => f.createIdentifier(names.locals);
  const fieldAccess = (v: VarId): TS.PropertyAccessExpression => f.createPropertyAccessExpression(localsId(), ir.vars[v].name);
  const isMemory = (v: VarId): boolean => ir.vars[v].captured;
  const call = (h: CoroutineHelper, args: TS.Expression[]): TS.CallExpression => f.createCallExpression(runtime(h), undefined, args);
  const isVoidReturn = (e: TS.Expression): boolean => e.pos < 0 && ts.isVoidExpression(e);

  // The same rewriting rules as the generator emitter; a `return` kept inside a statement
  // completes the coroutine through the promise (coReturn / coReturnVoid).
  const { rewrite, varExpr } = createRewriter({
    ts,
    ir,
    refs: input.refs,
    helperRefs: input.helperRefs,
    tdzRefs: input.tdzRefs,
    runtime: runtime as (name: any) => TS.Identifier,
    frame: names.locals,
    strict: true,
    isNestedLowerable: input.isNestedLowerable,
    lowerNested: input.lowerNested,
    pushCollector: input.pushCollector,
    popCollector: input.popCollector,
    completeWith: (value) => (value ? call('coReturn', [frameId(), value]) : call('coReturnVoid', [frameId()])),
  });

  const resumeFunctions = layout.segments.map((seg) => emitSegment(seg));

  function emitSegment(seg: Segment): TS.FunctionDeclaration {
    const inSeg = new Set(seg.blocks);
    const labels = new Map<string, string>();
    let needsCond = false;
    let needsNext = false;
    const labelFor = (n: number, kind: 'loop' | 'block'): string => {
      const key = `${kind}${n}`;
      if (!labels.has(key)) labels.set(key, names.label(n, kind));
      return labels.get(key)!;
    };
    const isInitial = ir.suspends[seg.suspend].kind === 'initial';
    input.pushCollector();
    const stmtCode = (b: Block): TS.Statement[] =>
      b.stmts.map((s) => {
        const out = rewrite(s.node);
        if (s.span && out.pos < 0) ts.setSourceMapRange(out, s.span);
        return out;
      });
    const assignLocal = (v: VarId, value: TS.Expression): TS.Statement => f.createExpressionStatement(f.createAssignment(varExpr(v), value));
    const code = (stmts: TS.Statement[]): SNode => ({ k: 'code', stmts });
    const ret = (e: TS.Expression): TS.Statement => f.createReturnStatement(e);

    const blockCode = (n: number, branch: (to: number) => SNode[], destroying: boolean): SNode[] => {
      const b = ir.blocks[n];
      const t = b.term;
      const body = stmtCode(b);
      const handler = !destroying && b.region >= 0 && t.kind !== 'resume' && t.kind !== 'resume-delegate' ? ir.regions[b.region] : undefined;
      const protect = (inner: TS.Statement[], after: SNode[], h = handler): SNode[] => {
        if (!h || inner.length === 0) return [code(inner), ...after];
        const onThrow: SNode[] = [code([assignLocal(h.exc, f.createIdentifier(names.caught))]), ...branch(h.handler)];
        return [{ k: 'try', body: [code(inner)], catchName: names.caught, handler: onThrow }, ...after];
      };
      switch (t.kind) {
        case 'goto':
          return protect(body, branch(t.target));
        case 'branch': {
          if (!handler) return [code(body), { k: 'if', cond: rewrite(t.cond), then: branch(t.then), else: branch(t.else) }];
          needsCond = true;
          const condId = f.createIdentifier(names.cond);
          return protect([...body, f.createExpressionStatement(f.createAssignment(condId, rewrite(t.cond)))], [{ k: 'if', cond: f.createIdentifier(names.cond), then: branch(t.then), else: branch(t.else) }]);
        }
        case 'switch': {
          if (destroying) {
            // Only the completions the destroy path can carry (see destroyGraph).
            const live = new Set(destroyEdges.get(n) ?? []);
            const cases = t.cases.filter((c) => live.has(c.target));
            const targets = [...new Set([...cases.map((c) => c.target), ...(live.has(t.default) ? [t.default] : [])])];
            if (targets.length === 1) return [code(body), ...branch(targets[0])];
            const unreachable: SNode[] = [code([f.createThrowStatement(f.createNewExpression(f.createIdentifier('Error'), undefined, [f.createStringLiteral('corosplit: unreachable completion while destroying')]))])];
            return [code(body), { k: 'switch', on: varExpr(t.on), cases: cases.map((c) => ({ value: c.value, body: branch(c.target) })), default: live.has(t.default) ? branch(t.default) : unreachable }];
          }
          return protect(body, [{ k: 'switch', on: varExpr(t.on), cases: t.cases.map((c) => ({ value: c.value, body: branch(c.target) })), default: branch(t.default) }]);
        }
        case 'yield': {
          const sp = ir.suspends[t.suspend];
          if (destroying) {
            const at = sp.span ? nodeAt(ts, input.sourceFile, sp.span.pos, sp.span.end) : input.sourceFile;
            throw new LoweringError(at, 'a suspension point reachable while the coroutine is being destroyed (a finally block leaves with break/continue and the code after it suspends)');
          }
          const sl = { ...layout.suspends[t.suspend], ...suspendActions(ir, input.liveness, seg, t.suspend) };
          // The await sequence is inlined (coroutine-abi.md §5): each call below is a call site of
          // this one suspension point, so V8 sees the awaiter types of this `yield*` only and can
          // inline awaitReady/awaitResume; a ready awaiter then costs no call at all.
          needsCond = true;
          const aw = (): TS.Identifier => f.createIdentifier(names.cond);
          const promise = (): TS.Expression => f.createPropertyAccessExpression(frameId(), '$p');
          const operand = rewrite(t.value);
          const awaiter =
            sp.kind === 'await'
              ? input.awaitTransform
                ? f.createCallExpression(f.createPropertyAccessExpression(promise(), 'awaitTransform'), undefined, [operand])
                : operand
              : f.createCallExpression(f.createPropertyAccessExpression(promise(), 'yieldValue'), undefined, [operand]);
          const first = f.createExpressionStatement(f.createAssignment(aw(), awaiter));
          if (sp.span) ts.setSourceMapRange(first, sp.span);
          const seq: TS.Statement[] = [...body, first];
          if (sp.kind === 'await' && !input.awaitTransform) {
            // The operand itself is the awaiter: say what is wrong when it is not one. What
            // awaitTransform and yieldValue return is the promise type's business (a Task's
            // awaitTransform rejects non-awaitables with its own message); checking it again
            // costs a polymorphic load per await.
            // Strict tests: `== null` would add an undetectable-object check that keeps V8 from
            // dropping a fresh awaiter (see TaskPromise.awaitTransform).
            const notAwaiter = f.createLogicalOr(
              f.createLogicalOr(f.createStrictEquality(aw(), f.createNull()), f.createStrictEquality(aw(), f.createVoidZero())),
              f.createStrictInequality(f.createTypeOfExpression(f.createPropertyAccessExpression(aw(), 'awaitReady')), f.createStringLiteral('function')),
            );
            seq.push(f.createIfStatement(notAwaiter, f.createExpressionStatement(call('coNotAwaiter', [frameId(), aw(), f.createStringLiteral('the awaited value')]))));
          }
          // What a real suspension needs: the frame holds what is live across it, and nothing dead.
          const suspendStores: TS.Statement[] = [];
          for (const v of sl.stores) if (!isMemory(v)) suspendStores.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createIdentifier(ir.vars[v].name))));
          for (const v of sl.clears) suspendStores.push(f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createVoidZero())));
          suspendStores.push(f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(frameId(), '$r'), f.createIdentifier(names.resume(sl.resumeSegment)))));
          const ready = f.createCallExpression(f.createPropertyAccessExpression(aw(), 'awaitReady'), undefined, []);
          const suspend = call('coSuspend', [frameId(), aw()]);
          if (sl.resumeSegment !== seg.index) {
            // The resume point is another resume function: a ready awaiter bounces through the
            // trampoline, which runs it (no direct call, so loops of inline completions keep a
            // flat stack).
            const r = ret(f.createConditionalExpression(ready, undefined, call('coReady', [frameId(), aw()]), undefined, suspend));
            if (sp.span) ts.setSourceMapRange(r, sp.span);
            return protect([...seq, ...suspendStores, r], []);
          }
          // The resume point is this function (a loop whose body awaits): when the await completes
          // without suspending, continue in place. The edge to the resume block's successor is part
          // of the graph this function is structured from, so it becomes an ordinary JS loop and the
          // locals stay in registers; nothing is stored unless the coroutine really suspends.
          const rt = ir.blocks[sp.resume].term;
          if (rt.kind !== 'resume') throw new LoweringError(input.sourceFile, 'internal: a suspension without a resume block');
          const sent = (value: TS.Expression): TS.Statement => (rt.sent !== undefined ? assignLocal(rt.sent, value) : f.createExpressionStatement(value));
          const nx = (): TS.Identifier => f.createIdentifier(names.next);
          needsNext = true;
          // Store what is live, run `suspension`; if it hands back this frame, the coroutine is
          // running again here and reads its result.
          const suspendHere = (suspension: TS.Expression): TS.Block =>
            f.createBlock(
              [
                ...suspendStores,
                f.createIfStatement(f.createStrictInequality(f.createParenthesizedExpression(f.createAssignment(nx(), suspension)), frameId()), ret(nx())),
                sent(call('coResume', [frameId()])),
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
                f.createLogicalAnd(
                  f.createStrictInequality(f.createParenthesizedExpression(f.createAssignment(nx(), f.createCallExpression(f.createPropertyAccessExpression(promise(), 'afterInlineAwait'), undefined, []))), f.createNull()),
                  f.createStrictInequality(nx(), f.createVoidZero()),
                ),
                suspendHere(call('coAwaitBefore', [frameId(), nx(), result])),
              ),
            );
          }
          seq.push(f.createIfStatement(ready, f.createBlock(readyPath, true), suspendHere(suspend)));
          return protect(seq, branch(rt.next));
        }
        case 'return': {
          if (destroying || n === ir.destroy) return [code([...body, ret(f.createNull())])];
          const done = isVoidReturn(t.value) ? call('coReturnVoid', [frameId()]) : call('coReturn', [frameId(), rewrite(t.value)]);
          return protect([...body, ret(done)], []);
        }
        case 'throw':
          return protect([...body, f.createThrowStatement(rewrite(t.value))], []);
        case 'resume': {
          // The entry (initial suspend) is handled by the function prologue.
          if (isInitial && n === seg.entry) return branch(t.next);
          const resumed = call('coResume', [frameId()]);
          const first = t.sent !== undefined ? assignLocal(t.sent, resumed) : f.createExpressionStatement(resumed);
          const h = b.region >= 0 ? { exc: t.exc, handler: t.throwTarget } : undefined;
          return protect([first], branch(t.next), h as any);
        }
        case 'resume-delegate':
          throw new LoweringError(input.sourceFile, 'internal: generator delegation in a promise-type coroutine');
      }
    };

    const segEntry = ir.blocks[seg.entry].term;
    const destroyEdges = isInitial || segEntry.kind !== 'resume' ? new Map<BlockId, BlockId[]>() : destroyGraph(ts, ir, segEntry.returnTarget);
    const successorsOf = (b: Block, destroying: boolean): BlockId[] => {
      if (destroying) return (destroyEdges.get(b.id) ?? []).filter((x) => inSeg.has(x));
      const t = b.term;
      const out: BlockId[] = [];
      if (t.kind === 'goto') out.push(t.target);
      else if (t.kind === 'branch') out.push(t.then, t.else);
      else if (t.kind === 'switch') out.push(...t.cases.map((c) => c.target), t.default);
      else if (t.kind === 'resume') {
        if (!(isInitial && b.id === seg.entry) && b.region >= 0 && !destroying) out.push(t.throwTarget);
        out.push(t.next);
      } else if (t.kind === 'yield' && layout.suspends[t.suspend].resumeSegment === seg.index) {
        // continuing in place after an await that did not suspend
        const rt = ir.blocks[ir.suspends[t.suspend].resume].term;
        if (rt.kind === 'resume') out.push(rt.next);
      }
      if (!destroying && b.region >= 0 && t.kind !== 'resume' && t.kind !== 'resume-delegate') out.push(ir.regions[b.region].handler);
      return out.filter((x) => inSeg.has(x));
    };
    const structured = (entry: BlockId, destroying: boolean): SNode[] => {
      const nodeOf = new Map<number, number>();
      const initial: SplitGraph = { entry: 0, nodes: [] };
      for (const b of seg.blocks) {
        nodeOf.set(b, initial.nodes.length);
        initial.nodes.push({ block: b, succ: new Map() });
      }
      for (const node of initial.nodes) for (const s of successorsOf(ir.blocks[node.block], destroying)) node.succ.set(s, nodeOf.get(s)!);
      initial.entry = nodeOf.get(entry)!;
      const graph = makeReducible(initial);
      return structure(
        { entry: graph.entry, successors: (x) => [...new Set(graph.nodes[x].succ.values())] },
        { block: (x, branch) => blockCode(graph.nodes[x].block, (toBlock) => branch(graph.nodes[x].succ.get(toBlock)!), destroying), labelFor },
      );
    };

    const entryTerm = ir.blocks[seg.entry].term;
    if (entryTerm.kind !== 'resume') throw new LoweringError(input.sourceFile, 'internal: a resume point without a resume block');
    const m = f.createIdentifier(names.mode);
    const notResume = f.createStrictInequality(m, f.createNumericLiteral(0));
    const prologue: TS.Statement[] = [];
    if (isInitial) {
      prologue.push(f.createIfStatement(notResume, ret(f.createNull())));
      prologue.push(f.createExpressionStatement(call('coResume', [frameId()])));
    } else {
      const destroy = toStatements(ts, structured(entryTerm.returnTarget, true));
      if (fallsOff(destroy)) destroy.push(ret(f.createNull()));
      prologue.push(f.createIfStatement(notResume, f.createBlock(destroy, true)));
    }
    const main = toStatements(ts, structured(seg.entry, false));
    const outerCatch = names.caught;
    const body = f.createTryStatement(f.createBlock(main, true), f.createCatchClause(outerCatch, f.createBlock([ret(call('coUnhandled', [frameId(), f.createIdentifier(outerCatch)]))], true)), undefined);

    const hoisted = input.popCollector().map((h) => rewrite(h, true));
    const decls: TS.VariableDeclaration[] = [];
    // The coroutine's fields live in the header's $l; read it once, first.
    if (layout.fields.length) decls.push(f.createVariableDeclaration(names.locals, undefined, undefined, f.createPropertyAccessExpression(frameId(), '$l')));
    for (const v of seg.locals) decls.push(f.createVariableDeclaration(ir.vars[v].name, undefined, undefined, seg.loads.includes(v) ? fieldAccess(v) : undefined));
    if (needsCond) decls.push(f.createVariableDeclaration(names.cond));
    if (needsNext) decls.push(f.createVariableDeclaration(names.next));
    const stmts: TS.Statement[] = [];
    if (decls.length) stmts.push(f.createVariableStatement(undefined, f.createVariableDeclarationList(decls, ts.NodeFlags.Let)));
    stmts.push(...hoisted, ...prologue, body);
    const fn = f.createFunctionDeclaration(undefined, undefined, names.resume(seg.index), undefined, [names.frame, names.mode].map((p) => f.createParameterDeclaration(undefined, undefined, p)), undefined, f.createBlock(stmts, true));
    const sp = ir.suspends[seg.suspend].span;
    if (sp) ts.setSourceMapRange(fn, sp);
    return fn;
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
  if (!layout.fields.some((v) => ir.vars[v].captured)) {
    members.push(f.createMethodDeclaration(undefined, undefined, '$reset', undefined, undefined, [], undefined, f.createBlock(layout.fields.map((v) => f.createExpressionStatement(f.createAssignment(thisField(v), f.createVoidZero()))), true)));
  }
  // The coroutine's own part of its frame; the runtime's header (CoroutineFrame) holds it in $l.
  const frameClass = f.createClassDeclaration(undefined, names.frameClass, undefined, undefined, members);
  return { frameClass, resumeFunctions };
}

/**
 * The control flow of a DESTROY resumption, from the resume block's return route: finally blocks
 * end in a switch on their completion code, and on this path the code is the constant the route
 * stored (unless user code in the finally jumps elsewhere). A forward analysis of the possible
 * constant values of every completion variable keeps only the switch cases that can be taken, so
 * the code after a try statement is not mistaken for part of the destroy path. Returns the
 * successors of each block reachable on it (no exception edges: during destroy an exception leaves
 * the resume function).
 */
export function destroyGraph(ts: typeof TS, ir: CoroutineIR, start: BlockId): Map<BlockId, BlockId[]> {
  const codes = new Set<VarId>();
  for (const r of ir.regions) if (r.finally) codes.add(r.finally.code);
  type State = Map<VarId, Set<number> | null>; // absent or null: unknown
  const inState = new Map<BlockId, State>();
  const edges = new Map<BlockId, BlockId[]>();
  const merge = (to: BlockId, s: State): boolean => {
    const cur = inState.get(to);
    if (!cur) {
      inState.set(to, new Map([...s].map(([k, v]) => [k, v === null ? null : new Set(v)])));
      return true;
    }
    let changed = false;
    for (const [v, vals] of cur) {
      const other = s.get(v);
      if (vals === null) continue;
      if (other === undefined || other === null) {
        cur.set(v, null);
        changed = true;
      } else for (const x of other) if (!vals.has(x)) {
        vals.add(x);
        changed = true;
      }
    }
    return changed;
  };
  /** `code = <number>`, as the builder's routes write it. */
  const constAssign = (node: TS.Statement): number | undefined => {
    if (!ts.isExpressionStatement(node) || !ts.isBinaryExpression(node.expression)) return undefined;
    const e = node.expression;
    if (e.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isNumericLiteral(e.right)) return undefined;
    return Number(e.right.text);
  };
  inState.set(start, new Map());
  const work = [start];
  while (work.length) {
    const id = work.pop()!;
    const b = ir.blocks[id];
    const s: State = new Map([...inState.get(id)!].map(([k, v]) => [k, v === null ? null : new Set(v)]));
    for (const st of b.stmts) {
      const written = st.writes.filter((w) => codes.has(w));
      if (!written.length) continue;
      const c = st.defs.length === 1 && codes.has(st.defs[0]) ? constAssign(st.node) : undefined;
      for (const w of written) s.set(w, c !== undefined && st.defs[0] === w ? new Set([c]) : null);
    }
    const t = b.term;
    let out: BlockId[] = [];
    if (t.kind === 'goto') out = [t.target];
    else if (t.kind === 'branch') out = [t.then, t.else];
    else if (t.kind === 'switch') {
      const vals = s.get(t.on);
      if (!vals) out = [...t.cases.map((c) => c.target), t.default];
      else {
        for (const x of vals) {
          const hit = t.cases.find((c) => c.value === x);
          out.push(hit ? hit.target : t.default);
        }
      }
    } else if (t.kind === 'resume') out = [t.next];
    out = [...new Set(out)];
    edges.set(id, out);
    for (const to of out) if ((merge(to, s) || !edges.has(to)) && !work.includes(to)) work.push(to);
  }
  return edges;
}

