// The builder's state and primitives: variables, blocks, IR statements, lexical scopes, regions,
// and the routing of jumps, returns and suspension points through finally blocks and iterator closes.
import type * as TS from 'typescript';
import {
  COMPLETION_RETURN,
  FIRST_JUMP_CODE,
  type Block,
  type BlockId,
  type IRStmt,
  type IRVar,
  type Region,
  type RegionId,
  type SourceSpan,
  type SuspendPoint,
  type Terminator,
  type VarId,
  type VarKind,
} from '../ir.js';
import { NATIVE, Resolver } from '../scope.js';
import { SyntaxFacts } from '../syntax.js';
import { isStrictCode } from '../function-facts.js';
import type { TdzDeclaration } from '../analysis/tdz.js';
import { LoweringError } from '../errors.js';
import { RESERVED_FIELD_NAMES, writeKind, destructuringTargets } from './helpers.js';
import type { HelperName, JumpTarget, TargetEntry, FinallyRecord, Route } from './types.js';

export abstract class BuilderCore {
  // Defined by the layers above; declared here so that every layer can call them.
  protected abstract closeIterator(r: Region, onThrow: boolean): void;
  protected abstract yieldExpr(e: TS.YieldExpression, wantValue: boolean): TS.Expression | undefined;
  protected abstract awaitExpr(e: TS.AwaitExpression, wantValue: boolean): TS.Expression | undefined;
  protected abstract destructure(pattern: TS.Expression, value: TS.Expression): void;
  protected abstract stmt(s: TS.Statement): void;
  protected abstract finishIteratorRegion(region: RegionId): void;

  protected readonly f: TS.NodeFactory;

  protected readonly facts: SyntaxFacts;

  protected readonly vars: IRVar[] = [];

  protected readonly blocks: Block[] = [];

  protected readonly regions: (Region & { fin?: FinallyRecord })[] = [];

  protected readonly suspends: SuspendPoint[] = [];

  protected readonly resolver: Resolver;

  protected readonly helperRefs = new Map<TS.Identifier, HelperName>();

  protected cur!: Block;

  protected region: RegionId = -1;

  protected targets: TargetEntry[] = [];

  protected thisVar: VarId = -1;

  selfVar: VarId = -1;

  superVar: VarId = -1;

  protected argsVar: VarId = -1;

  protected params: VarId[] = [];

  protected tempCount = 0;

  /** the `for await` statement of each async iterator region (where its close's await is reported) */
  protected readonly asyncLoops = new Map<RegionId, TS.ForOfStatement>();

  /** lowered let/const → its declaration, for the temporal-dead-zone analysis (analysis/tdz.ts) */
  protected readonly tdzDeclarations = new Map<VarId, TdzDeclaration>();

  /**
   * let/const bindings closures might take as values (analysis/value-capture.ts) → the node their
   * closures must be inside (undefined: anywhere after the declaration)
   */
  protected readonly valueCandidates = new Map<VarId, TS.Node | undefined>();

  /** statements that initialise bindings at their declaration → those bindings */
  protected readonly initWrites = new Map<IRStmt, ReadonlySet<VarId>>();

  /**
   * Runs `emitInit`, which initialises `vars` at their declaration, and records the statements it
   * emitted as their initialisation. When it splits the block (a suspension in a pattern) nothing is
   * recorded, so those writes count as any other write.
   */
  protected recordInit(vars: VarId[], emitInit: () => void): void {
    const b = this.cur;
    const n = b.stmts.length;
    emitInit();
    if (this.cur !== b || vars.length === 0) return;
    const set = new Set(vars);
    for (const s of b.stmts.slice(n)) this.initWrites.set(s, set);
  }

  /** sloppy mode: block-level function declaration → the function-scoped variable it also sets (Annex B.3.3) */
  protected readonly annexB = new Map<TS.FunctionDeclaration, VarId>();

  /** statements that contain such a declaration: never kept whole (the copy is emitted where it stands) */
  protected readonly annexBPath = new Set<TS.Node>();

