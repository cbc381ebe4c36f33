// Rewriting IR statement nodes into resume-function code, shared by the generator emitter and
// the promise-type emitter: identifiers of IR variables become frame fields or segment locals
// (or boxes, for per-iteration bindings captured by closures), `super` goes through the frame's
// accessor, `var` declarations kept inside whole statements become assignments, a `return`
// completes the coroutine, and nested generators are lowered in place.
import type * as TS from 'typescript';
import { inFrame, type CoroutineIR, type VarId } from './ir.js';
import type { HelperName } from './build.js';
import { isFunctionBoundary } from './syntax.js';
import { isAssignmentOperator } from './build/helpers.js';
import { LoweringError } from './errors.js';

export interface RewriterContext {
  ts: typeof TS;
  ir: CoroutineIR;
  refs: Map<TS.Node, VarId>;
  helperRefs: Map<TS.Identifier, HelperName>;
  /** identifiers in nested functions that refer to bindings kept native inside the coroutine */
  nativeCaptures?: ReadonlySet<TS.Node>;
  /**
   * names a function that makes a closure from the values and boxes it takes (see closureMakers);
   * without it, such closures are made by a wrapper call where they stand
   */
  closureMaker?: () => string;
  /** references to a let/const that may run before its declaration: accessed through a check */
  tdzRefs?: ReadonlySet<TS.Node>;
  /** runtime names, mapped to the identifiers this file uses for them */
  runtime: (name: any) => TS.Identifier;
  /** the resume functions' frame parameter */
  frame: string;
  /** the body is strict code */
  strict: boolean;
  isNestedLowerable: (n: TS.Node) => boolean;
  lowerNested: (n: TS.Node) => TS.Node;
  pushCollector: () => void;
  popCollector: () => TS.Statement[];
  /** `yield* child(…)` awaits that become `body(…)`: the child's body function by await (analysis/task-elision.ts) */
  elidedCalls?: ReadonlyMap<TS.Node, string>;
  /**
   * `child(…)` operands of `yield*` whose child has a speculative body function (its name, by call):
   * they become `coElided(child$fast(<fastCallArgs()>, …))` (runtime/task-elision.ts)
   */
  fastCalls?: ReadonlyMap<TS.Node, string>;
  /**
   * `imported(…)` operands of `yield*` whose callee, a binding imported from another module, may
   * carry a speculative body function: they become `coFastOf(imported) !== void 0 ?
   * coElided(imported[coFastBody](<fastCallArgs()>, …)) : imported(…)` (runtime/task-elision.ts)
   */
  importedFastCalls?: ReadonlySet<TS.Node>;
  /** the arguments a speculative body function takes before the child's: the running task's frame and the elided nesting depth */
  fastCallArgs?: () => TS.Expression[];
  /**
   * what `return value` (undefined: a bare `return`) inside a statement kept whole becomes;
   * `beforeFinally`: the return is inside a kept try statement whose finally block still runs
   * (or a kept for-of whose iterator is closed, or a scope whose `using` resources are disposed)
   */
  completeWith: (value: TS.Expression | undefined, beforeFinally: boolean) => TS.Expression;
}

export interface Rewriter {
  rewrite<T extends TS.Node>(node: T, startInFunction?: boolean): T;
  /** how code in a resume function refers to variable v */
  varExpr(v: VarId): TS.Expression;
  fieldAccess(v: VarId): TS.PropertyAccessExpression;
  /** v's frame field, or the segment local that holds it (a boxed v: the current box) */
  storage(v: VarId): TS.Expression;
  /** the closure makers code in `fns` shares, to be placed beside them (see closureMaker), and `fns` calling them */
  closureMakers(fns: readonly TS.FunctionDeclaration[]): { makers: TS.FunctionDeclaration[]; functions: TS.FunctionDeclaration[] };
}

