// Expressions taken apart around suspension points: operands evaluated before a yield are spilled
// into temporaries so evaluation order is kept; assignments, calls, object literals and classes.
import type * as TS from 'typescript';
import {
  type VarId,
} from '../ir.js';
import { LoweringError } from '../errors.js';
import { replaceMemberName, skipOuter, isAssignmentOperator, compoundToBinary } from './helpers.js';
import { BuilderCore } from './core.js';

export abstract class ExpressionBuilder extends BuilderCore {
  /** Evaluates `e` for its effects only. */
  protected exprDiscard(e: TS.Expression): void {
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
    // The value of `s ^= yield x` and the like is a temporary: reading it does nothing.
    const temp = ts.isIdentifier(v) ? this.resolver.refs.get(v) : undefined;
    if (temp !== undefined && (this.vars[temp].kind === 'temp' || this.vars[temp].kind === 'sent')) return;
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

  /**
   * Evaluates a list left to right where some element contains a yield: every element before the
   * last yield-containing one is spilled, so it is evaluated before the suspension.
   */
  protected exprList(list: readonly TS.Expression[]): TS.Expression[] {
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
  protected spill(e: TS.Expression): TS.Expression {
    const ts = this.ts;
    if (ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isBigIntLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return e;
    const v = this.resolver.refs.get(e);
    if (v !== undefined && (this.vars[v].kind === 'temp' || this.vars[v].kind === 'sent' || (this.vars[v].readonly && !this.vars[v].captured))) return e;
    return this.ref(this.spillAlways(e, 'tmp'));
  }

  protected spillAlways(e: TS.Expression, what: string): VarId {
    const t = this.newTemp(what);
    this.assign(t, e);
    return t;
  }

  protected binary(e: TS.BinaryExpression): TS.Expression {
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

  protected update(operand: TS.Expression, operator: TS.SyntaxKind, prefix: boolean): TS.Expression {
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
  protected reference(target: TS.Expression): { get: () => TS.Expression; set: (v: TS.Expression) => TS.Expression } {
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
  protected simpleAssign(e: TS.BinaryExpression, discard: boolean): TS.Expression | undefined {
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
  protected assignTo(target: TS.Expression, value: TS.Expression, discard = false, at?: TS.Node): TS.Expression | undefined {
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

  protected nameAnonymous(init: TS.Expression, _name: string | undefined): TS.Expression {
    return this.expr(init);
  }

  /**
   * A class whose heritage clause or computed member names contain a yield: those are evaluated
   * first, in order, into temporaries; the class is then created from them.
   */
  protected classWithYield(e: TS.ClassExpression): TS.Expression {
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

  protected objectLiteral(e: TS.ObjectLiteralExpression): TS.Expression {
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

  protected call(e: TS.CallExpression): TS.Expression {
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
}
