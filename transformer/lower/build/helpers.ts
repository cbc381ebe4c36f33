// Syntax helpers of the builder that need no builder state.
import type * as TS from 'typescript';
import {
  type VarId,
} from '../ir.js';
/** Field names a frame must never use for a variable: they are the generator protocol or the base class. */
export const RESERVED_FIELD_NAMES = new Set([
  '$r', '$d', '$dn', '$dk', 'next', 'return', 'throw', 'constructor', '__proto__', 'toString', 'toLocaleString', 'valueOf',
  'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', '__defineGetter__', '__defineSetter__',
  '__lookupGetter__', '__lookupSetter__', 'map', 'filter', 'take', 'drop', 'flatMap', 'reduce', 'toArray',
  'forEach', 'some', 'every', 'find', 'concat', 'zip',
]);

/** The same class member / object method with another name. */
export function replaceMemberName<T extends TS.Node>(ts: typeof TS, m: T, name: TS.ComputedPropertyName): T {
  const f = ts.factory;
  const n = m as any;
  if (ts.isMethodDeclaration(n)) return f.updateMethodDeclaration(n, n.modifiers, n.asteriskToken, name, n.questionToken, n.typeParameters, n.parameters, n.type, n.body) as any;
  if (ts.isGetAccessorDeclaration(n)) return f.updateGetAccessorDeclaration(n, n.modifiers, name, n.parameters, n.type, n.body) as any;
  if (ts.isSetAccessorDeclaration(n)) return f.updateSetAccessorDeclaration(n, n.modifiers, name, n.parameters, n.body) as any;
  if (ts.isPropertyDeclaration(n)) return f.updatePropertyDeclaration(n, n.modifiers, name, n.questionToken ?? n.exclamationToken, n.type, n.initializer) as any;
  if (ts.isPropertyAssignment(n)) return f.updatePropertyAssignment(n, name, n.initializer) as any;
  return m;
}

export function skipOuter(ts: typeof TS, e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

export function isAssignmentOperator(ts: typeof TS, op: TS.SyntaxKind): boolean {
  return op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment;
}

export function compoundToBinary(ts: typeof TS, op: TS.SyntaxKind): TS.BinaryOperator {
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
export function isPatternAt(ts: typeof TS, path: readonly TS.Node[], k: number): boolean {
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
export function destructuringTargets(ts: typeof TS, pattern: TS.Expression, refs: Map<TS.Node, VarId>): VarId[] {
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
