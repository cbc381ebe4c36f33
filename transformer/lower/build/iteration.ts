// Loops: while/do/for, for-in, for-of with its array fast path, for await, and the iterator regions
// whose abrupt exits close the iterator.
import type * as TS from 'typescript';
import {
  type Block,
  type BlockId,
  type Region,
  type RegionId,
  type VarId,
} from '../ir.js';
import { LoweringError } from '../errors.js';
import { SuspensionBuilder } from './suspension.js';

export abstract class IterationBuilder extends SuspensionBuilder {
  protected loop(s: TS.IterationStatement, labels: string[]): void {
    // Bindings declared anywhere in a loop (its head included) may need a fresh instance per
    // iteration; see IRVar.boxed.
    this.loopDepth++;
    try {
      this.loopInner(s, labels);
    } finally {
      this.loopDepth--;
    }
  }

  protected loopInner(s: TS.IterationStatement, labels: string[]): void {
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
        this.varDeclList(init, true);
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
      // The update writes the next iteration's copy: a closure of the body keeps its value.
      for (const v of perIteration) this.valueCandidates.set(v, s.statement);
      const incrementor = s.incrementor;
      if (incrementor) this.recordInit(perIteration, () => this.exprDiscard(incrementor));
      this.goto(head.id);
      if (scoped) this.resolver.pop();
    }
    this.enter(exit);
  }

  protected loopBody(body: TS.Statement, labels: string[], breakTo: BlockId, continueTo: BlockId, breakRegion = this.region, continueRegion = this.region): void {
    this.targets.push({ labels, breakTo: { block: breakTo, region: breakRegion }, continueTo: { block: continueTo, region: continueRegion }, breakable: true, loop: true });
    this.stmt(body);
    this.targets.pop();
  }

  /**
   * The expression of a for-in/for-of head. While it runs, the head's let/const names are bound
   * and uninitialised (ForIn/OfHeadEvaluation's TDZ environment): `for (const x of [x])` throws
   * instead of reading an outer `x`.
   */
  protected headExpression(init: TS.ForInitializer, e: TS.Expression): TS.Expression {
    const ts = this.ts;
    if (!ts.isVariableDeclarationList(init) || !(init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) return this.expr(e);
    const decl = init.declarations[0]!;
    const names = this.resolver.bindingNames(decl.name);
    // (only when the expression names one: otherwise no variable, and the loop's keep their names)
    const mentions = (n: TS.Node): boolean => (ts.isIdentifier(n) && names.some((id) => id.text === n.text)) || !!ts.forEachChild(n, mentions);
    if (!mentions(e)) return this.expr(e);
    this.resolver.push();
    for (const id of names) {
      const v = this.newVar('local', id.text, id.text);
      this.resolver.declare(id.text, v);
      this.tdzDeclarations.set(v, { decl, alwaysChecked: true });
      this.assign(v, this.helper('uninitialized'));
      this.cur.stmts[this.cur.stmts.length - 1]!.tdzInit = v;
    }
    try {
      return this.expr(e);
    } finally {
      this.resolver.pop();
    }
  }

  /** The loop variable of for-in/for-of: a declaration (scoped or var) or an assignment target. */
  protected loopTarget(init: TS.ForInitializer, body: TS.Statement): { assign: (value: TS.Expression) => void; scoped: boolean } {
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
          if (!scoped) return this.bindPattern(d.name, value, d);
          const bound = this.boundVars(d.name);
          this.boxMarker(bound, false);
          for (const v of bound) this.valueCandidates.set(v, body);
          this.recordInit(bound, () => this.bindPattern(d.name, value, d));
        },
        scoped,
      };
    }
    return { assign: (value) => this.assignTo(init as TS.Expression, value), scoped: false };
  }

  protected forIn(s: TS.ForInStatement, labels: string[]): void {
    const obj = this.spillAlways(this.headExpression(s.initializer, s.expression), 'forInObj');
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
    const target = this.loopTarget(s.initializer, s.statement);
    target.assign(this.ref(key));
    this.loopBody(s.statement, labels, exit.id, head.id);
    this.goto(head.id);
    if (target.scoped) this.resolver.pop();
    this.enter(exit);
  }

  protected forOf(s: TS.ForOfStatement, labels: string[]): void {
    if (s.awaitModifier) throw new LoweringError(s, '`for await` in a generator');
    const f = this.f;
    // An array whose iteration is the built-in one is walked by index: arrayOrIterator returns
    // null for it (see the runtime). What the loop observes is the same; what it costs is an
    // index compare instead of a call and an IteratorResult per element.
    const src = this.spillAlways(this.headExpression(s.initializer, s.expression), 'iterable');
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
    this.requireObject(res, 'for-of result not an object', check);
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
    this.iteratorLoopBody(s, labels, outer, this.newRegion('iterator', { it, src }, s), bodyStart, value, head, exit);
  }

  /** A for-of / for await body, in `region` (left abruptly, the iterator is closed), its target bound to `value`. */
  private iteratorLoopBody(s: TS.ForOfStatement, labels: string[], outer: RegionId, region: RegionId, bodyStart: Block, value: VarId, head: Block, exit: Block): void {
    this.region = region;
    bodyStart.region = region;
    this.enter(bodyStart);
    const target = this.loopTarget(s.initializer, s.statement);
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
  protected forAwait(s: TS.ForOfStatement, labels: string[]): void {
    if (!this.awaits) throw new LoweringError(s, '`for await` in a generator');
    const f = this.f;
    const it = this.newTemp('asyncIt');
    const next = this.newTemp('next');
    const res = this.newTemp('res');
    const value = this.newTemp('value');
    const iterable = this.headExpression(s.initializer, s.expression);
    this.assign(it, f.createCallExpression(this.helper('asyncIteratorOf'), undefined, [iterable]), this.span(s.expression));
    this.assign(next, f.createPropertyAccessExpression(this.ref(it), 'next'));
    const head = this.newBlock('for await next');
    const exit = this.newBlock('for await exit');
    const bodyStart = this.newBlock('for await body');
    this.goto(head.id);
    this.enter(head);
    const call = f.createCallExpression(f.createPropertyAccessExpression(this.ref(next), 'call'), undefined, [this.ref(it)]);
    this.assign(res, this.suspendWith(s.awaitModifier!, call, 'await', true)!);
    this.enter(this.requireObject(res, 'for await result not an object', 'for await result check'));
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
    this.iteratorLoopBody(s, labels, outer, region, bodyStart, value, head, exit);
  }

  /**
   * AsyncIteratorClose for a `for await` body left abruptly. Break, continue to an outer loop and
   * return: when the iterator has a `return` method, await its call and require an object. A
   * throw (the region's handler): the same, inside a region whose handler is the continuation, so
   * a failing call or a rejected await is dropped and the original exception goes on.
   */
  protected closeAsyncIterator(r: Region, onThrow: boolean): void {
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

  /** The handler of an iterator region: close the iterator (if not exhausted) and rethrow. */
  protected finishIteratorRegion(region: RegionId): void {
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

  protected closeIterator(r: Region, onThrow: boolean): void {
    if (r.iterator!.async) return this.closeAsyncIterator(r, onThrow);
    const f = this.f;
    const args = [this.ref(r.iterator!.it), ...(r.iterator!.src !== undefined ? [this.ref(r.iterator!.src)] : [])];
    const call = f.createExpressionStatement(f.createCallExpression(this.helper(onThrow ? 'iteratorCloseOnThrow' : 'iteratorClose'), undefined, args));
    if (r.iterator!.done !== undefined) {
      this.emit(f.createIfStatement(f.createLogicalNot(this.ref(r.iterator!.done)), call));
    } else this.emit(call);
  }
}
