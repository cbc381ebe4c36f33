// The one segment emitter: turns a segment of the IR (the blocks one resume point runs before the
// coroutine suspends again) into a resume function, for every coroutine kind. What differs between
// kinds (what a suspension, a completion and a resumption compile to, the resume function's
// parameters, what wraps its body) is a CoroutineAbi, in the manner of LLVM's BaseABI and
// Roslyn's StateMachineRewriter hooks. Everything else is here, once: the rewriting of user
// statements, per-iteration boxes, exception routing to handlers, keeping code that cannot throw
// out of `try`, the structured and dispatch placements, and the locals a segment keeps.
import type * as TS from 'typescript';
import type { Block, BlockId, CoroutineIR, VarId } from '../ir.js';
import { dispatchResumeClears, type FrameLayout, type Segment } from '../layout.js';
import { compactDispatch } from './dispatch-compact.js';
import type { Liveness } from '../liveness.js';
import { createRewriter } from '../rewrite.js';
import { fallsThrough, structure, tidy, toStatements, widenTries, type SNode } from '../structure.js';
import { GUARD_BLOCK, type SplitGraph } from '../reducible.js';
import type { HelperName } from '../build.js';

export type Term<K extends Block['term']['kind']> = Extract<Block['term'], { kind: K }>;

export interface SegmentNames {
  /** the resume functions' first parameter */
  frame: string;
  /** the catch parameter of the `try` statements the emitter makes */
  caught: string;
  /** scratch local: a branch condition computed inside a `try`, a suspension's operand */
  cond: string;
  resume: (index: number) => string;
  /** the dispatch shape's one function and its state parameter (ABIs without that shape have none) */
  dispatch?: { run: () => string; state: string };
  label: (n: number, kind: 'loop' | 'block') => string;
  /** a fresh name for a closure maker (RewriterContext.closureMaker); none: closures are made in place */
  closureMaker?: () => string;
}

/** A coroutine after the analyses: what every ABI's emitter starts from. */
export interface AnalysedCoroutine {
  ts: typeof TS;
  ir: CoroutineIR;
  layout: FrameLayout;
  liveness: Liveness;
  refs: Map<TS.Node, VarId>;
  helperRefs: Map<TS.Identifier, HelperName>;
  /** identifiers in nested functions that refer to bindings kept native inside the coroutine */
  nativeCaptures: ReadonlySet<TS.Node>;
  /** a `with` or a direct eval can bind names in the body at run time */
  namesWritable: boolean;
  /** references to a let/const that may come before its declaration (analysis/tdz.ts) */
  tdzRefs: ReadonlySet<TS.Node>;
  sourceFile: TS.SourceFile;
  /** nested constructs the file transformer handles itself (generators, classes with generator methods) */
  isNestedLowerable: (n: TS.Node) => boolean;
  lowerNested: (n: TS.Node) => TS.Node;
  /** hoisting scopes: what nested lowerings place at the top of the enclosing statement list */
  pushCollector: () => void;
  popCollector: () => TS.Statement[];
  /** `yield*` awaits of the body that are calls of a child's body function (analysis/task-elision.ts), with that function's name */
  elidedCalls?: ReadonlyMap<TS.Node, string>;
  /** `yield*` operands that are calls of a child with a speculative body function, with that function's name (runtime/task-elision.ts) */
  fastCalls?: ReadonlyMap<TS.Node, string>;
  /** `yield*` operands that are calls of an imported function, which may carry a speculative body function (runtime/task-elision.ts) */
  importedFastCalls?: ReadonlySet<TS.Node>;
}

export interface SegmentInput extends AnalysedCoroutine {
  runtime: (name: any) => TS.Identifier;
  /** what a call of a speculative body function passes first (see RewriterContext.fastCallArgs) */
  fastCallArgs?: () => TS.Expression[];
  names: SegmentNames;
  /** the body is strict code */
  strict: boolean;
}

