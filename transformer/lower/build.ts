// TS AST → coroutine IR. Statements and expressions that contain no suspension point (and no jump
// out of themselves) are kept whole as IR statements; everything else is taken apart into blocks
// of a control-flow graph whose suspension points end blocks. Evaluation order across a yield is
// preserved by spilling already-evaluated operands into temporaries; the liveness pass later
// decides which of those really need frame storage.
import type * as TS from 'typescript';
import {
  COMPLETION_NORMAL,
  COMPLETION_RETURN,
  COMPLETION_THROW,
  FIRST_JUMP_CODE,
  type Block,
  type BlockId,
  type CoroutineIR,
  type IRStmt,
  type IRVar,
  type Region,
  type RegionId,
  type SourceSpan,
  type SuspendPoint,
  type Terminator,
  type VarId,
  type VarKind,
} from './ir.js';
import { NATIVE, Resolver } from './scope.js';
import { SyntaxFacts } from './syntax.js';
import { LoweringError } from './errors.js';

/** Runtime helper names the lowered code refers to; the emitter maps them to imports or inline copies. */
export type HelperName =
  | 'getIterator'
  | 'arrayOrIterator'
  | 'arrayLength'
  | 'iteratorResultNotObject'
  | 'iteratorClose'
  | 'iteratorCloseOnThrow'
  | 'delegateStep'
  | 'forInKeys'
  | 'forInHas'
  | 'objectRest'
  | 'asyncYield'
  | 'asyncIteratorOf'
  | 'asyncReturnMethod'
  | 'asyncReturnMethodOnThrow'
  | 'asyncCloseResult'
  | 'asyncThrowMethod'
  | 'asyncNoThrowMethod';

interface JumpTarget {
  block: BlockId;
  region: RegionId;
}
interface TargetEntry {
  labels: string[];
  breakTo?: JumpTarget;
  continueTo?: JumpTarget;
  /** a loop or switch: target of unlabeled break (and continue for loops) */
  breakable: boolean;
  loop: boolean;
}
interface FinallyRecord {
  entry: BlockId;
  code: VarId;
  value: VarId;
  /** jump continuations that pass through this finally: code → target */
  jumps: { code: number; target: JumpTarget }[];
  returns: boolean;
  region: RegionId;
}
type Route = { kind: 'jump'; target: JumpTarget } | { kind: 'return'; value: VarId };

export interface BuildOutput {
  ir: CoroutineIR;
  /** identifier / `this` nodes → IR variable */
  refs: Map<TS.Node, VarId>;
  /** names referenced in the body that are bound outside the coroutine */
  freeNames: Set<string>;
  /** runtime helpers the IR statements call (by synthesized identifier) */
  helperRefs: Map<TS.Identifier, HelperName>;
  /** `super` property accesses rewritten to the frame's super accessor */
  usesSuper: boolean;
}

export class CoroutineBuilder {
  private readonly f: TS.NodeFactory;
  private readonly facts: SyntaxFacts;
  private readonly vars: IRVar[] = [];
  private readonly blocks: Block[] = [];
  private readonly regions: (Region & { fin?: FinallyRecord })[] = [];
  private readonly suspends: SuspendPoint[] = [];
  private readonly resolver: Resolver;
  private readonly helperRefs = new Map<TS.Identifier, HelperName>();
  private cur!: Block;
  private region: RegionId = -1;
  private targets: TargetEntry[] = [];
  private thisVar: VarId = -1;
  selfVar: VarId = -1;
  superVar: VarId = -1;
  private argsVar: VarId = -1;
  private params: VarId[] = [];
  private tempCount = 0;
  /** the `for await` statement of each async iterator region (where its close's await is reported) */
  private readonly asyncLoops = new Map<RegionId, TS.ForOfStatement>();

  constructor(
    private readonly ts: typeof TS,
    private readonly sf: TS.SourceFile,
    private readonly fn: TS.FunctionLikeDeclaration,
    private readonly displayName: string,
    /** 'coroutine': lower for the promise-type coroutine ABI (see the coroutine-mode section at the end). */
    private readonly mode: 'generator' | 'coroutine' = 'generator',
    /** an async function: each `await` is a suspension point whose value the driver (asyncRun) awaits */
    private readonly awaits = false,
  ) {
    this.f = ts.factory;
    this.facts = new SyntaxFacts(ts, awaits);
    this.resolver = new Resolver(ts, this.vars, {
      this: () => (this.thisVar >= 0 ? this.thisVar : (this.thisVar = this.newVar('this', 'this', '$this', true))),
      arguments: () => (this.argsVar >= 0 ? this.argsVar : (this.argsVar = this.newVar('arguments', 'arguments', '$arguments', true))),
      super: () => (this.superVar >= 0 ? this.superVar : (this.superVar = this.newVar('super', 'super', '$super', true))),
    });
  }

  /** an async generator (lowered for build-time evaluation): awaits and yields both suspend */
  private get asyncGenerator(): boolean {
    return this.awaits && !!(this.fn as TS.FunctionDeclaration).asteriskToken;
  }

  build(): BuildOutput {
    const ts = this.ts;
    const fn = this.fn;
    const body = fn.body!;
    // Parameters and the function's var scope.
    this.resolver.push();
    for (const p of fn.parameters) {
      for (const id of this.resolver.bindingNames(p.name)) {
        const v = this.newVar('param', id.text, id.text);
        this.vars[v].span = this.span(id);
        this.params.push(v);
        this.resolver.declare(id.text, v);
      }
    }
    this.resolver.push();
    if (this.ts.isFunctionExpression(fn) && fn.name) {
      // The function's own name, visible in its body unless shadowed: the ramp hands it over.
      this.selfVar = this.newVar('self', fn.name.text, fn.name.text, true);
      this.resolver.declare(fn.name.text, this.selfVar);
      this.resolver.push();
    }
    for (const id of this.resolver.collectVarNames(body, this.facts)) {
      if (this.resolver.lookup(id.text)?.binding !== undefined && this.isParamName(id.text)) continue;
      if (this.resolver.lookup(id.text) && this.declaredHere(id.text)) continue;
      const v = this.newVar('local', id.text, id.text);
      this.vars[v].span = this.span(id);
      this.resolver.declare(id.text, v);
    }
    const entry = this.newBlock('entry');
    const start = this.newBlock('body');
    const initial: SuspendPoint = { id: 0, kind: 'initial', from: -1, resume: entry.id, span: this.span(fn) };
    this.suspends.push(initial);
    const excOut = this.newTemp('exc');
    const retOut = this.newTemp('ret');
    const throwOut = this.newBlock('throw before start');
    throwOut.term = { kind: 'throw', value: this.ref(excOut), uses: [excOut] };
    const returnOut = this.newBlock('return before start');
    returnOut.term = { kind: 'return', value: this.ref(retOut), uses: [retOut] };
    entry.term = { kind: 'resume', suspend: 0, next: start.id, throwTarget: throwOut.id, exc: excOut, returnTarget: returnOut.id, ret: retOut };
    this.cur = start;
    const stmts = ts.isBlock(body) ? body.statements : [];
    this.enterLexicalScope(stmts, false);
    for (const s of stmts) this.stmt(s);
    // An arrow function's expression body: `return body`.
    if (!ts.isBlock(body)) this.returnWith(this.expr(body as TS.Expression));
    this.resolver.pop();
    if (!this.terminated()) this.terminate({ kind: 'return', value: this.f.createVoidZero(), uses: [] });
    this.resolver.pop();
    if (this.selfVar >= 0) this.resolver.pop();
    for (const v of this.vars) if (v.captured && v.inLoop) v.boxed = true;
    // Terminator expressions can assign too (`while (i++ < n)`); record it for the layout.
    for (const b of this.blocks) {
      const t = b.term;
      if (t.kind === 'branch') t.writes = this.analyze(t.cond).writes;
      else if (t.kind === 'yield' || t.kind === 'return' || t.kind === 'throw') t.writes = this.analyze(t.value).writes;
    }
    this.nameVariables();
    const ir: CoroutineIR = {
      name: this.displayName,
      kind: this.mode,
      destroy: this.destroyBlock?.id,
      vars: this.vars,
      blocks: this.blocks,
      regions: this.regions.map(({ fin, ...r }) => r),
      suspends: this.suspends,
      entry: entry.id,
      params: this.params,
      span: this.span(fn),
    };
    return { ir, refs: this.resolver.refs, freeNames: this.resolver.freeNames, helperRefs: this.helperRefs, usesSuper: false };
  }

  private isParamName(name: string): boolean {
    return this.params.some((p) => this.vars[p].original === name);
  }
  private declaredHere(name: string): boolean {
    return this.resolver.lookup(name) !== undefined && !this.isParamName(name);
  }

  // ---------------------------------------------------------------- variables and blocks

  private newVar(kind: VarKind, original: string, name: string, readonly = false): VarId {
    const v = this.resolver.newVar(this.vars, kind, original, name, readonly);
    if (this.loopDepth > 0 && kind === 'local') this.vars[v].inLoop = true;
    return v;
  }
  private loopDepth = 0;

  /** Marks the start of fresh binding instances (see IRStmt.box). */
  private boxMarker(vars: VarId[], copy: boolean): void {
    const inLoop = vars.filter((v) => this.vars[v].inLoop);
    if (inLoop.length === 0) return;
    this.ensureOpen();
    this.cur.stmts.push({ node: this.f.createEmptyStatement(), uses: copy ? inLoop : [], writes: inLoop, defs: [], box: { vars: inLoop, copy } });
  }
  private boundVars(name: TS.BindingName): VarId[] {
    return this.resolver.bindingNames(name).map((id) => this.resolver.lookup(id.text)?.binding).filter((b): b is VarId => b !== undefined && b !== NATIVE);
  }
  private newTemp(what: string): VarId {
    return this.newVar('temp', what, `$${what}${this.tempCount++}`);
  }
  private newBlock(label: string, region = this.region): Block {
    const b: Block = { id: this.blocks.length, region, stmts: [], term: { kind: 'goto', target: -1 }, label };
    this.blocks.push(b);
    return b;
  }
  private terminated(): boolean {
    return (this.cur as any).done === true;
  }
  private terminate(t: Terminator): void {
    if (this.terminated()) return;
    this.cur.term = t;
    (this.cur as any).done = true;
  }
  private goto(target: BlockId): void {
    this.terminate({ kind: 'goto', target });
  }
  /** Continue emitting into `b`. */
  private enter(b: Block): void {
    this.cur = b;
  }
  /** After an unconditional jump, statements are unreachable; give them a block nobody enters. */
  private ensureOpen(): void {
    if (this.terminated()) this.enter(this.newBlock('unreachable'));
  }

  /** Makes every variable name unique within the coroutine and distinct from free names. */
  private nameVariables(): void {
    const used = new Set<string>(this.resolver.freeNames);
    for (const name of RESERVED_FIELD_NAMES) used.add(name);
    for (const v of this.vars) {
      let base = v.kind === 'temp' || v.kind === 'sent' || v.kind === 'this' || v.kind === 'arguments' || v.kind === 'super' ? v.name : v.original;
      let name = base;
      for (let i = 1; used.has(name); i++) name = `${base}$${i}`;
      used.add(name);
      v.name = name;
    }
  }

  private span(n: TS.Node): SourceSpan {
    // Nodes an enclosing lowering synthesized have no position; their original node does.
    const o = n.pos >= 0 ? n : this.ts.getOriginalNode(n);
    if (o.pos < 0) return { pos: 0, end: 0 };
    return { pos: o.getStart(this.sf), end: o.getEnd() };
  }

  // ---------------------------------------------------------------- IR statements

  /** A fresh identifier node that refers to IR variable `v`. */
  ref(v: VarId): TS.Identifier {
    const id = this.f.createIdentifier(this.vars[v].name);
    this.resolver.refs.set(id, v);
    return id;
  }
  private helper(name: HelperName): TS.Identifier {
    const id = this.f.createIdentifier(name);
    this.helperRefs.set(id, name);
    return id;
  }