  constructor(
    protected readonly ts: typeof TS,
    protected readonly sf: TS.SourceFile,
    protected readonly fn: TS.FunctionLikeDeclaration,
    protected readonly displayName: string,
    /** 'coroutine': lower for the promise-type coroutine ABI (see the coroutine-mode section at the end). */
    protected readonly mode: 'generator' | 'coroutine' = 'generator',
    /** an async function: each `await` is a suspension point whose value the driver (asyncRun) awaits */
    protected readonly awaits = false,
    /** 'size': a sync `yield*` is one suspension whose delegation the runtime runs (delegateTo) */
    protected readonly optimize: 'speed' | 'size' = 'speed',
    /** the body is strict code (the file lowering knows about alwaysStrict); else as its directives say */
    protected readonly strictBody = isStrictCode(ts, sf, fn, true),
    /** `yield*` awaits of the body that are plain calls (analysis/task-elision.ts): kept as expressions, not suspension points */
    readonly elidedAwaits?: ReadonlySet<TS.YieldExpression>,
  ) {
    this.f = ts.factory;
    this.facts = new SyntaxFacts(ts, awaits, elidedAwaits);
    this.resolver = new Resolver(ts, this.vars, {
      this: () => (this.thisVar >= 0 ? this.thisVar : (this.thisVar = this.newVar('this', 'this', '$this', true))),
      arguments: () => (this.argsVar >= 0 ? this.argsVar : (this.argsVar = this.newVar('arguments', 'arguments', '$arguments', true))),
      super: () => (this.superVar >= 0 ? this.superVar : (this.superVar = this.newVar('super', 'super', '$super', true))),
    });
  }

  /** an async generator (lowered for build-time evaluation): awaits and yields both suspend */
  protected get asyncGenerator(): boolean {
    return this.awaits && !!(this.fn as TS.FunctionDeclaration).asteriskToken;
  }

  protected isParamName(name: string): boolean {
    return this.params.some((p) => this.vars[p].original === name);
  }

  protected declaredHere(name: string): boolean {
    return this.resolver.lookup(name) !== undefined && !this.isParamName(name);
  }

  protected newVar(kind: VarKind, original: string, name: string, readonly = false): VarId {
    const v = this.resolver.newVar(this.vars, kind, original, name, readonly);
    if (this.loopDepth > 0 && kind === 'local') this.vars[v].inLoop = true;
    return v;
  }

  protected loopDepth = 0;

  /** Marks the start of fresh binding instances (see IRStmt.box). */
  protected boxMarker(vars: VarId[], copy: boolean): void {
    const inLoop = vars.filter((v) => this.vars[v].inLoop);
    if (inLoop.length === 0) return;
    this.ensureOpen();
    this.cur.stmts.push({ node: this.f.createEmptyStatement(), uses: copy ? inLoop : [], writes: inLoop, defs: [], box: { vars: inLoop, copy } });
  }

  protected boundVars(name: TS.BindingName): VarId[] {
    return this.resolver.bindingNames(name).map((id) => this.resolver.lookup(id.text)?.binding).filter((b): b is VarId => b !== undefined && b !== NATIVE);
  }

  protected newTemp(what: string): VarId {
    return this.newVar('temp', what, `$${what}${this.tempCount++}`);
  }

  protected newBlock(label: string, region = this.region): Block {
    const b: Block = { id: this.blocks.length, region, stmts: [], term: { kind: 'goto', target: -1 }, label };
    this.blocks.push(b);
    return b;
  }

  protected terminated(): boolean {
    return (this.cur as any).done === true;
  }

  protected terminate(t: Terminator): void {
    if (this.terminated()) return;
    this.cur.term = t;
    (this.cur as any).done = true;
  }

  protected goto(target: BlockId): void {
    this.terminate({ kind: 'goto', target });
  }

  /** Continue emitting into `b`. */
  protected enter(b: Block): void {
    this.cur = b;
  }

  /** After an unconditional jump, statements are unreachable; give them a block nobody enters. */
  protected ensureOpen(): void {
    if (this.terminated()) this.enter(this.newBlock('unreachable'));
  }

  /** Makes every variable name unique within the coroutine and distinct from free names. */
  protected nameVariables(): void {
    const used = new Set<string>(this.resolver.freeNames);
    for (const name of RESERVED_FIELD_NAMES) used.add(name);
    // Sloppy code may name a var `let`; the resume functions declare their locals with `let`,
    // where `let let` is a syntax error.
    used.add('let');
    for (const v of this.vars) {
      let base = v.kind === 'temp' || v.kind === 'sent' || v.kind === 'this' || v.kind === 'arguments' || v.kind === 'super' ? v.name : v.original;
      let name = base;
      for (let i = 1; used.has(name); i++) name = `${base}$${i}`;
      used.add(name);
      v.name = name;
    }
  }

