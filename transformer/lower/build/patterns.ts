// Destructuring and declarations: binding patterns and assignment patterns step iterators and read
// properties in the order the spec gives, with defaults evaluated only when needed.
import type * as TS from 'typescript';
import {
  type VarId,
} from '../ir.js';
import { NATIVE } from '../scope.js';
import { LoweringError } from '../errors.js';
import { skipOuter } from './helpers.js';
import { ExpressionBuilder } from './expressions.js';

export abstract class PatternBuilder extends ExpressionBuilder {
  /** `freshBindings`: a for-statement head, whose let/const bindings get their storage here; a
   * statement list's got theirs when its scope was entered (enterLexicalScope). */
  protected varDeclList(list: TS.VariableDeclarationList, freshBindings = false): void {
    const ts = this.ts;
    const isVar = !(list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
    if (!isVar && freshBindings) this.boxMarker(list.declarations.flatMap((d) => this.boundVars(d.name)), false);
    for (const d of list.declarations) {
      if (d.initializer) {
        const value = this.expr(d.initializer);
        if (isVar) this.bindPattern(d.name, value, d);
        else this.recordInit(this.boundVars(d.name), () => this.bindPattern(d.name, value, d));
      } else if (!isVar && ts.isIdentifier(d.name)) {
        const v = this.bindingVar(d.name);
        this.recordInit([v], () => this.assign(v, this.f.createVoidZero(), this.span(d)));
      }
    }
  }

  protected bindingVar(id: TS.Identifier): VarId {
    const hit = this.resolver.lookup(id.text);
    if (!hit || hit.binding === NATIVE) throw new LoweringError(id, `binding '${id.text}' could not be resolved`);
    this.resolver.refs.set(id, hit.binding);
    return hit.binding;
  }

  /** Assigns `value` to a binding name or pattern declared in a lowered scope. */
  protected bindPattern(name: TS.BindingName, value: TS.Expression, at: TS.Node): void {
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
  protected bindingToAssignmentPattern(p: TS.BindingName): TS.Expression {
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

  /**
   * Destructuring where the pattern itself contains a yield (a default or a computed key): the
   * pattern is taken apart into property reads and explicit iterator steps, with the iterator
   * closed if the destructuring completes abruptly.
   */
  protected destructure(pattern: TS.Expression, value: TS.Expression): void {
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
  protected stepIterator(it: VarId, next: VarId, done: VarId, onValue: ((v: TS.Expression) => void) | undefined, drain: boolean): void {
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
    this.enter(this.requireObject(res, 'iterator result not an object', 'iterator result'));
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
  protected targetReference(t: TS.Expression): (value: TS.Expression) => void {
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

  protected assignTargetWithDefault(target: TS.Expression, value: TS.Expression, init: TS.Expression | undefined): void {
    const ts = this.ts;
    const isPattern = ts.isObjectLiteralExpression(skipOuter(ts, target)) || ts.isArrayLiteralExpression(skipOuter(ts, target));
    const ref = isPattern ? undefined : this.targetReference(target);
    const v = this.spillAlways(value, 'prop');
    const result = init ? this.withDefault(v, init) : this.ref(v);
    if (ref) ref(result);
    else this.destructure(target, result);
  }

  /** `v === undefined ? init : v`, with init evaluated only when needed (it may yield). */
  protected withDefault(v: VarId, init: TS.Expression): TS.Expression {
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
}