  /** Appends a statement; its uses/defs come from the references recorded in it. */
  private emit(node: TS.Statement, span?: SourceSpan): void {
    this.ensureOpen();
    const { uses, writes, defs } = this.analyze(node);
    this.cur.stmts.push({ node, uses, writes, defs, span });
  }
  private assign(v: VarId, value: TS.Expression, span?: SourceSpan): void {
    this.emit(this.f.createExpressionStatement(this.f.createAssignment(this.ref(v), value)), span);
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

  private exprUses(e: TS.Expression): VarId[] {
    return this.analyze(e).uses;
  }

  // ---------------------------------------------------------------- scopes

  /** Declares the lexical bindings of a statement list in a new scope, hoisting function declarations. */
  private enterLexicalScope(stmts: readonly TS.Statement[], push = true): void {
    if (push) this.resolver.push();
    const decls = this.resolver.lexicalDeclarations(stmts);
    for (const d of decls) {
      const v = this.newVar('local', d.name.text, d.name.text, d.kind === 'const');
      this.vars[v].span = this.span(d.name);
      this.resolver.declare(d.name.text, v);
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

  // ---------------------------------------------------------------- statements

  private isAtomic(s: TS.Statement): boolean {
    if (this.facts.containsYield(s) || this.facts.hasEscapingJump(s)) return false;
    if (this.facts.containsReturn(s) && this.inFinallyLikeRegion()) return false;
    // `return x` in an async generator awaits x: a suspension point the syntax does not show.
    if (this.asyncGenerator && this.facts.containsReturn(s)) return false;
    // A lexical declaration directly in a lowered scope was turned into an IR variable; a
    // return or throw at this level ends the block.
    if (this.ts.isReturnStatement(s) || this.ts.isThrowStatement(s) || this.ts.isVariableStatement(s) || this.ts.isFunctionDeclaration(s) || this.ts.isClassDeclaration(s)) return false;
    return true;
  }
  private inFinallyLikeRegion(): boolean {
    for (let r = this.region; r >= 0; r = this.regions[r].parent) {
      const reg = this.regions[r];
      if (reg.kind === 'iterator' || reg.fin) return true;
    }
    return false;
  }

  private stmt(s: TS.Statement): void {
    const ts = this.ts;
    if (this.isAtomic(s)) {
      this.resolver.resolveTree(s);
      this.emit(s, this.span(s));
      return;
    }
    this.ensureOpen();
    if (ts.isBlock(s)) {
      this.enterLexicalScope(s.statements);
      for (const c of s.statements) this.stmt(c);
      this.resolver.pop();
    } else if (ts.isVariableStatement(s)) {
      this.varDeclList(s.declarationList);
    } else if (ts.isFunctionDeclaration(s)) {
      // initialised when its scope was entered
    } else if (ts.isClassDeclaration(s)) {
      const v = this.resolver.lookup(s.name!.text)!.binding as VarId;
      const ce = this.f.createClassExpression(s.modifiers?.filter((m) => m.kind === ts.SyntaxKind.Decorator) as any, s.name, s.typeParameters, s.heritageClauses, s.members);
      this.boxMarker([v], false);
      if (this.facts.containsYield(s)) this.assign(v, this.classWithYield(ce), this.span(s));
      else {
        this.resolver.resolveTree(s);
        this.assign(v, this.exprOf(ce, s), this.span(s));
      }
    } else if (ts.isExpressionStatement(s)) {
      this.exprDiscard(s.expression);
    } else if (ts.isIfStatement(s)) {
      const cond = this.expr(s.expression);
      const thenB = this.newBlock('if then');
      const join = this.newBlock('if end');
      const elseB = s.elseStatement ? this.newBlock('if else') : join;
      this.terminate({ kind: 'branch', cond, uses: this.exprUses(cond), then: thenB.id, else: elseB.id });
      this.enter(thenB);
      this.stmt(s.thenStatement);
      this.goto(join.id);
      if (s.elseStatement) {
        this.enter(elseB);
        this.stmt(s.elseStatement);
        this.goto(join.id);
      }
      this.enter(join);
    } else if (ts.isReturnStatement(s)) {
      let value = s.expression ? this.expr(s.expression) : this.f.createVoidZero();
      // `return x` in an async generator awaits x where it stands (inside its try blocks).
      if (s.expression && this.asyncGenerator) value = this.suspendWith(s.expression, value, 'await', true)!;
      this.returnWith(value);
    } else if (ts.isThrowStatement(s)) {
      const value = this.expr(s.expression);
      this.terminate({ kind: 'throw', value, uses: this.exprUses(value) });
    } else if (ts.isLabeledStatement(s)) {
      this.labeled(s, [s.label.text]);
    } else if (ts.isIterationStatement(s, false)) {
      this.loop(s, []);
    } else if (ts.isSwitchStatement(s)) {
      this.switchStmt(s, []);
    } else if (ts.isTryStatement(s)) {
      this.tryStmt(s);
    } else if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
      this.jump(s);
    } else if (ts.isEmptyStatement(s)) {
      // nothing
    } else if (ts.isWithStatement(s)) {
      throw new LoweringError(s, '`with` statement containing a suspension point');
    } else {
      throw new LoweringError(s, `${ts.SyntaxKind[s.kind]} containing a suspension point`);
    }
  }

  private labeled(s: TS.LabeledStatement, labels: string[]): void {
    const ts = this.ts;
    const inner = s.statement;
    if (ts.isLabeledStatement(inner)) return this.labeled(inner, [...labels, inner.label.text]);
    if (ts.isIterationStatement(inner, false)) return this.loop(inner, labels);
    if (ts.isSwitchStatement(inner)) return this.switchStmt(inner, labels);
    const after = this.newBlock(`after ${labels.join(':')}`);
    this.targets.push({ labels, breakTo: { block: after.id, region: this.region }, breakable: false, loop: false });
    this.stmt(inner);
    this.targets.pop();
    this.goto(after.id);
    this.enter(after);
  }

  private varDeclList(list: TS.VariableDeclarationList): void {
    const ts = this.ts;
    const isVar = !(list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
    if (!isVar) this.boxMarker(list.declarations.flatMap((d) => this.boundVars(d.name)), false);
    for (const d of list.declarations) {
      if (d.initializer) {
        const value = this.expr(d.initializer);
        this.bindPattern(d.name, value, d);
      } else if (!isVar && ts.isIdentifier(d.name)) {
        this.assign(this.bindingVar(d.name), this.f.createVoidZero(), this.span(d));
      }
    }
  }

  private bindingVar(id: TS.Identifier): VarId {
    const hit = this.resolver.lookup(id.text);
    if (!hit || hit.binding === NATIVE) throw new LoweringError(id, `binding '${id.text}' could not be resolved`);
    this.resolver.refs.set(id, hit.binding);
    return hit.binding;
  }

  /** Assigns `value` to a binding name or pattern declared in a lowered scope. */
  private bindPattern(name: TS.BindingName, value: TS.Expression, at: TS.Node): void {
    const ts = this.ts;
    if (ts.isIdentifier(name)) {
      this.assign(this.bindingVar(name), this.exprOf(value, at), this.span(at));
      return;
    }
    if (this.facts.containsYield(name)) {
      this.destructure(this.bindingToAssignmentPattern(name), value);
      return;
    }
    const target = this.bindingToAssignmentPattern(name);
    this.resolver.resolveTree(target);
    this.emit(this.f.createExpressionStatement(this.f.createAssignment(target, value)), this.span(at));
  }

  /** `{a, b: [c = 1], ...r}` as a binding pattern → the same shape as an assignment pattern. */
  private bindingToAssignmentPattern(p: TS.BindingName): TS.Expression {
    const ts = this.ts;
    const f = this.f;
    if (ts.isIdentifier(p)) {
      const id = f.createIdentifier(p.text);
      ts.setSourceMapRange(id, p);
      return id;
    }
    if (ts.isObjectBindingPattern(p)) {
      const props: TS.ObjectLiteralElementLike[] = p.elements.map((el) => {
        if (el.dotDotDotToken) return f.createSpreadAssignment(this.bindingToAssignmentPattern(el.name));
        const target = this.bindingToAssignmentPattern(el.name);
        const withDefault = el.initializer ? f.createAssignment(target, el.initializer) : target;
        const key = el.propertyName ?? (el.name as TS.Identifier);
        const keyNode = ts.isIdentifier(key) ? f.createIdentifier(key.text) : key;
        return f.createPropertyAssignment(keyNode as TS.PropertyName, withDefault);
      });
      return f.createObjectLiteralExpression(props);
    }
    const elems = p.elements.map((el) => {
      if (ts.isOmittedExpression(el)) return f.createOmittedExpression();
      const target = this.bindingToAssignmentPattern(el.name);
      if (el.dotDotDotToken) return f.createSpreadElement(target);
      return el.initializer ? f.createAssignment(target, el.initializer) : target;
    });
    return f.createArrayLiteralExpression(elems);
  }

  private loop(s: TS.IterationStatement, labels: string[]): void {
    // Bindings declared anywhere in a loop (its head included) may need a fresh instance per
    // iteration; see IRVar.boxed.
    this.loopDepth++;
    try {
      this.loopInner(s, labels);
    } finally {
      this.loopDepth--;
    }
  }

  private loopInner(s: TS.IterationStatement, labels: string[]): void {
    const ts = this.ts;
    if (ts.isForOfStatement(s) && s.awaitModifier) return this.forAwait(s, labels);
    if (ts.isForOfStatement(s)) return this.forOf(s, labels);
    if (ts.isForInStatement(s)) return this.forIn(s, labels);
    const exit = this.newBlock('loop exit');
    if (ts.isWhileStatement(s)) {
      const head = this.newBlock('while test');
      this.goto(head.id);
      this.enter(head);
      const cond = this.expr(s.expression);
      const body = this.newBlock('while body');
      this.terminate({ kind: 'branch', cond, uses: this.exprUses(cond), then: body.id, else: exit.id });
      this.enter(body);
      this.loopBody(s.statement, labels, exit.id, head.id);
      this.goto(head.id);
    } else if (ts.isDoStatement(s)) {
      const body = this.newBlock('do body');
      const test = this.newBlock('do test');
      this.goto(body.id);
      this.enter(body);
      this.loopBody(s.statement, labels, exit.id, test.id);
      this.goto(test.id);
      this.enter(test);
      const cond = this.expr(s.expression);
      this.terminate({ kind: 'branch', cond, uses: this.exprUses(cond), then: body.id, else: exit.id });
    } else if (ts.isForStatement(s)) {
      const init = s.initializer;
      let scoped = false;
      if (init && ts.isVariableDeclarationList(init)) {
        if (init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
          scoped = true;
          this.resolver.push();
          const kind = init.flags & ts.NodeFlags.Const;
          for (const d of init.declarations)
            for (const id of this.resolver.bindingNames(d.name)) {
              const v = this.newVar('local', id.text, id.text, !!kind);
              this.vars[v].span = this.span(id);
              this.resolver.declare(id.text, v);
            }
        }
        this.varDeclList(init);
      } else if (init) this.exprDiscard(init);
      const head = this.newBlock('for test');
      const update = this.newBlock('for update');
      // CreatePerIterationEnvironment: before the first test, and after each body.
      const perIteration = scoped && init && ts.isVariableDeclarationList(init) ? init.declarations.flatMap((d) => this.boundVars(d.name)) : [];
      this.boxMarker(perIteration, true);
      this.goto(head.id);
      this.enter(head);
      const body = this.newBlock('for body');
      if (s.condition) {
        const cond = this.expr(s.condition);
        this.terminate({ kind: 'branch', cond, uses: this.exprUses(cond), then: body.id, else: exit.id });
      } else this.goto(body.id);
      this.enter(body);
      this.loopBody(s.statement, labels, exit.id, update.id);
      this.goto(update.id);
      this.enter(update);
      this.boxMarker(perIteration, true);
      if (s.incrementor) this.exprDiscard(s.incrementor);
      this.goto(head.id);
      if (scoped) this.resolver.pop();
    }
    this.enter(exit);
  }

  private loopBody(body: TS.Statement, labels: string[], breakTo: BlockId, continueTo: BlockId, breakRegion = this.region, continueRegion = this.region): void {
    this.targets.push({ labels, breakTo: { block: breakTo, region: breakRegion }, continueTo: { block: continueTo, region: continueRegion }, breakable: true, loop: true });
    this.stmt(body);
    this.targets.pop();
  }

  /** The loop variable of for-in/for-of: a declaration (scoped or var) or an assignment target. */
  private loopTarget(init: TS.ForInitializer): { assign: (value: TS.Expression) => void; scoped: boolean } {
    const ts = this.ts;
    if (ts.isVariableDeclarationList(init)) {
      const d = init.declarations[0];
      const scoped = !!(init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
      if (scoped) {
        this.resolver.push();
        for (const id of this.resolver.bindingNames(d.name)) {
          const v = this.newVar('local', id.text, id.text, !!(init.flags & ts.NodeFlags.Const));
          this.vars[v].span = this.span(id);
          this.resolver.declare(id.text, v);
        }
      }
      return {
        assign: (value) => {
          if (scoped) this.boxMarker(this.boundVars(d.name), false);
          this.bindPattern(d.name, value, d);
        },
        scoped,
      };
    }
    return { assign: (value) => this.assignTo(init as TS.Expression, value), scoped: false };
  }

  private forIn(s: TS.ForInStatement, labels: string[]): void {
    const obj = this.spillAlways(this.expr(s.expression), 'forInObj');
    const keys = this.newTemp('keys');
    const idx = this.newTemp('i');
    this.assign(keys, this.f.createCallExpression(this.helper('forInKeys'), undefined, [this.ref(obj)]));
    this.assign(idx, this.f.createNumericLiteral(0));
    const head = this.newBlock('for-in test');
    const step = this.newBlock('for-in next key');
    const body = this.newBlock('for-in body');
    const exit = this.newBlock('for-in exit');
    this.goto(head.id);
    this.enter(head);
    const more = this.f.createLessThan(this.ref(idx), this.f.createPropertyAccessExpression(this.ref(keys), 'length'));
    this.terminate({ kind: 'branch', cond: more, uses: this.exprUses(more), then: step.id, else: exit.id });
    this.enter(step);
    const key = this.newTemp('key');
    this.assign(key, this.f.createElementAccessExpression(this.ref(keys), this.f.createPostfixIncrement(this.ref(idx))));
    const present = this.f.createCallExpression(this.helper('forInHas'), undefined, [this.ref(obj), this.ref(key)]);
    this.terminate({ kind: 'branch', cond: present, uses: this.exprUses(present), then: body.id, else: head.id });
    this.enter(body);
    const target = this.loopTarget(s.initializer);
    target.assign(this.ref(key));
    this.loopBody(s.statement, labels, exit.id, head.id);
    this.goto(head.id);
    if (target.scoped) this.resolver.pop();
    this.enter(exit);
  }

  private forOf(s: TS.ForOfStatement, labels: string[]): void {
    if (s.awaitModifier) throw new LoweringError(s, '`for await` in a generator');
    const f = this.f;
    // An array whose iteration is the built-in one is walked by index: arrayOrIterator returns
    // null for it (see the runtime). What the loop observes is the same; what it costs is an
    // index compare instead of a call and an IteratorResult per element.
    const src = this.spillAlways(this.expr(s.expression), 'iterable');
    const it = this.newTemp('it');
    const next = this.newTemp('next');
    const idx = this.newTemp('i');
    const res = this.newTemp('res');
    const value = this.newTemp('value');
    this.assign(it, f.createCallExpression(this.helper('arrayOrIterator'), undefined, [this.ref(src)]), this.span(s.expression));
    const byIndex = (): TS.Expression => f.createStrictEquality(this.ref(it), f.createNull());
    this.assign(idx, f.createNumericLiteral(0));
    this.assign(next, f.createConditionalExpression(byIndex(), undefined, f.createVoidZero(), undefined, f.createPropertyAccessExpression(this.ref(it), 'next')));
    const head = this.newBlock('for-of next');
    const indexStep = this.newBlock('for-of array index test');
    const indexTake = this.newBlock('for-of array element');
    const iterStep = this.newBlock('for-of iterator next');
    const check = this.newBlock('for-of result check');
    const iterTake = this.newBlock('for-of result value');
    const exit = this.newBlock('for-of exit');
    const bodyStart = this.newBlock('for-of body');
    this.goto(head.id);
    this.enter(head);
    const mode = byIndex();
    this.terminate({ kind: 'branch', cond: mode, uses: this.exprUses(mode), then: indexStep.id, else: iterStep.id });
    this.enter(indexStep);
    const more = f.createLessThan(this.ref(idx), f.createCallExpression(this.helper('arrayLength'), undefined, [this.ref(src)]));
    this.terminate({ kind: 'branch', cond: more, uses: this.exprUses(more), then: indexTake.id, else: exit.id });
    this.enter(indexTake);
    this.assign(value, f.createElementAccessExpression(this.ref(src), f.createPostfixIncrement(this.ref(idx))));
    this.goto(bodyStart.id);
    this.enter(iterStep);
    this.assign(res, f.createCallExpression(f.createPropertyAccessExpression(this.ref(next), 'apply'), undefined, [this.ref(it)]));
    const notObject = this.notObject(this.ref(res));
    const bad = this.newBlock('for-of result not an object');
    this.terminate({ kind: 'branch', cond: notObject, uses: this.exprUses(notObject), then: bad.id, else: check.id });
    this.enter(bad);
    const badCall = f.createCallExpression(this.helper('iteratorResultNotObject'), undefined, [this.ref(res)]);
    this.terminate({ kind: 'throw', value: badCall, uses: this.exprUses(badCall) });
    this.enter(check);
    const done = f.createPropertyAccessExpression(this.ref(res), 'done');
    this.terminate({ kind: 'branch', cond: done, uses: this.exprUses(done), then: exit.id, else: iterTake.id });
    // IteratorValue is outside the iterator region: a throwing `value` getter does not close the
    // iterator (ForIn/OfBodyEvaluation reads it with `?` before the binding step).
    this.enter(iterTake);
    this.assign(value, f.createPropertyAccessExpression(this.ref(res), 'value'));
    this.goto(bodyStart.id);
    // The body runs in an iterator region: leaving it abruptly closes the iterator.
    const outer = this.region;
    const region = this.newRegion('iterator', { it, src }, s);
    this.region = region;
    bodyStart.region = region;
    this.enter(bodyStart);
    const target = this.loopTarget(s.initializer);
    target.assign(this.ref(value));
    this.loopBody(s.statement, labels, exit.id, head.id, outer, region);
    this.goto(head.id);
    if (target.scoped) this.resolver.pop();
    this.region = outer;
    this.finishIteratorRegion(region);
    this.enter(exit);
  }

  /**
   * `for await (x of obj)` (ForIn/OfBodyEvaluation, iteratorKind async): every step awaits
   * `next()`, and leaving the body abruptly awaits the iterator's `return()` (closeAsyncIterator).
   * Only async functions and async generators lowered for build-time evaluation get here.
   */
  private forAwait(s: TS.ForOfStatement, labels: string[]): void {
    if (!this.awaits) throw new LoweringError(s, '`for await` in a generator');
    const f = this.f;
    const it = this.newTemp('asyncIt');
    const next = this.newTemp('next');
    const res = this.newTemp('res');
    const value = this.newTemp('value');
    const iterable = this.expr(s.expression);
    this.assign(it, f.createCallExpression(this.helper('asyncIteratorOf'), undefined, [iterable]), this.span(s.expression));
    this.assign(next, f.createPropertyAccessExpression(this.ref(it), 'next'));
    const head = this.newBlock('for await next');
    const exit = this.newBlock('for await exit');
    const bodyStart = this.newBlock('for await body');
    this.goto(head.id);
    this.enter(head);
    const call = f.createCallExpression(f.createPropertyAccessExpression(this.ref(next), 'call'), undefined, [this.ref(it)]);
    this.assign(res, this.suspendWith(s.awaitModifier!, call, 'await', true)!);
    const bad = this.newBlock('for await result not an object');
    const check = this.newBlock('for await result check');
    const notObject = this.notObject(this.ref(res));
    this.terminate({ kind: 'branch', cond: notObject, uses: this.exprUses(notObject), then: bad.id, else: check.id });
    this.enter(bad);
    const badCall = f.createCallExpression(this.helper('iteratorResultNotObject'), undefined, [this.ref(res)]);
    this.terminate({ kind: 'throw', value: badCall, uses: this.exprUses(badCall) });
    this.enter(check);
    const take = this.newBlock('for await result value');
    const done = f.createPropertyAccessExpression(this.ref(res), 'done');
    this.terminate({ kind: 'branch', cond: done, uses: this.exprUses(done), then: exit.id, else: take.id });
    // As in for-of, a throwing `value` getter does not close the iterator.
    this.enter(take);
    this.assign(value, f.createPropertyAccessExpression(this.ref(res), 'value'));
    this.goto(bodyStart.id);
    const outer = this.region;
    const region = this.newRegion('iterator', { it, async: true }, s);
    this.asyncLoops.set(region, s);
    this.region = region;
    bodyStart.region = region;
    this.enter(bodyStart);
    const target = this.loopTarget(s.initializer);
    target.assign(this.ref(value));
    this.loopBody(s.statement, labels, exit.id, head.id, outer, region);
    this.goto(head.id);
    if (target.scoped) this.resolver.pop();
    this.region = outer;
    this.finishIteratorRegion(region);
    this.enter(exit);
  }

  /**
   * AsyncIteratorClose for a `for await` body left abruptly. Break, continue to an outer loop and
   * return: when the iterator has a `return` method, await its call and require an object. A
   * throw (the region's handler): the same, inside a region whose handler is the continuation, so
   * a failing call or a rejected await is dropped and the original exception goes on.
   */
  private closeAsyncIterator(r: Region, onThrow: boolean): void {
    const f = this.f;
    const at = this.asyncLoops.get(r.id)!.awaitModifier!;
    const it = r.iterator!.it;
    const method = this.newTemp('return');
    this.assign(method, f.createCallExpression(this.helper(onThrow ? 'asyncReturnMethodOnThrow' : 'asyncReturnMethod'), undefined, [this.ref(it)]));
    const after = this.newBlock('after return()');
    const outer = this.region;
    const swallow = onThrow ? this.newRegion('try') : -1;
    if (onThrow) this.regions[swallow].handler = after.id;
    const call = this.newBlock('await return()', onThrow ? swallow : outer);
    const has = f.createStrictInequality(this.ref(method), f.createVoidZero());
    this.terminate({ kind: 'branch', cond: has, uses: this.exprUses(has), then: call.id, else: after.id });
    this.region = onThrow ? swallow : outer;
    this.enter(call);
    const callExpr = f.createCallExpression(f.createPropertyAccessExpression(this.ref(method), 'call'), undefined, [this.ref(it)]);
    const result = this.suspendWith(at, callExpr, 'await', !onThrow);
    if (result) this.emit(f.createExpressionStatement(f.createCallExpression(this.helper('asyncCloseResult'), undefined, [result])));
    this.goto(after.id);
    this.region = outer;
    this.enter(after);
  }

  private notObject(e: TS.Expression): TS.Expression {
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
  private cloneRef(e: TS.Expression): TS.Expression {
    const v = this.resolver.refs.get(e);
    return v !== undefined ? this.ref(v) : e;
  }

  private newRegion(kind: Region['kind'], iterator?: Region['iterator'], node?: TS.Node): RegionId {
    const id = this.regions.length;
    const exc = this.newTemp('e');
    // Iterator regions know their handler now; try regions set it once the catch/finally exists.
    const handler = kind === 'iterator' ? this.newBlock('close iterator on throw', this.region).id : -1;
    this.regions.push({ id, kind, parent: this.region, handler, exc, iterator, span: node && node.pos >= 0 ? this.span(node) : undefined });
    return id;
  }

  /** The handler of an iterator region: close the iterator (if not exhausted) and rethrow. */
  private finishIteratorRegion(region: RegionId): void {
    const r = this.regions[region];
    const saved = this.cur;
    const savedRegion = this.region;
    this.region = r.parent;
    this.enter(this.blocks[r.handler]);
    this.closeIterator(r, true);
    this.terminate({ kind: 'throw', value: this.ref(r.exc), uses: [r.exc] });
    this.cur = saved;
    this.region = savedRegion;
  }

  private closeIterator(r: Region, onThrow: boolean): void {
    if (r.iterator!.async) return this.closeAsyncIterator(r, onThrow);
    const f = this.f;
    const args = [this.ref(r.iterator!.it), ...(r.iterator!.src !== undefined ? [this.ref(r.iterator!.src)] : [])];
    const call = f.createExpressionStatement(f.createCallExpression(this.helper(onThrow ? 'iteratorCloseOnThrow' : 'iteratorClose'), undefined, args));
    if (r.iterator!.done !== undefined) {
      this.emit(f.createIfStatement(f.createLogicalNot(this.ref(r.iterator!.done)), call));
    } else this.emit(call);
  }

  private switchStmt(s: TS.SwitchStatement, labels: string[]): void {
    const disc = this.spillAlways(this.expr(s.expression), 'switch');
    const exit = this.newBlock('switch exit');
    this.enterLexicalScope(s.caseBlock.clauses.flatMap((c) => [...c.statements]));
    const bodies = s.caseBlock.clauses.map((c) => this.newBlock(this.ts.isDefaultClause(c) ? 'default' : 'case'));
    let defaultBody = exit.id;
    s.caseBlock.clauses.forEach((c, i) => {
      if (this.ts.isDefaultClause(c)) {
        defaultBody = bodies[i].id;
        return;
      }
      const test = this.expr(c.expression);
      const cond = this.f.createStrictEquality(this.ref(disc), test);
      const nextTest = this.newBlock('case test');
      this.terminate({ kind: 'branch', cond, uses: this.exprUses(cond), then: bodies[i].id, else: nextTest.id });
      this.enter(nextTest);
    });
    this.goto(defaultBody);
    this.targets.push({ labels, breakTo: { block: exit.id, region: this.region }, breakable: true, loop: false });
    s.caseBlock.clauses.forEach((c, i) => {
      this.enter(bodies[i]);
      for (const st of c.statements) this.stmt(st);
      this.goto(i + 1 < bodies.length ? bodies[i + 1].id : exit.id);
    });
    this.targets.pop();
    this.resolver.pop();
    this.enter(exit);
  }

  private tryStmt(s: TS.TryStatement): void {
    const f = this.f;
    const outer = this.region;
    const after = this.newBlock('after try');
    let fin: FinallyRecord | undefined;
    if (s.finallyBlock) {
      const entry = this.newBlock('finally', outer);
      fin = { entry: entry.id, code: this.newTemp('completion'), value: this.newTemp('completionValue'), jumps: [], returns: false, region: outer };
    }
    // Protected part.
    const tryRegion = this.newRegion('try', undefined, s.tryBlock);
    this.regions[tryRegion].fin = fin;
    let catchRegion: RegionId = -1;
    if (s.catchClause && fin) {
      catchRegion = this.newRegion('catch', undefined, s.catchClause);
      this.regions[catchRegion].fin = fin;
    }
    const finallyThrow = (region: RegionId): BlockId => {
      const b = this.newBlock('finally (throw)', outer);
      const saved = this.cur;
      this.enter(b);
      this.assign(fin!.code, f.createNumericLiteral(COMPLETION_THROW));
      this.assign(fin!.value, this.ref(this.regions[region].exc));
      this.goto(fin!.entry);
      this.cur = saved;
      return b.id;
    };
    const catchEntry = s.catchClause ? this.newBlock('catch', catchRegion >= 0 ? catchRegion : outer) : undefined;
    this.regions[tryRegion].handler = catchEntry ? catchEntry.id : finallyThrow(tryRegion);
    if (catchRegion >= 0) this.regions[catchRegion].handler = finallyThrow(catchRegion);
    if (fin) {
      this.regions[tryRegion].finally = { entry: fin.entry, code: fin.code, value: fin.value };
      if (catchRegion >= 0) this.regions[catchRegion].finally = this.regions[tryRegion].finally;
    }
    const normalExit = (): void => {
      if (this.terminated()) return;
      if (fin) {
        this.assign(fin.code, f.createNumericLiteral(COMPLETION_NORMAL));
        // Liveness cannot tell the completion codes apart: without this, the value of some other
        // completion would look live across every suspension in the try block.
        this.assign(fin.value, f.createVoidZero());
        this.goto(fin.entry);
      } else this.goto(after.id);
    };
    const body = this.newBlock('try', tryRegion);
    this.goto(body.id);
    this.region = tryRegion;
    this.enter(body);
    this.stmt(s.tryBlock);
    this.region = outer;
    normalExit();
    if (s.catchClause && catchEntry) {
      this.region = catchRegion >= 0 ? catchRegion : outer;
      this.enter(catchEntry);
      const decl = s.catchClause.variableDeclaration;
      this.resolver.push();
      if (decl) {
        for (const id of this.resolver.bindingNames(decl.name)) {
          const v = this.newVar('local', id.text, id.text);
          this.vars[v].span = this.span(id);
          this.resolver.declare(id.text, v);
        }
        this.boxMarker(this.boundVars(decl.name), false);
        this.bindPattern(decl.name, this.ref(this.regions[tryRegion].exc), decl);
      }
      this.stmt(s.catchClause.block);
      this.resolver.pop();
      this.region = outer;
      normalExit();
    }
    if (fin) {
      this.enter(this.blocks[fin.entry]);
      this.stmt(s.finallyBlock!);
      if (!this.terminated()) {
        const cases: { value: number; target: BlockId }[] = [];
        const rethrow = this.newBlock('finally rethrow');
        rethrow.term = { kind: 'throw', value: this.ref(fin.value), uses: [fin.value] };
        cases.push({ value: COMPLETION_THROW, target: rethrow.id });
        const finCur = this.cur;
        if (fin.returns) {
          const rb = this.newBlock('finally return');
          this.enter(rb);
          this.route({ kind: 'return', value: fin.value });
          cases.push({ value: COMPLETION_RETURN, target: rb.id });
        }
        for (const j of fin.jumps) {
          const jb = this.newBlock('finally jump');
          this.enter(jb);
          this.route({ kind: 'jump', target: j.target });
          cases.push({ value: j.code, target: jb.id });
        }
        this.cur = finCur;
        this.terminate({ kind: 'switch', on: fin.code, cases, default: after.id });
      }
    }
    this.enter(after);
  }

  // ---------------------------------------------------------------- jumps and completions

  private jump(s: TS.BreakStatement | TS.ContinueStatement): void {
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

  private returnWith(value: TS.Expression): void {
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
  private route(r: Route): void {
    const saved = this.region;
    try {
      this.routeFrom(r);
    } finally {
      this.region = saved;
    }
  }
  private routeFrom(r: Route): void {
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
          this.assign(fin.value, this.ref(r.value));
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
  private isAncestorRegion(inner: RegionId, outer: RegionId): boolean {
    // is `outer` strictly inside `inner`? then we must not leave `inner` (cannot happen for valid jumps)
    for (let r = outer; r >= 0; r = this.regions[r].parent) if (r === inner) return true;
    return false;
  }

  // ---------------------------------------------------------------- expressions

  /** Evaluates `e` for its effects only. */
  private exprDiscard(e: TS.Expression): void {
    const ts = this.ts;
    if (!this.facts.containsYield(e)) {
      this.resolver.resolveTree(e);
      this.emit(this.f.createExpressionStatement(e), this.span(e));
      return;
    }
    e = skipOuter(ts, e);
    if (ts.isYieldExpression(e)) {
      this.yieldExpr(e, false);
      return;
    }
    if (ts.isAwaitExpression(e)) {
      this.awaitExpr(e, false);
      return;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      this.exprDiscard(e.left);
      this.exprDiscard(e.right);
      return;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      this.simpleAssign(e, true);
      return;
    }
    const v = this.expr(e);
    this.emit(this.f.createExpressionStatement(v), this.span(e));
  }

  /** Evaluates `e`; returns an expression that yields its value after the statements emitted so far. */
  expr(e: TS.Expression): TS.Expression {
    const ts = this.ts;
    const f = this.f;
    if (!this.facts.containsYield(e)) {
      this.resolver.resolveTree(e);
      return e;
    }
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) {
      return this.expr(e.expression);
    }
    if (ts.isYieldExpression(e)) return this.yieldExpr(e, true)!;
    if (ts.isAwaitExpression(e)) return this.awaitExpr(e, true)!;
    if (ts.isBinaryExpression(e)) return this.binary(e);
    if (ts.isConditionalExpression(e)) {
      const result = this.newTemp('cond');
      const cond = this.expr(e.condition);
      const a = this.newBlock('?:');
      const b = this.newBlock(':');
      const join = this.newBlock('?: end');
      this.terminate({ kind: 'branch', cond, uses: this.exprUses(cond), then: a.id, else: b.id });
      this.enter(a);
      this.assign(result, this.expr(e.whenTrue));
      this.goto(join.id);
      this.enter(b);
      this.assign(result, this.expr(e.whenFalse));
      this.goto(join.id);
      this.enter(join);
      return this.ref(result);
    }
    if (ts.isCallExpression(e)) return this.call(e);
    if (ts.isNewExpression(e)) {
      const callee = this.spill(this.expr(e.expression));
      const args = this.exprList(e.arguments ?? f.createNodeArray());
      return f.createNewExpression(callee, undefined, args);
    }
    if (ts.isPropertyAccessExpression(e)) {
      if (e.questionDotToken) throw new LoweringError(e, 'optional chaining with a yield in its object');
      return f.createPropertyAccessExpression(this.expr(e.expression), e.name);
    }
    if (ts.isElementAccessExpression(e)) {
      if (e.questionDotToken || e.flags & ts.NodeFlags.OptionalChain) throw new LoweringError(e, 'optional chaining with a yield in it');
      const obj = this.facts.containsYield(e.argumentExpression) ? this.spill(this.expr(e.expression)) : this.expr(e.expression);
      return f.createElementAccessExpression(obj, this.expr(e.argumentExpression));
    }
    if (ts.isArrayLiteralExpression(e)) {
      return f.createArrayLiteralExpression(this.exprList(e.elements));
    }
    if (ts.isObjectLiteralExpression(e)) return this.objectLiteral(e);
    if (ts.isTemplateExpression(e)) {
      const parts = this.exprList(e.templateSpans.map((s) => s.expression));
      return f.createTemplateExpression(
        e.head,
        e.templateSpans.map((s, i) => f.createTemplateSpan(parts[i], s.literal)),
      );
    }
    if (ts.isTaggedTemplateExpression(e)) {
      // A member tag is called with its object as `this`: keep the object, re-read the member.
      const tagNode = skipOuter(ts, e.tag);
      const tag = ts.isPropertyAccessExpression(tagNode) && !tagNode.questionDotToken
        ? f.createPropertyAccessExpression(this.spill(this.expr(tagNode.expression)), tagNode.name)
        : ts.isElementAccessExpression(tagNode) && !tagNode.questionDotToken
          ? f.createElementAccessExpression(this.spill(this.expr(tagNode.expression)), this.spill(this.expr(tagNode.argumentExpression)))
          : this.spill(this.expr(e.tag));
      if (ts.isTemplateExpression(e.template)) {
        const tpl = e.template;
        const parts = this.exprList(tpl.templateSpans.map((s) => s.expression));
        return f.createTaggedTemplateExpression(tag, undefined, f.createTemplateExpression(tpl.head, tpl.templateSpans.map((s, i) => f.createTemplateSpan(parts[i], s.literal))));
      }
      return f.createTaggedTemplateExpression(tag, undefined, e.template);
    }
    if (ts.isPrefixUnaryExpression(e)) {
      if (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken) return this.update(e.operand, e.operator, true);
      return f.createPrefixUnaryExpression(e.operator, this.expr(e.operand));
    }
    if (ts.isPostfixUnaryExpression(e)) return this.update(e.operand, e.operator, false);
    if (ts.isTypeOfExpression(e)) return f.createTypeOfExpression(this.expr(e.expression));
    if (ts.isVoidExpression(e)) return f.createVoidExpression(this.expr(e.expression));
    if (ts.isDeleteExpression(e)) {
      const target = skipOuter(ts, e.expression);
      if (ts.isElementAccessExpression(target)) {
        const obj = this.spill(this.expr(target.expression));
        return f.createDeleteExpression(f.createElementAccessExpression(obj, this.expr(target.argumentExpression)));
      }
      if (ts.isPropertyAccessExpression(target)) return f.createDeleteExpression(f.createPropertyAccessExpression(this.expr(target.expression), target.name));
      return f.createDeleteExpression(this.expr(e.expression));
    }
    if (ts.isSpreadElement(e)) return f.createSpreadElement(this.expr(e.expression));
    if (ts.isClassExpression(e)) return this.classWithYield(e);
    if (ts.isAwaitExpression(e)) throw new LoweringError(e, 'await in a generator');
    throw new LoweringError(e, `yield inside ${ts.SyntaxKind[e.kind]}`);
  }

  /** An expression for `value` at node `at` (keeps source positions for maps). */
  private exprOf(value: TS.Expression, at: TS.Node): TS.Expression {
    if (value.pos < 0) this.ts.setSourceMapRange(value, at);
    return value;
  }

  /**
   * Evaluates a list left to right where some element contains a yield: every element before the
   * last yield-containing one is spilled, so it is evaluated before the suspension.
   */
  private exprList(list: readonly TS.Expression[]): TS.Expression[] {
    const ts = this.ts;
    let last = -1;
    list.forEach((x, i) => {
      if (this.facts.containsYield(x)) last = i;
    });
    return list.map((x, i) => {
      if (i >= last) return this.expr(x);
      if (ts.isSpreadElement(x)) {
        // Spread now, into an array: iteration happens before the later suspension.
        const arr = this.spillAlways(this.f.createArrayLiteralExpression([this.f.createSpreadElement(this.expr(x.expression))]), 'spread');
        return this.f.createSpreadElement(this.ref(arr));
      }
      if (ts.isOmittedExpression(x)) return x;
      return this.spill(this.expr(x));
    });
  }

  /** Keeps the value of an already-evaluated operand across a later suspension. */
  private spill(e: TS.Expression): TS.Expression {
    const ts = this.ts;
    if (ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isBigIntLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return e;
    const v = this.resolver.refs.get(e);
    if (v !== undefined && (this.vars[v].kind === 'temp' || this.vars[v].kind === 'sent' || (this.vars[v].readonly && !this.vars[v].captured))) return e;
    return this.ref(this.spillAlways(e, 'tmp'));
  }
  private spillAlways(e: TS.Expression, what: string): VarId {
    const t = this.newTemp(what);
    this.assign(t, e);
    return t;
  }

  private binary(e: TS.BinaryExpression): TS.Expression {
    const ts = this.ts;
    const f = this.f;
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.CommaToken) {
      this.exprDiscard(e.left);
      return this.expr(e.right);
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      const result = this.newTemp('logical');
      this.assign(result, this.expr(e.left));
      const rhs = this.newBlock('logical rhs');
      const join = this.newBlock('logical end');
      const test =
        op === ts.SyntaxKind.AmpersandAmpersandToken
          ? this.ref(result)
          : op === ts.SyntaxKind.BarBarToken
            ? f.createLogicalNot(this.ref(result))
            : f.createEquality(this.ref(result), f.createNull());
      this.terminate({ kind: 'branch', cond: test, uses: [result], then: rhs.id, else: join.id });
      this.enter(rhs);
      this.assign(result, this.expr(e.right));
      this.goto(join.id);
      this.enter(join);
      return this.ref(result);
    }
    if (isAssignmentOperator(ts, op)) {
      if (op === ts.SyntaxKind.EqualsToken) return this.simpleAssign(e, false)!;
      if (op === ts.SyntaxKind.AmpersandAmpersandEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken) {
        // a ||= b  ≡  a || (a = b), with the reference evaluated once
        const ref = this.reference(e.left);
        const result = this.newTemp('logical');
        this.assign(result, ref.get());
        const rhs = this.newBlock('logical assign');
        const join = this.newBlock('logical assign end');
        const test =
          op === ts.SyntaxKind.AmpersandAmpersandEqualsToken
            ? this.ref(result)
            : op === ts.SyntaxKind.BarBarEqualsToken
              ? f.createLogicalNot(this.ref(result))
              : f.createEquality(this.ref(result), f.createNull());
        this.terminate({ kind: 'branch', cond: test, uses: [result], then: rhs.id, else: join.id });
        this.enter(rhs);
        const value = this.expr(e.right);
        this.assign(result, value);
        this.emit(f.createExpressionStatement(ref.set(this.ref(result))));
        this.goto(join.id);
        this.enter(join);
        return this.ref(result);
      }
      // compound: a op= b  ≡  a = a op b, reading a before b is evaluated
      const ref = this.reference(e.left);
      const old = this.ref(this.spillAlways(ref.get(), 'old'));
      const rhs = this.expr(e.right);
      const value = f.createBinaryExpression(old, compoundToBinary(ts, op), rhs);
      const t = this.spillAlways(value, 'assigned');
      this.emit(f.createExpressionStatement(ref.set(this.ref(t))));
      return this.ref(t);
    }
    const left = this.facts.containsYield(e.right) ? this.spill(this.expr(e.left)) : this.expr(e.left);
    const right = this.expr(e.right);
    return f.createBinaryExpression(left, e.operatorToken, right);
  }

  private update(operand: TS.Expression, operator: TS.SyntaxKind, prefix: boolean): TS.Expression {
    const f = this.f;
    const ref = this.reference(operand);
    // A native postfix update on a temporary gives ToNumeric semantics (BigInt included).
    const nv = this.spillAlways(ref.get(), 'new');
    const old = this.spillAlways(f.createPostfixUnaryExpression(this.ref(nv), operator as TS.PostfixUnaryOperator), 'old');
    this.emit(f.createExpressionStatement(ref.set(this.ref(nv))));
    return this.ref(prefix ? nv : old);
  }

  /**
   * Evaluates the reference part of an assignment target (object and key) now, so the value can be
   * computed later, possibly after a suspension.
   */
  private reference(target: TS.Expression): { get: () => TS.Expression; set: (v: TS.Expression) => TS.Expression } {
    const ts = this.ts;
    const f = this.f;
    target = skipOuter(ts, target);
    if (ts.isIdentifier(target)) {
      this.resolver.resolveTree(target);
      const v = this.resolver.refs.get(target);
      const mk = (): TS.Expression => (v !== undefined ? this.ref(v) : f.createIdentifier(target.text));
      return { get: mk, set: (value) => f.createAssignment(mk(), value) };
    }
    if (ts.isPropertyAccessExpression(target)) {
      const obj = this.ref(this.spillAlways(this.expr(target.expression), 'obj'));
      const ov = this.resolver.refs.get(obj)!;
      return {
        get: () => f.createPropertyAccessExpression(this.ref(ov), target.name.text),
        set: (value) => f.createAssignment(f.createPropertyAccessExpression(this.ref(ov), target.name.text), value),
      };
    }
    if (ts.isElementAccessExpression(target)) {
      const ov = this.spillAlways(this.expr(target.expression), 'obj');
      const kv = this.spillAlways(this.expr(target.argumentExpression), 'key');
      return {
        get: () => f.createElementAccessExpression(this.ref(ov), this.ref(kv)),
        set: (value) => f.createAssignment(f.createElementAccessExpression(this.ref(ov), this.ref(kv)), value),
      };
    }
    throw new LoweringError(target, 'this assignment target around a yield');
  }

  /**
   * `target = value`: a member target's object and key are evaluated before the right-hand side
   * (which may suspend); a pattern is destructured after it, as the spec orders them.
   */
  private simpleAssign(e: TS.BinaryExpression, discard: boolean): TS.Expression | undefined {
    const ts = this.ts;
    const target = skipOuter(ts, e.left);
    if ((ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) && this.facts.containsYield(e)) {
      const ref = this.reference(target);
      const value = this.spillAlways(this.expr(e.right), 'assigned');
      this.emit(this.f.createExpressionStatement(ref.set(this.ref(value))), this.span(e));
      return discard ? undefined : this.ref(value);
    }
    return this.assignTo(e.left, this.expr(e.right), discard, e);
  }

  /**
   * `target = value` where value was already evaluated. For member targets whose object or key
   * contains a yield, those are evaluated first as the spec requires (they precede the value).
   */
  private assignTo(target: TS.Expression, value: TS.Expression, discard = false, at?: TS.Node): TS.Expression | undefined {
    const ts = this.ts;
    const f = this.f;
    target = skipOuter(ts, target);
    if (ts.isObjectLiteralExpression(target) || ts.isArrayLiteralExpression(target)) {
      if (this.facts.containsYield(target)) {
        const v = this.spillAlways(value, 'dstr');
        this.destructure(target, this.ref(v));
        return discard ? undefined : this.ref(v);
      }
      this.resolver.resolveTree(target);
      if (discard) {
        this.emit(f.createExpressionStatement(f.createAssignment(target, value)), at && this.span(at));
        return undefined;
      }
      const v = this.spillAlways(value, 'dstr');
      this.emit(f.createExpressionStatement(f.createAssignment(target, this.ref(v))));
      return this.ref(v);
    }
    if (this.facts.containsYield(target)) {
      // The reference is evaluated before the right-hand side in source order; here the value is
      // already computed, which only happens when the caller evaluated it first. Callers that
      // need the reference first use reference() directly.
      const ref = this.reference(target);
      const v = this.spillAlways(value, 'assigned');
      this.emit(f.createExpressionStatement(ref.set(this.ref(v))));
      return discard ? undefined : this.ref(v);
    }
    this.resolver.resolveTree(target);
    if (discard) {
      this.emit(f.createExpressionStatement(f.createAssignment(target, value)), at && this.span(at));
      return undefined;
    }
    const v = this.spillAlways(value, 'assigned');
    this.emit(f.createExpressionStatement(f.createAssignment(target, this.ref(v))));
    return this.ref(v);
  }

  /**
   * Destructuring where the pattern itself contains a yield (a default or a computed key): the
   * pattern is taken apart into property reads and explicit iterator steps, with the iterator
   * closed if the destructuring completes abruptly.
   */
  private destructure(pattern: TS.Expression, value: TS.Expression): void {
    const ts = this.ts;
    const f = this.f;
    pattern = skipOuter(ts, pattern);
    if (ts.isObjectLiteralExpression(pattern)) {
      const src = this.spillAlways(value, 'src');
      const req = f.createBinaryExpression(this.ref(src), ts.SyntaxKind.EqualsEqualsToken, f.createNull());
      const bad = this.newBlock('destructure null');
      const ok = this.newBlock('destructure');
      this.terminate({ kind: 'branch', cond: req, uses: [src], then: bad.id, else: ok.id });
      this.enter(bad);
      const err = f.createNewExpression(f.createIdentifier('TypeError'), undefined, [f.createStringLiteral('Cannot destructure ' + "'null' or 'undefined'")]);
      this.terminate({ kind: 'throw', value: err, uses: [] });
      this.enter(ok);
      const usedKeys: TS.Expression[] = [];
      for (const p of pattern.properties) {
        if (ts.isSpreadAssignment(p)) {
          const rest = f.createCallExpression(this.helper('objectRest'), undefined, [this.ref(src), f.createArrayLiteralExpression(usedKeys)]);
          this.assignTargetWithDefault(p.expression, rest, undefined);
          continue;
        }
        let keyExpr: TS.Expression;
        let target: TS.Expression;
        let init: TS.Expression | undefined;
        if (ts.isShorthandPropertyAssignment(p)) {
          keyExpr = f.createStringLiteral(p.name.text);
          target = p.name;
          init = p.objectAssignmentInitializer;
        } else if (ts.isPropertyAssignment(p)) {
          const name = p.name;
          if (ts.isComputedPropertyName(name)) keyExpr = this.ref(this.spillAlways(this.expr(name.expression), 'key'));
          else if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) keyExpr = f.createStringLiteral(name.text);
          else keyExpr = f.createStringLiteral((name as TS.StringLiteral | TS.NumericLiteral).text);
          let t = skipOuter(ts, p.initializer);
          if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
            init = t.right;
            t = t.left;
          }
          target = t;
        } else throw new LoweringError(p, 'this destructuring property around a yield');
        usedKeys.push(keyExpr);
        this.assignTargetWithDefault(target, f.createElementAccessExpression(this.ref(src), this.cloneRef(keyExpr)), init);
      }
      return;
    }
    if (ts.isArrayLiteralExpression(pattern)) {
      const it = this.newTemp('it');
      const next = this.newTemp('next');
      const done = this.newTemp('done');
      this.assign(it, f.createCallExpression(this.helper('getIterator'), undefined, [value]));
      this.assign(next, f.createPropertyAccessExpression(this.ref(it), 'next'));
      this.assign(done, f.createFalse());
      const outer = this.region;
      const region = this.newRegion('iterator', { it, done }, pattern);
      this.region = region;
      const body = this.newBlock('array destructuring');
      this.goto(body.id);
      this.enter(body);
      for (const el of pattern.elements) {
        if (ts.isSpreadElement(el)) {
          const rest = this.newTemp('rest');
          // Target reference first (it may contain a yield), then drain the iterator.
          const ref = this.targetReference(el.expression);
          this.assign(rest, f.createArrayLiteralExpression([]));
          this.stepIterator(it, next, done, (val) => this.emit(f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(this.ref(rest), 'push'), undefined, [val]))), true);
          ref(this.ref(rest));
          continue;
        }
        if (ts.isOmittedExpression(el)) {
          this.stepIterator(it, next, done, undefined, false);
          continue;
        }
        let t = skipOuter(ts, el);
        let init: TS.Expression | undefined;
        if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          init = t.right;
          t = t.left;
        }
        const isPattern = ts.isObjectLiteralExpression(skipOuter(ts, t)) || ts.isArrayLiteralExpression(skipOuter(ts, t));
        const ref = isPattern ? undefined : this.targetReference(t);
        const val = this.newTemp('elem');
        this.assign(val, f.createVoidZero());
        this.stepIterator(it, next, done, (v) => this.assign(val, v), false);
        let result: TS.Expression = this.ref(val);
        if (init) result = this.withDefault(val, init);
        if (ref) ref(result);
        else this.destructure(t, result);
      }
      this.region = outer;
      this.finishIteratorRegion(region);
      // Normal completion: close the iterator unless it is exhausted.
      this.closeIterator(this.regions[region], false);
      return;
    }
    this.assignTo(pattern, value, true);
  }

  /** IteratorStep on a destructuring iterator; `onValue` runs with the value when not done. */
  private stepIterator(it: VarId, next: VarId, done: VarId, onValue: ((v: TS.Expression) => void) | undefined, drain: boolean): void {
    const f = this.f;
    const head = this.newBlock(drain ? 'rest step' : 'element step');
    const after = this.newBlock('element done');
    this.goto(head.id);
    this.enter(head);
    const doStep = this.newBlock('iterator step');
    this.terminate({ kind: 'branch', cond: this.ref(done), uses: [done], then: after.id, else: doStep.id });
    this.enter(doStep);
    const res = this.newTemp('res');
    // An exception from next() marks the iterator done, so it is not closed afterwards.
    this.assign(done, f.createTrue());
    this.assign(res, f.createCallExpression(f.createPropertyAccessExpression(this.ref(next), 'apply'), undefined, [this.ref(it)]));
    const bad = this.newBlock('iterator result not an object');
    const check = this.newBlock('iterator result');
    const notObj = this.notObject(this.ref(res));
    this.terminate({ kind: 'branch', cond: notObj, uses: this.exprUses(notObj), then: bad.id, else: check.id });
    this.enter(bad);
    const badCall = f.createCallExpression(this.helper('iteratorResultNotObject'), undefined, [this.ref(res)]);
    this.terminate({ kind: 'throw', value: badCall, uses: this.exprUses(badCall) });
    this.enter(check);
    const isDone = f.createPropertyAccessExpression(this.ref(res), 'done');
    const got = this.newBlock('iterator value');
    this.terminate({ kind: 'branch', cond: isDone, uses: [res], then: after.id, else: got.id });
    this.enter(got);
    if (onValue) onValue(f.createPropertyAccessExpression(this.ref(res), 'value'));
    else this.emit(f.createExpressionStatement(f.createPropertyAccessExpression(this.ref(res), 'value')));
    this.assign(done, f.createFalse());
    this.goto(drain ? head.id : after.id);
    this.enter(after);
  }

  /** Evaluates an assignment target's reference now; returns the function that stores into it. */
  private targetReference(t: TS.Expression): (value: TS.Expression) => void {
    const ts = this.ts;
    t = skipOuter(ts, t);
    if (ts.isObjectLiteralExpression(t) || ts.isArrayLiteralExpression(t)) return (value) => this.destructure(t, value);
    if (!this.facts.containsYield(t) && ts.isIdentifier(t)) {
      this.resolver.resolveTree(t);
      return (value) => this.emit(this.f.createExpressionStatement(this.f.createAssignment(t, value)));
    }
    const ref = this.reference(t);
    return (value) => this.emit(this.f.createExpressionStatement(ref.set(value)));
  }

  private assignTargetWithDefault(target: TS.Expression, value: TS.Expression, init: TS.Expression | undefined): void {
    const ts = this.ts;
    const isPattern = ts.isObjectLiteralExpression(skipOuter(ts, target)) || ts.isArrayLiteralExpression(skipOuter(ts, target));
    const ref = isPattern ? undefined : this.targetReference(target);
    const v = this.spillAlways(value, 'prop');
    const result = init ? this.withDefault(v, init) : this.ref(v);
    if (ref) ref(result);
    else this.destructure(target, result);
  }

  /** `v === undefined ? init : v`, with init evaluated only when needed (it may yield). */
  private withDefault(v: VarId, init: TS.Expression): TS.Expression {
    const f = this.f;
    const useInit = this.newBlock('default value');
    const join = this.newBlock('default done');
    const cond = f.createStrictEquality(this.ref(v), f.createVoidZero());
    this.terminate({ kind: 'branch', cond, uses: [v], then: useInit.id, else: join.id });
    this.enter(useInit);
    this.assign(v, this.nameAnonymous(init, undefined));
    this.goto(join.id);
    this.enter(join);
    return this.ref(v);
  }
  private nameAnonymous(init: TS.Expression, _name: string | undefined): TS.Expression {
    return this.expr(init);
  }

  /**
   * A class whose heritage clause or computed member names contain a yield: those are evaluated
   * first, in order, into temporaries; the class is then created from them.
   */
  private classWithYield(e: TS.ClassExpression): TS.Expression {
    const ts = this.ts;
    const f = this.f;
    const heritage = e.heritageClauses?.map((h) => {
      if (h.token !== ts.SyntaxKind.ExtendsKeyword || !this.facts.containsYield(h)) {
        this.resolver.resolveTree(h);
        return h;
      }
      const base = this.spill(this.expr(h.types[0].expression));
      return f.updateHeritageClause(h, [f.createExpressionWithTypeArguments(base, undefined)]);
    });
    let last = -1;
    e.members.forEach((m, i) => {
      if (m.name && ts.isComputedPropertyName(m.name) && this.facts.containsYield(m.name)) last = i;
    });
    const members = e.members.map((m, i) => {
      if (i <= last && m.name && ts.isComputedPropertyName(m.name)) {
        const key = this.spill(this.expr(m.name.expression));
        const withKey = replaceMemberName(ts, m, f.createComputedPropertyName(key));
        this.resolver.resolveTree(withKey, e);
        return withKey;
      }
      this.resolver.resolveTree(m, e);
      return m;
    });
    return f.createClassExpression(e.modifiers, e.name, e.typeParameters, heritage, members);
  }

  private objectLiteral(e: TS.ObjectLiteralExpression): TS.Expression {
    const ts = this.ts;
    const f = this.f;
    let last = -1;
    e.properties.forEach((p, i) => {
      if (this.facts.containsYield(p)) last = i;
    });
    const props = e.properties.map((p, i): TS.ObjectLiteralElementLike => {
      const before = i < last;
      const val = (x: TS.Expression): TS.Expression => (before ? this.spill(this.expr(x)) : this.expr(x));
      if (ts.isPropertyAssignment(p)) {
        const name = ts.isComputedPropertyName(p.name) ? f.createComputedPropertyName(this.spill(this.expr(p.name.expression))) : p.name;
        return f.createPropertyAssignment(name, val(p.initializer));
      }
      if (ts.isShorthandPropertyAssignment(p)) {
        return f.createPropertyAssignment(f.createIdentifier(p.name.text), val(p.name));
      }
      if (ts.isSpreadAssignment(p)) {
        if (before) {
          const copy = this.spillAlways(f.createObjectLiteralExpression([f.createSpreadAssignment(this.expr(p.expression))]), 'spread');
          return f.createSpreadAssignment(this.ref(copy));
        }
        return f.createSpreadAssignment(this.expr(p.expression));
      }
      // Methods and accessors: only a computed name is evaluated here; it may contain a yield.
      if (before || (p.name && ts.isComputedPropertyName(p.name) && this.facts.containsYield(p.name))) {
        if (p.name && ts.isComputedPropertyName(p.name)) {
          const withKey = replaceMemberName(ts, p, f.createComputedPropertyName(this.spill(this.expr(p.name.expression)))) as TS.ObjectLiteralElementLike;
          this.resolver.resolveTree(withKey, e);
          return withKey;
        }
      }
      this.resolver.resolveTree(p, e);
      return p;
    });
    return f.createObjectLiteralExpression(props, e.properties.hasTrailingComma);
  }

  private call(e: TS.CallExpression): TS.Expression {
    const ts = this.ts;
    const f = this.f;
    if (e.questionDotToken || (e.flags & ts.NodeFlags.OptionalChain)) throw new LoweringError(e, 'optional call with a yield in it');
    const callee = skipOuter(ts, e.expression);
    if (callee.kind === ts.SyntaxKind.SuperKeyword || callee.kind === ts.SyntaxKind.ImportKeyword) throw new LoweringError(e, 'yield in the arguments of super()/import()');
    const argsHaveYield = e.arguments.some((a) => this.facts.containsYield(a));
    if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
      if (callee.expression.kind === ts.SyntaxKind.SuperKeyword) throw new LoweringError(e, 'super method call with a yield in it');
      if (!argsHaveYield) {
        const c = this.expr(callee);
        return f.createCallExpression(c, undefined, e.arguments.map((a) => this.expr(a)));
      }
      // Receiver and function are read before the arguments are evaluated.
      const recv = this.spillAlways(this.expr(callee.expression), 'recv');
      const key = ts.isElementAccessExpression(callee) ? this.spill(this.expr(callee.argumentExpression)) : undefined;
      const fnv = this.spillAlways(key ? f.createElementAccessExpression(this.ref(recv), key) : f.createPropertyAccessExpression(this.ref(recv), (callee as TS.PropertyAccessExpression).name.text), 'fn');
      const args = this.exprList(e.arguments);
      return f.createCallExpression(f.createPropertyAccessExpression(this.ref(fnv), 'call'), undefined, [this.ref(recv), ...args]);
    }
    const fnExpr = argsHaveYield ? this.spill(this.expr(e.expression)) : this.expr(e.expression);
    return f.createCallExpression(fnExpr, undefined, this.exprList(e.arguments));
  }

  /** `yield v` / `yield* v`; returns the expression for the value it evaluates to. */
  private yieldExpr(e: TS.YieldExpression, wantValue: boolean): TS.Expression | undefined {
    const f = this.f;
    if (this.mode === 'coroutine') return this.coSuspend(e, wantValue);
    if (this.asyncGenerator) {
      if (e.asteriskToken) return this.asyncDelegate(e, wantValue);
      // AsyncGeneratorYield(? Await(v)): the operand is awaited, then handed out boxed so the
      // driver can tell it from an await.
      const awaited = this.suspendWith(e, e.expression ? this.expr(e.expression) : f.createVoidZero(), 'await', true)!;
      return this.suspendWith(e, f.createCallExpression(this.helper('asyncYield'), undefined, [awaited]), 'yield', wantValue);
    }
    if (e.asteriskToken) return this.delegate(e, wantValue);
    return this.suspendWith(e, e.expression ? this.expr(e.expression) : f.createVoidZero(), 'yield', wantValue);
  }

  /**
   * `await x` in an async function lowered for build-time evaluation: a suspension point handing
   * `x` to the driver (asyncRun), which resumes with the settled value, or throws the rejection in.
   */
  private awaitExpr(e: TS.AwaitExpression, wantValue: boolean): TS.Expression | undefined {
    if (!this.awaits) throw new LoweringError(e, '`await` outside an async function');
    return this.suspendWith(e, this.expr(e.expression), 'await', wantValue);
  }

  /**
   * A plain suspension point handing out `value` (evaluated already): next() resumes with the
   * value sent, throw() and return() take the routes of the enclosing regions.
   */
  private suspendWith(e: TS.Node, value: TS.Expression, kind: 'yield' | 'await', wantValue: boolean): TS.Expression | undefined {
    const id = this.suspends.length;
    const resume = this.newBlock(`resume ${id}`);
    const cont = this.newBlock(`after ${kind} ${id}`);
    this.suspends.push({ id, kind, from: this.cur.id, resume: resume.id, span: this.span(e) });
    this.terminate({ kind: 'yield', value: this.exprOf(value, e), uses: this.exprUses(value), raw: false, suspend: id });
    const sent = wantValue ? this.newVar('sent', `sent${id}`, `$sent${id}`) : undefined;
    const { throwTarget, exc } = this.throwRouteAt(resume);
    const { returnTarget, ret } = this.returnRouteAt(resume);
    resume.term = { kind: 'resume', suspend: id, next: cont.id, sent, throwTarget, exc, returnTarget, ret };
    (resume as any).done = true;
    this.enter(cont);
    return sent !== undefined ? this.ref(sent) : undefined;
  }

  /** Where throw() received at a resume point goes: the region's handler, or out. */
  private throwRouteAt(resume: Block): { throwTarget: BlockId; exc: VarId } {
    if (this.region >= 0) return { throwTarget: this.regions[this.region].handler, exc: this.regions[this.region].exc };
    const exc = this.newTemp('thrown');
    const b = this.newBlock('throw out', -1);
    b.term = { kind: 'throw', value: this.ref(exc), uses: [exc] };
    (b as any).done = true;
    void resume;
    return { throwTarget: b.id, exc };
  }

  private returnRouteAt(resume: Block): { returnTarget: BlockId; ret: VarId } {
    const ret = this.newTemp('returned');
    const b = this.newBlock('return()', this.region);
    const saved = this.cur;
    this.enter(b);
    this.route({ kind: 'return', value: ret });
    this.cur = saved;
    void resume;
    return { returnTarget: b.id, ret };
  }

  private delegate(e: TS.YieldExpression, wantValue: boolean): TS.Expression | undefined {
    const f = this.f;
    const iterable = this.expr(e.expression!);
    const it = this.newTemp('inner');
    const next = this.newTemp('innerNext');
    const v = this.newTemp('received');
    const m = this.newTemp('mode');
    const r = this.newTemp('innerResult');
    this.assign(it, f.createCallExpression(this.helper('getIterator'), undefined, [iterable]), this.span(e));
    this.assign(next, f.createPropertyAccessExpression(this.ref(it), 'next'));
    this.assign(v, f.createVoidZero());
    this.assign(m, f.createNumericLiteral(0));
    const step = this.newBlock('yield* step');
    this.goto(step.id);
    this.enter(step);
    // next(v) is inline, so its call site belongs to this coroutine and V8 can inline the inner
    // iterator's next (with a shared helper every yield* of the program would share one call site).
    // throw()/return() are rare and take the helper.
    const stepNext = this.newBlock('yield* next()');
    const stepOther = this.newBlock('yield* throw()/return()');
    this.terminate({ kind: 'branch', cond: f.createStrictEquality(this.ref(m), f.createNumericLiteral(0)), uses: [m], then: stepNext.id, else: stepOther.id });
    const isReturn = this.newBlock('yield* after return()');
    const notReturn = this.newBlock('yield* result');
    this.enter(stepNext);
    this.assign(r, f.createCallExpression(f.createPropertyAccessExpression(this.ref(next), 'call'), undefined, [this.ref(it), this.ref(v)]));
    const bad = this.newBlock('inner result not an object');
    const notObj = this.notObject(this.ref(r));
    this.terminate({ kind: 'branch', cond: notObj, uses: this.exprUses(notObj), then: bad.id, else: notReturn.id });
    this.enter(bad);
    const badCall = f.createCallExpression(this.helper('iteratorResultNotObject'), undefined, [this.ref(r)]);
    this.terminate({ kind: 'throw', value: badCall, uses: this.exprUses(badCall) });
    this.enter(stepOther);
    this.assign(r, f.createCallExpression(this.helper('delegateStep'), undefined, [this.ref(it), this.ref(next), this.ref(v), this.ref(m)]));
    // return() reaching an iterator without `return`, or an inner result that is done after return():
    // the delegating generator returns.
    this.terminate({ kind: 'branch', cond: f.createStrictEquality(this.ref(m), f.createNumericLiteral(2)), uses: [m], then: isReturn.id, else: notReturn.id });
    this.enter(isReturn);
    const noMethod = this.newBlock('yield* no return method');
    const hasResult = this.newBlock('yield* return result');
    this.terminate({ kind: 'branch', cond: f.createStrictEquality(this.ref(r), f.createNull()), uses: [r], then: noMethod.id, else: hasResult.id });
    this.enter(noMethod);
    this.route({ kind: 'return', value: v });
    this.enter(hasResult);
    const retDone = this.newBlock('yield* returned');
    const suspendB = this.newBlock('yield* suspend');
    this.terminate({ kind: 'branch', cond: f.createPropertyAccessExpression(this.ref(r), 'done'), uses: [r], then: retDone.id, else: suspendB.id });
    this.enter(retDone);
    const rv = this.spillAlways(f.createPropertyAccessExpression(this.ref(r), 'value'), 'retval');
    this.route({ kind: 'return', value: rv });
    this.enter(notReturn);
    const cont = this.newBlock('after yield*');
    const result = wantValue ? this.newTemp('delegated') : undefined;
    const finished = this.newBlock('yield* done');
    this.terminate({ kind: 'branch', cond: f.createPropertyAccessExpression(this.ref(r), 'done'), uses: [r], then: finished.id, else: suspendB.id });
    this.enter(finished);
    // IteratorValue(innerResult) happens whether or not the value is used.
    this.assign(result ?? this.newTemp('delegated'), f.createPropertyAccessExpression(this.ref(r), 'value'));
    this.goto(cont.id);
    // Suspend, handing out the inner result object itself.
    this.enter(suspendB);
    const id = this.suspends.length;
    const resume = this.newBlock(`resume ${id} (yield*)`);
    this.suspends.push({ id, kind: 'yield*', from: suspendB.id, resume: resume.id, span: this.span(e) });
    this.terminate({ kind: 'yield', value: this.ref(r), uses: [r], raw: true, suspend: id });
    resume.term = { kind: 'resume-delegate', suspend: id, next: step.id, value: v, mode: m };
    (resume as any).done = true;
    this.enter(cont);
    return result !== undefined ? this.ref(result) : undefined;
  }

  /**
   * `yield* x` in an async generator (the async branches of the spec's yield* evaluation): each
   * inner step is awaited; what the inner iterator hands out is yielded without a second await;
   * throw() and return() received at the yield are forwarded like next() (resume-delegate sets
   * the received value and the mode), and an inner iterator without `throw` is closed (awaited)
   * before the TypeError.
   */
  private asyncDelegate(e: TS.YieldExpression, wantValue: boolean): TS.Expression | undefined {
    const f = this.f;
    const iterable = this.expr(e.expression!);
    const it = this.newTemp('inner');
    const next = this.newTemp('innerNext');
    const v = this.newTemp('received');
    const m = this.newTemp('mode');
    const r = this.newTemp('innerResult');
    const method = this.newTemp('method');
    this.assign(it, f.createCallExpression(this.helper('asyncIteratorOf'), undefined, [iterable]), this.span(e));
    this.assign(next, f.createPropertyAccessExpression(this.ref(it), 'next'));
    this.assign(v, f.createVoidZero());
    this.assign(m, f.createNumericLiteral(0));
    const blocks = (...labels: string[]) => labels.map((l) => this.newBlock(`yield* ${l}`));
    const [step, stepNext, stepOther, thr, thrCall, thrNone, thrClose, thrFail, ret, retNone, retCall, check, checkRet, finished, returned, suspendB] = blocks(
      'step', 'next()', 'throw()/return()', 'throw()', 'call throw()', 'no throw method', 'close', 'protocol error', 'return()', 'no return method', 'call return()', 'result', 'return() result', 'done', 'returned', 'suspend',
    );
    const cont = this.newBlock('after yield*');
    const result = wantValue ? this.newTemp('delegated') : undefined;
    const awaitInto = (target: VarId, value: TS.Expression): void => this.assign(target, this.suspendWith(e, value, 'await', true)!);
    const call = (fn: VarId, args: TS.Expression[]): TS.Expression => f.createCallExpression(f.createPropertyAccessExpression(this.ref(fn), 'call'), undefined, [this.ref(it), ...args]);
    const requireObject = (then: Block): void => {
      const bad = this.newBlock('inner result not an object');
      const notObj = this.notObject(this.ref(r));
      this.terminate({ kind: 'branch', cond: notObj, uses: this.exprUses(notObj), then: bad.id, else: then.id });
      this.enter(bad);
      const badCall = f.createCallExpression(this.helper('iteratorResultNotObject'), undefined, [this.ref(r)]);
      this.terminate({ kind: 'throw', value: badCall, uses: this.exprUses(badCall) });
    };
    const isMode = (n: number): TS.Expression => f.createStrictEquality(this.ref(m), f.createNumericLiteral(n));
    const hasMethod = (): TS.Expression => f.createStrictInequality(this.ref(method), f.createVoidZero());
    this.goto(step.id);
    this.enter(step);
    this.terminate({ kind: 'branch', cond: isMode(0), uses: [m], then: stepNext.id, else: stepOther.id });
    this.enter(stepNext);
    awaitInto(r, call(next, [this.ref(v)]));
    this.goto(check.id);
    this.enter(stepOther);
    this.terminate({ kind: 'branch', cond: isMode(1), uses: [m], then: thr.id, else: ret.id });
    // throw(): forwarded, or the inner iterator is closed and the protocol error thrown.
    this.enter(thr);
    this.assign(method, f.createCallExpression(this.helper('asyncThrowMethod'), undefined, [this.ref(it)]));
    this.terminate({ kind: 'branch', cond: hasMethod(), uses: [method], then: thrCall.id, else: thrNone.id });
    this.enter(thrCall);
    awaitInto(r, call(method, [this.ref(v)]));
    this.goto(check.id);
    this.enter(thrNone);
    this.assign(method, f.createCallExpression(this.helper('asyncReturnMethod'), undefined, [this.ref(it)]));
    this.terminate({ kind: 'branch', cond: hasMethod(), uses: [method], then: thrClose.id, else: thrFail.id });
    this.enter(thrClose);
    awaitInto(r, call(method, []));
    this.emit(f.createExpressionStatement(f.createCallExpression(this.helper('asyncCloseResult'), undefined, [this.ref(r)])));
    this.goto(thrFail.id);
    this.enter(thrFail);
    const noThrow = f.createCallExpression(this.helper('asyncNoThrowMethod'), undefined, []);
    this.terminate({ kind: 'throw', value: noThrow, uses: [] });
    // return(): forwarded; without a `return` method the delegating generator returns the value.
    this.enter(ret);
    this.assign(method, f.createCallExpression(this.helper('asyncReturnMethod'), undefined, [this.ref(it)]));
    this.terminate({ kind: 'branch', cond: hasMethod(), uses: [method], then: retCall.id, else: retNone.id });
    this.enter(retNone);
    const awaitedValue = this.newTemp('returnValue');
    awaitInto(awaitedValue, this.ref(v));
    this.route({ kind: 'return', value: awaitedValue });
    this.enter(retCall);
    awaitInto(r, call(method, [this.ref(v)]));
    requireObject(checkRet);
    this.enter(checkRet);
    this.terminate({ kind: 'branch', cond: f.createPropertyAccessExpression(this.ref(r), 'done'), uses: [r], then: returned.id, else: suspendB.id });
    this.enter(returned);
    const rv = this.spillAlways(f.createPropertyAccessExpression(this.ref(r), 'value'), 'retval');
    this.route({ kind: 'return', value: rv });
    this.enter(check);
    const checked = this.newBlock('yield* result checked');
    requireObject(checked);
    this.enter(checked);
    this.terminate({ kind: 'branch', cond: f.createPropertyAccessExpression(this.ref(r), 'done'), uses: [r], then: finished.id, else: suspendB.id });
    this.enter(finished);
    this.assign(result ?? this.newTemp('delegated'), f.createPropertyAccessExpression(this.ref(r), 'value'));
    this.goto(cont.id);
    // AsyncGeneratorYield(? IteratorValue(innerResult)): no await of the value here.
    this.enter(suspendB);
    const yielded = f.createCallExpression(this.helper('asyncYield'), undefined, [f.createPropertyAccessExpression(this.ref(r), 'value')]);
    const id = this.suspends.length;
    const resume = this.newBlock(`resume ${id} (yield*)`);
    this.suspends.push({ id, kind: 'yield*', from: suspendB.id, resume: resume.id, span: this.span(e) });
    this.terminate({ kind: 'yield', value: yielded, uses: this.exprUses(yielded), raw: false, suspend: id });
    resume.term = { kind: 'resume-delegate', suspend: id, next: step.id, value: v, mode: m };
    (resume as any).done = true;
    this.enter(cont);
    return result !== undefined ? this.ref(result) : undefined;
  }

  // ---------------------------------------------------------------- coroutine mode (promise types)
  // `yield* x` (co_await) and `yield v` (co_yield) are one suspension each. The resume block's
  // `sent` receives await_resume(); its throw route is the region's handler (await_resume may
  // throw at the suspension point); its return route is the DESTROY path: a jump to `destroy`
  // through every pending finally block and iterator close. Emitted by emit-coroutine.ts.
  private destroyBlock: Block | undefined;
  private voidReturnBlock: Block | undefined;

  private coReturnVoidBlock(): Block {
    if (!this.voidReturnBlock) {
      const b = this.newBlock('return (void)', -1);
      b.term = { kind: 'return', value: this.f.createVoidZero(), uses: [] };
      (b as any).done = true;
      this.voidReturnBlock = b;
    }
    return this.voidReturnBlock;
  }

  private coSuspend(e: TS.YieldExpression, wantValue: boolean): TS.Expression | undefined {
    const ts = this.ts;
    for (let p: TS.Node | undefined = e.parent; p && p !== this.fn; p = p.parent) {
      if (ts.isBlock(p) && p.parent && ts.isTryStatement(p.parent) && p.parent.finallyBlock === p) {
        throw new LoweringError(e, `\`${e.asteriskToken ? 'yield*' : 'yield'}\` inside a finally block of a promise-type coroutine (a frame can be destroyed while suspended, and destruction cannot suspend)`);
      }
    }
    if (e.asteriskToken && !e.expression) throw new LoweringError(e, '`yield*` without an operand');
    const operand = e.expression ? this.expr(e.expression) : this.f.createVoidZero();
    const id = this.suspends.length;
    const resume = this.newBlock(`resume ${id}`);
    const cont = this.newBlock(`after ${e.asteriskToken ? 'await' : 'yield'} ${id}`);
    this.suspends.push({ id, kind: e.asteriskToken ? 'await' : 'yield', from: this.cur.id, resume: resume.id, span: this.span(e) });
    this.terminate({ kind: 'yield', value: this.exprOf(operand, e), uses: this.exprUses(operand), raw: false, suspend: id });
    const sent = wantValue ? this.newVar('sent', `sent${id}`, `$sent${id}`) : undefined;
    const { throwTarget, exc } = this.throwRouteAt(resume);
    if (!this.destroyBlock) {
      const d = this.newBlock('destroyed', -1);
      d.term = { kind: 'return', value: this.f.createVoidZero(), uses: [] };
      (d as any).done = true;
      this.destroyBlock = d;
    }
    const destroyRoute = this.newBlock('destroy', this.region);
    const saved = this.cur;
    this.enter(destroyRoute);
    this.route({ kind: 'jump', target: { block: this.destroyBlock.id, region: -1 } });
    this.cur = saved;
    const ret = this.newTemp('unused');
    resume.term = { kind: 'resume', suspend: id, next: cont.id, sent, throwTarget, exc, returnTarget: destroyRoute.id, ret };
    (resume as any).done = true;
    this.enter(cont);
    return sent !== undefined ? this.ref(sent) : undefined;
  }
}

/** Field names a frame must never use for a variable: they are the generator protocol or the base class. */
export const RESERVED_FIELD_NAMES = new Set([
  '$r', 'next', 'return', 'throw', 'constructor', '__proto__', 'toString', 'toLocaleString', 'valueOf',
  'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', '__defineGetter__', '__defineSetter__',
  '__lookupGetter__', '__lookupSetter__', 'map', 'filter', 'take', 'drop', 'flatMap', 'reduce', 'toArray',
  'forEach', 'some', 'every', 'find', 'concat', 'zip',
]);

/** The same class member / object method with another name. */
function replaceMemberName<T extends TS.Node>(ts: typeof TS, m: T, name: TS.ComputedPropertyName): T {
  const f = ts.factory;
  const n = m as any;
  if (ts.isMethodDeclaration(n)) return f.updateMethodDeclaration(n, n.modifiers, n.asteriskToken, name, n.questionToken, n.typeParameters, n.parameters, n.type, n.body) as any;
  if (ts.isGetAccessorDeclaration(n)) return f.updateGetAccessorDeclaration(n, n.modifiers, name, n.parameters, n.type, n.body) as any;
  if (ts.isSetAccessorDeclaration(n)) return f.updateSetAccessorDeclaration(n, n.modifiers, name, n.parameters, n.body) as any;
  if (ts.isPropertyDeclaration(n)) return f.updatePropertyDeclaration(n, n.modifiers, name, n.questionToken ?? n.exclamationToken, n.type, n.initializer) as any;
  if (ts.isPropertyAssignment(n)) return f.updatePropertyAssignment(n, name, n.initializer) as any;
  return m;
}

function skipOuter(ts: typeof TS, e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

function isAssignmentOperator(ts: typeof TS, op: TS.SyntaxKind): boolean {
  return op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment;
}

function compoundToBinary(ts: typeof TS, op: TS.SyntaxKind): TS.BinaryOperator {
  const K = ts.SyntaxKind;
  const map: Partial<Record<TS.SyntaxKind, TS.BinaryOperator>> = {
    [K.PlusEqualsToken]: K.PlusToken,
    [K.MinusEqualsToken]: K.MinusToken,
    [K.AsteriskEqualsToken]: K.AsteriskToken,
    [K.AsteriskAsteriskEqualsToken]: K.AsteriskAsteriskToken,
    [K.SlashEqualsToken]: K.SlashToken,
    [K.PercentEqualsToken]: K.PercentToken,
    [K.LessThanLessThanEqualsToken]: K.LessThanLessThanToken,
    [K.GreaterThanGreaterThanEqualsToken]: K.GreaterThanGreaterThanToken,
    [K.GreaterThanGreaterThanGreaterThanEqualsToken]: K.GreaterThanGreaterThanGreaterThanToken,
    [K.AmpersandEqualsToken]: K.AmpersandToken,
    [K.BarEqualsToken]: K.BarToken,
    [K.CaretEqualsToken]: K.CaretToken,
  };
  return map[op]!;
}

/**
 * Is the reference at the top of `path` (root first) read, written, or both? Works on synthesized
 * trees too, because it looks at the ancestors the walk passed through rather than `.parent`.
 */
export function writeKind(ts: typeof TS, path: readonly TS.Node[]): 'read' | 'write' | 'readwrite' {
  let i = path.length - 1;
  let child = path[i];
  const up = (): TS.Node | undefined => path[--i];
  let p = up();
  while (p && (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p))) {
    child = p;
    p = up();
  }
  if (!p) return 'read';
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return 'readwrite';
  if (ts.isBinaryExpression(p) && p.left === child) {
    const op = p.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken) return 'write';
    if (op >= ts.SyntaxKind.FirstCompoundAssignment && op <= ts.SyntaxKind.LastCompoundAssignment) return 'readwrite';
    return 'read';
  }
  if ((ts.isForInStatement(p) || ts.isForOfStatement(p)) && p.initializer === child) return 'write';
  if ((ts.isVariableDeclaration(p) || ts.isBindingElement(p)) && p.name === child) return 'write';
  // Inside an object/array literal: a write only if that literal is an assignment pattern.
  if (ts.isShorthandPropertyAssignment(p) && p.name === child) return isPatternAt(ts, path, i - 1) ? 'write' : 'read';
  if ((ts.isPropertyAssignment(p) && p.initializer === child) || ts.isSpreadAssignment(p)) return isPatternAt(ts, path, i - 1) ? 'write' : 'read';
  if (ts.isSpreadElement(p) || ts.isArrayLiteralExpression(p)) {
    const litIndex = ts.isSpreadElement(p) ? i - 1 : i;
    return isPatternAt(ts, path, litIndex) ? 'write' : 'read';
  }
  return 'read';
}