export function createRewriter(cx: RewriterContext): Rewriter {
  const { ts, ir, runtime } = cx;
  const f = ts.factory;
  const frameId = (): TS.Identifier => f.createIdentifier(cx.frame);
  const fieldAccess = (v: VarId): TS.PropertyAccessExpression => f.createPropertyAccessExpression(frameId(), ir.vars[v].name);
  const isMemory = (v: VarId): boolean => inFrame(ir.vars[v]);
  /** Where code of the body finds v: its frame field, or the segment's local (for a boxed v, the current box). */
  const storage = (v: VarId): TS.Expression => (isMemory(v) ? fieldAccess(v) : f.createIdentifier(ir.vars[v].name));
  /**
   * Inside a closure made by a wrapper call: boxed variable → the name of its captured box, and a
   * variable declared in a loop that closures take by value → the name of the value's parameter.
   */
  let boxScope = new Map<VarId, string>();
  /** closures being wrapped right now, so the wrapped visit does not wrap them again */
  const boxWrapping = new WeakSet<TS.Node>();
  /** How code refers to variable v inside a resume function. */
  const varExpr = (v: VarId): TS.Expression => {
    if (ir.vars[v].boxed) {
      const captured = boxScope.get(v);
      return f.createPropertyAccessExpression(captured ? f.createIdentifier(captured) : storage(v), 'v');
    }
    const value = boxScope.get(v);
    return value ? f.createIdentifier(value) : storage(v);
  };
  // A let/const that may still be uninitialised (analysis/tdz.ts). Reading it, or a compound
  // assignment or update (which read it first), throws before anything else; a plain
  // assignment throws after its right-hand side was evaluated, as PutValue does.
  const tdzTarget = (e: TS.Expression): VarId | undefined => {
    const id = skipParens(ts, e);
    return cx.tdzRefs?.has(id) ? cx.refs.get(id) : undefined;
  };
  const tdzCheck = (v: VarId): TS.Expression => f.createCallExpression(runtime('tdzRead'), undefined, [varExpr(v), f.createStringLiteral(ir.vars[v].original)]);
  // A destructuring target or for-in/of head still in its TDZ throws when the value is put,
  // after the value (and a default) was evaluated: a reference whose setter is tdzAssign.
  const tdzPut = (v: VarId): TS.Expression => {
    const t = `${ir.vars[v].name}$put`;
    const setter = f.createSetAccessorDeclaration(undefined, 'v', [f.createParameterDeclaration(undefined, undefined, t)], f.createBlock([f.createExpressionStatement(f.createAssignment(varExpr(v), f.createCallExpression(runtime('tdzAssign'), undefined, [varExpr(v), f.createIdentifier(t), f.createStringLiteral(ir.vars[v].original)])))], false));
    return f.createPropertyAccessExpression(f.createParenthesizedExpression(f.createObjectLiteralExpression([setter])), 'v');
  };
  /** Is `n` inside the body of a `with` statement of this coroutine (not one around the whole coroutine)? */
  const inWithBody = (n: TS.Node): boolean => {
    let c = ts.getOriginalNode(n);
    for (let p = c.parent; p && p.pos >= ir.span.pos; c = p, p = p.parent) {
      if (ts.isWithStatement(p) && p.statement === c) return true;
    }
    return false;
  };
  /**
   * Variables a closure must get from a wrapper call: boxed ones, and those taken by value that are
   * declared in a loop (the segment's local is one binding for every iteration a function runs;
   * outside a loop it is assigned once, so closures may share it).
   */
  const wrapped = (v: VarId): boolean => !!ir.vars[v].boxed || (!!ir.vars[v].byValue && !!ir.vars[v].inLoop);
  const wrappedIn = (n: TS.Node): VarId[] => {
    const out = new Set<VarId>();
    const scan = (c: TS.Node): void => {
      const v = cx.refs.get(c);
      if (v !== undefined && wrapped(v)) out.add(v);
      ts.forEachChild(c, scan);
    };
    scan(n);
    return [...out];
  };

  // ------------------------------------------------------------ rewriting IR statement nodes
  const commaList = (xs: TS.Expression[]): TS.Expression => xs.reduce((a, b) => f.createComma(a, b));
  /**
   * Closure makers by the closure they make. A closure in code that several resume functions
   * copy would otherwise be a different function literal in each, so the calls it receives see
   * as many targets and turn polymorphic (loop-closures ran 1.5x slower). One maker per closure,
   * placed where the resume functions go, gives every copy the same literal.
   */
  const makers = new Map<TS.Node, { decl: TS.FunctionDeclaration; inline: (args: readonly TS.Expression[]) => TS.Expression }>();
  /**
   * Whether closure `n` can be made outside the resume function: everything it refers to of the
   * coroutine is among the values and boxes it takes, nothing it refers to is a binding kept
   * native in the body (a statement kept whole, such as a catch clause, declares those), and it
   * holds nothing the file lowering lowers in place (whose parts could land beside it).
   */
  const movable = (n: TS.Node, taken: readonly VarId[]): boolean => {
    if (!cx.closureMaker) return false;
    if (!ts.isArrowFunction(n) && !(ts.isFunctionExpression(n) && !n.asteriskToken)) return false;
    if (n.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
    const ok = new Set(taken);
    const reaches = (c: TS.Node): boolean => {
      const v = cx.refs.get(c);
      if ((v !== undefined && !ok.has(v)) || cx.nativeCaptures?.has(c) || cx.isNestedLowerable(c)) return true;
      return ts.forEachChild(c, reaches) ?? false;
    };
    return !(ts.forEachChild(n, reaches) ?? false);
  };
  const rewrite = <T extends TS.Node>(node: T, startInFunction = false): T => {
    const visitArgs = (call: TS.CallExpression, inFunction: boolean): TS.Expression[] => call.arguments.map((a) => ts.visitNode(a, (c) => visit(c, inFunction)) as TS.Expression);
    const visit = (n: TS.Node, inFunction: boolean): TS.Node | TS.Node[] | undefined => {
      // `delete x` (sloppy code) of a variable is false and deletes nothing, whatever the lowering
      // made of x: of a frame field it deleted the field and was true.
      if (ts.isDeleteExpression(n)) {
        const v = cx.refs.get(skipParens(ts, n.expression));
        // (`this`, which the frame hands over as a variable too, is no reference: `delete this` is true)
        if (v !== undefined) return ir.vars[v].kind === 'this' ? f.createTrue() : f.createFalse();
      }
      // A closure keeps the boxes current at its creation, and the values it takes:
      // ((x$box, y) => closure)($f.x, y), or maker($f.x, y) (see `makers`).
      if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isClassExpression(n)) && !boxWrapping.has(n)) {
        const boxed = wrappedIn(n).filter((v) => !boxScope.has(v));
        const key = ts.getOriginalNode(n);
        const made = makers.get(key);
        const movableHere = !inFunction && (made !== undefined || movable(n, boxed));
        if (boxed.length || movableHere) {
          if (made) return f.createCallExpression(f.createIdentifier(made.decl.name!.text), undefined, boxed.map((v) => storage(v)));
          const saved = boxScope;
          boxScope = new Map(saved);
          const params = boxed.map((v) => {
            const name = ir.vars[v].boxed ? `${ir.vars[v].name}$box` : ir.vars[v].name;
            boxScope.set(v, name);
            return f.createParameterDeclaration(undefined, undefined, name);
          });
          boxWrapping.add(n);
          let inner: TS.Expression;
          // A nested generator hoists its resume functions: they must see the captured boxes too,
          // so they go inside the wrapper (one set per closure created, as each has its own boxes).
          // (A movable closure has none: `movable` turned down every nested lowering.)
          cx.pushCollector();
          let hoisted: TS.Statement[];
          try {
            inner = visit(n, inFunction) as TS.Expression;
          } finally {
            hoisted = cx.popCollector();
            boxWrapping.delete(n);
          }
          try {
            hoisted = hoisted.map((h) => rewrite(h, true));
          } finally {
            boxScope = saved;
          }
          const wrapper = (): TS.Expression => f.createParenthesizedExpression(f.createArrowFunction(undefined, undefined, params, undefined, undefined, hoisted.length ? f.createBlock([...hoisted, f.createReturnStatement(inner)], true) : inner));
          const args = boxed.map((v) => storage(v));
          if (movableHere && hoisted.length === 0) {
            const decl = f.createFunctionDeclaration(undefined, undefined, cx.closureMaker!(), undefined, params, undefined, f.createBlock([f.createReturnStatement(inner)], true));
            makers.set(key, { decl, inline: (a) => (boxed.length ? f.createCallExpression(wrapper(), undefined, a) : inner) });
            return f.createCallExpression(f.createIdentifier(decl.name!.text), undefined, args);
          }
          return boxed.length ? f.createCallExpression(wrapper(), undefined, args) : inner;
        }
      }
      if (!inFunction && ts.isYieldExpression(n) && cx.elidedCalls?.has(n)) {
        const args = visitArgs(n.expression as TS.CallExpression, inFunction);
        return ts.setTextRange(f.createCallExpression(f.createIdentifier(cx.elidedCalls.get(n)!), undefined, args), n);
      }
      if (!inFunction && ts.isCallExpression(n) && cx.fastCalls?.has(n)) {
        const args = visitArgs(n, inFunction);
        const body = f.createCallExpression(f.createIdentifier(cx.fastCalls.get(n)!), undefined, [...cx.fastCallArgs!(), ...args]);
        return ts.setTextRange(f.createCallExpression(runtime('coElided'), undefined, [body]), n);
      }
      if (!inFunction && ts.isCallExpression(n) && cx.importedFastCalls?.has(n)) {
        // The callee and the arguments are written once per branch (the analysis admitted only
        // arguments without functions, classes or yields) and evaluated once, in source order.
        const callee = (): TS.Expression => ts.visitNode(n.expression, (c) => visit(c, inFunction)) as TS.Expression;
        const args = (): TS.Expression[] => visitArgs(n, inFunction);
        const carries = f.createStrictInequality(f.createCallExpression(runtime('coFastOf'), undefined, [callee()]), f.createVoidZero());
        const body = f.createCallExpression(f.createElementAccessExpression(callee(), runtime('coFastBody')), undefined, [...cx.fastCallArgs!(), ...args()]);
        const elided = f.createCallExpression(runtime('coElided'), undefined, [body]);
        return ts.setTextRange(f.createConditionalExpression(carries, undefined, elided, undefined, f.createCallExpression(callee(), undefined, args())), n);
      }
      if (cx.isNestedLowerable(n)) {
        // Lower it first (its hoisted parts land in the current collector), then point its
        // references to our variables at our frame.
        const lowered = cx.lowerNested(n);
        return ts.visitEachChild(lowered, (c) => visit(c, true), undefined);
      }
      if (ts.isBlock(n)) {
        cx.pushCollector();
        const nested = inFunction || isFunctionBoundary(ts, n);
        const body = n.statements.flatMap((st) => {
          const r = visit(st, nested);
          return r === undefined ? [] : Array.isArray(r) ? (r as TS.Statement[]) : [r as TS.Statement];
        });
        const hoisted = cx.popCollector().map((h) => rewrite(h, true));
        return f.updateBlock(n, [...hoisted, ...body]);
      }
      if (ts.isArrowFunction(n) && !ts.isBlock(n.body)) {
        cx.pushCollector();
        const body = visit(n.body, true) as TS.Expression;
        const hoisted = cx.popCollector().map((h) => rewrite(h, true));
        const params = n.parameters.map((p) => visit(p, true) as TS.ParameterDeclaration);
        return f.updateArrowFunction(n, n.modifiers, n.typeParameters, params, n.type, n.equalsGreaterThanToken, hoisted.length ? f.createBlock([...hoisted, f.createReturnStatement(body)], true) : body);
      }
      if (ts.isBinaryExpression(n) && isAssignmentOperator(ts, n.operatorToken.kind) && cx.tdzRefs?.size) {
        const tv = tdzTarget(n.left);
        if (tv !== undefined) {
          const rhs = ts.visitNode(n.right, (c) => visit(c, inFunction)) as TS.Expression;
          if (n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
            return f.createAssignment(varExpr(tv), f.createCallExpression(runtime('tdzAssign'), undefined, [varExpr(tv), rhs, f.createStringLiteral(ir.vars[tv].original)]));
          }
          return f.createParenthesizedExpression(f.createComma(tdzCheck(tv), f.createBinaryExpression(varExpr(tv), n.operatorToken, rhs)));
        }
      }
      if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && cx.tdzRefs?.size) {
        const tv = tdzTarget(n.operand);
        if (tv !== undefined) {
          const update = ts.isPrefixUnaryExpression(n) ? f.createPrefixUnaryExpression(n.operator, varExpr(tv)) : f.createPostfixUnaryExpression(varExpr(tv), n.operator);
          return f.createParenthesizedExpression(f.createComma(tdzCheck(tv), update));
        }
      }
      if (ts.isBinaryExpression(n) && isAssignmentOperator(ts, n.operatorToken.kind)) {
        const target = cx.refs.get(skipParens(ts, n.left));
        if (target !== undefined && ir.vars[target].kind === 'self') {
          // The name of a function expression is an immutable binding: assignment is ignored in
          // sloppy code and a TypeError in strict code.
          const rhs = ts.visitNode(n.right, (c) => visit(c, inFunction)) as TS.Expression;
          return cx.strict ? f.createComma(rhs, f.createCallExpression(runtime('assignToConstant'), undefined, [f.createStringLiteral(ir.vars[target].original)])) : rhs;
        }
      }
      // super.x, super[k], super.m(...): through the accessor the ramp created with the right home object.
      const superOf = (e: TS.Node): TS.Expression | undefined => {
        if ((ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && e.expression.kind === ts.SyntaxKind.SuperKeyword && cx.refs.has(e.expression)) {
          return ts.isPropertyAccessExpression(e) ? f.createStringLiteral(e.name.text) : (ts.visitNode(e.argumentExpression, (c) => visit(c, inFunction)) as TS.Expression);
        }
        return undefined;
      };
      if (ts.isCallExpression(n)) {
        const key = superOf(n.expression);
        if (key) {
          const sv = cx.refs.get((n.expression as TS.PropertyAccessExpression).expression)!;
          const args = visitArgs(n, inFunction);
          return f.createCallExpression(varExpr(sv), undefined, [f.createNumericLiteral(2), key, f.createArrayLiteralExpression(args)]);
        }
      }
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const key = superOf(skipParens(ts, n.left));
        if (key) {
          const sv = cx.refs.get((skipParens(ts, n.left) as TS.PropertyAccessExpression).expression)!;
          return f.createCallExpression(varExpr(sv), undefined, [f.createNumericLiteral(1), key, ts.visitNode(n.right, (c) => visit(c, inFunction)) as TS.Expression]);
        }
      }
      {
        const key = superOf(n);
        if (key) return f.createCallExpression(varExpr(cx.refs.get((n as TS.PropertyAccessExpression).expression)!), undefined, [f.createNumericLiteral(0), key]);
      }
      const v = cx.refs.get(n);
      if (v !== undefined) {
        const e = cx.tdzRefs?.has(n) ? (isPatternTarget(ts, n) ? tdzPut(v) : tdzCheck(v)) : varExpr(v);
        // Inside `with`, a name is looked up on the object first. That still happens when the
        // variable is a segment local of the same name; a frame field or a renamed local the
        // object could not shadow, so that would be wrong code.
        if (!cx.strict && ts.isIdentifier(n) && !(ts.isIdentifier(e) && e.text === n.text) && inWithBody(n)) {
          throw new LoweringError(ts.getOriginalNode(n), `the generator's variable '${n.text}' inside \`with\``, "lowered, it is kept where the with object cannot shadow it; name it outside the with statement (copy it to or from a variable there), or move the with statement out of the generator");
        }
        ts.setSourceMapRange(e, n);
        return e;
      }
      const h = ts.isIdentifier(n) ? cx.helperRefs.get(n) : undefined;
      if (h) return runtime(h);
      if (ts.isShorthandPropertyAssignment(n) && cx.refs.has(n.name)) {
        const sv = cx.refs.get(n.name)!;
        const target = cx.tdzRefs?.has(n.name) ? tdzPut(sv) : varExpr(sv);
        const init = n.objectAssignmentInitializer ? (ts.visitNode(n.objectAssignmentInitializer, (c) => visit(c, inFunction)) as TS.Expression) : undefined;
        return f.createPropertyAssignment(f.createIdentifier(n.name.text), init ? f.createAssignment(target, init) : target);
      }
      if (!inFunction && ts.isReturnStatement(n)) {
        const value = n.expression ? (ts.visitNode(n.expression, (c) => visit(c, inFunction)) as TS.Expression) : undefined;
        return ts.setTextRange(f.createReturnStatement(cx.completeWith(value, insideTryFinally(ts, n))), n);
      }
      if (ts.isVariableStatement(n) && declaresIRVars(n.declarationList)) {
        const assigns = varListToAssignments(n.declarationList, inFunction);
        if (assigns.length === 0) return f.createEmptyStatement();
        return ts.setTextRange(f.createExpressionStatement(commaList(assigns)), n);
      }
      if ((ts.isForStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer) && declaresIRVars(n.initializer)) {
        const list = n.initializer;
        if (ts.isForStatement(n)) {
          const assigns = varListToAssignments(list, inFunction);
          return f.updateForStatement(
            n,
            assigns.length ? commaList(assigns) : undefined,
            visitOpt(n.condition, inFunction),
            visitOpt(n.incrementor, inFunction),
            ts.visitNode(n.statement, (c) => visit(c, inFunction)) as TS.Statement,
          );
        }
        const target = bindingTarget(list.declarations[0].name, inFunction);
        const expr = ts.visitNode(n.expression, (c) => visit(c, inFunction)) as TS.Expression;
        const body = ts.visitNode(n.statement, (c) => visit(c, inFunction)) as TS.Statement;
        return ts.isForInStatement(n) ? f.updateForInStatement(n, target, expr, body) : f.updateForOfStatement(n, n.awaitModifier, target, expr, body);
      }
      const nested = inFunction || isFunctionBoundary(ts, n);
      return ts.visitEachChild(n, (c) => visit(c, nested), undefined);
    };
    const visitOpt = (e: TS.Expression | undefined, inFunction: boolean): TS.Expression | undefined => (e ? (ts.visitNode(e, (c) => visit(c, inFunction)) as TS.Expression) : undefined);
    const declaresIRVars = (list: TS.VariableDeclarationList): boolean => list.declarations.some((d) => bindingIds(d.name).some((id) => cx.refs.has(id)));
    const bindingIds = (name: TS.BindingName): TS.Identifier[] => {
      if (ts.isIdentifier(name)) return [name];
      return name.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : bindingIds(el.name)));
    };
    const bindingTarget = (name: TS.BindingName, inFunction: boolean): TS.Expression => {
      if (ts.isIdentifier(name)) return visit(name, inFunction) as TS.Expression;
      if (ts.isObjectBindingPattern(name)) {
        return f.createObjectLiteralExpression(
          name.elements.map((el) => {
            const target = bindingTarget(el.name, inFunction);
            const withInit = el.initializer ? f.createAssignment(target, ts.visitNode(el.initializer, (c) => visit(c, inFunction)) as TS.Expression) : target;
            if (el.dotDotDotToken) return f.createSpreadAssignment(target);
            const key = el.propertyName ?? (el.name as TS.Identifier);
            const keyNode = ts.isIdentifier(key) ? f.createIdentifier(key.text) : ts.isComputedPropertyName(key) ? f.createComputedPropertyName(ts.visitNode(key.expression, (c) => visit(c, inFunction)) as TS.Expression) : key;
            return f.createPropertyAssignment(keyNode as TS.PropertyName, withInit);
          }),
        );
      }
      return f.createArrayLiteralExpression(
        name.elements.map((el) => {
          if (ts.isOmittedExpression(el)) return f.createOmittedExpression();
          const target = bindingTarget(el.name, inFunction);
          if (el.dotDotDotToken) return f.createSpreadElement(target);
          return el.initializer ? f.createAssignment(target, ts.visitNode(el.initializer, (c) => visit(c, inFunction)) as TS.Expression) : target;
        }),
      );
    };
    const varListToAssignments = (list: TS.VariableDeclarationList, inFunction: boolean): TS.Expression[] =>
      list.declarations.filter((d) => d.initializer).map((d) => f.createAssignment(bindingTarget(d.name, inFunction), ts.visitNode(d.initializer!, (c) => visit(c, inFunction)) as TS.Expression));
    return visit(node, startInFunction) as T;
  };
  /**
   * The makers code in `fns` calls more than once, and `fns` with each call of a maker called only
   * once replaced by the closure (or its wrapper call) itself: a maker pays only where the closure
   * was copied. A maker nothing calls was made by an emission the emitter threw away.
   */
  const closureMakers = (fns: readonly TS.FunctionDeclaration[]): { makers: TS.FunctionDeclaration[]; functions: TS.FunctionDeclaration[] } => {
    if (makers.size === 0) return { makers: [], functions: [...fns] };
    const byName = new Map([...makers.values()].map((m) => [m.decl.name!.text, m]));
    const calls = new Map<string, number>();
    const callee = (c: TS.Node): string | undefined => (ts.isCallExpression(c) && ts.isIdentifier(c.expression) && byName.has(c.expression.text) ? c.expression.text : undefined);
    const count = (c: TS.Node): void => {
      const name = callee(c);
      if (name) calls.set(name, (calls.get(name) ?? 0) + 1);
      ts.forEachChild(c, count);
    };
    fns.forEach(count);
    const inlineOnce = (c: TS.Node): TS.Node => {
      const name = callee(c);
      if (name && calls.get(name) === 1) return byName.get(name)!.inline((c as TS.CallExpression).arguments);
      return ts.visitEachChild(c, inlineOnce, undefined);
    };
    const once = [...calls.values()].some((k) => k === 1);
    return {
      makers: [...byName].filter(([name]) => (calls.get(name) ?? 0) > 1).map(([, m]) => m.decl),
      functions: once ? fns.map((fn) => inlineOnce(fn) as TS.FunctionDeclaration) : [...fns],
    };
  };
  return { rewrite, varExpr, fieldAccess, storage, closureMakers };
}