/** An exception route: the variable that receives the exception and the block that handles it. */
export interface Handler {
  exc: VarId;
  handler: BlockId;
}

/** What the emitter hands an ABI while it emits the code of one block. */
export interface BlockContext {
  readonly seg: Segment;
  readonly n: BlockId;
  readonly block: Block;
  /** the block's own statements, rewritten */
  readonly body: TS.Statement[];
  /** false in the dispatch shape, where one function holds every block */
  readonly structured: boolean;
  /** emitting a destroy path (see DestroyPath) */
  readonly destroying: boolean;
  /** the code that continues at block `to` */
  branch(to: BlockId): SNode[];
  /**
   * `inner` under the block's exception route (or `handler`, when given), then `after`. Trailing
   * statements that cannot throw stay out of the `try`.
   */
  protect(inner: TS.Statement[], after: SNode[], handler?: Handler): SNode[];
  /** declares the scratch local `name` in this resume function and returns a reference to it */
  scratch(name: string): TS.Identifier;
}

/** The pieces of the shared emitter an ABI builds its code from. */
export interface EmitTools {
  rewrite<T extends TS.Node>(node: T, startInFunction?: boolean): T;
  /** how code in a resume function refers to variable v */
  varExpr(v: VarId): TS.Expression;
  /** the frame field of variable v */
  fieldAccess(v: VarId): TS.PropertyAccessExpression;
  /** v's frame field, or the segment local that holds it (a boxed v: the current box) */
  storage(v: VarId): TS.Expression;
  assignLocal(v: VarId, value: TS.Expression): TS.Statement;
  code(stmts: TS.Statement[]): SNode;
  /** is `name` the segment's own local (a read of it runs no code)? valid while a segment is emitted */
  isQuiet(name: string): boolean;
}

/**
 * A destroy path: the code a resume point runs when the coroutine is destroyed there, from its
 * return route to the end, with the completions it can carry (`edges`). It runs outside every user
 * `try`, and reaching a suspension point on it is the ABI's error.
 */
export interface DestroyPath {
  edges: ReadonlyMap<BlockId, readonly BlockId[]>;
}

/**
 * Where a resume function's code goes. Structured: the segment's own reducible graph. Dispatch:
 * the one function of the dispatch shape, every block a case of a loop over a state parameter.
 * Enter: a resume function of the dispatch shape, whose body is the ABI's alone (it enters the
 * dispatch function); the segment gives it the locals its own code needs.
 */
export type Placement =
  | {
      readonly kind: 'structured';
      readonly graph: SplitGraph;
      /** blocks where this segment calls another resume function instead (analysis/tail-entries.ts), with that segment's index */
      readonly tails?: ReadonlyMap<BlockId, number>;
    }
  | { readonly kind: 'dispatch' }
  | { readonly kind: 'enter' };

