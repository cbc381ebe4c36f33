// Statements: which ones are kept whole, and the lowering of blocks, labels, switch and try.
import type * as TS from 'typescript';
import {
  COMPLETION_NORMAL,
  COMPLETION_RETURN,
  COMPLETION_THROW,
  type BlockId,
  type RegionId,
  type VarId,
} from '../ir.js';
import { LoweringError } from '../errors.js';
import type { FinallyRecord } from './types.js';
import { IterationBuilder } from './iteration.js';

export abstract class StatementBuilder extends IterationBuilder {
  protected isAtomic(s: TS.Statement): boolean {
    if (this.facts.containsYield(s) || this.facts.hasEscapingJump(s) || this.annexBPath.has(s)) return false;
    if (this.facts.containsReturn(s) && this.inFinallyLikeRegion()) return false;
    // `return x` in an async generator awaits x: a suspension point the syntax does not show.
    if (this.asyncGenerator && this.facts.containsReturn(s)) return false;
    // A lexical declaration directly in a lowered scope was turned into an IR variable; a
    // return or throw at this level ends the block.
    if (this.ts.isReturnStatement(s) || this.ts.isThrowStatement(s) || this.ts.isVariableStatement(s) || this.ts.isFunctionDeclaration(s) || this.ts.isClassDeclaration(s)) return false;
    // A labelled function declaration (sloppy code) was initialised with its scope, as an
    // unlabelled one is; kept whole it would declare the name a second time.
    let inner: TS.Statement = s;
    while (this.ts.isLabeledStatement(inner)) inner = inner.statement;
    return !this.ts.isFunctionDeclaration(inner);
  }

  protected stmt(s: TS.Statement): void {
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
      // Initialised when its scope was entered; in sloppy mode a block's function is also copied
      // into the function-scoped variable of its name when its declaration is evaluated.
      const annexB = this.annexB.get(s);
      if (annexB !== undefined) this.assign(annexB, this.ref(this.resolver.lookup(s.name!.text)!.binding as VarId), this.span(s));
    } else if (ts.isClassDeclaration(s)) {
      const v = this.resolver.lookup(s.name!.text)!.binding as VarId;
      const ce = this.f.createClassExpression(s.modifiers?.filter((m) => m.kind === ts.SyntaxKind.Decorator) as any, s.name, s.typeParameters, s.heritageClauses, s.members);
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

  protected labeled(s: TS.LabeledStatement, labels: string[]): void {
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

  protected switchStmt(s: TS.SwitchStatement, labels: string[]): void {
    const disc = this.spillAlways(this.expr(s.expression), 'switch');
    const exit = this.newBlock('switch exit');
    this.enterLexicalScope(s.caseBlock.clauses.flatMap((c) => [...c.statements]), true, true);
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

  protected tryStmt(s: TS.TryStatement): void {
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
    // A region whose exceptions go straight to the finally block catches them into the finally's
    // value variable: no temporary to copy from. (The throw edge defines it, so it is no more
    // live in the region than the temporary was.)
    if (fin && !s.catchClause) this.regions[tryRegion].exc = fin.value;
    if (catchRegion >= 0) this.regions[catchRegion].exc = fin!.value;
    const finallyThrow = (region: RegionId): BlockId => {
      const b = this.newBlock('finally (throw)', outer);
      const saved = this.cur;
      this.enter(b);
      this.assign(fin!.code, f.createNumericLiteral(COMPLETION_THROW));
      if (this.regions[region].exc !== fin!.value) this.assign(fin!.value, this.ref(this.regions[region].exc));
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
}
