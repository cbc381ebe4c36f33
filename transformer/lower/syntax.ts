// Syntactic questions the lowering asks about the body of a coroutine, answered once per node.
// "Inside the coroutine" always stops at nested function boundaries: a yield in a nested
// generator belongs to that generator.
import type * as TS from 'typescript';

/** A function-like node whose body is a separate execution context (a class field initialiser too). */
export function isFunctionBoundary(ts: typeof TS, n: TS.Node): boolean {
  return (
    ts.isFunctionDeclaration(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n) ||
    ts.isConstructorDeclaration(n) ||
    ts.isClassStaticBlockDeclaration(n) ||
    ts.isPropertyDeclaration(n)
  );
}

/**
 * `class C extends (expr)`: TypeScript parses the heritage as an ExpressionWithTypeArguments, a
 * type node, but a class's `extends` expression is evaluated (and may yield).
 */
function isEvaluatedHeritage(ts: typeof TS, n: TS.Node): boolean {
  return ts.isExpressionWithTypeArguments(n) && ts.isHeritageClause(n.parent) && n.parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(n.parent.parent);
}

/** `name = value;`: the name assigned and the value, else undefined. */
export function simpleAssignment(ts: typeof TS, s: TS.Statement): { name: TS.Identifier; value: TS.Expression } | undefined {
  if (!ts.isExpressionStatement(s)) return undefined;
  const e = s.expression;
  return ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(e.left) ? { name: e.left, value: e.right } : undefined;
}

/** An expression whose evaluation runs no user code: a literal, a name, `this`, a function. */
export function isInert(ts: typeof TS, e: TS.Expression): boolean {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isVoidExpression(e)) return isInert(ts, e.expression);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) return ts.isNumericLiteral(e.operand) || ts.isBigIntLiteral(e.operand);
  return (
    ts.isIdentifier(e) ||
    ts.isNumericLiteral(e) ||
    ts.isBigIntLiteral(e) ||
    ts.isStringLiteral(e) ||
    ts.isNoSubstitutionTemplateLiteral(e) ||
    ts.isRegularExpressionLiteral(e) ||
    ts.isFunctionExpression(e) ||
    ts.isArrowFunction(e) ||
    e.kind === ts.SyntaxKind.ThisKeyword ||
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword
  );
}

export class SyntaxFacts {
  private yieldCache = new WeakMap<TS.Node, boolean>();
  /**
   * `awaits`: `await` is a suspension point too (an async function lowered for build-time evaluation).
   * `elided`: `yield*` awaits that are calls instead (analysis/task-elision.ts), not suspension points.
   */
  constructor(
    private readonly ts: typeof TS,
    private readonly awaits = false,
    private readonly elided?: ReadonlySet<TS.Node>,
  ) {}

  /** A function-like node whose body is a separate execution context. */
  isFunctionBoundary(n: TS.Node): boolean {
    return isFunctionBoundary(this.ts, n);
  }

  /** Does evaluating `n` (in the coroutine's own context) reach a yield expression? */
  containsYield(n: TS.Node): boolean {
    const hit = this.yieldCache.get(n);
    if (hit !== undefined) return hit;
    const ts = this.ts;
    let found = false;
    if ((ts.isYieldExpression(n) && !this.elided?.has(n)) || (this.awaits && (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && !!n.awaitModifier)))) found = true;
    else if (this.isFunctionBoundary(n)) {
      // Only a computed name is evaluated in the enclosing context.
      const name = (n as any).name as TS.Node | undefined;
      found = !!name && ts.isComputedPropertyName(name) && this.containsYield(name);
    } else if (ts.isTypeNode(n) && !isEvaluatedHeritage(ts, n)) found = false;
    else {
      ts.forEachChild(n, (c) => {
        if (!found && this.containsYield(c)) found = true;
      });
    }
    this.yieldCache.set(n, found);
    return found;
  }

  /** Does `stmt` contain a `return` of the coroutine (not of a nested function)? */
  containsReturn(stmt: TS.Node): boolean {
    const ts = this.ts;
    let found = false;
    const visit = (n: TS.Node): void => {
      if (found) return;
      if (ts.isReturnStatement(n)) {
        found = true;
        return;
      }
      if (this.isFunctionBoundary(n) || ts.isClassLike(n) || ts.isTypeNode(n)) return;
      ts.forEachChild(n, visit);
    };
    visit(stmt);
    return found;
  }

  /**
   * Does `stmt` contain a break/continue whose target lies outside `stmt`? Such a statement cannot
   * be kept whole, because its target has become a block of the state machine.
   */
  hasEscapingJump(stmt: TS.Statement): boolean {
    const ts = this.ts;
    let found = false;
    const visit = (n: TS.Node, labels: string[], loopDepth: number, breakDepth: number): void => {
      if (found) return;
      if (this.isFunctionBoundary(n) || ts.isClassLike(n) || ts.isTypeNode(n)) return;
      if (ts.isBreakStatement(n) || ts.isContinueStatement(n)) {
        if (n.label) {
          if (!labels.includes(n.label.text)) found = true;
        } else if (ts.isBreakStatement(n) ? breakDepth === 0 : loopDepth === 0) found = true;
        return;
      }
      if (ts.isLabeledStatement(n)) {
        visit(n.statement, [...labels, n.label.text], loopDepth, breakDepth);
        return;
      }
      if (ts.isIterationStatement(n, false)) {
        ts.forEachChild(n, (c) => visit(c, labels, loopDepth + 1, breakDepth + 1));
        return;
      }
      if (ts.isSwitchStatement(n)) {
        visit(n.expression, labels, loopDepth, breakDepth);
        visit(n.caseBlock, labels, loopDepth, breakDepth + 1);
        return;
      }
      ts.forEachChild(n, (c) => visit(c, labels, loopDepth, breakDepth));
    };
    visit(stmt, [], 0, 0);
    return found;
  }

  /** Does the subtree mention `arguments`, `this` or `super` in the coroutine's own context? */
  usesPrivateNames(n: TS.Node): boolean {
    const ts = this.ts;
    let found = false;
    const visit = (c: TS.Node): void => {
      if (found) return;
      if (ts.isPrivateIdentifier(c)) {
        found = true;
        return;
      }
      ts.forEachChild(c, visit);
    };
    visit(n);
    return found;
  }
}

/** Collects every identifier text of a file, so generated names never collide with user names. */
export function collectIdentifierNames(ts: typeof TS, sf: TS.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (n: TS.Node): void => {
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) names.add(ts.idText(n as TS.Identifier));
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return names;
}

/** Hands out fresh identifiers that appear nowhere in the file and were not handed out before. */
export class NameAllocator {
  constructor(private readonly taken: Set<string>) {}
  /** A name not taken yet (nor in `avoid`: names a caller's own scope uses without registering them here). */
  fresh(base: string, avoid?: ReadonlySet<string>): string {
    const clean = base.replace(/[^A-Za-z0-9_$]/g, '_') || '_';
    let name = /^[0-9]/.test(clean) ? '_' + clean : clean;
    if (!this.taken.has(name) && !avoid?.has(name)) {
      this.taken.add(name);
      return name;
    }
    for (let i = 1; ; i++) {
      const n = `${name}${i}`;
      if (!this.taken.has(n) && !avoid?.has(n)) {
        this.taken.add(n);
        return n;
      }
    }
  }
  has(name: string): boolean {
    return this.taken.has(name);
  }
}