/** The hooks by which coroutine kinds differ. */
export interface CoroutineAbi {
  /** the object holding the coroutine's fields, as the resume functions name it */
  readonly fields: string;
  /** `return value` kept inside a whole user statement (see RewriterContext.completeWith) */
  completeWith(value: TS.Expression | undefined, beforeFinally: boolean): TS.Expression;
  /** calls of these runtime helpers, with arguments that run no code, cannot throw */
  readonly quietHelpers: ReadonlySet<string>;
  /** names the ABI declares, whose reads run no code */
  readonly quietNames: readonly string[];
  suspend(cx: BlockContext, t: Term<'yield'>): SNode[];
  complete(cx: BlockContext, t: Term<'return'>): SNode[];
  /**
   * A `switch` on a finally block's completion code whose every way out leaves the coroutine
   * (rethrow, return the value, fall off the end): the kind's one call that does all three, or
   * undefined to emit the switch.
   */
  leaveAfterFinally?(cx: BlockContext, t: Term<'switch'>): SNode[] | undefined;
  /** one `try` over a region's run of code rather than one per statement that can throw (widenTries) */
  readonly wideTries?: boolean;
  resume(cx: BlockContext, t: Term<'resume'>): SNode[];
  /**
   * The guard node of a second entry inside a cycle (reducible.ts, withSecondEntry): goes on to the
   * cycle's `header`, or to `second` when the function was called to start there.
   */
  enterGuard?(header: BlockId, second: BlockId, branch: (to: BlockId) => SNode[]): SNode[];
  resumeDelegate(cx: BlockContext, t: Term<'resume-delegate'>): SNode[];
  /** the resume function's parameters: a name, or a name with a default (which a function's length does not count) */
  params(seg: Segment, placement: Placement): (string | { name: string; init: TS.Expression })[];
  /** declarations before the segment's locals */
  leadingDecls(seg: Segment): TS.VariableDeclaration[];
  /** locals the segment does not need after all (the ABI routes those values elsewhere); `code` is the function's statements */
  unusedLocals(seg: Segment, code: readonly TS.Statement[]): ReadonlySet<VarId>;
  /**
   * Segment `seg` reaching block `x` hands over to the resume function of segment `owner`, whose
   * next() path begins at x (asked only for the placements' `tails`, which an ABI gives itself).
   */
  tailCall?(seg: Segment, x: BlockId, owner: number): SNode[];
  /** the statements of the resume function after its declarations, given the structured body */
  body(seg: Segment, main: TS.Statement[], emitDestroy: (graph: SplitGraph, path: DestroyPath) => TS.Statement[], placement: Placement, scratch: (name: string) => TS.Identifier): TS.Statement[];
  /** a "use strict" directive first: the body is strict but the resume functions may land in sloppy code */
  readonly strictPrologue: boolean;
}

export interface SegmentEmitter {
  tools: EmitTools;
  /** the labels each structured resume function uses, by segment index (names the lowering chose) */
  labels: ReadonlyMap<number, readonly string[]>;
  /** one resume function, placed as `placement` says */
  resumeFunction(seg: Segment, placement: Placement): TS.FunctionDeclaration;
  /** the closure makers the given resume functions share (they go where those functions go), and the functions as they call them */
  closureMakers(fns: readonly TS.FunctionDeclaration[]): { makers: TS.FunctionDeclaration[]; functions: TS.FunctionDeclaration[] };
}