  protected span(n: TS.Node): SourceSpan {
    // Nodes an enclosing lowering synthesized have no position; their original node does.
    const o = n.pos >= 0 ? n : this.ts.getOriginalNode(n);
    if (o.pos < 0) return { pos: 0, end: 0 };
    return { pos: o.getStart(this.sf), end: o.getEnd() };
  }

  /** A fresh identifier node that refers to IR variable `v`. */
  ref(v: VarId): TS.Identifier {
    const id = this.f.createIdentifier(this.vars[v].name);
    this.resolver.refs.set(id, v);
    return id;
  }

  protected helper(name: HelperName): TS.Identifier {
    const id = this.f.createIdentifier(name);
    this.helperRefs.set(id, name);
    return id;
  }

  /** Appends a statement; its uses/defs come from the references recorded in it. */
  protected emit(node: TS.Statement, span?: SourceSpan): void {
    this.ensureOpen();
    const { uses, writes, defs } = this.analyze(node);
    this.cur.stmts.push({ node, uses, writes, defs, span });
  }

  protected assign(v: VarId, value: TS.Expression, span?: SourceSpan): void {
    this.emit(this.f.createExpressionStatement(this.f.createAssignment(this.ref(v), value)), span);
    const constant = this.ts.isNumericLiteral(value) || (this.ts.isVoidExpression(value) && this.ts.isNumericLiteral(value.expression));
    if (constant && this.vars[v].kind === 'temp') this.cur.stmts[this.cur.stmts.length - 1].quiet = true;
  }

  /** Reads and writes of IR variables in a node; a plain `x = e` statement definitely defines x. */
  analyze(node: TS.Node): { uses: VarId[]; writes: VarId[]; defs: VarId[] } {
    const ts = this.ts;
    const refs = this.resolver.refs;
    const uses = new Set<VarId>();
    const writes = new Set<VarId>();
    const path: TS.Node[] = [];
    const visit = (n: TS.Node): void => {
      path.push(n);
      const v = refs.get(n);
      if (v !== undefined) {
        const w = writeKind(ts, path);
        if (w !== 'read') writes.add(v);
        if (w !== 'write') uses.add(v);
      }
      ts.forEachChild(n, visit);
      path.pop();
    };
    visit(node);
    const defs: VarId[] = [];
    let assigned = ts.isExpressionStatement(node) ? node.expression : undefined;
    while (assigned && ts.isParenthesizedExpression(assigned)) assigned = assigned.expression;
    if (assigned && ts.isBinaryExpression(assigned) && assigned.operatorToken.kind === ts.SyntaxKind.EqualsToken && (ts.isObjectLiteralExpression(assigned.left) || ts.isArrayLiteralExpression(assigned.left))) {
      // A destructuring assignment that completes has assigned every one of its targets (an
      // exception part-way leaves through the exceptional edge, which liveness treats as a
      // path around the statement). The uses computed above keep any target a default or the
      // source reads, so `[a = b, b] = …` still needs the old b.
      for (const v of destructuringTargets(ts, assigned.left, refs)) if (this.vars[v].kind !== 'self' && !defs.includes(v)) defs.push(v);
    } else if (assigned && ts.isBinaryExpression(assigned) && assigned.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const v = refs.get(assigned.left);
      // Assigning a function expression's own name changes nothing (the emitter drops it).
      if (v !== undefined && this.vars[v].kind !== 'self') {
        defs.push(v);
        // `x = e` reads x only if e does.
        let readInRhs = false;
        const scan = (n: TS.Node): void => {
          if (refs.get(n) === v) readInRhs = true;
          ts.forEachChild(n, scan);
        };
        scan(assigned.right);
        if (!readInRhs) uses.delete(v);
      }
    }
    return { uses: [...uses], writes: [...writes], defs };
  }

  protected exprUses(e: TS.Expression): VarId[] {
    return this.analyze(e).uses;
  }

