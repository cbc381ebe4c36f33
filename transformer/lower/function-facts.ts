// What the file lowering asks about a coroutine's function node before lowering it: the name it
// shows in diagnostics and frame names, whether its code is strict, and whether its body uses
// private names, `super`, a direct eval or bindings of enclosing functions (which decides where
// its resume functions can live). Syntax only: no IR, no emission.
import type * as TS from 'typescript';

export function baseName(display: string): string {
  const last = display.split('.').pop() ?? display;
  const clean = last.replace(/^#/, '').replace(/[^A-Za-z0-9_$]/g, '_');
  return clean && !/^[0-9]/.test(clean) ? clean : 'gen';
}

export function displayName(ts: typeof TS, node: TS.FunctionLikeDeclaration): string {
  const n = node.name;
  const own = n ? (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) ? n.text : ts.isStringLiteral(n) || ts.isNumericLiteral(n) ? n.text : '[computed]') : undefined;
  if (ts.isMethodDeclaration(node) && node.parent) {
    const p = node.parent;
    if (ts.isClassLike(p)) return `${p.name?.text ?? '<class>'}.${own}`;
    if (ts.isObjectLiteralExpression(p)) {
      const holder = p.parent;
      const obj = holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : 'obj';
      return `${obj}.${own}`;
    }
  }
  if (own) return own;
  const inferred = ts.isFunctionExpression(node) || ts.isArrowFunction(node) ? inferredName(ts, node) : undefined;
  if (inferred) return inferred;
  const orig = ts.getOriginalNode(node);
  const sf = orig.pos >= 0 ? orig.getSourceFile() : undefined;
  if (!sf) return '<anonymous>';
  const { line, character } = sf.getLineAndCharacterOfPosition(orig.getStart(sf));
  return `<anonymous@${line + 1}:${character + 1}>`;
}

/** The name an anonymous function expression gets from its syntactic position (NamedEvaluation). */
export function inferredName(ts: typeof TS, node: TS.FunctionExpression | TS.ArrowFunction): string | undefined {
  let child: TS.Node = node;
  let p = node.parent;
  while (p && ts.isParenthesizedExpression(p)) {
    // NamedEvaluation does not look through parentheses for declarations in the spec, but does for assignment; keep it simple.
    return undefined;
  }
  if (!p) return undefined;
  const text = (n: TS.Node): string | undefined =>
    ts.isIdentifier(n) || ts.isPrivateIdentifier(n) ? n.text : ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) ? n.text : ts.isNumericLiteral(n) ? String(Number(n.text)) : undefined;
  if (ts.isVariableDeclaration(p) && p.initializer === child) return ts.isIdentifier(p.name) ? p.name.text : undefined;
  if (ts.isPropertyAssignment(p) && p.initializer === child) return text(p.name);
  if (ts.isPropertyDeclaration(p) && p.initializer === child) return text(p.name);
  if (ts.isBinaryExpression(p) && p.right === child && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(p.left)) return p.left.text;
  if (ts.isBinaryExpression(p) && p.right === child && (p.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken || p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandEqualsToken || p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken) && ts.isIdentifier(p.left)) return p.left.text;
  if (ts.isBindingElement(p) && p.initializer === child) return ts.isIdentifier(p.name) ? p.name.text : undefined;
  if (ts.isParameter(p) && p.initializer === child) return ts.isIdentifier(p.name) ? p.name.text : undefined;
  if (ts.isShorthandPropertyAssignment(p) && p.objectAssignmentInitializer === child) return p.name.text;
  if (ts.isExportAssignment(p)) return 'default';
  void child;
  return undefined;
}

export function isFunctionBodyList(ts: typeof TS, parent: TS.Node | undefined): boolean {
  return !!parent && (ts.isSourceFile(parent) || (ts.isBlock(parent) && !!parent.parent && ts.isFunctionLike(parent.parent)) || ts.isModuleBlock(parent));
}

function hasUseStrict(ts: typeof TS, stmts: readonly TS.Statement[]): boolean {
  for (const st of stmts) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === 'use strict') return true;
  }
  return false;
}

