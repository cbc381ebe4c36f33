// Suspension points: `yield`, `yield*` (sync and async), `await` for build-time evaluation, and the
// promise-type coroutine ABI's co_await / co_yield.
import type * as TS from 'typescript';
import {
  type Block,
  type VarId,
} from '../ir.js';
import { LoweringError } from '../errors.js';
import { PatternBuilder } from './patterns.js';

export abstract class SuspensionBuilder extends PatternBuilder {
  /** `yield v` / `yield* v`; returns the expression for the value it evaluates to. */
  protected yieldExpr(e: TS.YieldExpression, wantValue: boolean): TS.Expression | undefined {
    const f = this.f;
    if (this.mode === 'coroutine') return this.coSuspend(e, wantValue);
    if (this.asyncGenerator) {
      if (e.asteriskToken) return this.asyncDelegate(e, wantValue);
      // AsyncGeneratorYield(? Await(v)): the operand is awaited, then handed out boxed so the
      // driver can tell it from an await.
      const awaited = this.suspendWith(e, e.expression ? this.expr(e.expression) : f.createVoidZero(), 'await', true)!;
      return this.suspendWith(e, f.createCallExpression(this.helper('asyncYield'), undefined, [awaited]), 'yield', wantValue);
    }
    if (e.asteriskToken) {
      if (this.optimize === 'size') {
        // One suspension: the runtime runs the delegation and resumes after it (see delegateTo).
        return this.suspendWith(e, f.createCallExpression(this.helper('delegateTo'), undefined, [this.expr(e.expression!)]), 'yield*', wantValue);
      }
      return this.delegate(e, wantValue);
    }
    return this.suspendWith(e, e.expression ? this.expr(e.expression) : f.createVoidZero(), 'yield', wantValue);
  }

  /**
   * `await x` in an async function lowered for build-time evaluation: a suspension point handing
   * `x` to the driver (asyncRun), which resumes with the settled value, or throws the rejection in.
   */
  protected awaitExpr(e: TS.AwaitExpression, wantValue: boolean): TS.Expression | undefined {
    if (!this.awaits) throw new LoweringError(e, '`await` outside an async function');
    return this.suspendWith(e, this.expr(e.expression), 'await', wantValue);
  }

  /**
   * What both forms of yield* start with: the inner iterator (`iteratorOf` of the operand), its
   * `next`, the value and mode a resumption receives (undefined first), and the inner result.
   */
  private delegationStart(e: TS.YieldExpression, iteratorOf: 'getIterator' | 'asyncIteratorOf'): { it: VarId; next: VarId; v: VarId; m: VarId; r: VarId } {
    const f = this.f;
    const iterable = this.expr(e.expression!);
    const it = this.newTemp('inner');
    const next = this.newTemp('innerNext');
    const v = this.newTemp('received');
    const m = this.newTemp('mode');
    const r = this.newTemp('innerResult');
    this.assign(it, f.createCallExpression(this.helper(iteratorOf), undefined, [iterable]), this.span(e));
    this.assign(next, f.createPropertyAccessExpression(this.ref(it), 'next'));
    this.assign(v, f.createVoidZero());
    return { it, next, v, m, r };
  }

  protected delegate(e: TS.YieldExpression, wantValue: boolean): TS.Expression | undefined {
    const f = this.f;
    const { it, next, v, m, r } = this.delegationStart(e, 'getIterator');
    const step = this.newBlock('yield* step');
    // next(v) is inline, so its call site belongs to this coroutine and V8 can inline the inner
    // iterator's next (with a shared helper every yield* of the program would share one call site).
    // throw()/return() are rare and take the helper.
    const stepNext = this.newBlock('yield* next()');
    const stepOther = this.newBlock('yield* throw()/return()');
    // The first step is always next(undefined): it is entered directly, and only a resumption
    // (which sets the mode) tests the mode. The entry then carries no throw()/return() code.
    this.goto(stepNext.id);
    this.enter(step);
    this.terminate({ kind: 'branch', cond: f.createStrictEquality(this.ref(m), f.createNumericLiteral(0)), uses: [m], then: stepNext.id, else: stepOther.id });
    const isReturn = this.newBlock('yield* after return()');
    const notReturn = this.newBlock('yield* result');
    this.enter(stepNext);
    this.assign(r, f.createCallExpression(f.createPropertyAccessExpression(this.ref(next), 'call'), undefined, [this.ref(it), this.ref(v)]));
    this.requireObject(r, 'inner result not an object', notReturn);
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
    this.delegateSuspension(e, this.ref(r), [r], true, step, v, m);
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
  protected asyncDelegate(e: TS.YieldExpression, wantValue: boolean): TS.Expression | undefined {
    const f = this.f;
    const { it, next, v, m, r } = this.delegationStart(e, 'asyncIteratorOf');
    const method = this.newTemp('method');
    const blocks = (...labels: string[]) => labels.map((l) => this.newBlock(`yield* ${l}`));
    const [step, stepNext, stepOther, thr, thrCall, thrNone, thrClose, thrFail, ret, retNone, retCall, check, checkRet, finished, returned, suspendB] = blocks(
      'step', 'next()', 'throw()/return()', 'throw()', 'call throw()', 'no throw method', 'close', 'protocol error', 'return()', 'no return method', 'call return()', 'result', 'return() result', 'done', 'returned', 'suspend',
    );
    const cont = this.newBlock('after yield*');
    const result = wantValue ? this.newTemp('delegated') : undefined;
    const awaitInto = (target: VarId, value: TS.Expression): void => this.assign(target, this.suspendWith(e, value, 'await', true)!);
    const call = (fn: VarId, args: TS.Expression[]): TS.Expression => f.createCallExpression(f.createPropertyAccessExpression(this.ref(fn), 'call'), undefined, [this.ref(it), ...args]);
    const requireObject = (then: Block): Block => this.requireObject(r, 'inner result not an object', then);
    const isMode = (n: number): TS.Expression => f.createStrictEquality(this.ref(m), f.createNumericLiteral(n));
    const hasMethod = (): TS.Expression => f.createStrictInequality(this.ref(method), f.createVoidZero());
    // As in the sync form, the first step is next(undefined), entered directly.
    this.goto(stepNext.id);
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
    this.delegateSuspension(e, yielded, this.exprUses(yielded), false, step, v, m);
    this.enter(cont);
    return result !== undefined ? this.ref(result) : undefined;
  }

  /**
   * The suspension point of a `yield*` (either form), ending the current block: hands out `value`
   * (raw: the inner result object itself); a resumption stores the value and mode it received in
   * `v` and `m` and goes back to `step`, which forwards it to the inner iterator.
   */
  private delegateSuspension(e: TS.YieldExpression, value: TS.Expression, uses: VarId[], raw: boolean, step: Block, v: VarId, m: VarId): void {
    const id = this.suspends.length;
    const resume = this.newBlock(`resume ${id} (yield*)`);
    this.suspends.push({ id, kind: 'yield*', from: this.cur.id, resume: resume.id, span: this.span(e) });
    this.terminate({ kind: 'yield', value, uses, raw, suspend: id });
    resume.term = { kind: 'resume-delegate', suspend: id, next: step.id, value: v, mode: m };
    (resume as any).done = true;
  }

  protected coSuspend(e: TS.YieldExpression, wantValue: boolean): TS.Expression | undefined {
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