  /** Declares the lexical bindings of a statement list in a new scope, hoisting function declarations. */
  protected enterLexicalScope(stmts: readonly TS.Statement[], push = true, inCaseBlock = false): void {
    if (push) this.resolver.push();
    const decls = this.resolver.lexicalDeclarations(stmts);
    for (const d of decls) {
      const v = this.newVar('local', d.name.text, d.name.text, d.kind === 'const');
      this.vars[v].span = this.span(d.name);
      this.resolver.declare(d.name.text, v);
    }
    // A scope entered again (a loop body) gets fresh storage for its captured let/const/class
    // bindings on entry, not at their declarations: a closure made earlier in the block (a hoisted
    // function declaration, an arrow before the `let`) shares the binding the declaration sets.
    this.boxMarker(decls.filter((d) => d.kind !== 'function').map((d) => this.resolver.lookup(d.name.text)!.binding as VarId), false);
    // Each entry starts the let/const bindings uninitialised. Only variables that some reference
    // may reach first keep this store (the builder drops the others after the TDZ analysis).
    for (const d of decls) {
      if (d.kind !== 'let' && d.kind !== 'const') continue;
      const v = this.resolver.lookup(d.name.text)!.binding as VarId;
      this.tdzDeclarations.set(v, { decl: d.node as TS.VariableDeclaration, alwaysChecked: inCaseBlock });
      if (!inCaseBlock) this.valueCandidates.set(v, undefined);
      this.assign(v, this.helper('uninitialized'));
      this.cur.stmts[this.cur.stmts.length - 1]!.tdzInit = v;
    }
    // Function declarations are initialised on entry to their scope.
    for (const d of decls) {
      if (d.kind !== 'function') continue;
      const fd = d.node as TS.FunctionDeclaration;
      this.resolver.resolveTree(fd);
      const fe = this.f.createFunctionExpression(
        fd.modifiers?.filter((m) => m.kind === this.ts.SyntaxKind.AsyncKeyword) as TS.Modifier[] | undefined,
        fd.asteriskToken,
        fd.name!.text,
        fd.typeParameters,
        fd.parameters,
        fd.type,
        fd.body!,
      );
      this.ts.setSourceMapRange(fe, fd);
      // Keep the declaration as the original: a nested lowering reads positions and scopes from it.
      this.ts.setOriginalNode(fe, fd);
      const v = this.resolver.lookup(d.name.text)!.binding as VarId;
      this.boxMarker([v], false);
      this.assign(v, fe, this.span(fd));
    }
  }

  protected inFinallyLikeRegion(): boolean {
    for (let r = this.region; r >= 0; r = this.regions[r].parent) {
      const reg = this.regions[r];
      if (reg.kind === 'iterator' || reg.fin) return true;
    }
    return false;
  }

  /**
   * IteratorNext's result check on `res`: a non-object throws the protocol's TypeError (from a block
   * labelled `badLabel`); otherwise control goes on to `then`, a block given or made here after the
   * bad one. Returns it; the caller enters it.
   */
  protected requireObject(res: VarId, badLabel: string, then: Block | string): Block {
    const f = this.f;
    const bad = this.newBlock(badLabel);
    const next = typeof then === 'string' ? this.newBlock(then) : then;
    const notObject = this.notObject(this.ref(res));
    this.terminate({ kind: 'branch', cond: notObject, uses: this.exprUses(notObject), then: bad.id, else: next.id });
    this.enter(bad);
    const badCall = f.createCallExpression(this.helper('iteratorResultNotObject'), undefined, [this.ref(res)]);
    this.terminate({ kind: 'throw', value: badCall, uses: this.exprUses(badCall) });
    return next;
  }

  protected notObject(e: TS.Expression): TS.Expression {
    const f = this.f;
    // r === null || (typeof r !== 'object' && typeof r !== 'function')
    return f.createLogicalOr(
      f.createStrictEquality(e, f.createNull()),
      f.createParenthesizedExpression(
        f.createLogicalAnd(
          f.createStrictInequality(f.createTypeOfExpression(this.cloneRef(e)), f.createStringLiteral('object')),
          f.createStrictInequality(f.createTypeOfExpression(this.cloneRef(e)), f.createStringLiteral('function')),
        ),
      ),
    );
  }

  protected cloneRef(e: TS.Expression): TS.Expression {
    const v = this.resolver.refs.get(e);
    return v !== undefined ? this.ref(v) : e;
  }