/** Is code at `node` strict? `own`: count the node's own body directive. */
export function isStrictCode(ts: typeof TS, sf: TS.SourceFile, node: TS.Node, own: boolean): boolean {
  if ((sf as any).externalModuleIndicator || hasUseStrict(ts, sf.statements)) return true;
  for (let n: TS.Node | undefined = node; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isClassLike(n) && n !== node) return true;
    if ((own || n !== node) && ts.isFunctionLike(n) && (n as TS.FunctionLikeDeclaration).body && ts.isBlock((n as TS.FunctionLikeDeclaration).body!) && hasUseStrict(ts, ((n as TS.FunctionLikeDeclaration).body as TS.Block).statements)) return true;
  }
  return false;
}

/** A yield (or, when awaits are suspensions, an await) outside any nested function: left unlowered. */
export function leftoverSuspension(ts: typeof TS, n: TS.Node, awaits: boolean): TS.Node | undefined {
  if (ts.isYieldExpression(n) || (awaits && ts.isAwaitExpression(n))) return n;
  if (ts.isFunctionLike(n) || ts.isClassStaticBlockDeclaration(n)) return undefined;
  return ts.forEachChild(n, (c) => leftoverSuspension(ts, c, awaits));
}

/**
 * A direct eval (`eval(…)`, `(eval)(…)`, also inside nested functions and parameters, whose scope
 * chain reaches the coroutine's variables): it reads variables by name at run time, and the
 * lowering renames and moves them into the frame.
 */
export function findDirectEval(ts: typeof TS, n: TS.Node): TS.CallExpression | undefined {
  let found: TS.CallExpression | undefined;
  const visit = (c: TS.Node): void => {
    if (found) return;
    if (ts.isCallExpression(c)) {
      let callee: TS.Expression = c.expression;
      while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
      if (ts.isIdentifier(callee) && callee.text === 'eval') {
        found = c;
        return;
      }
    }
    ts.forEachChild(c, visit);
  };
  visit(n);
  return found;
}

export function containsPrivateName(ts: typeof TS, n: TS.Node): boolean {
  let found = false;
  const visit = (c: TS.Node): void => {
    if (found) return;
    if (ts.isPrivateIdentifier(c)) found = true;
    else ts.forEachChild(c, visit);
  };
  visit(n);
  return found;
}

export function findSuper(ts: typeof TS, n: TS.Node): TS.Node | undefined {
  let found: TS.Node | undefined;
  const visit = (c: TS.Node): void => {
    if (found) return;
    if (c.kind === ts.SyntaxKind.SuperKeyword) {
      found = c;
      return;
    }
    // super inside a nested non-arrow function or class belongs to that function.
    if (ts.isFunctionDeclaration(c) || ts.isFunctionExpression(c) || ts.isMethodDeclaration(c) || ts.isClassLike(c) || ts.isGetAccessor(c) || ts.isSetAccessor(c) || ts.isConstructorDeclaration(c)) return;
    ts.forEachChild(c, visit);
  };
  visit(n);
  return found;
}

/** Does the body refer to a binding of an enclosing function or block (not module/global)? */
export function refersToEnclosingScope(ts: typeof TS, node: TS.Node, freeNames: Set<string>): boolean {
  if (freeNames.size === 0) return false;
  const enclosing = new Set<string>();
  const addBindingNames = (name: TS.BindingName): void => {
    if (ts.isIdentifier(name)) enclosing.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBindingNames(el.name);
  };
  const addDeclarations = (container: TS.Node): void => {
    const visit = (n: TS.Node): void => {
      if (n !== container && (ts.isFunctionLike(n) || ts.isClassLike(n))) {
        if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && n.name) enclosing.add(n.name.text);
        return;
      }
      if (ts.isVariableDeclaration(n)) addBindingNames(n.name);
      if (ts.isParameter(n)) addBindingNames(n.name);
      if (ts.isCatchClause(n) && n.variableDeclaration) addBindingNames(n.variableDeclaration.name);
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(container, visit);
  };
  const start = node.parent ? node : ts.getOriginalNode(node);
  for (let p = start.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (ts.isFunctionLike(p) || ts.isBlock(p) || ts.isForStatement(p) || ts.isForInStatement(p) || ts.isForOfStatement(p) || ts.isCatchClause(p) || ts.isCaseBlock(p) || ts.isModuleBlock(p)) addDeclarations(p);
    if (ts.isFunctionExpression(p) && p.name) enclosing.add(p.name.text);
    if (ts.isClassExpression(p) && p.name) enclosing.add(p.name.text);
    if (ts.isFunctionLike(p) && !ts.isArrowFunction(p)) enclosing.add('arguments');
  }
  for (const n of freeNames) if (enclosing.has(n)) return true;
  return false;
}