export function createSegmentEmitter(input: SegmentInput, makeAbi: (tools: EmitTools) => CoroutineAbi): SegmentEmitter {
  const { ts, ir, names } = input;
  const f = ts.factory;
  let abi!: CoroutineAbi;
  const rewriter = createRewriter({
    ts,
    ir,
    refs: input.refs,
    helperRefs: input.helperRefs,
    nativeCaptures: input.nativeCaptures,
    // Moved out of a `with` body, or away from the variables a direct eval declares, a closure's
    // free names would mean something else: no closure makers there.
    closureMaker: input.namesWritable ? undefined : input.names.closureMaker,
    tdzRefs: input.tdzRefs,
    runtime: input.runtime,
    get frame() {
      return abi.fields;
    },
    strict: input.strict,
    isNestedLowerable: input.isNestedLowerable,
    lowerNested: input.lowerNested,
    pushCollector: input.pushCollector,
    popCollector: input.popCollector,
    elidedCalls: input.elidedCalls,
    fastCalls: input.fastCalls,
    importedFastCalls: input.importedFastCalls,
    fastCallArgs: input.fastCallArgs,
    completeWith: (value, beforeFinally) => abi.completeWith(value, beforeFinally),
  });
  const { rewrite, varExpr, fieldAccess, storage } = rewriter;
  const assignLocal = (v: VarId, value: TS.Expression): TS.Statement => f.createExpressionStatement(f.createAssignment(varExpr(v), value));
  const code = (stmts: TS.Statement[]): SNode => ({ k: 'code', stmts });
  // Names whose reads cannot throw: what the lowering itself declares, the same for every resume
  // function (made once: with one name per resume function, a copy per function was quadratic),
  // and the current segment's locals (declared at its top).
  let declared: ReadonlySet<string> | undefined;
  let segmentLocals: ReadonlySet<string> = new Set();
  const isQuiet = (name: string): boolean => segmentLocals.has(name) || declared!.has(name);
  const tools: EmitTools = { rewrite, varExpr, fieldAccess, storage, assignLocal, code, isQuiet };
  abi = makeAbi(tools);

  const K = ts.SyntaxKind;
  const sideEffectFree = new Set([K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken, K.AmpersandAmpersandToken, K.BarBarToken]);
  const isFrameField = (e: TS.Expression): boolean => ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === abi.fields && ts.isIdentifier(e.name);
  // (asked for only when a call could be it: asking imports the helper)
  const isNotObjectHelper = (name: string): boolean => name.startsWith('iteratorResultNotObject') && name === input.runtime('iteratorResultNotObject').text;
  /** An expression whose evaluation runs no user code and cannot throw. */
  const simple = (e: TS.Expression): boolean => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isIdentifier(e)) return isQuiet(e.text) || e.text === 'undefined';
    if (ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isBigIntLiteral(e)) return true;
    if (e.kind === K.TrueKeyword || e.kind === K.FalseKeyword || e.kind === K.NullKeyword) return true;
    if (ts.isVoidExpression(e)) return simple(e.expression);
    if (isFrameField(e)) return true;
    // Strict (in)equality, typeof, ! and short-circuit logic call no user code: the tests of
    // the iteration protocol's result checks stay out of try.
    if (ts.isTypeOfExpression(e)) return simple(e.expression);
    if (ts.isPrefixUnaryExpression(e) && e.operator === K.ExclamationToken) return simple(e.operand);
    if (ts.isBinaryExpression(e) && sideEffectFree.has(e.operatorToken.kind)) return simple(e.left) && simple(e.right);
    // makes the TypeError the protocol throws, without throwing it
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && isNotObjectHelper(e.expression.text) && e.arguments.every(simple)) return true;
    // the IteratorResult of a suspension
    if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && simple(p.initializer));
    return false;
  };
  const cannotThrow = (st: TS.Statement): boolean => {
    if (ts.isEmptyStatement(st)) return true;
    if (ts.isBlock(st)) return st.statements.every(cannotThrow);
    if (ts.isReturnStatement(st)) {
      const e = st.expression;
      if (!e || simple(e)) return true;
      return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && abi.quietHelpers.has(e.expression.text) && e.arguments.every(simple);
    }
    if (!ts.isExpressionStatement(st)) return false;
    const e = st.expression;
    if (simple(e)) return true;
    if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== K.EqualsToken) return false;
    const target = e.left;
    return ((ts.isIdentifier(target) && isQuiet(target.text)) || isFrameField(target)) && simple(e.right);
  };

  const stmtCode = (b: Block): TS.Statement[] =>
    b.stmts.flatMap((s) => {
      if (s.box) {
        // Fresh storage for a new binding instance of each boxed variable.
        return s.box.vars
          .filter((v) => ir.vars[v].boxed)
          .map((v) => f.createExpressionStatement(f.createAssignment(storage(v), f.createObjectLiteralExpression([f.createPropertyAssignment('v', s.box!.copy ? f.createPropertyAccessExpression(storage(v), 'v') : f.createVoidZero())]))));
      }
      const out = rewrite(s.node);
      if (s.span && out.pos < 0) ts.setSourceMapRange(out, s.span);
      return out;
    });

  const labelsBySegment = new Map<number, string[]>();
  function resumeFunction(seg: Segment, placement: Placement): TS.FunctionDeclaration {
    const graph = placement.kind === 'structured' ? placement.graph : undefined;
    const labels = new Map<string, string>();
    const scratch: string[] = [];
    const scratchLocal = (name: string): TS.Identifier => {
      if (!scratch.includes(name)) scratch.push(name);
      return f.createIdentifier(name);
    };
    const labelFor = (n: number, kind: 'loop' | 'block'): string => {
      const key = `${kind}${n}`;
      if (!labels.has(key)) labels.set(key, names.label(n, kind));
      return labels.get(key)!;
    };
    input.pushCollector();
    declared ??= new Set<string>([
      ...input.layout.segments.map((s) => names.resume(s.index)),
      names.frame, names.cond, names.caught, abi.fields,
      ...(names.dispatch ? [names.dispatch.state] : []),
      ...abi.quietNames,
    ]);
    segmentLocals = new Set(seg.locals.map((v) => ir.vars[v].name));

    const tails = placement.kind === 'structured' ? placement.tails : undefined;
    const blockCode = (n: BlockId, branch: (to: number) => SNode[], destroy: DestroyPath | undefined): SNode[] => {
      const b = ir.blocks[n];
      const owner = destroy ? undefined : tails?.get(n);
      // Outside any `try` of this function: the owner's code handles the block's exceptions itself.
      if (owner !== undefined && n !== seg.entry) return abi.tailCall!(seg, n, owner);
      if (!graph && (b.term.kind === 'resume' || b.term.kind === 'resume-delegate')) {
        // The dispatch shape clears what the frame held while suspended when it resumes.
        const clears = dispatchResumeClears(ir, input.liveness, n).map((v) => f.createExpressionStatement(f.createAssignment(fieldAccess(v), f.createVoidZero())));
        if (clears.length) return [code(clears), ...blockBody(n, b, branch, destroy)];
      }
      return blockBody(n, b, branch, destroy);
    };
    const blockBody = (n: BlockId, b: Block, branch: (to: number) => SNode[], destroy: DestroyPath | undefined): SNode[] => {
      const t = b.term;
      const body = stmtCode(b);
      const own = !destroy && b.region >= 0 && t.kind !== 'resume' && t.kind !== 'resume-delegate' ? ir.regions[b.region] : undefined;
      const protect = (inner: TS.Statement[], after: SNode[], handler: Handler | undefined = own): SNode[] => {
        // Trailing statements that cannot throw (the stores and return of a suspension, completion
        // bookkeeping) stay out of the try: smaller resume functions are what V8 inlines.
        let last = inner.length - 1;
        while (last >= 0 && cannotThrow(inner[last])) last--;
        if (!handler || last < 0) return [code(inner), ...after];
        const onThrow: SNode[] = [code([assignLocal(handler.exc, f.createIdentifier(names.caught))]), ...branch(handler.handler)];
        const rest = inner.slice(last + 1);
        // The key names the handler's code: the exception variable it assigns and the block it enters.
        const key = `${handler.exc}>${handler.handler}`;
        return [{ k: 'try', body: [code(inner.slice(0, last + 1))], catchName: names.caught, handler: onThrow, key }, ...(rest.length ? [code(rest)] : []), ...after];
      };
      const cx: BlockContext = {
        seg,
        n,
        block: b,
        body,
        structured: !!graph,
        destroying: !!destroy,
        branch,
        protect,
        scratch: scratchLocal,
      };
      switch (t.kind) {
        case 'goto':
          return protect(body, branch(t.target));
        case 'branch': {
          if (!own) return [code(body), { k: 'if', cond: rewrite(t.cond), then: branch(t.then), else: branch(t.else) }];
          const cond = cx.scratch(names.cond);
          return protect([...body, f.createExpressionStatement(f.createAssignment(cond, rewrite(t.cond)))], [{ k: 'if', cond: f.createIdentifier(names.cond), then: branch(t.then), else: branch(t.else) }]);
        }
        case 'switch': {
          if (destroy) {
            // Only the completions the destroy path can carry.
            const live = new Set(destroy.edges.get(n) ?? []);
            const cases = t.cases.filter((c) => live.has(c.target));
            const targets = [...new Set([...cases.map((c) => c.target), ...(live.has(t.default) ? [t.default] : [])])];
            if (targets.length === 1) return [code(body), ...branch(targets[0])];
            const unreachable: SNode[] = [code([f.createThrowStatement(f.createNewExpression(f.createIdentifier('Error'), undefined, [f.createStringLiteral('corosplit: unreachable completion while destroying')]))])];
            return [code(body), { k: 'switch', on: varExpr(t.on), cases: cases.map((c) => ({ value: c.value, body: branch(c.target) })), default: live.has(t.default) ? branch(t.default) : unreachable }];
          }
          const leave = abi.leaveAfterFinally?.(cx, t);
          if (leave) return leave;
          return protect(body, [{ k: 'switch', on: varExpr(t.on), cases: t.cases.map((c) => ({ value: c.value, body: branch(c.target) })), default: branch(t.default) }]);
        }
        case 'throw':
          // Inside a region the exception goes straight to the handler: no throw, no catch.
          if (own) return protect([...body, assignLocal(own.exc, rewrite(t.value))], branch(own.handler));
          return protect([...body, f.createThrowStatement(rewrite(t.value))], []);
        case 'yield':
          return abi.suspend(cx, t);
        case 'return':
          return abi.complete(cx, t);
        case 'resume':
          return abi.resume(cx, t);
        case 'resume-delegate':
          return abi.resumeDelegate(cx, t);
      }
    };

    /**
     * `let c, v; v = $v, c = $m;` is `let c = $m, v = $v;`: the stores a function starts with, of a
     * parameter or a constant into its locals, become their initialisers (nothing runs in between
     * that could read them). Returns the statements left.
     */
    const initialiseFromLeadingStores = (decls: TS.VariableDeclaration[], main: TS.Statement[]): TS.Statement[] => {
      const at = new Map(decls.map((d, i) => [(d.name as TS.Identifier).text, i]));
      const constant = (e: TS.Expression): boolean =>
        (ts.isIdentifier(e) && abi.quietNames.includes(e.text)) || ts.isNumericLiteral(e) || (ts.isVoidExpression(e) && ts.isNumericLiteral(e.expression));
      let lead = 0;
      for (; lead < main.length; lead++) {
        const st = main[lead];
        if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== K.EqualsToken) break;
        const { left, right } = st.expression;
        const i = ts.isIdentifier(left) ? at.get(left.text) : undefined;
        if (i === undefined || decls[i].initializer || !constant(right)) break;
        decls[i] = f.createVariableDeclaration(decls[i].name as TS.Identifier, undefined, undefined, right);
      }
      return main.slice(lead);
    };

    /** A graph over the segment's blocks, structured into loops, labeled blocks and ifs. */
    const structured = (g: SplitGraph, destroy: DestroyPath | undefined): SNode[] =>
      structure(
        { entry: g.entry, successors: (x) => [...new Set(g.nodes[x].succ.values())], merge: (x) => g.nodes[x].block === GUARD_BLOCK },
        {
          block: (x, branch) => {
            const to = (toBlock: BlockId): SNode[] => branch(g.nodes[x].succ.get(toBlock)!);
            if (g.nodes[x].block !== GUARD_BLOCK) return blockCode(g.nodes[x].block, to, destroy);
            const [header, second] = g.nodes[x].succ.keys();
            return abi.enterGuard!(header, second, to);
          },
          labelFor,
        },
      );

    // Structured: the segment's reducible graph, whose nodes may be copies of a block. Dispatch:
    // each block once, as a case; a jump sets the state and goes round the loop.
    let tree: SNode[];
    if (graph) tree = structured(graph, undefined);
    else if (placement.kind === 'enter') tree = [];
    else {
      if (!names.dispatch) throw new Error('corosplit internal: the dispatch shape for a coroutine kind without one');
      const stateName = names.dispatch.state;
      const loop = labelFor(-1, 'loop');
      const state = f.createIdentifier(stateName);
      const stores = new Map<SNode, number>();
      const jump = (to: number): SNode[] => {
        const store = code([f.createExpressionStatement(f.createAssignment(f.createIdentifier(stateName), f.createNumericLiteral(to)))]);
        stores.set(store, to);
        return [store, { k: 'continue', label: loop }];
      };
      const entries = new Set(input.layout.segments.map((s) => s.entry));
      const cases = compactDispatch(
        seg.blocks.map((b) => ({ value: b, body: blockCode(b, jump, undefined) })),
        entries,
        { targetOf: (n) => stores.get(n), make: jump, fallsThrough: (l) => fallsThrough(ts, l) },
      );
      // Every case ends in a jump, a return or a throw, or falls through to the next. The state
      // is only ever set to a block this function holds, so the last case can be the default.
      const last = cases.pop()!;
      tree = [{ k: 'loop', label: loop, body: [{ k: 'switch', on: state, cases, default: last.body }] }];
    }
    // Widened tries can end a labeled block or loop body with a jump tidying did not see at its end.
    const statements = (t: SNode[]): TS.Statement[] =>
      toStatements(ts, abi.wideTries ? tidy(widenTries(ts, t, { stmt: cannotThrow, expr: simple, cond: names.cond }), (body) => fallsThrough(ts, body)) : t);
    const main = abi.body(seg, statements(tree), (g, path) => statements(structured(g, path)), placement, scratchLocal);

    const hoisted = input.popCollector().map((h) => rewrite(h, true));
    if (graph) labelsBySegment.set(seg.index, [...labels.values()]);
    const decls: TS.VariableDeclaration[] = [...abi.leadingDecls(seg)];
    const unused = abi.unusedLocals(seg, [...hoisted, ...main]);
    for (const v of seg.locals) {
      if (unused.has(v)) continue;
      decls.push(f.createVariableDeclaration(ir.vars[v].name, undefined, undefined, seg.loads.includes(v) ? fieldAccess(v) : undefined));
    }
    for (const name of scratch) decls.push(f.createVariableDeclaration(name));
    const body = initialiseFromLeadingStores(decls, main);
    const stmts: TS.Statement[] = [];
    if (abi.strictPrologue) stmts.push(f.createExpressionStatement(f.createStringLiteral('use strict')));
    if (decls.length) stmts.push(f.createVariableStatement(undefined, f.createVariableDeclarationList(decls, ts.NodeFlags.Let)));
    stmts.push(...hoisted, ...body);
    const fn = f.createFunctionDeclaration(
      undefined,
      undefined,
      placement.kind === 'dispatch' ? names.dispatch!.run() : names.resume(seg.index),
      undefined,
      abi.params(seg, placement).map((p) => (typeof p === 'string' ? f.createParameterDeclaration(undefined, undefined, p) : f.createParameterDeclaration(undefined, undefined, p.name, undefined, undefined, p.init))),
      undefined,
      f.createBlock(stmts, true),
    );
    const sp = ir.suspends[seg.suspend].span;
    if (sp) ts.setSourceMapRange(fn, sp);
    return fn;
  }

  /** Rewriter.closureMakers, the makers strict where the resume functions are (a maker may land in sloppy code too). */
  const closureMakers = (fns: readonly TS.FunctionDeclaration[]): { makers: TS.FunctionDeclaration[]; functions: TS.FunctionDeclaration[] } => {
    const { makers, functions } = rewriter.closureMakers(fns);
    const strict = (m: TS.FunctionDeclaration): TS.FunctionDeclaration => f.updateFunctionDeclaration(m, m.modifiers, m.asteriskToken, m.name, m.typeParameters, m.parameters, m.type, f.updateBlock(m.body!, [f.createExpressionStatement(f.createStringLiteral('use strict')), ...m.body!.statements]));
    return { makers: abi.strictPrologue ? makers.map(strict) : makers, functions };
  };
  return { tools, labels: labelsBySegment, resumeFunction, closureMakers };
}