/** Is path[k] (an object/array literal) used as an assignment pattern? */
function isPatternAt(ts: typeof TS, path: readonly TS.Node[], k: number): boolean {
  let child = path[k];
  if (!child || !(ts.isObjectLiteralExpression(child) || ts.isArrayLiteralExpression(child))) return false;
  for (let j = k - 1; j >= 0; j--) {
    const p = path[j];
    if (ts.isParenthesizedExpression(p)) {
      child = p;
      continue;
    }
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      if (p.left !== child) return false;
      // `[a = 1]`: an assignment nested as an element of a pattern is a target with a default.
      const outer = path[j - 1];
      if (outer && (ts.isArrayLiteralExpression(outer) || ts.isPropertyAssignment(outer))) {
        child = p;
        continue;
      }
      return true;
    }
    if ((ts.isForInStatement(p) || ts.isForOfStatement(p)) && p.initializer === child) return true;
    if (ts.isPropertyAssignment(p) && p.initializer === child) {
      child = path[j - 1];
      j--;
      continue;
    }
    if (ts.isShorthandPropertyAssignment(p) || ts.isSpreadAssignment(p)) {
      child = path[j - 1];
      j--;
      continue;
    }
    if (ts.isSpreadElement(p)) {
      child = path[j - 1];
      j--;
      continue;
    }
    if (ts.isArrayLiteralExpression(p)) {
      child = p;
      continue;
    }
    return false;
  }
  return false;
}

/** The variables a destructuring assignment pattern assigns (member-expression targets are not variables). */
function destructuringTargets(ts: typeof TS, pattern: TS.Expression, refs: Map<TS.Node, VarId>): VarId[] {
  const out: VarId[] = [];
  const target = (e: TS.Expression): void => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) return target(e.left);
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p)) target(p.initializer);
        else if (ts.isShorthandPropertyAssignment(p)) target(p.name);
        else if (ts.isSpreadAssignment(p)) target(p.expression);
      }
      return;
    }
    if (ts.isArrayLiteralExpression(e)) {
      for (const el of e.elements) {
        if (ts.isOmittedExpression(el)) continue;
        target(ts.isSpreadElement(el) ? el.expression : el);
      }
      return;
    }
    const v = refs.get(e);
    if (v !== undefined) out.push(v);
  };
  target(pattern);
  return out;
}