  protected newRegion(kind: Region['kind'], iterator?: Region['iterator'], node?: TS.Node): RegionId {
    const id = this.regions.length;
    const exc = this.newTemp('e');
    // Iterator regions know their handler now; try regions set it once the catch/finally exists.
    const handler = kind === 'iterator' ? this.newBlock('close iterator on throw', this.region).id : -1;
    this.regions.push({ id, kind, parent: this.region, handler, exc, iterator, span: node && node.pos >= 0 ? this.span(node) : undefined });
    return id;
  }

  protected jump(s: TS.BreakStatement | TS.ContinueStatement): void {
    const isBreak = this.ts.isBreakStatement(s);
    let target: JumpTarget | undefined;
    for (let i = this.targets.length - 1; i >= 0; i--) {
      const t = this.targets[i];
      if (s.label) {
        if (t.labels.includes(s.label.text)) {
          target = isBreak ? t.breakTo : t.continueTo;
          break;
        }
      } else if (isBreak ? t.breakable : t.loop) {
        target = isBreak ? t.breakTo : t.continueTo;
        break;
      }
    }
    if (!target) throw new LoweringError(s, `${isBreak ? 'break' : 'continue'} without a matching target`);
    this.route({ kind: 'jump', target });
  }

  protected returnWith(value: TS.Expression): void {
    // Coroutines: `return;` through finally blocks must stay a void return (promise.returnVoid).
    if (this.mode === 'coroutine' && value.pos < 0 && this.ts.isVoidExpression(value) && this.inFinallyLikeRegion()) {
      this.route({ kind: 'jump', target: { block: this.coReturnVoidBlock().id, region: -1 } });
      return;
    }
    if (!this.inFinallyLikeRegion()) {
      this.terminate({ kind: 'return', value, uses: this.exprUses(value) });
      return;
    }
    const t = this.newTemp('retval');
    this.assign(t, value);
    this.route({ kind: 'return', value: t });
  }

  /**
   * Leaves regions on the way to a jump target or out of the coroutine: finally blocks run with a
   * completion code, iterators are closed. Each region is handled in a block of its parent region,
   * so an exception from closing an iterator goes to the right handler.
   */
  protected route(r: Route): void {
    const saved = this.region;
    try {
      this.routeFrom(r);
    } finally {
      this.region = saved;
    }
  }

  /** The finally block a return from here runs first, when it is the first thing on the way out. */
  private finallyFirstOut(): { value: VarId } | undefined {
    for (let i = this.region; i >= 0; i = this.regions[i].parent) {
      const reg = this.regions[i];
      if (reg.kind === 'iterator') return undefined;
      if (reg.fin) return reg.fin;
    }
    return undefined;
  }

  /**
   * The finally block that both an exception and a return from here enter first, with nothing
   * before it (a `try` without `catch`, or the `catch` of try/catch/finally); generators only, whose
   * resume modes are the completion codes.
   */
  private finallyDirectlyAt(): FinallyRecord | undefined {
    const reg = this.region >= 0 ? this.regions[this.region] : undefined;
    return this.mode === 'generator' && reg?.fin && reg.exc === reg.fin.value ? reg.fin : undefined;
  }

  protected routeFrom(r: Route): void {
    const stop = r.kind === 'jump' ? r.target.region : -1;
    while (this.region !== stop && this.region >= 0 && !this.isAncestorRegion(this.region, stop)) {
      const reg = this.regions[this.region];
      if (reg.kind === 'iterator') {
        const b = this.newBlock('close iterator', reg.parent);
        this.goto(b.id);
        this.enter(b);
        this.region = reg.parent;
        this.closeIterator(reg, false);
        continue;
      }
      const fin = reg.fin;
      if (fin) {
        let code: number;
        if (r.kind === 'return') {
          code = COMPLETION_RETURN;
          fin.returns = true;
          if (r.value !== fin.value) this.assign(fin.value, this.ref(r.value));
        } else {
          const known = fin.jumps.find((j) => j.target.block === r.target.block);
          code = known ? known.code : FIRST_JUMP_CODE + fin.jumps.length;
          if (!known) fin.jumps.push({ code, target: r.target });
          this.assign(fin.value, this.f.createVoidZero());
        }
        this.assign(fin.code, this.f.createNumericLiteral(code));
        this.goto(fin.entry);
        return;
      }
      this.region = reg.parent;
    }
    if (r.kind === 'return') this.terminate({ kind: 'return', value: this.ref(r.value), uses: [r.value] });
    else this.goto(r.target.block);
  }