/**
 * Is this identifier of the source written by a destructuring assignment (`[x] = a`, `({ k: x } =
 * o)`, a default's target `[x = 1] = a`) or by a for-in/for-of head (`for (x of a)`)?
 */
function isPatternTarget(ts: typeof TS, id: TS.Node): boolean {
  let node = id;
  for (let p = node.parent; p; node = p, p = p.parent) {
    if (ts.isParenthesizedExpression(p) || ts.isArrayLiteralExpression(p) || ts.isSpreadElement(p) || ts.isSpreadAssignment(p) || ts.isObjectLiteralExpression(p)) continue;
    if (ts.isPropertyAssignment(p) && p.initializer === node) continue;
    if (ts.isShorthandPropertyAssignment(p)) continue;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.left === node) {
      // a default inside a pattern goes on up; the pattern's own assignment ends the climb
      if (p.parent && (ts.isArrayLiteralExpression(p.parent) || (ts.isPropertyAssignment(p.parent) && p.parent.initializer === p))) continue;
      return node !== id;
    }
    if ((ts.isForInStatement(p) || ts.isForOfStatement(p)) && p.initializer === node) return true;
    return false;
  }
  return false;
}

function skipParens(ts: typeof TS, e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** Is `n` inside the try or catch block of a try statement with a finally block (within its function)? */
/**
 * Does user code still run between this return and the end of the body? A kept try statement's
 * finally block, a kept for-of's iterator close (its `return()`), a `using` declaration's dispose.
 * Until it ran the generator is still running: a call of its next() from that code must throw.
 */
function insideTryFinally(ts: typeof TS, n: TS.Node): boolean {
  for (let child = n, p = n.parent; p && !ts.isFunctionLike(p); child = p, p = p.parent) {
    if (ts.isTryStatement(p) && p.finallyBlock && child !== p.finallyBlock) return true;
    if (ts.isForOfStatement(p) && child === p.statement) return true;
    if (ts.isBlock(p) && p.statements.some((s) => s !== child && s.pos < child.pos && ts.isVariableStatement(s) && (s.declarationList.flags & ts.NodeFlags.Using) !== 0)) return true;
  }
  return false;
}