  protected isAncestorRegion(inner: RegionId, outer: RegionId): boolean {
    // is `outer` strictly inside `inner`? then we must not leave `inner` (cannot happen for valid jumps)
    for (let r = outer; r >= 0; r = this.regions[r].parent) if (r === inner) return true;
    return false;
  }

  /** An expression for `value` at node `at` (keeps source positions for maps). */
  protected exprOf(value: TS.Expression, at: TS.Node): TS.Expression {
    if (value.pos < 0) this.ts.setSourceMapRange(value, at);
    return value;
  }

  /**
   * A plain suspension point handing out `value` (evaluated already): next() resumes with the
   * value sent, throw() and return() take the routes of the enclosing regions.
   */
  protected suspendWith(e: TS.Node, value: TS.Expression, kind: 'yield' | 'yield*' | 'await', wantValue: boolean): TS.Expression | undefined {
    const id = this.suspends.length;
    const resume = this.newBlock(`resume ${id}`);
    const cont = this.newBlock(`after ${kind} ${id}`);
    this.suspends.push({ id, kind, from: this.cur.id, resume: resume.id, span: this.span(e) });
    this.terminate({ kind: 'yield', value: this.exprOf(value, e), uses: this.exprUses(value), raw: false, suspend: id });
    const sent = wantValue ? this.newVar('sent', `sent${id}`, `$sent${id}`) : undefined;
    const fin = this.finallyDirectlyAt();
    if (fin) {
      // throw() and return() both go to this finally block first: the resume mode is their
      // completion code, so the resume point stores it rather than branching on it.
      fin.returns = true;
      resume.term = { kind: 'resume', suspend: id, next: cont.id, sent, throwTarget: fin.entry, exc: fin.value, returnTarget: fin.entry, ret: fin.value, mode: fin.code };
    } else {
      const { throwTarget, exc } = this.throwRouteAt(resume);
      const { returnTarget, ret } = this.returnRouteAt(resume);
      resume.term = { kind: 'resume', suspend: id, next: cont.id, sent, throwTarget, exc, returnTarget, ret };
    }
    (resume as any).done = true;
    this.enter(cont);
    return sent !== undefined ? this.ref(sent) : undefined;
  }

  /** Where throw() received at a resume point goes: the region's handler, or out. */
  protected throwRouteAt(resume: Block): { throwTarget: BlockId; exc: VarId } {
    if (this.region >= 0) return { throwTarget: this.regions[this.region].handler, exc: this.regions[this.region].exc };
    const exc = this.newTemp('thrown');
    const b = this.newBlock('throw out', -1);
    b.term = { kind: 'throw', value: this.ref(exc), uses: [exc] };
    (b as any).done = true;
    void resume;
    return { throwTarget: b.id, exc };
  }

  protected returnRouteAt(resume: Block): { returnTarget: BlockId; ret: VarId } {
    // A return() that goes to a finally block first hands it the value in its own variable: no
    // temporary to copy it from.
    const ret = this.finallyFirstOut()?.value ?? this.newTemp('returned');
    const b = this.newBlock('return()', this.region);
    const saved = this.cur;
    this.enter(b);
    this.route({ kind: 'return', value: ret });
    this.cur = saved;
    void resume;
    return { returnTarget: b.id, ret };
  }

  // `yield* x` (co_await) and `yield v` (co_yield) are one suspension each. The resume block's
  // `sent` receives await_resume(); its throw route is the region's handler (await_resume may
  // throw at the suspension point); its return route is the DESTROY path: a jump to `destroy`
  // through every pending finally block and iterator close. Emitted by the promise-type ABI (emit/promise.ts).
  protected destroyBlock: Block | undefined;

  protected voidReturnBlock: Block | undefined;

  protected coReturnVoidBlock(): Block {
    if (!this.voidReturnBlock) {
      const b = this.newBlock('return (void)', -1);
      b.term = { kind: 'return', value: this.f.createVoidZero(), uses: [] };
      (b as any).done = true;
      this.voidReturnBlock = b;
    }
    return this.voidReturnBlock;
  }
}
